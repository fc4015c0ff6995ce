import io

import pytest
from django.core.management import CommandError, call_command

from trustgov.accounts.models import User
from trustgov.accounts.roles import Role, role_of

pytestmark = pytest.mark.django_db
GOOD_PASSWORD = "a-long-and-unusual-passphrase-42"


def run(*args, password=GOOD_PASSWORD, monkeypatch=None):
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    out = io.StringIO()
    call_command("add_user", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("role", "org", "attr"),
    [
        ("council-officer", "sandwell", "council"),
        ("scrutiny-member", "torbay", "council"),
        ("trust-executive", "doncaster-trust", "delivery_body"),
        ("dfe-liaison", None, None),
    ],
)
def test_creates_a_user_in_each_role(monkeypatch, role, org, attr):
    args = ["newuser", "--role", role, "--email", "new@example.gov.uk", "--password-stdin"]
    if org:
        args += ["--organisation", org]
    out = run(*args, monkeypatch=monkeypatch)
    user = User.objects.get(username="newuser")
    assert "Created newuser" in out
    assert role_of(user) == Role.from_slug(role)
    assert user.check_password(GOOD_PASSWORD)
    if attr:
        assert getattr(user, attr).slug == org
    else:
        assert user.is_dfe and user.council is None and user.delivery_body is None


def test_unknown_role_is_refused(monkeypatch):
    with pytest.raises(CommandError, match="invalid choice: 'mayor'"):
        run("x", "--role", "mayor", "--email", "x@example.gov.uk", "--password-stdin", monkeypatch=monkeypatch)


def test_unknown_organisation_is_refused(monkeypatch):
    with pytest.raises(CommandError, match="No council with slug 'atlantis'"):
        run(
            "x",
            "--role",
            "council-officer",
            "--organisation",
            "atlantis",
            "--email",
            "x@e.uk",
            "--password-stdin",
            monkeypatch=monkeypatch,
        )
    assert not User.objects.filter(username="x").exists()


def test_trust_role_needs_a_trust(monkeypatch):
    with pytest.raises(CommandError, match="must belong to a trust"):
        run("x", "--role", "trust-executive", "--email", "x@e.uk", "--password-stdin", monkeypatch=monkeypatch)
    with pytest.raises(CommandError, match="No trust or delivery body with slug 'sandwell'"):
        run(
            "x",
            "--role",
            "trust-executive",
            "--organisation",
            "sandwell",
            "--email",
            "x@e.uk",
            "--password-stdin",
            monkeypatch=monkeypatch,
        )


def test_weak_password_is_refused_and_nothing_saved(monkeypatch):
    with pytest.raises(CommandError, match="password"):
        run(
            "x",
            "--role",
            "dfe-liaison",
            "--email",
            "x@e.uk",
            "--password-stdin",
            password="password",
            monkeypatch=monkeypatch,
        )
    assert not User.objects.filter(username="x").exists()


def test_duplicate_username_is_refused(monkeypatch):
    with pytest.raises(CommandError, match="already exists"):
        run(
            "sandwell-officer",
            "--role",
            "dfe-liaison",
            "--email",
            "x@e.uk",
            "--password-stdin",
            monkeypatch=monkeypatch,
        )


def test_password_must_come_from_stdin(monkeypatch):
    with pytest.raises(CommandError, match="--password-stdin"):
        run("x", "--role", "dfe-liaison", "--email", "x@e.uk", monkeypatch=monkeypatch)
