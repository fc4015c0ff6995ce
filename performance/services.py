"""Every state change of the performance app.

The web form, the spreadsheet upload and the API all call ``return_record``: one place
validates the figures, decides whether they go into the draft or a new version, and submits.
"""

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from contracts.models import Contract
from trustgov.accounts.recipients import council_officers, party_officers, trust_executives
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
    Target,
)
from .selectors import kpis_reported
from .workflows import RETURN_WORKFLOW

S = MonthlyReturn.Status
DEFAULT_DUE_WORKING_DAYS = 10
_NO_CONTRACT = object()  # the trust's contract not read yet (None is "no contract in force")


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


def _council_officers(monthly_return: MonthlyReturn, contract=_NO_CONTRACT):
    """The officers of the council(s) party to the trust's contract (every owner's, when it is joint)."""
    contract = contract if contract is not _NO_CONTRACT else contract_for(monthly_return.delivery_body)
    return party_officers(contract) if contract else council_officers(monthly_return.delivery_body.council_id)


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


def return_due_date(*, delivery_body, period: date, contract=_NO_CONTRACT) -> date:
    """N working days after month end (English bank holidays skipped), N from the contract (read when not given;
    ``None`` given is no contract in force)."""
    contract = contract if contract is not _NO_CONTRACT else contract_for(delivery_body)
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


def _validate(
    *,
    kpis: dict[str, Kpi],
    figures: dict[str, Figures],
    period: date,
    complete: bool,
    targets: positions.Targets | None = None,
):
    """Check every KPI's figures. Returns {code: (value, Figures)}; raises one error dict naming every field.
    ``targets``: the KPIs' targets for the month's year, when already read."""
    errors: dict[str, str] = {}
    for code in figures:
        if code not in kpis:
            errors["kpi"] = f"'{code}' is not a KPI in this trust's catalogue"
    if targets is None:
        targets = positions.targets_for((k.pk for k in kpis.values()), start=period, end=period)  # the one year
    clean: dict[str, tuple[Decimal, Figures]] = {}
    for code, kpi in kpis.items():
        fig = figures.get(code, Figures())
        if fig.blank and not complete:
            continue
        check = _check_figures(kpi, fig)
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


def _check_figures(kpi: Kpi, fig: Figures):
    """The one check of a KPI's figures (value or numerator/denominator, for its unit)."""
    return calculations.check_value(
        unit=kpi.unit,
        is_fraction=kpi.is_fraction,
        title=kpi.title,
        value=fig.value,
        numerator=fig.numerator,
        denominator=fig.denominator,
    )


def return_state(monthly_return: MonthlyReturn | None) -> str:
    """What a return's figures are as of now, as a token a form carries: "new" before anything is saved, then
    the latest version's number and a digest of its reason and figures (so any change, even in the same
    second, gives another token, and a save that changed nothing keeps it)."""
    latest = monthly_return.versions.order_by("-number").first() if monthly_return else None
    if latest is None:
        return "new"
    rows = latest.values.order_by("kpi__code").values_list(
        "kpi__code", "value", "numerator", "denominator", "commentary"
    )
    digest = hashlib.sha256(repr((latest.reason, list(rows))).encode()).hexdigest()[:16]
    return f"{latest.number}:{digest}"


STALE_MESSAGE = (
    "The return for {month} was changed by someone else since you opened this page. Nothing was saved. Your "
    "figures are still below: check them against the saved return (open it in a new tab) and save again."
)


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
    based_on: str | None = None,
) -> MonthlyReturn:
    """Record a trust's figures for a month (form, upload or API), optionally submitting them.

    Before the first submission the figures go into the draft (version 1). After it, a
    correction is a NEW version that needs a reason; earlier versions stay as they were.
    An accepted return is never changed.

    ``based_on`` is the state (``return_state``) the figures were entered against, as a form carries it:
    if the return has changed since, nothing is saved (a lost update refused, not merged). Saves of one
    month are serialised by the return's row lock, so of two forms opened on the same state, one saves.

    The queries do not grow with the number of KPIs: the catalogue, the year's targets and the version's
    figures are read once, and the figures are written (with their history rows: who, when, why) in bulk.
    """
    today = today or timezone.localdate()
    _check_trust_user(delivery_body=delivery_body, user=user)
    _check_period(delivery_body=delivery_body, period=period, today=today)
    contract = _NO_CONTRACT
    monthly_return = (
        MonthlyReturn.objects.select_for_update().filter(delivery_body=delivery_body, period=period).first()
    )
    if monthly_return is None:
        contract = contract_for(delivery_body)
        try:
            with transaction.atomic():
                monthly_return = MonthlyReturn(
                    delivery_body=delivery_body,
                    period=period,
                    due_date=return_due_date(delivery_body=delivery_body, period=period, contract=contract),
                )
                monthly_return._history_user = user
                monthly_return.save()
        except IntegrityError:
            # Another submission for the same month (a retry, a second system) created it a moment
            # ago: wait for its lock and add to that return rather than fail.
            monthly_return = MonthlyReturn.objects.select_for_update().get(delivery_body=delivery_body, period=period)
    if monthly_return.status == S.ACCEPTED:
        raise ValidationError(
            {"period": f"The return for {_label(period)} has been accepted: accepted figures cannot be changed"}
        )
    if based_on is not None and based_on != return_state(monthly_return):
        raise ValidationError({"based_on": STALE_MESSAGE.format(month=_label(period))})
    catalogue, targets = positions.kpis_with_targets(kpis_reported(delivery_body, period), period)
    kpis = {k.code: k for k in catalogue}
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
    # The figures already held: the draft's own (changed in place), or the submitted version's (copied into the
    # new version, which never changes the submitted one). One query either way.
    existing: dict[str, ReturnValue] = {}
    previous: dict[str, Figures] = {}
    if latest is not None:
        held = {v.kpi.code: v for v in latest.values.select_related("kpi")}
        previous = {c: Figures(v.value, v.numerator, v.denominator, v.commentary) for c, v in held.items()}
        if version.pk:
            existing = held
    merged = {**previous, **{c: f for c, f in figures.items() if not f.blank}}
    clean = _validate(kpis=kpis, figures=merged, period=period, complete=submit, targets=targets)
    target = None
    if submit:
        target = _submission_target(
            monthly_return=monthly_return, user=user, kpis=kpis, have=set(existing) | set(clean)
        )
    now = timezone.now()
    version.reason = reason.strip()
    version.channel = channel
    if submit:
        _sign(version, user=user, now=now)
    version._history_user = user
    version.save()
    _write_values(version=version, kpis=kpis, clean=clean, existing=existing, user=user, now=now, period=period)
    if submit:
        if contract is _NO_CONTRACT:
            contract = contract_for(delivery_body)
        _mark_submitted(monthly_return=monthly_return, version=version, target=target, now=now, contract=contract)
    return monthly_return


VALUE_FIELDS = ("value", "numerator", "denominator", "commentary")


def _write_values(*, version, kpis, clean, existing, user, now, period: date) -> None:
    """Write the version's figures in one insert and one update (each with its history rows in one more): new
    rows for KPIs it did not hold, changed rows for those it held; a figure unchanged is not written again."""
    added: list[ReturnValue] = []
    changed: list[ReturnValue] = []
    for code, (value, fig) in clean.items():
        new = (value, fig.numerator, fig.denominator, fig.commentary.strip())
        row = existing.get(code)
        if row is None:
            added.append(ReturnValue(version=version, kpi=kpis[code], **dict(zip(VALUE_FIELDS, new, strict=True))))
            continue
        if tuple(getattr(row, f) for f in VALUE_FIELDS) == new:
            continue
        for field, v in zip(VALUE_FIELDS, new, strict=True):
            setattr(row, field, v)
        row.updated_at = now  # bulk_update does not touch auto_now fields
        changed.append(row)
    why = version.reason or f"{_label(period)} figures entered (version {version.number}, {version.channel})"
    if added:
        bulk_create_with_history(added, ReturnValue, default_user=user, default_change_reason=why, default_date=now)
    if changed:
        bulk_update_with_history(
            changed,
            ReturnValue,
            fields=[*VALUE_FIELDS, "updated_at"],
            default_user=user,
            default_change_reason=why,
            default_date=now,
        )


def _submission_target(*, monthly_return: MonthlyReturn, user, kpis: dict[str, Kpi], have: set[str]) -> str:
    """The status a submission moves the return to, once the workflow allows it and every KPI has a figure."""
    target = S.SUBMITTED if monthly_return.status == S.DRAFT else S.RESUBMITTED
    RETURN_WORKFLOW.check(obj=monthly_return, source=monthly_return.status, target=target, user=user)
    missing = [kpis[c].title for c in kpis if c not in have]
    if missing:
        raise ValidationError(
            {"values": f"Enter a value for every KPI before submitting. Missing: {', '.join(missing)}"}
        )
    return target


def _sign(version: ReturnVersion, *, user, now) -> None:
    version.submitted_at = now
    version.signed_off_by = user
    version.signed_off_name = ", ".join(p for p in [user.get_full_name() or user.username, user.job_title] if p)


def _mark_submitted(*, monthly_return: MonthlyReturn, version: ReturnVersion, target: str, now, contract) -> None:
    monthly_return.status = target
    if monthly_return.first_submitted_at is None:
        monthly_return.first_submitted_at = now
    monthly_return._history_user = version.signed_off_by
    monthly_return.save()
    _notify(
        kind="return_submitted",
        subject_key=f"performance.returnversion:{version.pk}",
        recipients=_council_officers(monthly_return, contract=contract),
        title=f"{monthly_return.delivery_body.name} {'submitted' if target == S.SUBMITTED else 'resubmitted'} "
        f"the {_label(monthly_return.period)} return (version {version.number}): review it",
        url=monthly_return.get_absolute_url(),
    )


