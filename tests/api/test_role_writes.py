"""Writes on the real endpoints: who may write what from another system, with which token, and what is
recorded. A trust posts its monthly return; the DfE records a consent; nobody else may, another
trust's ids are a 404, and every write lands in history with the token's user."""

import pytest
from django.apps import apps
from django.core.cache import cache

from contracts.models import ReservedMatterRequest
from performance.models import MonthlyReturn, ReturnVersion
from trustgov.accounts.models import User
from trustgov.accounts.roles import GOVERNANCE_APPS

from ..demo_months import month_not_started, ym
from .helpers import assert_problem, awaiting_request, client_with, token_for

pytestmark = pytest.mark.django_db


def a_return(**changes) -> dict:
    """A Sandwell return for the month the trust has not started (asked of the demo data, not the calendar)."""
    return {
        "delivery_body": "sandwell-trust",
        "period": ym(month_not_started("sandwell-trust")),
        "values": [{"kpi": "RR", "numerator": "43", "denominator": "200"}],
        "submit": False,
        **changes,
    }


def history_rows() -> int:
    """History rows of governance records (a token's own last-used time is not one)."""
    return sum(
        m.objects.count()
        for m in apps.get_models()
        if m.__name__.startswith("Historical") and m._meta.app_label in GOVERNANCE_APPS
    )


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


