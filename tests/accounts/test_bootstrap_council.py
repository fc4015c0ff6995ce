import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from trustgov.accounts import services
from trustgov.accounts.models import User
from trustgov.accounts.roles import ADMINISTER_USERS, Role, role_of
from trustgov.organisations.models import Council

pytestmark = pytest.mark.django_db
ARGS = ["--name", "Northshire Council", "--la-code", "999", "--gss-code", "E06000999"]


def run(*args):
    out = io.StringIO()
    call_command("bootstrap_council", *args, "--base-url", "https://tg.example.gov.uk", stdout=out)
    return out.getvalue()


def test_creates_the_council_and_its_first_administrator_and_prints_the_link():
    out = run(*ARGS, "--admin-email", "Admin@Northshire.gov.uk")
    council = Council.objects.get(slug="northshire")
    assert (council.la_code, council.gss_code) == ("999", "E06000999")
    admin = User.objects.get(username="admin@northshire.gov.uk")
    assert admin.council == council and role_of(admin) == Role.COUNCIL_OFFICER and admin.is_administrator
    link = out.strip().splitlines()[-1]
    assert link.startswith("https://tg.example.gov.uk/accounts/invitation/") and link in mail.outbox[-1].body
    uidb64, token = link.rstrip("/").split("/")[-2:]
    services.invitation_accept(uidb64=uidb64, token=token, password="a-long-and-unusual-passphrase-42")
    admin = User.objects.get(pk=admin.pk)
    assert admin.has_perm(ADMINISTER_USERS)
    # The new administrator invites a colleague into their own council.
    colleague = services.user_invite(
        admin=admin, email="c@northshire.gov.uk", role=Role.SCRUTINY_MEMBER, organisation=council, base_url="x"
    )
    assert colleague.user.council == council


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        (["--admin-email", "sandwell-officer@demo.trustgov.local"], "admin_email"),
        (["--admin-email", "a@b.gov.uk", "--slug", "sandwell"], "slug"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(extra, field):
    before = (Council.objects.count(), User.objects.count())
    with pytest.raises(CommandError, match=field):
        run(*ARGS, *extra)
    assert (Council.objects.count(), User.objects.count()) == before


def test_a_la_code_already_used_is_refused():
    with pytest.raises(CommandError, match="la_code"):
        run("--name", "Another", "--la-code", "333", "--gss-code", "E06000998", "--admin-email", "z@z.gov.uk")
