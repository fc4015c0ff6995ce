"""Tokens: each role's read and write scope, expiry and revocation, throttling per token."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from trustgov.accounts.models import ApiToken, User
from trustgov.accounts.services import api_token_issue
from trustgov.organisations.models import Direction

from .helpers import assert_problem, client_with, token_for
from .test_conventions import NEW_DIRECTION

pytestmark = pytest.mark.django_db

ROLE_USERS = ["sandwell-officer", "sandwell-trust-exec", "sandwell-scrutiny", "dfe-liaison"]


@pytest.mark.parametrize("username", ROLE_USERS)
def test_every_role_reads_with_a_read_token_within_its_scope(username):
    c = client_with(token_for(username))
    councils = c.get("/api/v1/councils/").json()["results"]
    if username == "dfe-liaison":
        assert len(councils) >= 5
    else:
        assert [x["slug"] for x in councils] == ["sandwell"]
        assert_problem(c.get("/api/v1/councils/torbay/"), 404)
    assert c.get("/api/v1/api-tokens/").status_code == 200


@pytest.mark.urls("tests.api.urls_for_tests")
@pytest.mark.parametrize("username", ROLE_USERS)
def test_no_role_may_write_what_its_role_does_not_grant_even_with_a_write_token(username):
    before = Direction.objects.count()
    response = client_with(token_for(username, scope="write")).post(
        "/api/v1/test-directions/", NEW_DIRECTION, format="json"
    )
    assert_problem(response, 403)
    assert Direction.objects.count() == before


@pytest.mark.urls("tests.api.urls_for_tests")
def test_a_read_token_cannot_write_even_for_a_user_who_may():
    admin = User.objects.create_superuser("api-admin", "admin@example.org", "a-long-admin-password-1")
    before = Direction.objects.count()
    body = assert_problem(
        client_with(token_for(admin)).post("/api/v1/test-directions/", NEW_DIRECTION, format="json"), 403
    )
    assert "read-only" in body["detail"]
    assert Direction.objects.count() == before
    write = client_with(token_for(admin, scope="write"))
    assert write.post("/api/v1/test-directions/", NEW_DIRECTION, format="json").status_code == 201


def test_a_read_token_cannot_revoke_and_nobody_revokes_a_colleagues_token():
    officer = User.objects.get(username="sandwell-officer")
    colleague = api_token_issue(user=User.objects.get(username="sandwell-trust-exec"), name="trust sync").token
    own = api_token_issue(user=officer, name="own").token
    read = client_with(token_for(officer))
    assert "read-only" in assert_problem(read.post(f"/api/v1/api-tokens/{own.pk}/revoke/"), 403)["detail"]
    write = client_with(token_for(officer, scope="write"))
    # The officer sees the trust executive's token (same council) but may not revoke it.
    assert write.get(f"/api/v1/api-tokens/{colleague.pk}/").status_code == 200
    assert_problem(write.post(f"/api/v1/api-tokens/{colleague.pk}/revoke/"), 403)
    colleague.refresh_from_db()
    own.refresh_from_db()
    assert colleague.revoked_at is None and own.revoked_at is None


def test_officers_see_their_organisations_tokens_others_only_their_own():
    exec_token = api_token_issue(user=User.objects.get(username="sandwell-trust-exec"), name="exec").token
    torbay = api_token_issue(user=User.objects.get(username="torbay-officer"), name="torbay").token
    officer_sees = {
        t["id"] for t in client_with(token_for("sandwell-officer")).get("/api/v1/api-tokens/").json()["results"]
    }
    assert exec_token.pk in officer_sees and torbay.pk not in officer_sees
    scrutiny_sees = {
        t["user"] for t in client_with(token_for("sandwell-scrutiny")).get("/api/v1/api-tokens/").json()["results"]
    }
    assert scrutiny_sees == {"sandwell-scrutiny"}
    assert_problem(client_with(token_for("sandwell-officer")).get(f"/api/v1/api-tokens/{torbay.pk}/"), 404)


def test_a_token_works_until_it_expires_and_not_after():
    key = token_for("dfe-liaison", days=2)
    c = client_with(key)
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert c.get("/api/v1/councils/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=2, minutes=1)):
        body = assert_problem(c.get("/api/v1/councils/"), 401)
    assert body["detail"] == "Token has expired."


def test_a_revoked_token_stops_working_at_once():
    issued = api_token_issue(user=User.objects.get(username="dfe-liaison"), name="t", scope="write")
    c = client_with(issued.key)
    assert c.get("/api/v1/councils/").status_code == 200
    assert c.post(f"/api/v1/api-tokens/{issued.token.pk}/revoke/").status_code == 200
    assert assert_problem(c.get("/api/v1/councils/"), 401)["detail"] == "Token has been revoked."


def test_an_inactive_users_token_is_refused():
    user = User.objects.get(username="sandwell-scrutiny")
    key = token_for(user)
    user.is_active = False
    user.save()
    assert_problem(client_with(key).get("/api/v1/councils/"), 401)


@pytest.mark.parametrize("header", ["Token", "Token a b", "Bearer abc", "Token " + "x" * 500])
def test_malformed_authorization_headers_are_401_problems(header):
    from rest_framework.test import APIClient

    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=header)
    response = c.get("/api/v1/councils/")
    assert response.status_code in (401, 403)
    assert response["Content-Type"] == "application/problem+json"


def test_tokens_are_stored_hashed_only():
    issued = api_token_issue(user=User.objects.get(username="dfe-liaison"), name="t")
    stored = ApiToken.objects.filter(pk=issued.token.pk).values().get()
    assert issued.key not in {str(v) for v in stored.values()}


@pytest.fixture
def low_rate(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "3/minute"}}
    cache.clear()
    yield
    cache.clear()


def test_throttling_is_per_token(low_rate):
    user = User.objects.get(username="dfe-liaison")
    first, second = client_with(token_for(user)), client_with(token_for(user))
    for _ in range(3):
        assert first.get("/api/v1/councils/").status_code == 200
    throttled = first.get("/api/v1/councils/")
    body = assert_problem(throttled, 429)
    assert int(throttled["Retry-After"]) > 0 and "throttled" in body["type"]
    # The same user's other token has its own budget.
    assert second.get("/api/v1/councils/").status_code == 200
    # And the budget comes back after the window.
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        assert first.get("/api/v1/councils/").status_code == 200