def _submit(*, monthly_return: MonthlyReturn, version: ReturnVersion, user, kpis: dict[str, Kpi]) -> None:
    have = set(version.values.values_list("kpi__code", flat=True))
    target = _submission_target(monthly_return=monthly_return, user=user, kpis=kpis, have=have)
    now = timezone.now()
    _sign(version, user=user, now=now)
    version.save()
    _mark_submitted(
        monthly_return=monthly_return,
        version=version,
        target=target,
        now=now,
        contract=contract_for(monthly_return.delivery_body),
    )


@transaction.atomic
def return_submit(*, monthly_return: MonthlyReturn, user) -> MonthlyReturn:
    """Submit the figures already saved in the return's draft version."""
    _check_trust_user(delivery_body=monthly_return.delivery_body, user=user)
    version = monthly_return.versions.order_by("-number").first()
    if version is None or version.submitted_at is not None:
        raise ValidationError({"values": "There are no unsubmitted figures: enter or correct the figures first"})
    kpis = {k.code: k for k in kpis_reported(monthly_return.delivery_body, monthly_return.period)}
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


# --- the KPI catalogue: KPIs (with definition versions), targets and benchmarks ---------------
#
# A council officer keeps the catalogue of the trusts their council contracts with. Figures a
# council has accepted are never changed by an edit: a change to what a KPI measures takes
# effect from a month after the last accepted return, and returns before it keep the
# definition they were made under (KpiDefinition). A KPI with returns is retired, never deleted.

KPI_FIELDS = (
    "code",
    "title",
    "definition",
    "unit",
    "polarity",
    "frequency",
    "numerator_definition",
    "denominator_definition",
    "data_source",
    "priority",
    "contractual",
    "formal_reporting_start",
    "display_order",
)
DEFINITION_FIELDS = ("definition", "numerator_definition", "denominator_definition")


def _check_catalogue_editor(*, user, delivery_body) -> None:
    from django.core.exceptions import PermissionDenied

    from trustgov.organisations.models import DeliveryBody

    if not (user.is_superuser or (role_of(user) == Role.COUNCIL_OFFICER and user.has_perm("performance.change_kpi"))):
        raise PermissionDenied("Only a council officer keeps the KPI catalogue")
    if not visible(DeliveryBody, user).filter(pk=delivery_body.pk).exists():
        from django.http import Http404

        raise Http404("No such trust.")


def _first_of_month(value: date | None, field: str) -> date | None:
    if value is None:
        return None
    if not isinstance(value, date):
        raise ValidationError({field: "Enter a month"})
    return value.replace(day=1)


def _check_kpi_fields(*, delivery_body, data: dict, kpi: Kpi | None = None) -> None:
    from .models import ImprovementPriority

    code = data.get("code")
    if code is not None:
        clash = Kpi.objects.filter(delivery_body=delivery_body, code__iexact=code)
        if kpi is not None:
            clash = clash.exclude(pk=kpi.pk)
        if clash.exists():
            raise ValidationError({"code": f"{delivery_body} already has a KPI with the code '{code}'"})
    priority = data.get("priority")
    if priority is not None and not isinstance(priority, ImprovementPriority):
        priority = ImprovementPriority.objects.filter(delivery_body=delivery_body, pk=priority).first()
        if priority is None:
            raise ValidationError({"priority": f"Choose one of {delivery_body}'s improvement priorities"})
        data["priority"] = priority
    elif priority is not None and priority.delivery_body_id != delivery_body.pk:
        raise ValidationError({"priority": f"Choose one of {delivery_body}'s improvement priorities"})
    numerator = data.get("numerator_definition", kpi.numerator_definition if kpi else "")
    denominator = data.get("denominator_definition", kpi.denominator_definition if kpi else "")
    if bool(numerator) != bool(denominator):
        field = "denominator_definition" if numerator else "numerator_definition"
        raise ValidationError({field: "A rate needs both what is counted (numerator) and out of what (denominator)"})
    if "formal_reporting_start" in data:
        data["formal_reporting_start"] = _first_of_month(data["formal_reporting_start"], "formal_reporting_start")


@transaction.atomic
def kpi_create(*, user, delivery_body, **fields) -> Kpi:
    """A council officer adds a KPI to a trust's catalogue; its first definition applies from the start."""
    from .models import KpiDefinition

    _check_catalogue_editor(user=user, delivery_body=delivery_body)
    unknown = set(fields) - set(KPI_FIELDS)
    if unknown:
        raise ValidationError({name: "Not a KPI field" for name in sorted(unknown)})
    _check_kpi_fields(delivery_body=delivery_body, data=fields)
    if fields.get("display_order") is None:
        last = Kpi.objects.filter(delivery_body=delivery_body).order_by("-display_order").first()
        fields["display_order"] = (last.display_order + 1) if last else 1
    kpi = Kpi(delivery_body=delivery_body, **fields)
    kpi.full_clean()
    kpi.save()
    KpiDefinition.objects.create(
        kpi=kpi,
        effective_from=None,
        definition=kpi.definition,
        numerator_definition=kpi.numerator_definition,
        denominator_definition=kpi.denominator_definition,
        reason="First definition",
    )
    return kpi


def _accepted_months(kpi: Kpi) -> list[date]:
    return sorted(
        set(
            ReturnValue.objects.filter(
                kpi=kpi, version__monthly_return__status=MonthlyReturn.Status.ACCEPTED
            ).values_list("version__monthly_return__period", flat=True)
        )
    )


@transaction.atomic
def kpi_update(*, user, kpi: Kpi, definition_effective_from: date | None = None, reason: str = "", **changes) -> Kpi:
    """Change a KPI. What would change accepted figures is refused, naming the field; a new definition
    takes effect from a month after the last accepted return (earlier returns keep theirs)."""
    from .models import KpiDefinition

    _check_catalogue_editor(user=user, delivery_body=kpi.delivery_body)
    unknown = set(changes) - set(KPI_FIELDS)
    if unknown:
        raise ValidationError({name: "Not a KPI field" for name in sorted(unknown)})
    _check_kpi_fields(delivery_body=kpi.delivery_body, data=changes, kpi=kpi)
    changed = {f: v for f, v in changes.items() if getattr(kpi, f) != v}
    accepted = _accepted_months(kpi)
    has_values = kpi.values.exists()
    last = f"{accepted[-1]:%B %Y}" if accepted else ""
    if "code" in changed and has_values:
        raise ValidationError({"code": f"Returns already use the code '{kpi.code}': it cannot change"})
    for field in ("unit", "polarity"):
        if field in changed and accepted:
            raise ValidationError(
                {
                    field: f"Accepted returns up to {last} were rated in this {field}: changing it would change "
                    "accepted figures. Retire this KPI and add a new one instead"
                }
            )
    if "numerator_definition" in changed and accepted and bool(changed["numerator_definition"]) != kpi.is_fraction:
        raise ValidationError(
            {"numerator_definition": "Accepted returns were made with this KPI's way of calculating: it cannot change"}
        )
    effective = _first_of_month(definition_effective_from, "definition_effective_from")
    definition_changed = [f for f in DEFINITION_FIELDS if f in changed]
    if definition_changed and accepted and (effective is None or effective <= accepted[-1]):
        raise ValidationError(
            {
                definition_changed[0]: f"Returns up to {last} were accepted under the current definition: give the "
                f"month the new definition takes effect from, after {last}"
            }
        )
    if effective and not definition_changed:
        raise ValidationError({"definition_effective_from": "Give a month only when the definition changes"})
    if definition_changed:
        versions = list(kpi.definitions.all())
        if not versions:  # a KPI from before definitions were versioned: keep its original
            KpiDefinition.objects.create(
                kpi=kpi,
                definition=kpi.definition,
                numerator_definition=kpi.numerator_definition,
                denominator_definition=kpi.denominator_definition,
                reason="Definition before the first change",
            )
        target = kpi.definitions.filter(effective_from=effective).first() if effective else kpi.definitions.last()
        if target is None:
            target = KpiDefinition(kpi=kpi, effective_from=effective)
        for field in DEFINITION_FIELDS:
            setattr(target, field, changes.get(field, getattr(kpi, field)))
        target.reason = reason
        target.full_clean()
        target.save()
    for field, value in changed.items():
        setattr(kpi, field, value)
    if definition_changed and effective:
        # The KPI's own fields describe the latest definition.
        latest = kpi.definitions.last()
        for field in DEFINITION_FIELDS:
            setattr(kpi, field, getattr(latest, field))
    kpi._change_reason = reason or ""
    kpi.full_clean()
    kpi.save()
    return kpi


@transaction.atomic
def kpi_retire(*, user, kpi: Kpi, retired_from: date) -> Kpi:
    """No longer reported from a month. Its returns, targets and history stay; nothing is deleted."""
    _check_catalogue_editor(user=user, delivery_body=kpi.delivery_body)
    retired_from = _first_of_month(retired_from, "retired_from")
    if kpi.retired_from:
        raise ValidationError({"retired_from": f"{kpi.code} was retired from {kpi.retired_from:%B %Y} already"})
    later = kpi.values.filter(version__monthly_return__period__gte=retired_from).order_by(
        "-version__monthly_return__period"
    )
    if later.exists():
        month = later.first().version.monthly_return.period
        raise ValidationError(
            {"retired_from": f"Returns for {month:%B %Y} report {kpi.code}: retire it from a later month"}
        )
    kpi.retired_from = retired_from
    kpi.save()
    return kpi


