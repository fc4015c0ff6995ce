"""Expected returns: every month a contract is live has a return due, whether or not anyone started it.

A ``MonthlyReturn`` row exists only once the trust starts one, so "not started" is invisible in
that table. This read model joins the months each contract expects (from go-live plus the KPI
grace period to the last month that has ended, and never past the contract's end date) with the
returns the reader may see, and says for each (trust, month) its state, due date, stage and how
long it has waited. A return received for a month no contract expects (after the contract's end, say)
and not yet accepted is joined as well, so it still waits for review. See
docs/decisions/0302-expected-returns-late-and-overdue.md.

Drafts are the trust's own: read as a council user, a draft month is "not started" (nothing has
been received), exactly as the return pages show it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone

from contracts.models import Contract
from trustgov.core.dates import add_months, add_working_days, clear_working_days_between
from trustgov.core.scoping import visible

from .models import MonthlyReturn, ReturnQuery
from .services import return_due_date

S = MonthlyReturn.Status
NOT_STARTED = "not_started"
STATE_LABELS = {NOT_STARTED: "Not started", **dict(S.choices)}

# Stages of a return not yet received (not started or still a draft).
NOT_DUE = "not_due"  # the month has ended, the due date is more than the warning away
DUE = "due"  # within RETURN_WARNING_WORKING_DAYS of the due date, or on it
LATE = "late"  # past the due date, by OVERDUE_WORKING_DAYS working days or fewer
OVERDUE = "overdue"  # more than OVERDUE_WORKING_DAYS working days past the due date
RECEIVED = "received"  # submitted at least once

RETURN_WARNING_WORKING_DAYS = 3
OVERDUE_WORKING_DAYS = 10

# Contracts under which returns are expected. An expired contract expected returns up to its end
# date. A terminated one records no date of termination yet, so it expects none.
EXPECTING = ("live", "in_notice", "expired")

# A return received and not yet accepted: with the council, or back with the trust on a query.
IN_REVIEW = (S.SUBMITTED, S.QUERIED, S.RESUBMITTED)


@dataclass(frozen=True)
class ExpectedReturn:
    delivery_body: object
    contract: object
    period: date
    due_date: date
    today: date
    monthly_return: MonthlyReturn | None = None
    answered_queries: int = 0
    open_queries: int = 0
    last_answer_at: object = None

    @property
    def label(self) -> str:
        return f"{self.period:%B %Y} return"

    @property
    def subject_key(self) -> str:
        """The same key before and after the trust starts the return, so reminders never repeat."""
        return f"performance.expectedreturn:{self.delivery_body.pk}:{self.period:%Y-%m}"

    @property
    def trust_url(self) -> str:
        """Where the trust acts: the return itself once started, otherwise the form for that month."""
        if self.monthly_return is not None:
            return self.monthly_return.get_absolute_url()
        return reverse("performance:return-enter") + f"?period={self.period:%Y-%m}"

    @property
    def council_url(self) -> str:
        """Where the council looks: the return once received, otherwise the trust's list of returns."""
        if self.monthly_return is not None and self.received:
            return self.monthly_return.get_absolute_url()
        return reverse("performance:return-list") + f"?body={self.delivery_body.slug}"

    @property
    def state(self) -> str:
        return self.monthly_return.status if self.monthly_return else NOT_STARTED

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def received(self) -> bool:
        return self.state not in (NOT_STARTED, S.DRAFT)

    @property
    def overdue_from(self) -> date:
        """The first day the return is overdue."""
        return add_working_days(self.due_date, OVERDUE_WORKING_DAYS + 1)

    @property
    def stage(self) -> str:
        if self.received:
            return RECEIVED
        if self.today > self.due_date:
            return OVERDUE if self.today >= self.overdue_from else LATE
        if self.today >= add_working_days(self.due_date, -RETURN_WARNING_WORKING_DAYS):
            return DUE
        return NOT_DUE

    @property
    def working_days_late(self) -> int:
        """Working days past the due date (the due date not counted; today counted if a working day)."""
        if self.today <= self.due_date:
            return 0
        return clear_working_days_between(self.due_date, self.today + timedelta(days=1))

    @property
    def awaiting_review(self) -> bool:
        """With the council: submitted or resubmitted, or queried with every query answered."""
        if self.state in (S.SUBMITTED, S.RESUBMITTED):
            return True
        return self.state == S.QUERIED and self.answered_queries > 0 and self.open_queries == 0

    @property
    def waiting_since(self) -> date:
        """Not received: since the due date. Awaiting review: since the latest submission or answer."""
        ret = self.monthly_return
        if not self.received or ret is None:
            return self.due_date
        moments = [m for m in (getattr(ret, "last_submitted_at", None), self.last_answer_at) if m]
        if not moments:
            moments = [ret.first_submitted_at or ret.updated_at]
        return timezone.localdate(max(moments))

    @property
    def days_waited(self) -> int:
        return max((self.today - self.waiting_since).days, 0)

    @property
    def waited_text(self) -> str:
        days = self.days_waited
        if days == 0:
            return "since today"
        return f"{days} day{'s' if days != 1 else ''}"


