"""The cycle follows the contract: no cycle for a contract that is not live, recurring meetings on the
obligation's own day ("last Tuesday of the month"), and minutes approved only at a meeting that was held."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contracts import services as contract_services
from contracts.models import Contract, Obligation
from meetings import services
from meetings.models import BodyKind, Meeting, Minutes
from trustgov.core.dates import day_by_rule, parse_day_rule

from .factories import ContractFactory, MeetingFactory, ObligationFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)
K, R = Obligation.Kind, Obligation.Recurrence


@pytest.mark.parametrize(
    "status", [Contract.Status.TERMINATED, Contract.Status.EXPIRED, Contract.Status.IN_NOTICE, Contract.Status.SIGNED]
)
def test_no_cycle_for_a_contract_that_is_not_live(tenant_a, status):
    """The cycle was generated for a terminated contract."""
    contract = ContractFactory(delivery_body=tenant_a.body, status=status)
    ObligationFactory(contract=contract, kind=K.PERFORMANCE_MEETING, recurrence=R.MONTHLY)
    with pytest.raises(ValidationError) as exc:
        services.cycle_generate(contract=contract, start=date(2027, 1, 1), user=tenant_a.officer, today=TODAY)
    assert "only for a live contract" in exc.value.message_dict["contract"][0]
    assert not Meeting.objects.filter(council=tenant_a.council).exists()


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("last Tuesday of the month", (-1, 1)),
        ("second Wednesday", (2, 2)),
        ("1st Monday of each month", (1, 0)),
        ("the fourth Fridays", (4, 4)),
    ],
)
def test_day_rules_read_as_the_contract_writes_them(text, rule):
    assert parse_day_rule(text) == rule


@pytest.mark.parametrize(
    ("year", "month", "rule", "expected"),
    [
        (2027, 8, (-1, 1), date(2027, 8, 31)),  # the month's last day is itself a Tuesday
        (2027, 9, (-1, 1), date(2027, 9, 28)),
        (2027, 6, (1, 1), date(2027, 6, 1)),  # the month's first day is a Tuesday
        (2027, 6, (2, 2), date(2027, 6, 9)),
    ],
)
def test_day_by_rule_boundaries(year, month, rule, expected):
    assert day_by_rule(year, month, *rule) == expected


def test_recurring_meetings_fall_on_the_obligations_own_day(tenant_a):
    """Recurring meetings fell on fixed weekday slots, not the obligation's date."""
    contract = ContractFactory(delivery_body=tenant_a.body)
    ObligationFactory(
        contract=contract, kind=K.PERFORMANCE_MEETING, recurrence=R.MONTHLY, meeting_day="last Tuesday of the month"
    )
    created = services.cycle_generate(contract=contract, start=date(2027, 1, 1), today=TODAY)
    days = sorted(m.date for m in created if m.body_kind == BodyKind.PERFORMANCE_MEETING)
    assert days[:3] == [date(2027, 1, 26), date(2027, 2, 23), date(2027, 3, 30)]
    assert date(2027, 8, 31) in days and len(days) == 12
    # The last Tuesday of December 2027 is a bank holiday (28 December): the next working day.
    assert date(2027, 12, 29) in days


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"meeting_day": "every other Tuesday", "recurrence": R.MONTHLY}, "for example 'last Tuesday'"),
        ({"meeting_day": "last Tuesday", "recurrence": R.ONCE}, "Only a recurring obligation"),
    ],
)
def test_a_day_rule_that_cannot_be_read_names_the_field_and_saves_nothing(tenant_a, data, message):
    contract = ContractFactory(delivery_body=tenant_a.body)
    with pytest.raises(ValidationError) as exc:
        contract_services.obligation_create(
            contract=contract,
            user=tenant_a.officer,
            kind=K.PERFORMANCE_MEETING,
            title="Performance meeting",
            owner="DCS",
            **data,
        )
    assert message in exc.value.message_dict["meeting_day"][0]
    assert not contract.obligations.exists()


def test_minutes_cannot_be_approved_at_a_meeting_not_yet_held(client, tenant_a):
    """Minutes could be approved at a meeting that had not yet been held."""
    kw = {"council": tenant_a.council, "delivery_body": tenant_a.body, "body_kind": BodyKind.SCRUTINY_COMMITTEE}
    july = MeetingFactory(date=date(2022, 7, 14), title="Scrutiny July", status=Meeting.Status.HELD, **kw)
    upcoming = MeetingFactory(date=date(2099, 1, 8), title="Scrutiny January 2099", **kw)
    minutes = services.minutes_save_draft(meeting=july, user=tenant_a.officer, text="The Committee met.")
    with pytest.raises(ValidationError) as exc:
        services.minutes_approve(minutes=minutes, approving_meeting=upcoming, user=tenant_a.officer)
    assert "has not taken place yet" in exc.value.message_dict["approving_meeting"][0]
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT and minutes.approved_at is None
    # The web form does not offer it either.
    client.force_login(tenant_a.officer)
    response = client.post(reverse("meetings:minutes-approve", args=[july.pk]), {"approving_meeting": upcoming.pk})
    assert response.status_code == 400
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT
