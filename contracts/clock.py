"""The contract clock: what the contract's dates say about it today, whatever its recorded status.

A contract recorded as live (or in notice) whose end date has passed is *past its end date* until the
council records what happens next (an extension, a renewal or a return in-house); within
``EXPIRY_WARNING_DAYS`` of the end date it is *due to expire*. The annual review is *due* on its date
and *overdue* after it until a review is recorded, which rolls the date on a year.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from trustgov.core.dates import add_months

from .models import Contract, EndOfTermDecision

EXPIRY_WARNING_DAYS = 180
RUNNING = (Contract.Status.LIVE, Contract.Status.IN_NOTICE)


@dataclass(frozen=True)
class Clock:
    state: str  # "running", "due_to_expire", "past_end" or "ended"
    label: str
    end_date: date
    days: int  # days to the end date (negative once past it)
    decision: EndOfTermDecision | None = None  # a renewal or return in-house already decided
    review_overdue: bool = False

    @property
    def needs_next_step(self) -> bool:
        """Whether the council must record what happens when the term ends."""
        return self.state in ("due_to_expire", "past_end") and self.decision is None

    @property
    def tag_colour(self) -> str:
        return {"past_end": "red", "due_to_expire": "yellow"}.get(self.state, "grey")


def contract_clock(contract: Contract, today: date | None = None) -> Clock:
    today = today or timezone.localdate()
    days = (contract.end_date - today).days
    review_overdue = bool(
        contract.status in RUNNING and contract.annual_review_date and contract.annual_review_date < today
    )
    if contract.status not in RUNNING:
        ended = contract.status in (Contract.Status.EXPIRED, Contract.Status.TERMINATED)
        return Clock("ended" if ended else "running", contract.get_status_display(), contract.end_date, days)
    decision = next(
        (
            d
            for d in contract.end_of_term_decisions.all()  # prefetched on lists
            if d.outcome != EndOfTermDecision.Outcome.EXTENSION and d.previous_end_date == contract.end_date
        ),
        None,
    )
    if days < 0:
        return Clock("past_end", "Past its end date", contract.end_date, days, decision, review_overdue)
    if days <= EXPIRY_WARNING_DAYS:
        return Clock("due_to_expire", "Due to expire", contract.end_date, days, decision, review_overdue)
    return Clock("running", contract.get_status_display(), contract.end_date, days, decision, review_overdue)


def is_early(contract: Contract, today: date | None = None) -> bool:
    """Whether ending the contract today would end it before its end date (an early end, a termination)."""
    return (today or timezone.localdate()) < contract.end_date


def next_review_after(review: date, held_on: date) -> date:
    """The review date rolled on by whole years until it falls after ``held_on``."""
    years = 1
    while (rolled := add_months(review, 12 * years)) <= held_on:
        years += 1
    return rolled