@transaction.atomic
def target_save(
    *, user, kpi: Kpi, financial_year: int, value: Decimal, amber_tolerance: Decimal = Decimal(0), target=None
) -> Target:
    """A target for one financial year, with how far from it is amber (in the KPI's unit)."""
    _check_catalogue_editor(user=user, delivery_body=kpi.delivery_body)
    if not 2000 <= int(financial_year) <= 2100:
        raise ValidationError({"financial_year": "Enter the year the financial year starts, e.g. 2025 for 2025/26"})
    if amber_tolerance is None or amber_tolerance < 0:
        raise ValidationError({"amber_tolerance": "The amber tolerance must be 0 or more"})
    clash = Target.objects.filter(kpi=kpi, financial_year=financial_year)
    if target is not None:
        clash = clash.exclude(pk=target.pk)
    if clash.exists():
        raise ValidationError({"financial_year": f"{kpi.code} already has a target for that year: change that one"})
    target = target or Target(kpi=kpi)
    target.financial_year, target.value, target.amber_tolerance = financial_year, value, amber_tolerance
    target.full_clean()
    target.save()
    return target


NEIGHBOURS = 10  # the DfE's tool lists each authority's 10 nearest statistical neighbours


def _check_council_officer(*, user, council) -> None:
    """Only a council officer of that council (or an administrator) keeps its statistical neighbours."""
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    if user.is_superuser:
        return
    if getattr(user, "council_id", None) != council.pk:
        raise Http404("No such council.")
    if role_of(user) != Role.COUNCIL_OFFICER or not user.has_perm("performance.add_statisticalneighbourlist"):
        raise PermissionDenied("Only a council officer of the council keeps its statistical neighbours")


def _check_year_and_source(year: str, source: str) -> None:
    import re

    errors = {}
    if not re.fullmatch(r"\d{4}(-\d{2})?", year or ""):
        errors["year"] = "Enter the year the figure describes, e.g. 2024 or 2024-25"
    if not (source or "").strip():
        errors["source"] = "Enter where the figure comes from"
    if errors:
        raise ValidationError(errors)


def _la_code(raw) -> str:
    from .quartiles import LA_CODE

    code = str(raw or "").strip().upper()
    return code if LA_CODE.fullmatch(code) else ""


@transaction.atomic
def neighbour_list_save(*, user, council, year: str, source: str, neighbours: list[dict], neighbour_list=None):
    """Record (or correct) a council's 10 nearest statistical neighbours for a year, nearest first: each with an
    LA code (three-digit DfE number or nine-character ONS code) and a name; no authority twice, not the council
    itself. The history keeps every earlier version."""
    from .models import StatisticalNeighbourList
    from .quartiles import LA_CODE_HELP

    _check_council_officer(user=user, council=council)
    _check_year_and_source(year, source)
    errors, rows, seen = [], [], {}
    if len(neighbours) != NEIGHBOURS:
        errors.append(f"Enter exactly {NEIGHBOURS} neighbours, nearest first (you entered {len(neighbours)})")
    own = {c for c in (council.la_code, council.gss_code) if c}
    for number, row in enumerate(neighbours[: NEIGHBOURS + 5], start=1):
        code, name = _la_code(row.get("la_code")), str(row.get("name") or "").strip()
        if not code:
            errors.append(f"Neighbour {number}: enter its LA code, {LA_CODE_HELP}")
        elif code in seen:
            errors.append(f"Neighbour {number}: {code} is already neighbour {seen[code]}")
        elif code in own:
            errors.append(f"Neighbour {number}: {code} is {council.name} itself")
        if not name:
            errors.append(f"Neighbour {number}: enter its name")
        elif len(name) > 100:
            errors.append(f"Neighbour {number}: the name must be 100 characters or fewer")
        seen.setdefault(code, number)
        rows.append({"la_code": code, "name": name})
    if errors:
        raise ValidationError({"neighbours": errors})
    clash = StatisticalNeighbourList.objects.filter(council=council, year=year)
    if neighbour_list is not None:
        clash = clash.exclude(pk=neighbour_list.pk)
    if clash.exists():
        raise ValidationError({"year": f"{council.name} already has a neighbour list for {year}: change that one"})
    neighbour_list = neighbour_list or StatisticalNeighbourList(council=council)
    neighbour_list.year, neighbour_list.source, neighbour_list.neighbours = year, source.strip(), rows
    neighbour_list.full_clean()
    neighbour_list._history_user = user  # who, when the service is called outside a request too
    neighbour_list.save()
    return neighbour_list


