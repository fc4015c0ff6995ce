"""The contract's key dates, with frozen time: before, due and overdue reminders for the break notice,
expiry, each SSA line and the annual review, escalation once overdue, and never sending twice."""

from datetime import date

import pytest
import time_machine

from contracts import services
from contracts.models import SupportServiceLine
from contracts.reminders import stage
from meetings.models import Reminder
from meetings.tasks import send_due_reminders

from .factories import ContractFactory

pytestmark = pytest.mark.django_db


def run_on(day: date) -> int:
    with time_machine.travel(f"{day.isoformat()} 08:00 +0000", tick=False):
        return send_due_reminders.delay().get(timeout=60)


def new_for(tenant, day: date) -> int:
    """How many key-date reminders a run on ``day`` sends to the tenant's people (other rules have their own)."""
    people = [tenant.officer, tenant.trust_exec, tenant.scrutiny]
    ours = Reminder.objects.filter(recipient__in=people, subject_key__startswith="contracts.")
    ours = ours.exclude(subject_key__startswith="contracts.reservedmatterrequest")  # key dates only
    before = ours.count()
    run_on(day)
    return ours.count() - before


def kinds(user, prefix: str) -> set[str]:
    return {k for k in Reminder.objects.filter(recipient=user).values_list("kind", flat=True) if k.startswith(prefix)}


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2027, 3, 1), None),
        (date(2027, 3, 2), "before"),
        (date(2027, 3, 31), "before"),
        (date(2027, 4, 1), "due"),
        (date(2027, 4, 2), "overdue"),
    ],
)
def test_stage_boundaries(today, expected):
    assert stage(today, date(2027, 4, 1), 30) == expected


def _contract(tenant, **dates):
    defaults = {
        "end_date": date(2035, 3, 31),
        "break_clause_date": None,
        "break_notice_months": None,
        "annual_review_date": None,
    }
    return ContractFactory(delivery_body=tenant.body, **{**defaults, **dates})


def test_break_notice_before_due_and_overdue_with_escalation(tenant_a):
    _contract(tenant_a, break_clause_date=date(2027, 10, 1), break_notice_months=6)  # notice by 1 April 2027
    run_on(date(2027, 1, 1))  # 90 days before is 1 January 2027
    assert kinds(tenant_a.officer, "break_notice") == {"break_notice_before"}
    run_on(date(2027, 4, 1))
    assert kinds(tenant_a.officer, "break_notice") == {"break_notice_before", "break_notice_due"}
    run_on(date(2027, 4, 2))
    assert {"break_notice_overdue", "break_notice_overdue_escalation"} <= kinds(tenant_a.officer, "break_notice")
    assert Reminder.objects.get(recipient=tenant_a.officer, kind="break_notice_overdue").due_date == date(2027, 4, 1)


def test_break_notice_is_quiet_before_its_window_and_after_the_break_date(tenant_a):
    _contract(tenant_a, break_clause_date=date(2027, 10, 1), break_notice_months=6)
    run_on(date(2026, 12, 31))
    run_on(date(2027, 10, 2))
    assert kinds(tenant_a.officer, "break_notice") == set()


def test_expiry_stages_until_the_council_decides(tenant_a):
    contract = _contract(tenant_a, end_date=date(2027, 3, 31))
    run_on(date(2026, 10, 1))  # 181 days before
    assert kinds(tenant_a.officer, "contract_expiry") == set()
    run_on(date(2026, 10, 2))
    assert kinds(tenant_a.trust_exec, "contract_expiry") == {"contract_expiry_before"}
    run_on(date(2027, 3, 31))
    run_on(date(2027, 4, 1))
    assert kinds(tenant_a.officer, "contract_expiry") == {
        "contract_expiry_before",
        "contract_expiry_due",
        "contract_expiry_overdue",
        "contract_expiry_overdue_escalation",
    }
    # Extended: the new end date starts its own stages; the old date sends nothing more.
    with time_machine.travel("2027-04-02 08:00 +0000", tick=False):
        services.contract_record_end_of_term(
            contract=contract,
            user=tenant_a.officer,
            outcome="extension",
            decided_on=date(2027, 4, 2),
            decision_reference="Cabinet 2 April 2027",
            reason="Two more years",
            new_end_date=date(2029, 3, 31),
        )
    assert new_for(tenant_a, date(2027, 4, 3)) == 0


