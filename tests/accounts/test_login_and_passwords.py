import re

import pytest
from django.core import mail
from django.test import override_settings

from trustgov.accounts.models import User

pytestmark = pytest.mark.django_db
DEMO_PASSWORD = "trustgov-demo-2026"


def test_sign_in_redirects_to_home(client):
    response = client.post("/accounts/login/", {"username": "sandwell-officer", "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"


def test_wrong_password_shows_a_govuk_error(client):
    response = client.post("/accounts/login/", {"username": "sandwell-officer", "password": "nope"})
    html = response.content.decode()
    assert response.status_code == 400  # a refused form is a 400 on every page
    assert "govuk-error-summary" in html
    assert "Enter a correct username and password" in html


def test_account_locks_after_repeated_failures(client):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "torbay-officer", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "torbay-officer", "password": DEMO_PASSWORD})
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    # Another account from the same place is not locked.
    ok = client.post("/accounts/login/", {"username": "sandwell-officer", "password": DEMO_PASSWORD})
    assert ok.status_code == 302


def test_password_change_validates_strength(client):
    user = User.objects.get(username="bradford-officer")
    client.force_login(user)
    weak = client.post(
        "/accounts/password-change/",
        {"old_password": DEMO_PASSWORD, "new_password1": "password1", "new_password2": "password1"},
    )
    assert weak.status_code == 400
    assert "This password is too short" in weak.content.decode()
    strong = "a-much-longer-passphrase-for-bradford"
    ok = client.post(
        "/accounts/password-change/",
        {"old_password": DEMO_PASSWORD, "new_password1": strong, "new_password2": strong},
    )
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.check_password(strong)


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_password_reset_by_email(client):
    client.post("/accounts/password-reset/", {"email": "doncaster-officer@demo.trustgov.local"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    assert "Set a new password" in form.content.decode()
    new = "a-fresh-and-long-passphrase-99"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert User.objects.get(username="doncaster-officer").check_password(new)


def test_session_cookie_is_httponly_and_lax(client, settings):
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_COOKIE_SAMESITE == "Lax"
    response = client.post("/accounts/login/", {"username": "sandwell-officer", "password": DEMO_PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