def _benchmark_figures(figures: list[dict], neighbour_list) -> tuple[list[dict], list]:
    """Each authority's figure checked (LA code, no authority twice, a number or a suppression code); the rows as
    stored and the figures for the quartiles. Every error names the row."""
    from .quartiles import LA_CODE_HELP, FigureError, parse_figure

    listed = {n["la_code"]: n["name"] for n in neighbour_list.neighbours} if neighbour_list else None
    errors, rows, values, seen = [], [], [], {}
    for number, row in enumerate(figures, start=1):
        code = _la_code(row.get("la_code"))
        if not code:
            errors.append(f"Row {number}: enter the LA code, {LA_CODE_HELP}")
        elif code in seen:
            errors.append(f"Row {number}: {code} is already in row {seen[code]}")
        elif listed is not None and code not in listed:
            errors.append(f"Row {number}: {code} is not one of the council's statistical neighbours")
        seen.setdefault(code, number)
        try:
            figure = parse_figure(row.get("value"))
        except FigureError as exc:
            errors.append(f"Row {number}: {exc}")
            continue
        name = str(row.get("name") or "").strip()[:100] or (listed or {}).get(code, "")
        rows.append({"la_code": code, "name": name, "value": str(figure)})
        values.append(figure)
    if errors:
        raise ValidationError({"figures": errors})
    return rows, values


@transaction.atomic
def benchmark_save(
    *,
    user,
    kpi: Kpi,
    kind: str,
    year: str,
    source: str,
    value: Decimal | None = None,
    code: str = "",
    lower_quartile: Decimal | None = None,
    upper_quartile: Decimal | None = None,
    figures_used: int | None = None,
    figures: list[dict] | None = None,
    neighbour_list=None,
    benchmark=None,
):
    """A comparator for a year, with its source (ADR 0306). England: a figure or a suppression code. Region or
    statistical neighbours: the median (``value``) with its quartiles and count as published, or each authority's
    figure (``figures``), from which the median and quartiles are computed with suppression codes excluded."""
    from .models import Benchmark
    from .quartiles import quartiles, rounded

    _check_catalogue_editor(user=user, delivery_body=kpi.delivery_body)
    if kind not in Benchmark.Kind.values:
        raise ValidationError({"kind": "Choose England, region or statistical neighbours"})
    _check_year_and_source(year, source)
    code = (code or "").strip().lower()
    if code and code not in Benchmark.Code.values:
        raise ValidationError({"code": "A suppression code is one of c, k, u, x or z"})
    if neighbour_list is None and kind == Benchmark.Kind.STATISTICAL_NEIGHBOURS and figures:
        # The neighbours' figures are of the council's latest list: each must be one of them.
        neighbour_list = kpi.delivery_body.council.neighbour_lists.order_by("-year").first()
    if neighbour_list is not None:
        if kind != Benchmark.Kind.STATISTICAL_NEIGHBOURS:
            raise ValidationError({"neighbour_list": "Only a statistical neighbours benchmark has a neighbour list"})
        if neighbour_list.council_id != kpi.delivery_body.council_id:
            raise ValidationError({"neighbour_list": "Choose a neighbour list of the council that owns the trust"})
    excluded = 0
    rows = []
    if figures:
        if kind == Benchmark.Kind.ENGLAND:
            raise ValidationError({"figures": "England has one figure: enter it as the value"})
        if value is not None or code or lower_quartile is not None or upper_quartile is not None or figures_used:
            raise ValidationError({"figures": "Enter either each authority's figure or the median and quartiles"})
        rows, values = _benchmark_figures(figures, neighbour_list)
        result = quartiles(values)
        if result.used == 0:
            raise ValidationError({"figures": "Every figure is a suppression code: there is no median to compute"})
        value, lower_quartile, upper_quartile = rounded(result.median), rounded(result.lower), rounded(result.upper)
        figures_used, excluded = result.used, result.excluded
    else:
        if (value is None) == (not code):
            raise ValidationError({"value": "Enter the value or a suppression code (c, k, u, x or z), not both"})
        if kind == Benchmark.Kind.ENGLAND and (lower_quartile is not None or upper_quartile is not None):
            raise ValidationError({"lower_quartile": "England has one figure: it has no quartiles"})
        if code and (lower_quartile is not None or upper_quartile is not None):
            raise ValidationError({"lower_quartile": "A suppressed figure has no quartiles"})
        if lower_quartile is not None and value is not None and lower_quartile > value:
            raise ValidationError({"lower_quartile": "The lower quartile must not be above the median"})
        if upper_quartile is not None and value is not None and upper_quartile < value:
            raise ValidationError({"upper_quartile": "The upper quartile must not be below the median"})
        if figures_used is not None and figures_used < 1:
            raise ValidationError({"figures_used": "The count of figures used must be 1 or more"})
    clash = Benchmark.objects.filter(kpi=kpi, kind=kind, year=year)
    if benchmark is not None:
        clash = clash.exclude(pk=benchmark.pk)
    if clash.exists():
        raise ValidationError({"year": f"{kpi.code} already has that benchmark for {year}: change that one"})
    benchmark = benchmark or Benchmark(kpi=kpi)
    benchmark.kind, benchmark.year, benchmark.source = kind, year, source.strip()
    benchmark.value, benchmark.code = value, code
    benchmark.lower_quartile, benchmark.upper_quartile = lower_quartile, upper_quartile
    benchmark.figures_used, benchmark.figures_excluded, benchmark.figures = figures_used, excluded, rows
    benchmark.neighbour_list = neighbour_list
    benchmark.full_clean()
    benchmark._history_user = user  # who, when the service is called outside a request too
    benchmark.save()
    return benchmark


