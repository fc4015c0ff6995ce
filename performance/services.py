"""Every state change of the performance app.

The web form, the spreadsheet upload and the API all call ``return_record``: one place
validates the figures, decides whether they go into the draft or a new version, and submits.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from contracts.models import Contract
from trustgov.accounts.recipients import council_officers, trust_executives
from trustgov.accounts.roles import Role, role_of
from trustgov.core.dates import add_working_days, month_end
from trustgov.core.permissions import role_refused
from trustgov.core.reminders import Due, deliver
from trustgov.core.scoping import visible

from . import calculations, positions
from .models import (
    ImprovementAction,
    Kpi,
    MonthlyReturn,
    OfstedEvent,
    QueryMessage,
    ReturnQuery,
    ReturnValue,
    ReturnVersion,
)
from .workflows import RETURN_WORKFLOW

S = MonthlyReturn.Status
DEFAULT_DUE_WORKING_DAYS = 10


def _notify(*, kind: str, subject_key: str, recipients, title: str, url: str) -> None:
    """Tell people of a workflow event once the change is committed (in-app, and by email as they chose).

    The reminders' delivery path is reused, so the Reminder row's unique constraint (subject,
    recipient, kind, date) makes a retry send nothing twice. The subject key names the event.
    """
    people = [u for u in {u.pk: u for u in recipients}.values() if u.is_active]
    if not people:
        return
    due = Due(kind, subject_key, timezone.localdate(), title, url)

    def send() -> None:
        for person in people:
            deliver(due, person)

    transaction.on_commit(send)


def _council_officers(monthly_return: MonthlyReturn):
    return council_officers(monthly_return.delivery_body.council_id)


def _trust_executives(monthly_return: MonthlyReturn):
    return trust_executives(monthly_return.delivery_body_id)


@dataclass(frozen=True)
class Figures:
    """One KPI's figures as entered (by form, file or API)."""

    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    commentary: str = ""

    @property
    def blank(self) -> bool:
        return self.value is None and self.numerator is None and self.denominator is None and not self.commentary


def contract_for(delivery_body):
    return (
        Contract.objects.filter(delivery_body=delivery_body)
        .exclude(status__in=[Contract.Status.TERMINATED, Contract.Status.EXPIRED])
        .order_by("-start_date")
        .first()
    )


def return_due_date(*, delivery_body, period: date, contract=None) -> date:
    """N working days after month end (English bank holidays skipped), N from the contract."""
    contract = contract if contract is not None else contract_for(delivery_body)
    days = contract.return_due_working_days if contract else DEFAULT_DUE_WORKING_DAYS
    return add_working_days(month_end(period.year, period.month), days)


def _label(period: date) -> str:
    return f"{period:%B %Y}"


def _check_period(*, delivery_body, period: date, today: date) -> None:
    if period.day != 1:
        raise ValidationError({"period": "The return period must be a whole month"})
    if month_end(period.year, period.month) >= today:
        raise ValidationError({"period": f"{_label(period)} has not ended yet: returns are for months that have ended"})
    start = delivery_body.operational_from or delivery_body.shadow_from
    if start and period < start.replace(day=1):
        raise ValidationError(
            {"period": f"{_label(period)} is before {delivery_body.name} started operating ({start:%B %Y})"}
        )


def _check_trust_user(*, delivery_body, user) -> None:
    if user.is_superuser:
        return
    if role_of(user) != Role.TRUST_EXECUTIVE or not user.has_perm("performance.submit_monthlyreturn"):
        raise role_refused("delivery_body", "Only a trust executive can enter or submit a monthly return")
    if user.delivery_body_id != delivery_body.pk:
        raise ValidationError({"delivery_body": f"You can only enter returns for your own trust, not {delivery_body}"})


