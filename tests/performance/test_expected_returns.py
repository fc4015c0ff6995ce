"""Expected returns: every month of a live contract, started or not; due, late, overdue; reminders, homes."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from meetings.models import Reminder
from meetings.reminders import send_due_reminders
from performance import expected as exp
from performance.models import MonthlyReturn
from performance.services import return_due_date
from tests.contracts.factories import ContractFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(tenant_a):
    # Go-live 1 April 2026 with a three-month grace period: July 2026 is the first return expected.
    return ContractFactory(
        council=tenant_a.council,
        delivery_body=tenant_a.body,
        status="live",
        start_date=date(2026, 4, 1),
        end_date=date(2031, 3, 31),
        kpi_grace_months=3,
        return_due_working_days=10,
    )


def kinds(user) -> set[str]:
    return set(Reminder.objects.filter(recipient=user).values_list("kind", flat=True))


def test_every_month_from_go_live_plus_grace_is_expected_started_or_not(tenant_a, contract):
    rows = exp.expected_returns_for(tenant_a.officer, today=date(2026, 12, 1))
    assert [e.period for e in rows] == [date(2026, m, 1) for m in (7, 8, 9, 10, 11)]
    assert {e.state for e in rows} == {exp.NOT_STARTED}
    assert rows[-1].due_date == date(2026, 12, 14)  # 10 working days after 30 November


def test_nothing_is_expected_before_the_grace_period_ends(tenant_a, contract):
    assert exp.expected_returns_for(tenant_a.officer, today=date(2026, 7, 31)) == []
    assert [e.period for e in exp.expected_returns_for(tenant_a.officer, today=date(2026, 8, 1))] == [date(2026, 7, 1)]


def test_no_expectation_past_the_contract_end_or_without_a_live_contract(tenant_a, contract):
    contract.end_date = date(2026, 9, 30)
    contract.save()
    assert exp.expected_returns_for(tenant_a.officer, today=date(2027, 3, 1))[-1].period == date(2026, 9, 1)
    contract.status = "terminated"
    contract.save()
    assert exp.expected_returns_for(tenant_a.officer, today=date(2027, 3, 1)) == []


def test_a_draft_is_the_trusts_own_the_council_sees_not_started(tenant_a, contract):
    MonthlyReturn.objects.create(delivery_body=tenant_a.body, period=date(2026, 11, 1), due_date=date(2026, 12, 14))
    trust = exp.return_now_due(tenant_a.trust_exec, today=date(2026, 12, 1))
    assert (trust.label, trust.state) == ("November 2026 return", "draft")
    officer = exp.return_now_due(tenant_a.officer, today=date(2026, 12, 1))
    assert officer.state == exp.NOT_STARTED


@pytest.mark.parametrize(
    ("today", "stage"),
    [
        (date(2026, 12, 8), exp.NOT_DUE),  # four working days before 14 December
        (date(2026, 12, 9), exp.DUE),  # three working days before
        (date(2026, 12, 14), exp.DUE),  # the due date itself
        (date(2026, 12, 15), exp.LATE),
        (date(2026, 12, 30), exp.LATE),  # ten working days late (25 and 28 December are bank holidays)
        (date(2026, 12, 31), exp.OVERDUE),  # the eleventh working day late
    ],
)
def test_stages_at_their_working_day_boundaries(tenant_a, contract, today, stage):
    assert return_due_date(delivery_body=tenant_a.body, period=date(2026, 11, 1)) == date(2026, 12, 14)
    november = [e for e in exp.expected_returns_for(tenant_a.officer, today=today) if e.period.month == 11][0]
    assert november.stage == stage


def run_on(day: date) -> int:
    with time_machine.travel(f"{day.isoformat()} 08:00 +0000", tick=False):
        return send_due_reminders()


def test_a_return_nobody_started_is_reminded_then_late_then_escalated_and_never_twice(tenant_a, contract):
    # Only November is in the reminder window on 9 December (earlier months are past the lookback).
    run_on(date(2026, 12, 8))
    assert "return_due" not in {
        r.kind for r in Reminder.objects.filter(recipient=tenant_a.trust_exec, subject_key__endswith=":2026-11")
    }
    run_on(date(2026, 12, 9))
    november = Reminder.objects.filter(subject_key=f"performance.expectedreturn:{tenant_a.body.pk}:2026-11")
    assert set(november.filter(recipient=tenant_a.trust_exec).values_list("kind", flat=True)) == {"return_due"}
    assert not november.filter(recipient=tenant_a.officer).exists()
    run_on(date(2026, 12, 15))
    assert set(november.filter(recipient=tenant_a.officer).values_list("kind", flat=True)) == {"return_late"}
    run_on(date(2026, 12, 30))
    assert "return_overdue" not in set(november.values_list("kind", flat=True))
    run_on(date(2026, 12, 31))
    assert {"return_overdue", "return_overdue_escalation"} <= set(
        november.filter(recipient=tenant_a.officer).values_list("kind", flat=True)
    )
    count = november.count()
    run_on(date(2026, 12, 31))
    assert november.count() == count


def test_a_submitted_return_is_no_longer_reminded(tenant_a, contract):
    MonthlyReturn.objects.create(
        delivery_body=tenant_a.body, period=date(2026, 11, 1), due_date=date(2026, 12, 14), status="submitted"
    )
    run_on(date(2026, 12, 15))
    assert not Reminder.objects.filter(subject_key__endswith=":2026-11", recipient=tenant_a.trust_exec).exists()


def test_trust_home_leads_with_the_return_now_due(client, tenant_a, contract):
    client.force_login(tenant_a.trust_exec)
    with time_machine.travel("2026-12-01 09:00 +0000", tick=False):
        page = client.get(reverse("home")).content.decode()
    assert "November 2026 return — due 14 December 2026" in page
    assert page.index("November 2026 return — due") < page.index("What needs my attention")
    assert "Start the November 2026 return" in page


def test_officer_home_lists_returns_not_received_oldest_first(client, tenant_a, contract):
    client.force_login(tenant_a.officer)
    with time_machine.travel("2026-12-01 09:00 +0000", tick=False):
        page = client.get(reverse("home")).content.decode()
    assert "4 returns, July 2026 to October 2026" in page  # November is not due yet
    assert "Overdue" in page


def test_a_council_that_adopts_trustgov_mid_contract_is_chased_only_from_that_month(tenant_a, contract):
    # Go-live plus grace is July 2026; the council starts holding returns in TrustGov from October.
    contract.returns_expected_from = date(2026, 10, 1)
    contract.save()
    rows = exp.expected_returns_for(tenant_a.officer, today=date(2026, 12, 1))
    assert [e.period for e in rows] == [date(2026, 10, 1), date(2026, 11, 1)]
    # Before that month has ended nothing is expected; a month earlier than go-live plus grace changes nothing.
    assert exp.expected_returns_for(tenant_a.officer, today=date(2026, 10, 31)) == []
    contract.returns_expected_from = date(2026, 4, 1)
    contract.save()
    assert exp.expected_returns_for(tenant_a.officer, today=date(2026, 12, 1))[0].period == date(2026, 7, 1)


def test_returns_expected_from_is_a_month_within_the_contract_named_in_the_message(tenant_a, contract):
    from django.core.exceptions import ValidationError

    from contracts import services

    contract.break_clause_date = contract.break_notice_months = contract.annual_review_date = None
    contract.save()
    updated = services.contract_update(
        contract=contract, user=tenant_a.officer, returns_expected_from=date(2026, 10, 17)
    )
    assert updated.returns_expected_from == date(2026, 10, 1)  # any day names its month
    assert updated.history.first().returns_expected_from == date(2026, 10, 1)
    for day, words in ((date(2026, 3, 1), "before go-live"), (date(2031, 4, 1), "before the expiry date")):
        with pytest.raises(ValidationError) as refused:
            services.contract_update(contract=contract, user=tenant_a.officer, returns_expected_from=day)
        assert words in refused.value.message_dict["returns_expected_from"][0]
    contract.refresh_from_db()
    assert contract.returns_expected_from == date(2026, 10, 1)


def _submitted(tenant, period: date, status: str = "submitted") -> MonthlyReturn:
    return MonthlyReturn.objects.create(
        delivery_body=tenant.body,
        period=period,
        due_date=return_due_date(delivery_body=tenant.body, period=period),
        status=status,
    )


def test_a_return_submitted_after_the_contract_ended_still_waits_for_review(client, tenant_a, contract):
    # The contract ends on 30 September 2026; the trust submits October's return on 11 November.
    contract.end_date = date(2026, 9, 30)
    contract.save()
    october = _submitted(tenant_a, date(2026, 10, 1))
    rows = exp.expected_returns_for(tenant_a.officer, today=date(2026, 12, 1))
    assert [e.period for e in rows if e.awaiting_review] == [date(2026, 10, 1)]
    assert [e.monthly_return for e in rows if e.period == date(2026, 10, 1)] == [october]
    client.force_login(tenant_a.officer)
    with time_machine.travel("2026-12-01 09:00 +0000", tick=False):
        page = client.get(reverse("home")).content.decode()
    reviews = page[page.index('data-testid="reviews-waiting"') :]
    assert f"{escape(tenant_a.body.name)}: October 2026 return" in reviews
    assert "No return is waiting for review." not in reviews


def test_a_return_with_the_council_under_no_live_contract_is_still_read_once(tenant_a, contract):
    contract.status = "terminated"
    contract.save()
    _submitted(tenant_a, date(2026, 8, 1), status="resubmitted")
    _submitted(tenant_a, date(2026, 9, 1), status="accepted")  # accepted: nothing left to do
    rows = exp.expected_returns_for(tenant_a.officer, today=date(2026, 12, 1))
    assert [(e.period, e.state, e.awaiting_review) for e in rows] == [(date(2026, 8, 1), "resubmitted", True)]


def test_a_submitted_return_in_an_expected_month_is_listed_once(tenant_a, contract):
    _submitted(tenant_a, date(2026, 10, 1))
    rows = exp.expected_returns_for(tenant_a.officer, today=date(2026, 12, 1))
    assert [e.period for e in rows] == [date(2026, m, 1) for m in (7, 8, 9, 10, 11)]
    assert [e.period for e in rows if e.awaiting_review] == [date(2026, 10, 1)]
    assert exp.expected_returns_for(tenant_a.trust_exec, today=date(2026, 12, 1), since=date(2026, 11, 1))[
        0
    ].period == (date(2026, 11, 1))


def test_every_demo_return_with_the_council_reaches_its_officers_review_list():
    # West Sussex's contract ended on 30 September 2026; its latest demo returns came after, and still wait.
    from trustgov.accounts.models import User

    today = timezone.localdate()  # the demo is seeded relative to the day the session starts
    for officer in User.objects.filter(groups__name="Council officer", council__isnull=False).order_by("pk"):
        waiting = {
            (e.delivery_body.pk, e.period) for e in exp.expected_returns_for(officer, today=today) if e.awaiting_review
        }
        submitted = set(
            MonthlyReturn.objects.filter(
                delivery_body__council=officer.council, status__in=["submitted", "resubmitted"]
            ).values_list("delivery_body_id", "period")
        )
        assert submitted <= waiting, officer.username