@transaction.atomic
def kpi_baseline_recalculate(*, user, kpi: Kpi, effective_from: date, reason: str, note: str):
    """Recalculate the KPI's statistical process control baseline from a month (a new contract, a service
    change): the mean and process limits are computed afresh from that month (ADR 0305). A definition change
    recalculates it by itself, so a month with one is refused here."""
    from .models import KpiBaseline, KpiDefinition

    _check_catalogue_editor(user=user, delivery_body=kpi.delivery_body)
    effective_from = _first_of_month(effective_from, "effective_from")
    if effective_from is None:
        raise ValidationError({"effective_from": "Enter the month the new baseline starts"})
    if reason not in KpiBaseline.Reason.values:
        raise ValidationError({"reason": "Choose a new contract or a service change"})
    if not (note or "").strip():
        raise ValidationError({"note": "Say what changed from that month"})
    if KpiBaseline.objects.filter(kpi=kpi, effective_from=effective_from).exists():
        raise ValidationError(
            {"effective_from": f"{kpi.code}'s baseline is recalculated from {effective_from:%B %Y} already"}
        )
    if KpiDefinition.objects.filter(kpi=kpi, effective_from=effective_from).exists():
        raise ValidationError(
            {
                "effective_from": f"{kpi.code}'s definition changed from {effective_from:%B %Y}: that recalculates "
                "its baseline already"
            }
        )
    baseline = KpiBaseline(kpi=kpi, effective_from=effective_from, reason=reason, note=note.strip())
    baseline.full_clean()
    baseline.save()
    return baseline


# --- improvement plan editing: priorities, actions, trajectory milestones (council officers) --
# The trust updates an action's status and evidence (action_update); the council sets the plan.


@transaction.atomic
def priority_save(*, user, delivery_body, number: int, title: str, description: str = "", priority=None):
    from .models import ImprovementPriority

    _check_catalogue_editor(user=user, delivery_body=delivery_body)
    clash = ImprovementPriority.objects.filter(delivery_body=delivery_body, number=number)
    if priority is not None:
        clash = clash.exclude(pk=priority.pk)
    if clash.exists():
        raise ValidationError({"number": f"{delivery_body} already has a priority {number}: choose another number"})
    priority = priority or ImprovementPriority(delivery_body=delivery_body)
    priority.number, priority.title, priority.description = number, title.strip(), description.strip()
    priority.full_clean()
    priority.save()
    return priority


@transaction.atomic
def improvement_action_save(*, user, priority, title: str, owner: str, due_date: date, action=None):
    """The council adds an action to a priority or changes what it is, who owns it and when it is due."""
    from .models import ImprovementAction

    _check_catalogue_editor(user=user, delivery_body=priority.delivery_body)
    if action is not None and action.priority.delivery_body_id != priority.delivery_body_id:
        raise ValidationError({"priority": "Choose a priority of the same trust"})
    action = action or ImprovementAction(status=ImprovementAction.Status.NOT_STARTED)
    action.priority, action.title, action.owner, action.due_date = priority, title.strip(), owner.strip(), due_date
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def milestone_save(*, user, delivery_body, judgement: str, by_date: date, milestone=None):
    """A point on the contract's improvement trajectory: the Ofsted judgement to reach by a date."""
    from .models import OfstedEvent, TrajectoryMilestone

    _check_catalogue_editor(user=user, delivery_body=delivery_body)
    if not judgement or judgement not in OfstedEvent.Judgement.values:
        raise ValidationError({"judgement": "Choose the judgement to reach"})
    clash = TrajectoryMilestone.objects.filter(delivery_body=delivery_body, by_date=by_date)
    if milestone is not None:
        clash = clash.exclude(pk=milestone.pk)
    if clash.exists():
        raise ValidationError({"by_date": f"The trajectory already has a point on {by_date:%d %B %Y}"})
    milestone = milestone or TrajectoryMilestone(delivery_body=delivery_body)
    milestone.judgement, milestone.by_date = judgement, by_date
    milestone.full_clean()
    milestone.save()
    return milestone