def _validate(*, kpis: dict[str, Kpi], figures: dict[str, Figures], period: date, complete: bool):
    """Check every KPI's figures. Returns {code: (value, Figures)}; raises one error dict naming every field."""
    errors: dict[str, str] = {}
    for code in figures:
        if code not in kpis:
            errors["kpi"] = f"'{code}' is not a KPI in this trust's catalogue"
    targets = positions.targets_for(k.pk for k in kpis.values())
    clean: dict[str, tuple[Decimal, Figures]] = {}
    for code, kpi in kpis.items():
        fig = figures.get(code, Figures())
        if fig.blank and not complete:
            continue
        check = calculations.check_value(
            unit=kpi.unit,
            is_fraction=kpi.is_fraction,
            title=kpi.title,
            value=fig.value,
            numerator=fig.numerator,
            denominator=fig.denominator,
        )
        for field, message in check.errors.items():
            errors[f"{code}-{field}"] = message
        if check.errors:
            continue
        status, _ = positions.rate(kpi, check.value, period, positions.target_in_force(targets, kpi, period))
        if status == calculations.RED and not fig.commentary.strip():
            errors[f"{code}-commentary"] = f"{kpi.title} is red: explain why in the commentary"
        clean[code] = (check.value, fig)
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def return_record(
    *,
    delivery_body,
    period: date,
    user,
    figures: dict[str, Figures],
    channel: str = "web",
    reason: str = "",
    submit: bool = False,
    today: date | None = None,
) -> MonthlyReturn:
    """Record a trust's figures for a month (form, upload or API), optionally submitting them.

    Before the first submission the figures go into the draft (version 1). After it, a
    correction is a NEW version that needs a reason; earlier versions stay as they were.
    An accepted return is never changed.
    """
    today = today or timezone.localdate()
    _check_trust_user(delivery_body=delivery_body, user=user)
    _check_period(delivery_body=delivery_body, period=period, today=today)
    monthly_return = (
        MonthlyReturn.objects.select_for_update().filter(delivery_body=delivery_body, period=period).first()
    )
    if monthly_return is None:
        try:
            with transaction.atomic():
                monthly_return = MonthlyReturn(
                    delivery_body=delivery_body,
                    period=period,
                    due_date=return_due_date(delivery_body=delivery_body, period=period),
                )
                monthly_return.save()
        except IntegrityError:
            # Another submission for the same month (a retry, a second system) created it a moment
            # ago: wait for its lock and add to that return rather than fail.
            monthly_return = MonthlyReturn.objects.select_for_update().get(delivery_body=delivery_body, period=period)
    if monthly_return.status == S.ACCEPTED:
        raise ValidationError(
            {"period": f"The return for {_label(period)} has been accepted: accepted figures cannot be changed"}
        )
    kpis = {k.code: k for k in Kpi.objects.filter(delivery_body=delivery_body)}
    latest = monthly_return.versions.order_by("-number").first()
    if latest is None or latest.submitted_at is None:
        version = latest
        if version is None:
            version = ReturnVersion(monthly_return=monthly_return, number=1, created_by=user, channel=channel)
        if latest is not None and latest.number > 1 and not reason.strip():
            reason = latest.reason
    else:
        if not reason.strip():
            raise ValidationError(
                {
                    "reason": f"The return for {_label(period)} has already been submitted. "
                    "To correct it, give the reason for a new version"
                }
            )
        version = ReturnVersion(
            monthly_return=monthly_return, number=latest.number + 1, created_by=user, channel=channel
        )
    previous = {}
    if latest is not None and version.pk is None:
        previous = {
            v.kpi.code: Figures(v.value, v.numerator, v.denominator, v.commentary)
            for v in latest.values.select_related("kpi")
        }
    existing = {}
    if version.pk:
        existing = {v.kpi.code: v for v in version.values.select_related("kpi")}
        previous = {c: Figures(v.value, v.numerator, v.denominator, v.commentary) for c, v in existing.items()}
    merged = {**previous, **{c: f for c, f in figures.items() if not f.blank}}
    clean = _validate(kpis=kpis, figures=merged, period=period, complete=submit)
    version.reason = reason.strip()
    version.channel = channel
    version.save()
    for code, (value, fig) in clean.items():
        row = existing.get(code) or ReturnValue(version=version, kpi=kpis[code])
        new = (value, fig.numerator, fig.denominator, fig.commentary.strip())
        if row.pk and (row.value, row.numerator, row.denominator, row.commentary) == new:
            continue
        row.value, row.numerator, row.denominator, row.commentary = new
        row.save()
    if submit:
        _submit(monthly_return=monthly_return, version=version, user=user, kpis=kpis)
    return monthly_return


