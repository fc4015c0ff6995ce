"""Heavy reads cached per data version (trustgov.core.versioned_cache, ADR 0015): a page or API read is served
from the cache only to the session or token it was computed for, and never after anything it shows changed."""

import re
import threading
from datetime import date
from decimal import Decimal as D

import pytest
import time_machine
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils.html import escape

from performance import services
from performance.services import Figures
from tests.api.helpers import client_with, token_for
from tests.performance.factories import small_catalogue
from trustgov.accounts.services import api_token_revoke
from trustgov.core import versioned_cache

JUNE = date(2025, 6, 1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(date(2025, 7, 10), tick=False):
        yield


def record(tenant, cin: str, reason: str = ""):
    return services.return_record(
        delivery_body=tenant.body,
        period=JUNE,
        user=tenant.trust_exec,
        figures={
            "CIN": Figures(value=D(cin)),
            "AS45": Figures(numerator=D("170"), denominator=D("200")),
            "RR": Figures(numerator=D("40"), denominator=D("200")),
        },
        submit=True,
        reason=reason,
    )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def get(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response, len(ctx.captured_queries)


def test_the_data_version_is_one_query_and_moves_with_every_history_row(tenant_a):
    with CaptureQueriesContext(connection) as ctx:
        before = versioned_cache.data_version()
    assert len(ctx.captured_queries) == 1
    assert versioned_cache.data_version() == before  # nothing written: the same version
    small_catalogue(tenant_a.body)
    assert versioned_cache.data_version() != before


def test_on_postgresql_the_function_gives_what_the_select_gives(db):
    if connection.vendor != "postgresql":
        pytest.skip("the function is PostgreSQL's")
    with connection.cursor() as cur:
        cur.execute(f"SELECT {versioned_cache._latest_rows_sql()}")  # noqa: S608
        inline = ".".join(str(v) for v in cur.fetchone())
    assert versioned_cache.data_version() == inline


def test_a_page_is_served_again_until_a_correction_and_then_shows_it(tenant_a):
    small_catalogue(tenant_a.body)
    record(tenant_a, "1650")
    officer = signed_in(tenant_a.officer)
    first, cold = get(officer, "/performance/")
    again, warm = get(officer, "/performance/")
    assert again.content == first.content and warm < cold
    assert "1,650" in first.content.decode()
    record(tenant_a, "1720", reason="A late referral")  # a correction: a new version, new history rows
    corrected, queries = get(officer, "/performance/")
    assert queries == cold  # computed again, not served from the cache
    assert "1,720" in corrected.content.decode()


def test_a_cached_page_is_never_served_to_another_user_or_another_session(tenant_a, tenant_b):
    small_catalogue(tenant_a.body)
    small_catalogue(tenant_b.body)
    record(tenant_a, "1650")
    record(tenant_b, "999")
    alpha, _ = get(signed_in(tenant_a.officer), "/performance/")
    beta, _ = get(signed_in(tenant_b.officer), "/performance/")
    a, b = escape(tenant_a.body.name), escape(tenant_b.body.name)
    assert a in alpha.content.decode() and b not in alpha.content.decode()
    assert b in beta.content.decode() and a not in beta.content.decode()
    # The same user in a new session computes the page again (its form tokens are the session's own).
    _, cold = get(signed_in(tenant_a.officer), "/performance/")
    _, warm_elsewhere = get(signed_in(tenant_a.officer), "/performance/")
    assert warm_elsewhere == cold


def test_a_page_with_a_message_waiting_is_computed_and_shows_it(tenant_a, rf):
    small_catalogue(tenant_a.body)
    record(tenant_a, "1650")
    officer = signed_in(tenant_a.officer)
    _, cold = get(officer, "/performance/")
    request = rf.get("/")
    storage = CookieStorage(request)
    storage.add(constants.SUCCESS, "Return accepted")
    response = signed_in(tenant_a.officer).get("/")  # any response to carry the cookie
    storage.update(response)
    officer.cookies["messages"] = response.cookies["messages"].value
    shown, queries = get(officer, "/performance/")
    assert queries >= cold - 1 and "Return accepted" in shown.content.decode()


def test_nothing_is_cached_when_the_cache_is_switched_off(tenant_a):
    small_catalogue(tenant_a.body)
    record(tenant_a, "1650")
    officer = signed_in(tenant_a.officer)
    with override_settings(TRUSTGOV_CACHE_SECONDS=0):
        _, first = get(officer, "/performance/")
        _, second = get(officer, "/performance/")
    assert second == first


def test_an_api_read_is_cached_per_token_and_a_revoked_token_is_refused_whatever_is_cached(tenant_a, tenant_b):
    kpis = small_catalogue(tenant_a.body)
    small_catalogue(tenant_b.body)
    record(tenant_a, "1650")
    url = f"/api/v1/performance/kpis/{kpis['CIN'].pk}/series/"
    key = token_for(tenant_a.officer)
    client = client_with(key)
    first, cold = get(client, url)
    again, warm = get(client, url)
    assert again.json() == first.json() and warm < cold
    assert "1650" in again.content.decode()
    # Another trust's officer: the KPI is not theirs, a 404 however it was cached for the first.
    other = client_with(token_for(tenant_b.officer))
    assert other.get(url).status_code == 404
    from trustgov.accounts.models import ApiToken

    api_token_revoke(token=ApiToken.objects.filter(user=tenant_a.officer).latest("pk"))
    assert client.get(url).status_code == 401


def test_a_request_waits_for_another_computing_the_same_key_rather_than_compute_it_twice(db, monkeypatch):
    from django.core.cache import cache

    assert versioned_cache.get_or_claim("k") is None  # nothing cached: this request computes it (and holds k)
    timer = threading.Timer(0.2, lambda: cache.set("k", "computed elsewhere"))
    timer.start()
    assert versioned_cache.get_or_claim("k") == "computed elsewhere"  # a second request waited for it
    timer.join()
    versioned_cache.release("k")
    # The one computing died without releasing: the waiting request computes it after the wait.
    monkeypatch.setattr(versioned_cache, "WAIT_SECONDS", 0.3)
    assert versioned_cache.get_or_claim("lost") is None
    assert versioned_cache.get_or_claim("lost") is None


def test_a_page_served_from_the_cache_carries_the_nonce_of_its_own_content_security_policy(tenant_a):
    kpis = small_catalogue(tenant_a.body)
    record(tenant_a, "1650")
    officer = signed_in(tenant_a.officer)
    url = f"/performance/kpis/{kpis['CIN'].pk}/"
    nonces = []
    for _ in range(2):
        response, _ = get(officer, url)
        header = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        in_page = set(re.findall(r'nonce="([^"]+)"', response.content.decode()))
        assert in_page == {header}, (in_page, header)  # every inline style names this response's nonce
        nonces.append(header)
    assert nonces[0] != nonces[1]  # a new nonce for the cached page, as for any response


def test_inside_a_national_read_the_version_comes_from_the_replica_as_the_figures_do(db, monkeypatch):
    from trustgov.core import replica

    assert versioned_cache.reading_database() == "default"
    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    with replica.reading_from_replica():
        assert versioned_cache.reading_database() == replica.REPLICA
    assert versioned_cache.reading_database() == "default"