# --- historic returns (an onboarding import) -------------------------------------------------
# A council adopting TrustGov brings the figures its trust reported before: they arrive as returns
# the council has already accepted. A trust's submitted figures are never overwritten (0300): a
# month the trust has already returned must carry the same figures, or the import is refused.

HISTORIC_CHANNEL = "import"


def _same(existing: ReturnValue, fig: Figures, value: Decimal) -> bool:
    same = (existing.value, existing.numerator, existing.denominator) == (value, fig.numerator, fig.denominator)
    return same and (not fig.commentary.strip() or fig.commentary.strip() == existing.commentary)


def historic_return_conflicts(*, delivery_body, period: date, figures: dict[str, Figures]) -> dict[str, str] | None:
    """How imported figures for a month differ from what the trust already returned for it.

    None when there is no return for the month (it can be imported); ``{}`` when every figure is the
    same as the latest submitted version's (nothing to do); otherwise a message per KPI code.
    """
    monthly_return = MonthlyReturn.objects.filter(delivery_body=delivery_body, period=period).first()
    if monthly_return is None:
        return None
    label = _label(period)
    latest = monthly_return.versions.filter(submitted_at__isnull=False).order_by("-number").first()
    if latest is None:
        return {
            code: f"{delivery_body} has started its own {label} return: it is theirs to submit, not the import's"
            for code in figures
        }
    have = {v.kpi.code: v for v in latest.values.select_related("kpi")}
    kpis = {k.code: k for k in Kpi.objects.filter(delivery_body=delivery_body, code__in=list(figures))}
    out: dict[str, str] = {}
    for code, fig in figures.items():
        existing, kpi = have.get(code), kpis.get(code)
        if kpi is None:
            continue
        check = _check_figures(kpi, fig)
        if check.errors:
            continue
        if existing is None:
            out[code] = (
                f"{delivery_body} submitted its {label} return without {code}: a submitted return is not changed"
            )
        elif not _same(existing, fig, check.value):
            out[code] = (
                f"{delivery_body} submitted {positions.format_value(existing.value, kpi.unit)} for {code} in {label} "
                f"(version {latest.number}): a trust's submitted figures are never overwritten"
            )
    return out


@transaction.atomic
def historic_return_record(
    *, user, delivery_body, period: date, figures: dict[str, Figures], reason: str, today: date | None = None
) -> MonthlyReturn:
    """A month the trust reported before TrustGov, recorded as a return the council has accepted.

    Only a council officer of the trust's council records one. A month already returned is left as it is
    when every figure is the same, and refused (naming each KPI, ``<CODE>-value``) when any differs.
    """
    _check_catalogue_editor(user=user, delivery_body=delivery_body)
    today = today or timezone.localdate()
    if period.day != 1:
        raise ValidationError({"period": "The return period must be a whole month"})
    if month_end(period.year, period.month) >= today:
        raise ValidationError(
            {"period": f"{_label(period)} has not ended yet: historic figures are for months that have ended"}
        )
    kpis = {k.code: k for k in kpis_reported(delivery_body, period)}
    errors: dict[str, str] = {}
    clean: dict[str, tuple[Decimal, Figures]] = {}
    for code, fig in figures.items():
        kpi = kpis.get(code)
        if kpi is None:
            errors[f"{code}-kpi"] = f"'{code}' is not a KPI in {delivery_body}'s catalogue"
            continue
        check = _check_figures(kpi, fig)
        errors.update({f"{code}-{field}": message for field, message in check.errors.items()})
        if not check.errors:
            clean[code] = (check.value, fig)
    if errors:
        raise ValidationError(errors)
    conflicts = historic_return_conflicts(delivery_body=delivery_body, period=period, figures=figures)
    if conflicts:
        raise ValidationError({f"{code}-value": message for code, message in conflicts.items()})
    if conflicts is not None:
        return MonthlyReturn.objects.get(delivery_body=delivery_body, period=period)
    now = timezone.now()
    monthly_return = MonthlyReturn(
        delivery_body=delivery_body,
        period=period,
        status=S.ACCEPTED,
        due_date=return_due_date(delivery_body=delivery_body, period=period),
        first_submitted_at=now,
        accepted_at=now,
        accepted_by=user,
    )
    monthly_return._change_reason = reason
    monthly_return.save()
    version = ReturnVersion(
        monthly_return=monthly_return,
        number=1,
        reason=reason,
        created_by=user,
        channel=HISTORIC_CHANNEL,
        submitted_at=now,
        signed_off_by=user,
        signed_off_name=", ".join(p for p in [user.get_full_name() or user.username, user.job_title] if p),
    )
    version.save()
    _write_values(version=version, kpis=kpis, clean=clean, existing={}, user=user, now=now, period=period)
    monthly_return.accepted_version = version
    monthly_return.save()
    return monthly_return
