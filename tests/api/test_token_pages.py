"""The API tokens page: own tokens for everyone, the organisation's tokens for council officers."""

import pytest
from django.urls import reverse

from trustgov.accounts.models import ApiToken, User
from trustgov.accounts.services import api_token_issue

pytestmark = pytest.mark.django_db


def test_officer_sees_own_and_organisation_tokens_but_not_other_councils(client):
    officer = User.objects.get(username="sandwell-officer")
    api_token_issue(user=officer, name="Officer sync")
    api_token_issue(user=User.objects.get(username="sandwell-trust-exec"), name="Trust case system")
    api_token_issue(user=User.objects.get(username="torbay-officer"), name="Torbay secret system")
    client.force_login(officer)
    html = client.get(reverse("api-token-list")).content.decode()
    assert "Officer sync" in html and "Trust case system" in html
    assert "Torbay secret system" not in html
    assert "Tokens held by others in" in html


def test_trust_executive_sees_only_their_own_tokens(client):
    api_token_issue(user=User.objects.get(username="sandwell-officer"), name="Officer sync")
    api_token_issue(user=User.objects.get(username="sandwell-trust-exec"), name="Trust case system")
    client.force_login(User.objects.get(username="sandwell-trust-exec"))
    html = client.get(reverse("api-token-list")).content.decode()
    assert "Trust case system" in html and "Officer sync" not in html
    assert "Tokens held by others" not in html


def test_create_shows_the_key_once_and_stores_its_hash(client):
    user = User.objects.get(username="dfe-liaison")
    client.force_login(user)
    response = client.post(reverse("api-token-create"), {"name": "Case system", "scope": "write", "days": "30"})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=user, name="Case system")
    assert token.scope == "write"
    key = response.context["issued"].key
    assert key in response.content.decode() and key not in token.key_hash
    assert key not in client.get(reverse("api-token-list")).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "scope": "read", "days": "30"}, "Enter a name for the token"),
        ({"name": "x", "scope": "read", "days": "0"}, "Days until it expires must be at least 1"),
        ({"name": "x", "scope": "read", "days": "400"}, "Days until it expires must be 366 or fewer"),
        ({"name": "x", "scope": "admin", "days": "30"}, "Select a valid choice"),
    ],
)
def test_create_with_bad_input_shows_errors_and_stores_nothing(client, data, message):
    user = User.objects.get(username="dfe-liaison")
    client.force_login(user)
    before = ApiToken.objects.count()
    response = client.post(reverse("api-token-create"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ApiToken.objects.count() == before


def test_revoke_own_token_and_history_records_who(client):
    officer = User.objects.get(username="sandwell-officer")
    token = api_token_issue(user=officer, name="to revoke").token
    client.force_login(officer)
    response = client.post(reverse("api-token-revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.history.order_by("-history_date").first().history_user == officer


def test_an_officer_cannot_revoke_a_colleagues_token(client):
    colleague = api_token_issue(user=User.objects.get(username="sandwell-trust-exec"), name="theirs").token
    client.force_login(User.objects.get(username="sandwell-officer"))
    assert client.post(reverse("api-token-revoke", args=[colleague.pk])).status_code == 404
    colleague.refresh_from_db()
    assert colleague.revoked_at is None