def test_ssa_line_stages_until_a_later_line_follows(tenant_a):
    contract = _contract(tenant_a)
    line = {"contract": contract, "service": "Leased cars", "annual_charge": "1000.00"}
    SupportServiceLine.objects.create(term_start=date(2024, 4, 1), term_end=date(2027, 3, 31), **line)
    run_on(date(2026, 12, 30))  # 91 days before
    assert kinds(tenant_a.officer, "ssa_expiry") == set()
    run_on(date(2026, 12, 31))
    run_on(date(2027, 3, 31))
    run_on(date(2027, 4, 1))
    assert kinds(tenant_a.officer, "ssa_expiry") == {
        "ssa_expiry_before",
        "ssa_expiry_due",
        "ssa_expiry_overdue",
        "ssa_expiry_overdue_escalation",
    }
    SupportServiceLine.objects.create(term_start=date(2027, 4, 1), term_end=date(2030, 3, 31), **line)
    assert new_for(tenant_a, date(2027, 4, 2)) == 0


def test_annual_review_fires_every_year_not_once(tenant_a):
    contract = _contract(tenant_a, annual_review_date=date(2027, 4, 1))
    run_on(date(2027, 3, 1))
    assert kinds(tenant_a.officer, "annual_review") == set()
    run_on(date(2027, 3, 2))
    run_on(date(2027, 4, 1))
    run_on(date(2027, 4, 2))
    assert {"annual_review_before", "annual_review_due", "annual_review_overdue"} <= kinds(
        tenant_a.officer, "annual_review"
    )
    with time_machine.travel("2027-04-10 08:00 +0000", tick=False):
        services.contract_record_annual_review(contract=contract, user=tenant_a.officer, held_on=date(2027, 4, 9))
    assert new_for(tenant_a, date(2027, 4, 11)) == 0
    run_on(date(2028, 3, 2))  # next year's review, 30 days ahead
    assert Reminder.objects.filter(
        recipient=tenant_a.officer, kind="annual_review_before", due_date=date(2028, 4, 1)
    ).exists()


def test_a_rerun_sends_nothing_twice(tenant_a):
    _contract(tenant_a, end_date=date(2027, 3, 31), annual_review_date=date(2027, 1, 15))
    assert new_for(tenant_a, date(2027, 4, 1)) > 0
    assert new_for(tenant_a, date(2027, 4, 1)) == 0


def test_an_ended_contract_sends_no_date_reminders(tenant_a):
    _contract(tenant_a, end_date=date(2027, 3, 31), annual_review_date=date(2027, 1, 15), status="expired")
    assert new_for(tenant_a, date(2027, 4, 1)) == 0


def test_reminder_emails_carry_absolute_links(tenant_a, settings):
    """Reminder emails carried relative links (`See: /meetings/actions/3/`)."""
    from django.core import mail

    assert settings.SITE_URL == "http://127.0.0.1:8000"
    contract = _contract(tenant_a, end_date=date(2027, 3, 31))
    run_on(date(2027, 3, 31))
    sent = [m for m in mail.outbox if tenant_a.officer.email in m.to and "expires today" in m.subject]
    assert len(sent) == 1
    assert f"See: http://127.0.0.1:8000/contracts/{contract.pk}/" in sent[0].body


def test_overdue_key_dates_escalate_to_the_dcs_office_holder(tenant_a):
    from tests.factories import make_user
    from trustgov.accounts.roles import Role
    from trustgov.organisations.models import OfficeHolding

    dcs = make_user(Role.COUNCIL_OFFICER, council=tenant_a.council, username="alpha-dcs", job_title="Director")
    OfficeHolding.objects.create(
        council=tenant_a.council, office="dcs", holder_name="Alex Director", user=dcs, start_date=date(2026, 1, 1)
    )
    _contract(tenant_a, end_date=date(2027, 3, 31))
    run_on(date(2027, 4, 1))
    assert kinds(dcs, "contract_expiry") >= {"contract_expiry_overdue_escalation"}
    assert "contract_expiry_overdue_escalation" not in kinds(tenant_a.officer, "contract_expiry")
