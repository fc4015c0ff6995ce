"""Reminder rules for the contract's key dates: the last day to give notice to break, expiry of the term,
the end of each Support Services Agreement line and the annual review.

Each date has three stages, each its own reminder kind keyed on the date: ``<kind>_before`` inside the
warning window, ``<kind>_due`` on the day and ``<kind>_overdue`` after it while the thing is still
outstanding, which is also escalated to the council's Director of Children's Services. The ``Reminder``
row's unique constraint (subject, recipient, kind, due date) means a rerun sends nothing twice; a date
that moves (an extension, an annual review rolled on a year) starts its stages again.
"""

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from trustgov.accounts.recipients import (
    dcs_for,
    owners_dcs,
    owners_officers,
    party_officers,
    trust_executives,
)
from trustgov.core.reminders import Due

from .clock import EXPIRY_WARNING_DAYS, RUNNING, contract_clock
from .models import Contract, ReservedMatterRequest, SupportServiceLine

BREAK_NOTICE_WARNING_DAYS = 90
SSA_WARNING_DAYS = 90
ANNUAL_REVIEW_WARNING_DAYS = 30
RESERVED_MATTER_WARNING_DAYS = 10


def stage(today: date, day: date, warning_days: int) -> str | None:
    """Which stage ``day`` is at on ``today``: "before" (inside the warning window), "due", "overdue" or None."""
    if today > day:
        return "overdue"
    if today == day:
        return "due"
    if today >= day - timedelta(days=warning_days):
        return "before"
    return None


def _due(kind, subject_key, day, stage_name, titles, url, recipients, council_id) -> Due:
    return Due(
        f"{kind}_{stage_name}",
        subject_key,
        day,
        titles[stage_name],
        url,
        recipients,
        dcs_for(council_id) if stage_name == "overdue" else [],
    )


def _running():
    return Contract.objects.select_related("council", "delivery_body").filter(status__in=RUNNING)


def break_notice(today: date) -> Iterable[Due]:
    """The last day to serve notice to break; overdue (the chance missed) until the break date itself."""
    contracts = _running().filter(
        status=Contract.Status.LIVE, break_clause_date__gte=today, break_notice_months__isnull=False
    )
    for contract in contracts:
        day = contract.last_day_to_give_notice
        if not (now := stage(today, day, BREAK_NOTICE_WARNING_DAYS)):
            continue
        when = f"{day:%-d %B %Y}"
        titles = {
            "before": f"Notice to use the break clause of {contract} must be given by {when}",
            "due": f"Today ({when}) is the last day to give notice to use the break clause of {contract}",
            "overdue": f"The last day to give notice to use the break clause of {contract} passed on {when}: "
            "record the council's decision",
        }
        yield _due(
            "break_notice",
            f"contracts.contract:{contract.pk}",
            day,
            now,
            titles,
            contract.get_absolute_url(),
            party_officers(contract),
            contract.council_id,
        )


def contract_expiry(today: date) -> Iterable[Due]:
    """The end of the term, until the council records what happens next."""
    for contract in _running().prefetch_related("end_of_term_decisions"):
        clock = contract_clock(contract, today)
        now = stage(today, contract.end_date, EXPIRY_WARNING_DAYS)
        if not now or clock.decision is not None:
            continue
        when = f"{contract.end_date:%-d %B %Y}"
        titles = {
            "before": f"{contract} expires on {when}: record what happens next",
            "due": f"{contract} expires today ({when}): record what happens next",
            "overdue": f"{contract} passed its end date on {when} and is still recorded as "
            f"{contract.get_status_display().lower()}: record what happens next",
        }
        yield _due(
            "contract_expiry",
            f"contracts.contract:{contract.pk}",
            contract.end_date,
            now,
            titles,
            contract.get_absolute_url(),
            party_officers(contract) + trust_executives(contract.delivery_body_id),
            contract.council_id,
        )


def ssa_expiry(today: date) -> Iterable[Due]:
    """The end of each Support Services Agreement line of a running contract, until a later line follows it."""
    lines = SupportServiceLine.objects.select_related("contract").filter(
        contract__status__in=RUNNING, term_end__lte=today + timedelta(days=SSA_WARNING_DAYS)
    )
    for line in lines:
        contract = line.contract
        renewed = SupportServiceLine.objects.filter(
            contract=contract, service=line.service, term_end__gt=line.term_end
        ).exists()
        now = stage(today, line.term_end, SSA_WARNING_DAYS)
        if not now or renewed:
            continue
        when = f"{line.term_end:%-d %B %Y}"
        titles = {
            "before": f"Support service '{line.service}' under {contract} ends on {when}",
            "due": f"Support service '{line.service}' under {contract} ends today ({when})",
            "overdue": f"Support service '{line.service}' under {contract} ended on {when} and nothing follows it",
        }
        yield _due(
            "ssa_expiry",
            f"contracts.supportserviceline:{line.pk}",
            line.term_end,
            now,
            titles,
            contract.get_absolute_url() + "#support-services",
            party_officers(contract) + trust_executives(contract.delivery_body_id),
            contract.council_id,
        )


def annual_review(today: date) -> Iterable[Due]:
    """The annual review, until it is recorded (which rolls the date on a year and starts again)."""
    for contract in _running().filter(annual_review_date__isnull=False):
        day = contract.annual_review_date
        if not (now := stage(today, day, ANNUAL_REVIEW_WARNING_DAYS)):
            continue
        when = f"{day:%-d %B %Y}"
        titles = {
            "before": f"Annual review of {contract} is due on {when}",
            "due": f"Annual review of {contract} is due today ({when})",
            "overdue": f"Annual review of {contract} was due on {when} and has not been recorded",
        }
        yield _due(
            "annual_review",
            f"contracts.contract:{contract.pk}",
            day,
            now,
            titles,
            contract.get_absolute_url(),
            party_officers(contract) + trust_executives(contract.delivery_body_id),
            contract.council_id,
        )


def reserved_matters_due(today: date) -> Iterable[Due]:
    waiting = ReservedMatterRequest.objects.select_related("delivery_body").filter(
        status=ReservedMatterRequest.Status.RAISED,
        decision_due__lte=today + timedelta(days=RESERVED_MATTER_WARNING_DAYS),
    )
    for request in waiting:
        overdue = request.decision_due < today
        yield Due(
            "reserved_matter_overdue" if overdue else "reserved_matter_due",
            f"contracts.reservedmatterrequest:{request.pk}",
            request.decision_due,
            f"Decision on reserved matter '{request.title}' {'was' if overdue else 'is'} due by "
            f"{request.decision_due:%-d %B %Y}",
            request.decided_through or request.get_absolute_url(),  # where the decision is recorded
            owners_officers(request.delivery_body_id),
            owners_dcs(request.delivery_body_id) if overdue else [],
        )


# Registered in apps.py, in this order; the platform runs them (trustgov.core.reminders).
RULES: list[Callable[[date], Iterable[Due]]] = [
    break_notice,
    contract_expiry,
    ssa_expiry,
    annual_review,
    reserved_matters_due,
]
