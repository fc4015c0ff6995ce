"""Administration by the organisation itself: invitations, roles never above one's own, deactivation,
another organisation's users a 404, and every change in the user's history."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from trustgov.accounts import services
from trustgov.accounts.models import User
from trustgov.accounts.roles import ADMINISTER_USERS, Role, role_of
from trustgov.organisations.models import Council, DeliveryBody

pytestmark = pytest.mark.django_db
BASE = "https://trustgov.example.gov.uk/"
PASSWORD = "a-long-and-unusual-passphrase-42"


@pytest.fixture
def council_admin(tenant_a):
    tenant_a.officer.is_administrator = True
    tenant_a.officer.save()
    return tenant_a.officer


@pytest.fixture
def trust_admin(tenant_a):
    tenant_a.trust_exec.is_administrator = True
    tenant_a.trust_exec.save()
    return tenant_a.trust_exec


def invite(admin, organisation, role=Role.COUNCIL_OFFICER, email="new.officer@alpha.gov.uk", **kw):
    return services.user_invite(
        admin=admin, email=email, role=role, organisation=organisation, base_url=BASE, first_name="Ann", **kw
    )


def link_parts(link: str) -> tuple[str, str]:
    uidb64, token = link.rstrip("/").split("/")[-2:]
    return uidb64, token


def test_the_permission_is_granted_by_the_flag_not_by_the_role(tenant_a, council_admin):
    assert council_admin.has_perm(ADMINISTER_USERS)
    assert not User.objects.get(pk=tenant_a.scrutiny.pk).has_perm(ADMINISTER_USERS)
    scrutiny = tenant_a.scrutiny
    scrutiny.is_administrator = True  # scrutiny members never administer, flag or not
    scrutiny.save()
    assert not User.objects.get(pk=scrutiny.pk).has_perm(ADMINISTER_USERS)
    council_admin.is_active = False
    assert not council_admin.has_perm(ADMINISTER_USERS)


def test_an_invitation_creates_an_account_without_a_password_and_emails_a_link(tenant_a, council_admin):
    invitation = invite(council_admin, tenant_a.council)
    user = invitation.user
    assert user.username == user.email == "new.officer@alpha.gov.uk"
    assert role_of(User.objects.get(pk=user.pk)) == Role.COUNCIL_OFFICER
    assert user.council == tenant_a.council and not user.has_usable_password()
    assert len(mail.outbox) == 1 and invitation.link in mail.outbox[0].body
    assert invitation.link.startswith(BASE + "accounts/invitation/")
    first = user.history.earliest()
    assert first.history_user == council_admin and "Invited as Council officer" in first.history_change_reason


def test_the_link_sets_a_password_once(tenant_a, council_admin):
    invitation = invite(council_admin, tenant_a.council)
    uidb64, token = link_parts(invitation.link)
    services.invitation_accept(uidb64=uidb64, token=token, password=PASSWORD)
    assert User.objects.get(pk=invitation.user.pk).check_password(PASSWORD)
    with pytest.raises(services.ValidationError) as exc:
        services.invitation_accept(uidb64=uidb64, token=token, password="another-long-passphrase-99")
    assert "already been used" in exc.value.message_dict["token"][0]
    assert User.objects.get(pk=invitation.user.pk).check_password(PASSWORD)  # nothing changed


def test_an_expired_link_is_refused_and_saves_nothing(tenant_a, council_admin):
    with time_machine.travel(timezone.now() - timedelta(days=8), tick=False):
        invitation = invite(council_admin, tenant_a.council)
    uidb64, token = link_parts(invitation.link)
    with pytest.raises(services.ValidationError) as exc:
        services.invitation_accept(uidb64=uidb64, token=token, password=PASSWORD)
    assert "expired" in exc.value.message_dict["token"][0]
    assert not User.objects.get(pk=invitation.user.pk).has_usable_password()


def test_an_address_already_in_use_is_refused_naming_the_field(tenant_a, council_admin):
    before = User.objects.count()
    with pytest.raises(services.ValidationError) as exc:
        invite(council_admin, tenant_a.council, email=tenant_a.scrutiny.email.upper())
    assert "already in use" in exc.value.message_dict["email"][0]
    assert User.objects.count() == before and not mail.outbox


@pytest.mark.parametrize("role", [Role.COUNCIL_OFFICER, Role.SCRUTINY_MEMBER, Role.DFE_LIAISON])
def test_a_trust_administrator_gives_no_role_above_their_own(tenant_a, trust_admin, role):
    before = User.objects.count()
    with pytest.raises(services.ValidationError) as exc:
        invite(trust_admin, tenant_a.body, role=role)
    assert "role" in exc.value.message_dict
    assert User.objects.count() == before


def test_a_trust_administrator_invites_its_own_executives(tenant_a, trust_admin):
    user = invite(trust_admin, tenant_a.body, role=Role.TRUST_EXECUTIVE).user
    assert user.delivery_body == tenant_a.body


def test_a_council_administrator_invites_its_trusts_executives_but_not_into_the_council(tenant_a, council_admin):
    user = invite(council_admin, tenant_a.body, role=Role.TRUST_EXECUTIVE).user
    assert user.delivery_body == tenant_a.body
    with pytest.raises(services.ValidationError) as exc:
        invite(council_admin, tenant_a.council, role=Role.TRUST_EXECUTIVE, email="x@alpha.gov.uk")
    assert "organisation" in exc.value.message_dict


def test_another_organisations_council_or_users_are_refused(tenant_a, tenant_b, council_admin):
    with pytest.raises(services.ValidationError) as exc:
        invite(council_admin, tenant_b.council)
    assert "organisation" in exc.value.message_dict
    from django.http import Http404

    with pytest.raises(Http404):
        services.user_deactivate(admin=council_admin, user=tenant_b.officer)
    assert User.objects.get(pk=tenant_b.officer.pk).is_active


def test_the_dfe_administrates_dfe_users_only(tenant_a, dfe_user):
    dfe_user.is_administrator = True
    dfe_user.save()
    user = services.user_invite(
        admin=dfe_user, email="colleague@education.gov.uk", role=Role.DFE_LIAISON, organisation=None, base_url=BASE
    )
    assert user.user.is_dfe
    with pytest.raises(services.ValidationError):
        invite(dfe_user, tenant_a.council)


def test_deactivate_and_reactivate_are_in_history_and_revoke_tokens(tenant_a, council_admin):
    person = tenant_a.scrutiny
    services.api_token_issue(user=person, name="sync")
    services.user_deactivate(admin=council_admin, user=person)
    person.refresh_from_db()
    assert not person.is_active and not person.api_tokens.filter(revoked_at__isnull=True).exists()
    services.user_reactivate(admin=council_admin, user=person)
    assert User.objects.get(pk=person.pk).is_active
    reasons = list(person.history.order_by("history_date").values_list("history_change_reason", "history_user"))
    assert reasons[-2:] == [("Deactivated", council_admin.pk), ("Reactivated", council_admin.pk)]


def test_an_administrator_cannot_deactivate_themselves(council_admin):
    with pytest.raises(services.ValidationError):
        services.user_deactivate(admin=council_admin, user=council_admin)


def test_a_trust_administrator_cannot_touch_the_councils_officers(tenant_a, trust_admin):
    from django.http import Http404

    with pytest.raises(Http404):
        services.user_deactivate(admin=trust_admin, user=tenant_a.officer)


def test_a_role_change_is_recorded_with_the_old_and_new_role(tenant_a, council_admin):
    person = tenant_a.scrutiny
    services.user_update(
        admin=council_admin, user=person, role=Role.COUNCIL_OFFICER, organisation=tenant_a.council, job_title="Lead"
    )
    assert role_of(User.objects.get(pk=person.pk)) == Role.COUNCIL_OFFICER
    latest = person.history.latest()
    assert latest.history_change_reason == "Changed role Scrutiny member → Council officer"
    assert latest.history_user == council_admin


# --- pages ----------------------------------------------------------------------------------------


def test_pages_invite_and_show_the_user(client, tenant_a, council_admin):
    client.force_login(council_admin)
    response = client.post(
        "/accounts/users/invite/",
        {
            "email": "page.invite@alpha.gov.uk",
            "first_name": "Page",
            "last_name": "Invite",
            "job_title": "Analyst",
            "role": Role.SCRUTINY_MEMBER.slug,
            "organisation": f"council:{tenant_a.council.slug}",
        },
    )
    assert response.status_code == 302
    User.objects.get(email="page.invite@alpha.gov.uk")
    page = client.get(response["Location"]).content.decode()
    assert "Scrutiny member" in page and "Invited" in page and "Administrator" in page


def test_the_invite_page_names_the_field_and_saves_nothing(client, tenant_a, council_admin):
    client.force_login(council_admin)
    before = User.objects.count()
    response = client.post(
        "/accounts/users/invite/",
        {
            "email": tenant_a.scrutiny.email,
            "first_name": "A",
            "last_name": "B",
            "role": Role.SCRUTINY_MEMBER.slug,
            "organisation": f"council:{tenant_a.council.slug}",
        },
    )
    assert response.status_code == 400
    assert "already in use" in response.content.decode()
    assert User.objects.count() == before


def test_a_role_above_ones_own_is_not_offered_and_refused(client, tenant_a, trust_admin):
    client.force_login(trust_admin)
    page = client.get("/accounts/users/invite/").content.decode()
    assert "council-officer" not in page
    response = client.post(
        "/accounts/users/invite/",
        {
            "email": "sneaky@alpha.gov.uk",
            "first_name": "A",
            "last_name": "B",
            "role": Role.COUNCIL_OFFICER.slug,
            "organisation": f"body:{tenant_a.body.slug}",
        },
    )
    assert response.status_code == 400
    assert not User.objects.filter(email="sneaky@alpha.gov.uk").exists()


def test_another_organisations_user_page_is_404(client, tenant_a, tenant_b, council_admin):
    client.force_login(council_admin)
    assert client.get(f"/accounts/users/{tenant_b.officer.pk}/").status_code == 404
    assert client.post(f"/accounts/users/{tenant_b.officer.pk}/deactivate/").status_code == 404
    assert client.get(f"/accounts/users/{tenant_a.trust_exec.pk}/").status_code == 200


def test_a_user_who_is_not_an_administrator_gets_403(client, tenant_a):
    client.force_login(tenant_a.officer)
    assert client.get("/accounts/users/").status_code == 403


def test_a_used_or_broken_link_page_says_so(client, tenant_a, council_admin):
    invitation = invite(council_admin, tenant_a.council)
    path = invitation.link.removeprefix(BASE.rstrip("/"))
    response = client.post(path, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302
    again = client.post(path, {"new_password1": PASSWORD + "x", "new_password2": PASSWORD + "x"})
    assert again.status_code == 400 and "already been used" in again.content.decode()
    broken = client.get("/accounts/invitation/OTk5OTk5/bad-token/")  # no such user
    assert "not valid" in broken.content.decode()


def test_demo_administrators(demo_user):
    for username in ("sandwell-officer", "sandwell-trust-exec", "torbay-partnership-exec", "dfe-liaison"):
        assert demo_user(username).has_perm(ADMINISTER_USERS), username
    assert not demo_user("sandwell-scrutiny").has_perm(ADMINISTER_USERS)
    assert Council.objects.get(slug="sandwell").la_code == "333"
    assert DeliveryBody.objects.filter(council__slug="sandwell").exists()
