"""Who holds each named office, with frozen time: recording a holder ends the one before, escalation goes to
the holder (not to whoever's job title matches), and bad input names the field and saves nothing."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.factories import make_user
from trustgov.accounts.models import User
from trustgov.accounts.recipients import dcs_for
from trustgov.accounts.roles import Role
from trustgov.organisations import services
from trustgov.organisations.models import Council, OfficeHolding
from trustgov.organisations.selectors import office_holder

pytestmark = pytest.mark.django_db

DCS = OfficeHolding.Office.DCS


def on(day: date):
    return time_machine.travel(f"{day.isoformat()} 09:00 +0000", tick=False)


def _record(tenant, **data):
    fields = {"office": DCS, "holder_name": "Sam Director", "start_date": date(2026, 4, 1)}
    return services.office_holding_record(user=tenant.officer, council=tenant.council, **{**fields, **data})


def test_the_demo_has_the_papers_office_holders():
    sandwell = Council.objects.get(slug="sandwell")
    dcs = office_holder(office=DCS, council=sandwell)
    assert (dcs.holder_name, dcs.title_held) == ("Lesley Hagger", "Executive Director of Children's Services")
    assert dcs.user.username == "sandwell-dcs" and dcs.user.get_full_name() == "Lesley Hagger"
    lead = office_holder(office=OfficeHolding.Office.LEAD_MEMBER, council=sandwell)
    assert lead.holder_name == "Councillor Simon Hackett"
    assert lead.title_held == "Cabinet Member for Children's Services"
    trust = sandwell.delivery_bodies.get(slug="sandwell-trust")
    assert office_holder(office=OfficeHolding.Office.TRUST_CHAIR, delivery_body=trust).holder_name == (
        "Rt Hon Jacqui Smith"
    )


def test_escalation_to_the_dcs_reaches_the_office_holder_on_the_demo():
    """'Escalation to the DCS' found the DCS by job-title text; no demo user matched, so it went to the officer."""
    sandwell = Council.objects.get(slug="sandwell")
    assert [u.username for u in dcs_for(sandwell.pk)] == ["sandwell-dcs"]


def test_escalation_follows_the_holder_on_the_day_not_the_job_title(tenant_a):
    first = make_user(Role.COUNCIL_OFFICER, council=tenant_a.council, username="alpha-first", job_title="DCS")
    second = make_user(Role.COUNCIL_OFFICER, council=tenant_a.council, username="alpha-second", job_title="Manager")
    with on(date(2026, 6, 1)):
        # Nobody recorded: every officer, so nothing escalated is lost.
        assert set(dcs_for(tenant_a.council.pk)) == {tenant_a.officer, first, second}
        _record(tenant_a, holder_name="First Director", account=first, start_date=date(2026, 4, 1))
        _record(tenant_a, holder_name="Second Director", account=second, start_date=date(2026, 9, 1))
    with on(date(2026, 8, 31)):
        assert dcs_for(tenant_a.council.pk) == [first]
    with on(date(2026, 9, 1)):
        assert dcs_for(tenant_a.council.pk) == [second]
    previous = OfficeHolding.objects.get(holder_name="First Director")
    assert previous.end_date == date(2026, 8, 31)
    assert previous.history.first().history_change_reason == "Succeeded by Second Director from 1 September 2026"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"holder_name": "  "}, "holder_name"),
        ({"start_date": None}, "start_date"),
        ({"office": "mayor"}, "office"),
        ({"office": OfficeHolding.Office.TRUST_CHAIR}, "office"),  # a trust office needs the trust
        ({"start_date": date(2026, 4, 1)}, "start_date"),  # not after the current holder's start
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(tenant_a, data, field):
    with on(date(2026, 6, 1)):
        _record(tenant_a, holder_name="Current Director")
        before = OfficeHolding.objects.count()
        with pytest.raises(ValidationError) as exc:
            _record(tenant_a, **data)
    assert field in exc.value.message_dict
    assert OfficeHolding.objects.count() == before
    assert OfficeHolding.objects.get(holder_name="Current Director").end_date is None


def test_an_account_of_another_council_is_refused(tenant_a, tenant_b):
    with pytest.raises(ValidationError) as exc:
        _record(tenant_a, account=tenant_b.officer)
    assert "account" in exc.value.message_dict


@pytest.mark.parametrize("role", [Role.TRUST_EXECUTIVE, Role.SCRUTINY_MEMBER])
def test_only_officers_record_office_holders(tenant_a, role):
    with pytest.raises(PermissionDenied):
        services.office_holding_record(
            user=tenant_a.user(role), council=tenant_a.council, office=DCS, holder_name="X", start_date=date(2026, 1, 1)
        )


def test_an_officer_cannot_record_another_councils_offices(tenant_a, tenant_b):
    with pytest.raises(ValidationError):
        services.office_holding_record(
            user=tenant_a.officer, council=tenant_b.council, office=DCS, holder_name="X", start_date=date(2026, 1, 1)
        )


def test_the_offices_page_shows_holders_and_history(client, tenant_a, tenant_b):
    with on(date(2026, 10, 1)):
        _record(tenant_a, holder_name="First Director", start_date=date(2026, 4, 1))
        _record(tenant_a, holder_name="Second Director", start_date=date(2026, 9, 1))
        client.force_login(tenant_a.officer)
        page = client.get(reverse("organisations:office-list")).content.decode()
    assert "Second Director" in page and "First Director (1 Apr 2026 to 31 Aug 2026)" in page
    assert "Beta Council" not in page


def test_the_office_form_names_the_empty_field(client, tenant_a):
    with on(date(2026, 10, 1)):
        client.force_login(tenant_a.officer)
        response = client.post(reverse("organisations:office-create"), {"office": DCS, "holder_name": ""})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter the name of the office holder" in body and "Enter the date they hold the office from" in body
    assert not OfficeHolding.objects.filter(council=tenant_a.council).exists()
    assert User.objects.filter(username="alpha-officer").exists()


def test_each_owner_of_a_jointly_owned_trust_sees_its_office_holders_on_the_page(client, tenant_a, tenant_b):
    """Beta co-owns the trust Alpha leads: the trust's Chair, recorded by Alpha, is on both councils' offices pages;
    Alpha's own Director of Children's Services stays on Alpha's."""
    from datetime import date

    from trustgov.organisations.models import OfficeHolding, Ownership

    Ownership.objects.create(delivery_body=tenant_a.body, council=tenant_b.council, since=date(2021, 4, 1))
    OfficeHolding.objects.create(
        council=tenant_a.council, delivery_body=tenant_a.body, office="trust_chair", holder_name="Joan Jointchair"
    )
    OfficeHolding.objects.create(council=tenant_a.council, office="dcs", holder_name="Alan Alphadcs")
    pages = {}
    for officer in (tenant_a.officer, tenant_b.officer):
        client.force_login(officer)
        pages[officer] = client.get(reverse("organisations:office-list")).content.decode()
    assert "Joan Jointchair" in pages[tenant_a.officer] and "Joan Jointchair" in pages[tenant_b.officer]
    assert "Alan Alphadcs" in pages[tenant_a.officer] and "Alan Alphadcs" not in pages[tenant_b.officer]
