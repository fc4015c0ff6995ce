"""Reminder rules for monthly returns, in the reminders' shape: ``rule(today) -> Iterable[Due]``.

Registered in apps.py; the platform runs the rules (``trustgov.core.reminders``), meetings delivers.

Every expected return (see expected.py) not yet received gets, to the trust's executives:
``return_due`` from three working days before its due date, ``return_late`` once the date has
passed (the council's officers are told too) and ``return_overdue`` once it is more than
ten working days late, escalated to the council. The Reminder row's unique constraint
(subject, recipient, kind, due date) means a rerun sends nothing twice.

Only returns due in the last RETURN_REMINDER_LOOKBACK_MONTHS are reminded: a backlog older than
that (a trust that stopped returning years ago) is shown on the pages, not emailed month by month.
"""

from collections.abc import Iterable
from datetime import date

from trustgov.accounts.recipients import council_officers, dcs_for, party_officers, trust_executives
from trustgov.core.dates import add_months
from trustgov.core.reminders import Due

from . import expected as exp
from .models import MonthlyReturn

RETURN_REMINDER_LOOKBACK_MONTHS = 3


def escalation_recipients(council_id: int) -> list:
    """Who a late return is escalated to at the council.

    The one hook for escalation: today the council's Director of Children's Services as the
    reminders find them (falling back to the council's officers); when the council records who
    holds the DCS office, this returns the office holder.
    """
    return dcs_for(council_id)


def monthly_returns(today: date) -> Iterable[Due]:
    since = add_months(exp.last_ended_period(today), -RETURN_REMINDER_LOOKBACK_MONTHS)
    seen: set[tuple[int, date]] = set()
    for expected in exp.all_expected_returns(today=today, since=since):
        seen.add((expected.delivery_body.pk, expected.period))
        stage = expected.stage
        if stage in (exp.RECEIVED, exp.NOT_DUE):
            continue
        body = expected.delivery_body
        due = expected.due_date
        if stage == exp.DUE:
            title = f"The {expected.label} is due by {due:%-d %B %Y}"
        elif stage == exp.LATE:
            title = f"{body.name}: the {expected.label} is late (due {due:%-d %B %Y})"
        else:
            title = (
                f"{body.name}: the {expected.label} is overdue (due {due:%-d %B %Y}, "
                f"more than {exp.OVERDUE_WORKING_DAYS} working days ago)"
            )
        kind = f"return_{stage}"
        yield Due(kind, expected.subject_key, due, title, expected.trust_url, trust_executives(body.pk))
        if stage != exp.DUE:
            yield Due(
                kind,
                expected.subject_key,
                due,
                title,
                expected.council_url,
                party_officers(expected.contract) if expected.contract else council_officers(body.council_id),
                escalation_recipients(body.council_id) if stage == exp.OVERDUE else [],
            )
    yield from _drafts_outside_contracts(today, seen)


def _drafts_outside_contracts(today: date, seen: set) -> Iterable[Due]:
    """A draft started for a month no live contract expects is still reminded by its own due date."""
    drafts = MonthlyReturn.objects.select_related("delivery_body").filter(
        status=MonthlyReturn.Status.DRAFT,
        due_date__gte=add_months(today, -RETURN_REMINDER_LOOKBACK_MONTHS),
    )
    for ret in drafts:
        if (ret.delivery_body_id, ret.period) in seen:
            continue
        contract = None
        expected = exp.ExpectedReturn(ret.delivery_body, contract, ret.period, ret.due_date, today, ret)
        stage = expected.stage
        if stage == exp.NOT_DUE:
            continue
        body = ret.delivery_body
        kind = {exp.DUE: "return_due", exp.LATE: "return_late", exp.OVERDUE: "return_overdue"}[stage]
        yield Due(
            kind,
            expected.subject_key,
            ret.due_date,
            f"{body.name}: the {expected.label} is {stage if stage != exp.DUE else 'due'} "
            f"(due {ret.due_date:%-d %B %Y})",
            ret.get_absolute_url(),
            trust_executives(body.pk) + (council_officers(body.council_id) if stage != exp.DUE else []),
            escalation_recipients(body.council_id) if stage == exp.OVERDUE else [],
        )