def _submit(*, monthly_return: MonthlyReturn, version: ReturnVersion, user, kpis: dict[str, Kpi]) -> None:
    target = S.SUBMITTED if monthly_return.status == S.DRAFT else S.RESUBMITTED
    RETURN_WORKFLOW.check(obj=monthly_return, source=monthly_return.status, target=target, user=user)
    have = set(version.values.values_list("kpi__code", flat=True))
    missing = [kpis[c].title for c in kpis if c not in have]
    if missing:
        raise ValidationError(
            {"values": f"Enter a value for every KPI before submitting. Missing: {', '.join(missing)}"}
        )
    now = timezone.now()
    version.submitted_at = now
    version.signed_off_by = user
    version.signed_off_name = ", ".join(p for p in [user.get_full_name() or user.username, user.job_title] if p)
    version.save()
    monthly_return.status = target
    if monthly_return.first_submitted_at is None:
        monthly_return.first_submitted_at = now
    monthly_return.save()
    _notify(
        kind="return_submitted",
        subject_key=f"performance.returnversion:{version.pk}",
        recipients=_council_officers(monthly_return),
        title=f"{monthly_return.delivery_body.name} {'submitted' if target == S.SUBMITTED else 'resubmitted'} "
        f"the {_label(monthly_return.period)} return (version {version.number}): review it",
        url=monthly_return.get_absolute_url(),
    )


@transaction.atomic
def return_submit(*, monthly_return: MonthlyReturn, user) -> MonthlyReturn:
    """Submit the figures already saved in the return's draft version."""
    _check_trust_user(delivery_body=monthly_return.delivery_body, user=user)
    version = monthly_return.versions.order_by("-number").first()
    if version is None or version.submitted_at is not None:
        raise ValidationError({"values": "There are no unsubmitted figures: enter or correct the figures first"})
    kpis = {k.code: k for k in Kpi.objects.filter(delivery_body=monthly_return.delivery_body)}
    figures = {
        v.kpi.code: Figures(v.value, v.numerator, v.denominator, v.commentary)
        for v in version.values.select_related("kpi")
    }
    _validate(kpis=kpis, figures=figures, period=monthly_return.period, complete=True)
    _submit(monthly_return=monthly_return, version=version, user=user, kpis=kpis)
    return monthly_return


def _check_reviewer(*, monthly_return: MonthlyReturn, user) -> None:
    """Only the council that commissions the trust reviews its returns (pages also answer 404)."""
    if not user.is_superuser and not visible(MonthlyReturn, user).filter(pk=monthly_return.pk).exists():
        raise ValidationError({"delivery_body": f"You cannot review returns of {monthly_return.delivery_body}"})


@transaction.atomic
def return_query(*, monthly_return: MonthlyReturn, user, question: str, kpi: Kpi | None = None) -> ReturnQuery:
    """An officer queries a value (or sends the whole return back, with no KPI)."""
    if not question.strip():
        raise ValidationError({"question": "Enter the question for the trust"})
    if kpi is not None and kpi.delivery_body_id != monthly_return.delivery_body_id:
        raise ValidationError({"kpi": "Choose a KPI from this trust's catalogue"})
    RETURN_WORKFLOW.check(obj=monthly_return, source=monthly_return.status, target=S.QUERIED, user=user)
    _check_reviewer(monthly_return=monthly_return, user=user)
    query = ReturnQuery(monthly_return=monthly_return, kpi=kpi, raised_by=user, question=question.strip())
    query.save()
    QueryMessage(query=query, author=user, text=question.strip()).save()
    if monthly_return.status != S.QUERIED:
        monthly_return.status = S.QUERIED
        monthly_return.save()
    _notify(
        kind="query_raised",
        subject_key=f"performance.returnquery:{query.pk}",
        recipients=_trust_executives(monthly_return),
        title=f"The council queried {_subject(query)} in the {_label(monthly_return.period)} return: answer it",
        url=monthly_return.get_absolute_url(),
    )
    return query


def _subject(query: ReturnQuery) -> str:
    return query.kpi.title if query.kpi else "the whole return"


