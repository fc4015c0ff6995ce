"""API base: hashed expiring revocable tokens, deny by default, tenancy scoping, problem details."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from trustgov.accounts.models import ApiToken, User, hash_token_key
from trustgov.accounts.services import api_token_issue, api_token_revoke

pytestmark = pytest.mark.django_db


def client_with(key: str) -> APIClient:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return c


def token_for(username: str, **kw) -> str:
    return api_token_issue(user=User.objects.get(username=username), name="test", **kw).key


def test_issue_api_token_prints_a_key_once_and_stores_only_its_hash():
    out, err = io.StringIO(), io.StringIO()
    call_command("issue_api_token", "dfe-liaison", stdout=out, stderr=err)
    key = out.getvalue().strip()
    token = ApiToken.objects.get(prefix=key[:8])
    assert token.key_hash == hash_token_key(key) and key not in token.key_hash
    assert "shown only this once" in err.getvalue()
    assert client_with(key).get("/api/v1/councils/").status_code == 200


def test_unknown_user_for_token_is_a_clear_error():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No user called 'ghost'"):
        call_command("issue_api_token", "ghost")


def test_anonymous_and_bad_tokens_get_401_problem_details():
    for c in (APIClient(), client_with("not-a-real-token")):
        response = c.get("/api/v1/councils/")
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
        body = response.json()
        assert body["status"] == 401 and body["title"] and body["detail"]


def test_expired_token_is_refused():
    key = token_for("dfe-liaison", days=1)
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        response = client_with(key).get("/api/v1/councils/")
    assert response.status_code == 401
    assert response.json()["detail"] == "Token has expired."


def test_revoked_token_is_refused():
    issued = api_token_issue(user=User.objects.get(username="dfe-liaison"), name="t")
    api_token_revoke(token=issued.token)
    response = client_with(issued.key).get("/api/v1/councils/")
    assert response.status_code == 401
    assert response.json()["detail"] == "Token has been revoked."


def test_dfe_sees_every_council_and_officer_only_their_own():
    dfe = client_with(token_for("dfe-liaison")).get("/api/v1/councils/").json()
    assert {c["slug"] for c in dfe["results"]} >= {"sandwell", "west-sussex", "bradford", "doncaster", "torbay"}
    officer = client_with(token_for("sandwell-officer")).get("/api/v1/councils/").json()
    assert [c["slug"] for c in officer["results"]] == ["sandwell"]


def test_trust_executive_sees_own_trust_and_its_council_only():
    c = client_with(token_for("doncaster-trust-exec"))
    assert [b["slug"] for b in c.get("/api/v1/delivery-bodies/").json()["results"]] == ["doncaster-trust"]
    assert [b["slug"] for b in c.get("/api/v1/councils/").json()["results"]] == ["doncaster"]
    directions = c.get("/api/v1/directions/").json()["results"]
    assert directions and {d["council"] for d in directions} == {"doncaster"}


def test_other_tenants_record_is_404():
    c = client_with(token_for("sandwell-officer"))
    assert c.get("/api/v1/councils/sandwell/").status_code == 200
    response = c.get("/api/v1/councils/torbay/")
    assert response.status_code == 404
    assert response.json()["status"] == 404
    assert c.get("/api/v1/delivery-bodies/torbay-partnership/").status_code == 404


def test_read_endpoints_are_paginated():
    body = client_with(token_for("dfe-liaison")).get("/api/v1/directions/?page_size=2").json()
    assert body["count"] == 6 and len(body["results"]) == 2 and body["next"]


def test_writes_are_refused_on_read_only_endpoints():
    from trustgov.organisations.models import Council

    c = client_with(token_for("dfe-liaison", scope="write"))
    response = c.post("/api/v1/councils/", {"slug": "x", "name": "X"}, format="json")
    # No role may add a council through the API: permission is checked first.
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert not Council.objects.filter(slug="x").exists()


def test_unknown_api_url_is_json_404():
    response = client_with(token_for("dfe-liaison")).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_user_without_a_role_is_denied():
    user = User.objects.create_user("norole", password="x-long-password-123")
    key = api_token_issue(user=user, name="t").key
    assert client_with(key).get("/api/v1/councils/").status_code == 403


def test_token_list_shows_own_tokens_without_keys_and_can_revoke():
    issued = api_token_issue(user=User.objects.get(username="torbay-officer"), name="mine", scope="write")
    c = client_with(issued.key)
    listed = c.get("/api/v1/api-tokens/").json()["results"]
    assert [t["name"] for t in listed] == ["mine"]
    assert "key" not in listed[0] and "key_hash" not in listed[0]
    assert c.post(f"/api/v1/api-tokens/{issued.token.pk}/revoke/").status_code == 200
    assert c.get("/api/v1/api-tokens/").status_code == 401


def test_schema_is_openapi_3():
    response = APIClient().get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/councils/" in schema["paths"]