def test_a_trust_posts_its_monthly_return_and_history_names_the_tokens_user():
    payload = a_return()
    assert not MonthlyReturn.objects.filter(delivery_body__slug="sandwell-trust", period=f"{payload['period']}-01")
    response = client_with(token_for("sandwell-trust-exec", scope="write")).post(
        "/api/v1/performance/returns/", payload, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["period"] == payload["period"] and body["status"] == "draft"
    assert body["versions"][0]["values"][0]["value"] == "21.50"
    assert body["versions"][0]["channel"] == "api"
    ret = MonthlyReturn.objects.get(pk=body["id"])
    assert ret.history.latest().history_user.username == "sandwell-trust-exec"


@pytest.mark.parametrize("username", ["sandwell-scrutiny", "dfe-liaison"])
def test_roles_that_do_not_submit_returns_cannot_post_one(username):
    before = history_rows()
    response = client_with(token_for(username, scope="write")).post(
        "/api/v1/performance/returns/", a_return(), format="json"
    )
    assert response.status_code in (403, 404)
    assert_problem(response, response.status_code)
    assert history_rows() == before


def test_another_trusts_id_is_a_404_and_nothing_is_stored():
    before = history_rows()
    response = client_with(token_for("sandwell-trust-exec", scope="write")).post(
        "/api/v1/performance/returns/", a_return(delivery_body="torbay-partnership"), format="json"
    )
    assert_problem(response, 404)
    request = ReservedMatterRequest.objects.filter(delivery_body__slug="sandwell-trust").first()
    response = client_with(token_for("torbay-officer", scope="write")).post(
        f"/api/v1/reserved-matter-requests/{request.pk}/withdraw/", {"reason": "not ours"}, format="json"
    )
    assert_problem(response, 404)
    assert history_rows() == before


def test_the_dfe_approves_a_board_appointment_and_its_request_follows_with_the_tokens_user():
    request = ReservedMatterRequest.objects.get(title="Reappoint the Trust Chair for a further term")
    response = client_with(token_for("dfe-liaison", scope="write")).post(
        f"/api/v1/appointments/{request.appointment.pk}/dfe-approval/",
        {"decided_on": "2026-11-20", "decision_reference": "DfE letter 2026/117"},
        format="json",
    )
    assert response.status_code == 200, response.content
    request.refresh_from_db()
    assert (request.status, request.dfe_decision, request.dfe_reference) == (
        "approved",
        "approved",
        "DfE letter 2026/117",
    )
    assert request.history.latest().history_user.username == "dfe-liaison"
    # Decided once: the request's own DfE endpoint now refuses it, naming the field.
    again = client_with(token_for("dfe-liaison", scope="write")).post(
        f"/api/v1/reserved-matter-requests/{request.pk}/dfe-decision/",
        {"decision": "refused", "decided_on": "2026-11-21"},
        format="json",
    )
    assert_problem(again, 400)
    assert "decided through its appointment" in again.content.decode()


def test_the_dfe_records_a_consent_and_history_names_the_tokens_user():
    request = awaiting_request()
    decision = {"decision": "approved", "decided_on": "2026-11-20", "reference": "DfE letter 2026/117"}
    response = client_with(token_for("dfe-liaison", scope="write")).post(
        f"/api/v1/reserved-matter-requests/{request.pk}/dfe-decision/", decision, format="json"
    )
    assert response.status_code == 200, response.content
    request.refresh_from_db()
    assert request.dfe_decision == "approved" and request.history.latest().history_user.username == "dfe-liaison"


@pytest.mark.parametrize(
    ("username", "scope"),
    [("dfe-liaison", "read"), ("sandwell-officer", "write"), ("sandwell-trust-exec", "write")],
)
def test_only_the_dfe_with_a_write_token_records_a_dfe_decision(username, scope):
    request = awaiting_request()
    before = history_rows()
    response = client_with(token_for(username, scope=scope)).post(
        f"/api/v1/reserved-matter-requests/{request.pk}/dfe-decision/",
        {"decision": "approved", "decided_on": "2026-11-20"},
        format="json",
    )
    assert_problem(response, 403)
    assert history_rows() == before


def test_a_replayed_key_with_a_different_body_on_a_real_write_is_422_and_stores_nothing():
    client = client_with(token_for("sandwell-trust-exec", scope="write"))
    payload = a_return()
    first = client.post("/api/v1/performance/returns/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.content
    versions = ReturnVersion.objects.filter(monthly_return_id=first.json()["id"]).count()
    again = client.post("/api/v1/performance/returns/", payload, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    changed = {**payload, "values": [{"kpi": "RR", "numerator": "44", "denominator": "200"}]}
    before = history_rows()
    assert_problem(client.post("/api/v1/performance/returns/", changed, format="json", HTTP_IDEMPOTENCY_KEY="k-1"), 422)
    assert history_rows() == before
    assert ReturnVersion.objects.filter(monthly_return_id=first.json()["id"]).count() == versions


def test_scrutiny_writes_nothing_anywhere_even_with_a_write_token(client):
    """Every write operation of the schema, as a scrutiny member: a 4xx problem and no history row."""
    schema = client.get("/api/schema/?format=json").json()
    api = client_with(token_for(User.objects.get(username="sandwell-scrutiny"), scope="write"))
    before, checked = history_rows(), 0
    for path, item in schema["paths"].items():
        for method in ("post", "put", "patch", "delete"):
            if method not in item or path.startswith("/api/v1/api-tokens/"):
                continue
            url = path.replace("{id}", "1").replace("{slug}", "sandwell-trust")
            response = getattr(api, method)(url, {}, format="json")
            # Refused (403), or refused for its empty body before the role is looked at (400): never stored.
            assert response.status_code in (400, 403, 404, 405), (method, path, response.status_code)
            assert response["Content-Type"] == "application/problem+json", (method, path)
            checked += 1
    assert checked >= 15
    assert history_rows() == before


WRITERS = ["sandwell-trust-exec", "sandwell-officer", "dfe-liaison"]


def _write_operations() -> list[tuple[str, str]]:
    from django.test import Client

    schema = Client().get("/api/schema/?format=json").json()
    return sorted(
        (method, path)
        for path, item in schema["paths"].items()
        for method in ("post", "put", "patch")
        if method in item and not path.startswith("/api/v1/api-tokens/")
    )


def _real_url(path: str, client) -> str:
    if "{" not in path:
        return path
    collection, rest = path.split("{", 1)
    lookup = rest.split("}", 1)[0]  # id, or slug for councils and delivery bodies
    rows = client.get(collection, {"page_size": 200}).json().get("results", [])
    return path.replace(f"{{{lookup}}}", str(rows[-1][lookup]) if rows else "1")


def test_an_unknown_field_in_any_write_is_a_400_naming_it_and_nothing_is_stored():
    """Every write operation, with the first role allowed to make it: {'not_a_field': 1} is refused by name."""
    not_refused, reached = [], 0
    clients = {u: client_with(token_for(u, scope="write")) for u in WRITERS}
    for method, path in _write_operations():
        before = history_rows()
        for username in WRITERS:
            client = clients[username]
            response = getattr(client, method)(_real_url(path, client), {"not_a_field": 1}, format="json")
            if response.status_code in (403, 404, 405):
                continue
            reached += 1
            errors = response.json().get("errors", {}) if response.status_code == 400 else {}
            if "not_a_field" not in errors:
                not_refused.append(f"{method.upper()} {path}")
            break
        assert history_rows() == before, f"{method} {path} stored something"
    assert reached >= 15
    assert not_refused == []