@transaction.atomic
def query_reply(*, query: ReturnQuery, user, text: str) -> QueryMessage:
    """Add to a query thread. A trust reply marks the query answered."""
    if not text.strip():
        raise ValidationError({"text": "Enter your reply"})
    if query.status == ReturnQuery.Status.CLOSED:
        raise ValidationError({"text": "This query is closed"})
    role = role_of(user)
    if role not in (Role.TRUST_EXECUTIVE, Role.COUNCIL_OFFICER) and not user.is_superuser:
        raise role_refused("text", "Only the trust or the council can reply to a query")
    if not user.is_superuser and not visible(ReturnQuery, user).filter(pk=query.pk).exists():
        raise ValidationError({"text": "You can only reply to queries on your own trust's returns"})
    message = QueryMessage(query=query, author=user, text=text.strip())
    message.save()
    ret = query.monthly_return
    if role == Role.TRUST_EXECUTIVE:
        if query.status == ReturnQuery.Status.OPEN:
            query.status = ReturnQuery.Status.ANSWERED
            query.save()
        # The answer brings the return back to the council: the officer who asked, else the council's officers.
        raiser = [query.raised_by] if query.raised_by.is_active else _council_officers(ret)
        _notify(
            kind="query_answered",
            subject_key=f"performance.querymessage:{message.pk}",
            recipients=raiser,
            title=f"{ret.delivery_body.name} answered your query on {_subject(query)} "
            f"({_label(ret.period)} return): review it",
            url=ret.get_absolute_url(),
        )
    return message


@transaction.atomic
def return_accept(*, monthly_return: MonthlyReturn, user, closing_notes: dict[int, str] | None = None) -> MonthlyReturn:
    """An officer accepts the latest submitted version; its figures are then fixed.

    No query is closed silently: every query still open or answered needs a note closing it
    (``closing_notes`` by query id), kept in its thread. Without one, nothing is saved and the
    error names the query (field ``close-<query id>``).
    """
    monthly_return = MonthlyReturn.objects.select_for_update().get(pk=monthly_return.pk)
    RETURN_WORKFLOW.check(obj=monthly_return, source=monthly_return.status, target=S.ACCEPTED, user=user)
    _check_reviewer(monthly_return=monthly_return, user=user)
    version = monthly_return.versions.filter(submitted_at__isnull=False).order_by("-number").first()
    if monthly_return.versions.filter(submitted_at__isnull=True).exists():
        raise ValidationError({"status": "The trust is preparing a corrected version: wait for it to be submitted"})
    closing_notes = closing_notes or {}
    unclosed = list(monthly_return.queries.select_related("kpi").exclude(status=ReturnQuery.Status.CLOSED))
    errors = {}
    for query in unclosed:
        if not (closing_notes.get(query.pk) or "").strip():
            errors[f"close-{query.pk}"] = (
                f"The query on {_subject(query)} is {query.get_status_display().lower()}: "
                "enter a note closing it before you accept the return"
            )
    if errors:
        raise ValidationError(errors)
    for query in unclosed:
        QueryMessage(query=query, author=user, text=f"Closed on acceptance: {closing_notes[query.pk].strip()}").save()
        query.status = ReturnQuery.Status.CLOSED
        query.save()
    monthly_return.status = S.ACCEPTED
    monthly_return.accepted_at = timezone.now()
    monthly_return.accepted_by = user
    monthly_return.accepted_version = version
    monthly_return.save()
    return monthly_return


@transaction.atomic
def action_update(*, action, user, status: str, evidence: str):
    """The trust (or the council) updates an improvement-plan action. Complete needs evidence."""
    if status not in ImprovementAction.Status.values:
        raise ValidationError({"status": "Choose a status"})
    if status == ImprovementAction.Status.COMPLETE and not evidence.strip():
        raise ValidationError({"evidence": "Enter the evidence that the action is complete"})
    action.status = status
    action.evidence = evidence.strip()
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def ofsted_event_record(
    *, delivery_body, user, date, kind: str, focus: str, judgement: str, letter_url: str, summary: str
):
    """A council officer records an Ofsted inspection or visit. Only inspections carry a judgement."""
    if role_of(user) != Role.COUNCIL_OFFICER and not user.is_superuser:
        raise role_refused("kind", "Only a council officer records Ofsted inspections and visits")
    if kind == OfstedEvent.Kind.INSPECTION and not judgement:
        raise ValidationError({"judgement": "Choose the judgement the inspection gave"})
    if kind != OfstedEvent.Kind.INSPECTION and judgement:
        raise ValidationError({"judgement": "Monitoring and focused visits do not give a judgement: leave it blank"})
    if date > timezone.localdate():
        raise ValidationError({"date": "The date must be today or in the past"})
    event = OfstedEvent(
        delivery_body=delivery_body,
        date=date,
        kind=kind,
        focus=focus,
        judgement=judgement,
        letter_url=letter_url,
        summary=summary,
    )
    event.full_clean()
    event.save()
    return event
