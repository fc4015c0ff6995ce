"""Coverage: every governance record a role can see in the browser is readable through /api/v1/,
with the same scoping.

What a role sees in the browser is decided by each model's scoping function (trustgov.core.scoping),
which every page reads through. So: every scoped model has an API list (or is nested in one), and for
each demo role each list answers exactly the records the scoping function gives that user, minus
exempt material, which the API never publishes.
"""

import pytest
from django.urls import get_resolver, reverse

from trustgov.accounts.models import User
from trustgov.core.scoping import registered_models, visible

from .helpers import client_with, token_for

pytestmark = pytest.mark.django_db

# Records shown inside another record's API answer rather than at a URL of their own.
NESTED = {
    "boards.Seat": "/api/v1/bodies/ (each body's seats)",
    "boards.AppointmentStep": "/api/v1/appointments/ (each appointment's steps)",
    "performance.ReturnVersion": "/api/v1/performance/returns/ (each return's versions)",
    "performance.ReturnValue": "/api/v1/performance/returns/ (each version's values)",
    "performance.QueryMessage": "/api/v1/performance/return-queries/ (each query's messages)",
    "performance.KpiDefinition": "/api/v1/performance/kpis/ (each KPI's definition versions)",
    "performance.KpiBaseline": "/api/v1/performance/kpis/ (each KPI's baseline recalculations)",
}
# Kept out of the API on purpose: the API is a publication channel for systems outside the council.
NOT_PUBLISHED = {
    "reports.ReportDraft": "a council officer's unpublished draft; published reports are at /api/v1/reports/",
    "public.PublicSubscription": "a member of the public's email address and alerts: personal data (ADR 0609)",
}
# Lists that publish fewer records than the browser shows: exempt ("not for publication") material.
NARROWER = {"meetings.AgendaItem", "meetings.Document", "meetings.Resolution", "reports.GeneratedReport"}
DEMO_USERS = ["sandwell-officer", "sandwell-trust-exec", "sandwell-scrutiny", "torbay-officer", "dfe-liaison"]


def api_lists() -> dict:
    """{model: list URL} for every list endpoint under /api/v1/ whose view names its model."""
    found = {}

    def walk(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns)
                continue
            model = getattr(getattr(pattern.callback, "cls", None), "model", None)
            actions = getattr(pattern.callback, "actions", {}) or {}
            if model and actions.get("get") == "list" and "format" not in str(pattern.pattern):
                found[model] = reverse(f"api:{pattern.name}")

    walk(get_resolver().url_patterns)
    return found


def test_every_scoped_model_is_readable_through_the_api():
    lists = api_lists()
    missing = [
        m._meta.label
        for m in registered_models()
        if m not in lists
        and m._meta.label not in NESTED
        and m._meta.label not in NOT_PUBLISHED
        and m._meta.app_label != "accounts"
    ]
    assert not missing, f"scoped models with no API list: {missing}"
    assert len(lists) >= 35


def _all_ids(client, url) -> set:
    ids, page = set(), f"{url}?page_size=200"
    while page:
        response = client.get(page)
        assert response.status_code == 200, (url, response.content[:300])
        body = response.json()
        ids |= {row.get("id", row.get("slug")) for row in body["results"]}
        page = body["next"]
    return ids


@pytest.mark.parametrize("username", DEMO_USERS)
def test_each_list_answers_what_the_role_sees_in_the_browser(username):
    user = User.objects.get(username=username)
    client = client_with(token_for(user))
    mismatches = []
    for model, url in sorted(api_lists().items(), key=lambda item: item[1]):
        key = "slug" if url.endswith(("councils/", "delivery-bodies/")) else "pk"
        browser = set(visible(model, user).values_list(key, flat=True))
        api = _all_ids(client, url)
        if not api <= browser:
            mismatches.append(f"{url}: the API shows records the browser does not: {sorted(api - browser)[:5]}")
        elif api != browser and model._meta.label not in NARROWER:
            mismatches.append(f"{url}: the browser shows {len(browser)} records, the API {len(api)}")
    assert not mismatches, "\n".join(mismatches)