def first_expected_period(contract) -> date:
    """The first whole month after go-live plus the KPI grace period, or the month the council started
    holding returns in TrustGov (``returns_expected_from``) if that is later: earlier months are not chased."""
    start = add_months(contract.start_date, contract.kpi_grace_months)
    first = start.replace(day=1)
    first = first if start.day == 1 else add_months(first, 1)
    adopted = getattr(contract, "returns_expected_from", None)
    return max(first, adopted.replace(day=1)) if adopted else first


def last_ended_period(today: date) -> date:
    """The latest month that has ended by ``today``."""
    return add_months(today.replace(day=1), -1)


def expected_periods(contract, today: date, *, since: date | None = None) -> list[date]:
    if contract.status not in EXPECTING:
        return []
    period = first_expected_period(contract)
    last = min(last_ended_period(today), contract.end_date.replace(day=1))
    if since is not None and since > period:
        period = since.replace(day=1)
    out = []
    while period <= last:
        out.append(period)
        period = add_months(period, 1)
    return out


def build(contracts: Iterable, returns, *, today: date, since: date | None = None) -> list[ExpectedReturn]:
    """Expected returns for ``contracts``, read against the ``returns`` queryset (already scoped).

    A return still with the council (submitted, queried or resubmitted) for a month no contract expects
    (after the contract's end, before the council adopted TrustGov, under a contract since terminated)
    is read too: it waits for review like any other, so it is never lost from the pages.
    """
    contracts = sorted(contracts, key=lambda c: c.start_date)
    wanted: dict[tuple[int, date], object] = {}
    for contract in contracts:
        for period in expected_periods(contract, today, since=since):
            wanted[(contract.delivery_body_id, period)] = contract  # a later contract for a month wins
    body_ids = {b for b, _ in wanted}
    first = min((p for _, p in wanted), default=None)
    in_expected = Q(delivery_body_id__in=body_ids, period__gte=first) if wanted else Q(pk__in=[])
    in_review = Q(status__in=IN_REVIEW)
    if since is not None:
        in_review &= Q(period__gte=since.replace(day=1))
    rows = (
        returns.filter(in_expected | in_review)
        .annotate(
            last_submitted_at=Max("versions__submitted_at"),
        )
        .select_related("delivery_body")
    )
    found = {(r.delivery_body_id, r.period): r for r in rows}
    query_counts = _query_counts([r.pk for r in found.values() if r.status == S.QUERIED])
    unexpected = {key: None for key, r in found.items() if key not in wanted and r.status in IN_REVIEW}
    out = []
    for (body_id, period), contract in {**wanted, **unexpected}.items():
        ret = found.get((body_id, period))
        answered, open_, last_answer = query_counts.get(ret.pk, (0, 0, None)) if ret else (0, 0, None)
        if contract is None:
            contract = _contract_of(contracts, ret)
        out.append(
            ExpectedReturn(
                delivery_body=contract.delivery_body if ret is None else ret.delivery_body,
                contract=contract,
                period=period,
                due_date=ret.due_date
                if ret
                else return_due_date(delivery_body=contract.delivery_body, period=period, contract=contract),
                today=today,
                monthly_return=ret,
                answered_queries=answered,
                open_queries=open_,
                last_answer_at=last_answer,
            )
        )
    return sorted(out, key=lambda e: (e.period, e.delivery_body.name))


def _contract_of(contracts: list, ret: MonthlyReturn):
    """The contract a return outside every expected month belongs to: the latest of its trust's contracts
    begun by that month, or none."""
    own = [c for c in contracts if c.delivery_body_id == ret.delivery_body_id and c.start_date <= ret.period]
    return own[-1] if own else None


def _query_counts(return_ids: list[int]) -> dict[int, tuple[int, int, object]]:
    if not return_ids:
        return {}
    out: dict[int, tuple[int, int, object]] = {}
    rows = (
        ReturnQuery.objects.filter(monthly_return_id__in=return_ids)
        .values("monthly_return_id")
        .annotate(
            answered=Count("pk", filter=Q(status=ReturnQuery.Status.ANSWERED), distinct=True),
            open=Count("pk", filter=Q(status=ReturnQuery.Status.OPEN), distinct=True),
            last_answer=Max("messages__created_at", filter=Q(status=ReturnQuery.Status.ANSWERED)),
        )
    )
    for row in rows:
        out[row["monthly_return_id"]] = (row["answered"], row["open"], row["last_answer"])
    return out


def expected_returns_for(user, *, today: date | None = None, since: date | None = None) -> list[ExpectedReturn]:
    """The expected returns of every contract the user may see, read as that user sees returns."""
    today = today or timezone.localdate()
    contracts = visible(Contract, user).filter(status__in=EXPECTING).select_related("delivery_body")
    return build(contracts, visible(MonthlyReturn, user), today=today, since=since)


def all_expected_returns(*, today: date, since: date | None = None) -> list[ExpectedReturn]:
    """Unscoped, for the reminder rules: the council's view (drafts count as not received)."""
    contracts = Contract.objects.filter(status__in=EXPECTING).select_related("delivery_body", "council")
    return build(contracts, MonthlyReturn.objects.all(), today=today, since=since)


def return_now_due(user, *, today: date | None = None) -> ExpectedReturn | None:
    """For a trust: the return for the last month that has ended (the one it should be working on)."""
    today = today or timezone.localdate()
    last = last_ended_period(today)
    for expected in expected_returns_for(user, today=today, since=last):
        if expected.period == last:
            return expected
    return None
