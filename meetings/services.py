"""Every change to meetings, papers, minutes, resolutions, actions, feeds and notifications."""

import calendar
import re
import secrets
from datetime import date, time

import holidays
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from contracts.models import Contract, Obligation
from trustgov.accounts.models import hash_token_key
from trustgov.accounts.roles import Role, role_of
from trustgov.core.dates import (
    add_months,
    day_by_rule,
    is_bank_holiday,
    is_working_day,
    next_working_day,
    parse_day_rule,
)
from trustgov.core.notifications import Frequency, notification_kinds
from trustgov.core.permissions import role_refused
from trustgov.core.publishing import announce_papers_published
from trustgov.organisations.models import Council

from .extract import paper_text
from .models import (
    Action,
    ActionUpdate,
    AgendaItem,
    Attendance,
    BodyKind,
    CalendarFeed,
    Declaration,
    Document,
    ForwardPlanEntry,
    Meeting,
    Minutes,
    NotificationPreference,
    Resolution,
)
from .notifications import tell_papers_published
from .uploads import check_upload
from .workflows import ACTION_WORKFLOW, MEETING_WORKFLOW, MINUTES_WORKFLOW, PAPER_WORKFLOW

# Which obligations make meetings, and the body that meets.
OBLIGATION_BODY = {
    Obligation.Kind.PERFORMANCE_MEETING: BodyKind.PERFORMANCE_MEETING,
    Obligation.Kind.STRATEGIC_PARTNERSHIP_BOARD: BodyKind.STRATEGIC_PARTNERSHIP_BOARD,
    Obligation.Kind.SCRUTINY_SESSION: BodyKind.SCRUTINY_COMMITTEE,
    Obligation.Kind.BUDGET_SCRUTINY: BodyKind.BUDGET_SCRUTINY,
    Obligation.Kind.IMPROVEMENT_BOARD: BodyKind.IMPROVEMENT_BOARD,
}
# The usual slot of each body in its month: (nth week, weekday Mon=0), start time, place.
BODY_SLOT = {
    BodyKind.PERFORMANCE_MEETING: (2, calendar.TUESDAY, time(10, 0), "DCS office"),
    BodyKind.STRATEGIC_PARTNERSHIP_BOARD: (3, calendar.WEDNESDAY, time(14, 0), "Council House"),
    BodyKind.SCRUTINY_COMMITTEE: (1, calendar.THURSDAY, time(18, 0), "Council Chamber"),
    BodyKind.BUDGET_SCRUTINY: (2, calendar.THURSDAY, time(18, 0), "Council Chamber"),
    BodyKind.IMPROVEMENT_BOARD: (4, calendar.MONDAY, time(13, 0), "Council House"),
}
RECURRENCE_STEP = {
    Obligation.Recurrence.MONTHLY: 1,
    Obligation.Recurrence.QUARTERLY: 3,
    Obligation.Recurrence.TWICE_YEARLY: 6,
    Obligation.Recurrence.ANNUALLY: 12,
}
# The cycle used when a contract records no meeting obligations: (body, recurrence, month_of_year).
DEFAULT_CYCLE = [
    (BodyKind.PERFORMANCE_MEETING, Obligation.Recurrence.MONTHLY, None),
    (BodyKind.STRATEGIC_PARTNERSHIP_BOARD, Obligation.Recurrence.QUARTERLY, 1),  # Jan, Apr, Jul, Oct
    (BodyKind.SCRUTINY_COMMITTEE, Obligation.Recurrence.TWICE_YEARLY, 6),  # June and December
    (BodyKind.BUDGET_SCRUTINY, Obligation.Recurrence.ANNUALLY, 2),  # each February
    (BodyKind.IMPROVEMENT_BOARD, Obligation.Recurrence.QUARTERLY, 2),  # Feb, May, Aug, Nov
]


def _check_working_day(day: date, field: str = "date") -> None:
    if is_bank_holiday(day):
        name = holidays.country_holidays("GB", subdiv="ENG", years=day.year).get(day)
        raise ValidationError(
            {field: f"{day:%-d %B %Y} is a bank holiday ({name}). Choose a working day for the meeting."}
        )
    if not is_working_day(day):
        raise ValidationError({field: f"{day:%-d %B %Y} is a {day:%A}. Choose a working day for the meeting."})


def _require_officer(user, field: str = "status") -> None:
    if not (user.is_superuser or role_of(user) == Role.COUNCIL_OFFICER):
        raise role_refused(field, "Only a council officer can do this.")


def _occurrence_months(start: date, recurrence: str, month_of_year: int | None) -> list[date]:
    """The first day of each month, in the 12 months from ``start``, when the body meets.

    Months are anchored on the calendar (``month_of_year``, else January), not on ``start``,
    so a cycle regenerated from a different month lands on the same occurrences.
    """
    step = RECURRENCE_STEP.get(recurrence)
    if step is None:
        return []
    anchor = month_of_year or 1
    months = [add_months(start.replace(day=1), i) for i in range(12)]
    return [m for m in months if (m.month - anchor) % step == 0]


@transaction.atomic
def cycle_generate(*, contract: Contract, start: date, user=None, today: date | None = None) -> list[Meeting]:
    """Generate a year of meetings from the contract's obligations, starting at ``start``.

    Each meeting is keyed on (obligation, occurrence), so regenerating never duplicates a
    meeting and never touches one an officer has edited, moved or cancelled since. A contract
    that records no meeting obligations gets the usual cycle (``DEFAULT_CYCLE``), keyed on
    (council, body, occurrence). An obligation without a month of the year falls in the same
    months as the usual cycle for its body. ``user`` is None only for system callers (seed_demo).
    """
    if user is not None:
        _require_officer(user, "contract")
        if not user.is_superuser and user.council_id != contract.council_id:
            raise ValidationError({"contract": "Choose a contract of your own council."})
    # One generation per council at a time. The unique (obligation, occurrence) constraint catches a
    # second run making the same meeting, but the check by (council, body, occurrence) below reads
    # meetings from other obligations too, which an uncommitted concurrent run would hide from it.
    if contract.status != Contract.Status.LIVE:
        raise ValidationError(
            {
                "contract": f"The contract is {contract.get_status_display().lower()}: a governance cycle is "
                "generated only for a live contract."
            }
        )
    Council.objects.select_for_update().get(pk=contract.council_id)
    obligations = list(contract.obligations.filter(kind__in=list(OBLIGATION_BODY)))
    anchors = {body: month for body, _, month in DEFAULT_CYCLE}
    plan = [
        (o, OBLIGATION_BODY[o.kind], o.recurrence, o.month_of_year or anchors[OBLIGATION_BODY[o.kind]])
        for o in obligations
    ] or [(None, body, recurrence, month) for body, recurrence, month in DEFAULT_CYCLE]
    return _generate(
        council=contract.council, delivery_body=contract.delivery_body, plan=plan, start=start, today=today
    )


def _generate(*, council, delivery_body, plan, start: date, today: date | None) -> list[Meeting]:
    today = today or timezone.localdate()
    if start < today:
        raise ValidationError({"start": "The cycle cannot start in the past. Enter today or a later date."})
    created = []
    for obligation, body, recurrence, month_of_year in plan:
        nth, weekday, start_time, place = BODY_SLOT[body]
        if recurrence == Obligation.Recurrence.ONCE:
            if not (obligation and obligation.due_date and obligation.due_date >= start):
                continue
            occurrences = [(obligation.due_date.strftime("%Y-%m"), next_working_day(obligation.due_date))]
        else:
            if obligation is not None and obligation.meeting_day.strip():
                nth, weekday = parse_day_rule(obligation.meeting_day)  # the contract's own rule
            occurrences = [
                (month.strftime("%Y-%m"), next_working_day(day_by_rule(month.year, month.month, nth, weekday)))
                for month in _occurrence_months(start, recurrence, month_of_year)
            ]
        for occurrence, day in occurrences:
            if day < start:
                continue
            # Skip an occurrence already in the cycle: from this obligation (even if its body was since
            # changed), or any meeting of this body generated for that month (the usual cycle included).
            if (
                Meeting.objects.filter(obligation=obligation, occurrence=occurrence)
                .exclude(obligation__isnull=True)
                .exists()
                or Meeting.objects.filter(council=council, body_kind=body, occurrence=occurrence).exists()
            ):
                continue
            meeting = Meeting(
                council=council,
                delivery_body=delivery_body,
                body_kind=body,
                title=f"{BodyKind(body).label} – {day:%B %Y}",
                date=day,
                start_time=start_time,
                place=place,
                obligation=obligation,
                occurrence=occurrence,
            )
            meeting.full_clean(validate_constraints=False)
            try:
                with transaction.atomic():
                    meeting.save()
            except IntegrityError:
                continue  # generated concurrently by someone else
            created.append(meeting)
            _place_pending_reports(meeting)
    return created


@transaction.atomic
def meeting_create(*, user, council, body_kind: str, title: str, date: date, delivery_body=None, **fields) -> Meeting:
    _require_officer(user, "title")
    _check_working_day(date)
    if delivery_body is not None and not delivery_body.is_owned_by(council):
        raise ValidationError({"delivery_body": "The delivery body must belong to the meeting's council."})
    meeting = Meeting(
        council=council, delivery_body=delivery_body, body_kind=body_kind, title=title, date=date, **fields
    )
    meeting.full_clean()
    meeting.save()
    _place_pending_reports(meeting)
    return meeting


EDITABLE_MEETING_FIELDS = {"title", "date", "start_time", "place", "quorum", "body_kind"}


@transaction.atomic
def meeting_update(*, meeting: Meeting, user, **changes) -> Meeting:
    _require_officer(user, "title")
    unknown = set(changes) - EDITABLE_MEETING_FIELDS
    if unknown:
        raise ValidationError({"title": f"These fields cannot be changed here: {', '.join(sorted(unknown))}."})
    if "date" in changes and changes["date"] != meeting.date:
        _check_working_day(changes["date"])
    for name, value in changes.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_publish_papers(*, meeting: Meeting, user, published_on: date | None = None) -> bool:
    """Publish the agenda and papers. Returns True when they are late (fewer than 5 clear working days)."""
    MEETING_WORKFLOW.check(obj=meeting, source=meeting.status, target=Meeting.Status.PAPERS_PUBLISHED, user=user)
    meeting.papers_published_on = published_on or timezone.localdate()
    if meeting.papers_published_on > meeting.date:
        raise ValidationError({"published_on": "Papers cannot be published after the meeting."})
    meeting.status = Meeting.Status.PAPERS_PUBLISHED
    meeting.save()
    published = []
    for document in Document.objects.filter(agenda_item__meeting=meeting, publication=Document.Publication.APPROVED):
        _publish(document, user, "Published with the meeting's agenda and papers")
        published.append(document.pk)
    # One notification for the whole batch, to those who asked for it (ADR 0607).
    key = f"meetings.meeting:{meeting.pk}:papers-published"
    tell_papers_published(meeting, published, actor=user, subject_key=key)
    # And to whoever else listens: the public's email subscriptions (ADR 0609).
    announce_papers_published(meeting_pk=meeting.pk, document_pks=published, subject_key=key)
    return meeting.papers_late()


def _publish(document: Document, user, reason: str) -> None:
    document.publication = Document.Publication.PUBLISHED
    document.published_by, document.published_at = user, timezone.now()
    document._change_reason, document._history_user = reason, user
    document.save()


@transaction.atomic
def document_publication(*, document: Document, user, target: str, reason: str = "") -> Document:
    """Move a paper on: draft → approved for publication → published (readers see only published papers).

    Publishing records who and when. A paper is published with the meeting's agenda (every approved paper at
    once) or, added later, on its own once the agenda is out. A published paper is never unpublished: a
    correction is a new paper.
    """
    document = (
        Document.objects.select_for_update(of=("self",)).select_related("agenda_item__meeting").get(pk=document.pk)
    )
    PAPER_WORKFLOW.check(obj=document, source=document.publication, target=target, user=user, field_name="target")
    if target == Document.Publication.PUBLISHED:
        _publish(document, user, reason or "Published")
        key = f"meetings.document:{document.pk}:published"
        tell_papers_published(document.agenda_item.meeting, [document.pk], actor=user, subject_key=key)
        announce_papers_published(
            meeting_pk=document.agenda_item.meeting_id, document_pks=[document.pk], subject_key=key
        )
        return document
    if target == Document.Publication.APPROVED:
        document.approved_by, document.approved_at = user, timezone.now()
    else:
        if not (reason or "").strip():
            raise ValidationError({"reason": "Give the reason for withdrawing the approval."})
        document.approved_by = document.approved_at = None
    document.publication = target
    document._change_reason = (reason or "").strip() or PAPER_WORKFLOW.tag(target)[0]
    document._history_user = user
    document.save()
    return document


def papers_in_draft(meeting: Meeting) -> int:
    """How many of the meeting's papers are still drafts (not yet approved for publication)."""
    return Document.objects.filter(agenda_item__meeting=meeting, publication=Document.Publication.DRAFT).count()


@transaction.atomic
def meeting_set_status(*, meeting: Meeting, user, status: str) -> Meeting:
    if status == Meeting.Status.PAPERS_PUBLISHED:
        meeting_publish_papers(meeting=meeting, user=user)
        return meeting
    MEETING_WORKFLOW.check(obj=meeting, source=meeting.status, target=status, user=user)
    if status == Meeting.Status.HELD and meeting.date > timezone.localdate():
        raise ValidationError({"status": "A meeting cannot be recorded as held before its date."})
    meeting.status = status
    meeting.save()
    return meeting


def _next_order(meeting: Meeting) -> int:
    last = meeting.items.order_by("-order").values_list("order", flat=True).first()
    return (last or 0) + 1


def _check_exempt(is_exempt: bool, category: str) -> None:
    if is_exempt and not category:
        raise ValidationError(
            {"exempt_category": "Choose the Schedule 12A category that makes this not for publication."}
        )
    if category and not is_exempt:
        raise ValidationError(
            {"exempt_category": "Only a paper marked not for publication has a Schedule 12A category."}
        )


@transaction.atomic
def agenda_item_create(
    *,
    meeting: Meeting,
    user,
    title: str,
    report: str = "",
    report_author: str = "",
    minute_number: str = "",
    is_exempt: bool = False,
    exempt_category: str = "",
    order: int | None = None,
    requested_by: Resolution | None = None,
) -> AgendaItem:
    if user is not None:
        _require_officer(user, "title")
    _check_exempt(is_exempt, exempt_category)
    item = AgendaItem(
        meeting=meeting,
        title=title,
        report=report,
        report_author=report_author,
        minute_number=minute_number,
        is_exempt=is_exempt,
        exempt_category=exempt_category,
        order=order or _next_order(meeting),
        requested_by=requested_by,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def agenda_item_update(*, item: AgendaItem, user, **changes) -> AgendaItem:
    _require_officer(user, "title")
    for name, value in changes.items():
        setattr(item, name, value)
    _check_exempt(item.is_exempt, item.exempt_category)
    item.full_clean()
    item.save()
    if item.is_exempt:
        _exempt_follow_ups(item, user)
    return item


def _exempt_follow_ups(item: AgendaItem, user) -> None:
    """Items requested by resolutions on an exempt item become exempt on its paragraph (and theirs, on down)."""
    for follow_up in AgendaItem.objects.filter(requested_by__agenda_item=item, is_exempt=False):
        follow_up.is_exempt = True
        follow_up.exempt_category = item.exempt_category
        follow_up.full_clean()
        follow_up._history_user = user
        follow_up._change_reason = "Exempt: follows up an exempt item"
        follow_up.save()
        _exempt_follow_ups(follow_up, user)


@transaction.atomic
def document_upload(
    *, agenda_item: AgendaItem, user, title: str, file, is_exempt: bool = False, exempt_category: str = ""
) -> Document:
    _require_officer(user, "file")
    _check_exempt(is_exempt, exempt_category)
    file_type = check_upload(file)
    document = Document(
        agenda_item=agenda_item,
        title=title,
        file=file,
        file_type=file_type,
        size=file.size,
        is_exempt=is_exempt,
        exempt_category=exempt_category,
        uploaded_by=user,
        text=paper_text(file, file_type),
    )
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def attendance_record(*, meeting: Meeting, user, name: str, capacity: str = "", status: str) -> Attendance:
    _require_officer(user, "name")
    attendance = Attendance.objects.filter(meeting=meeting, name=name).first() or Attendance(meeting=meeting, name=name)
    attendance.capacity = capacity
    attendance.status = status
    attendance.full_clean()
    attendance.save()
    return attendance


@transaction.atomic
def declaration_record(
    *,
    meeting: Meeting,
    user,
    text: str,
    person_name: str = "",
    person=None,
    agenda_item: AgendaItem | None = None,
) -> Declaration:
    """Record a declaration of interest, linked to the declarer's entry in the boards register if given."""
    _require_officer(user, "text")
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": "Choose an item on this meeting's agenda."})
    if person is not None:
        if person.council_id != meeting.council_id:
            raise ValidationError({"person": "Choose someone in this council's register."})
        person_name = person_name.strip() or person.display_name
    if not person_name.strip():
        raise ValidationError({"person_name": "Enter who declared the interest, or choose them from the register."})
    declaration = Declaration(
        meeting=meeting, person_name=person_name, person=person, text=text, agenda_item=agenda_item
    )
    declaration.full_clean()
    declaration.save()
    return declaration


@transaction.atomic
def minutes_save_draft(*, meeting: Meeting, user, text: str) -> Minutes:
    _require_officer(user, "text")
    if not text.strip():
        raise ValidationError({"text": "Enter the minutes."})
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes and minutes.status == Minutes.Status.APPROVED:
        raise ValidationError({"text": "These minutes were approved as a correct record and cannot be changed."})
    minutes = minutes or Minutes(meeting=meeting)
    minutes.text = text
    minutes.full_clean()
    minutes.save()
    return minutes


@transaction.atomic
def minutes_approve(*, minutes: Minutes, approving_meeting: Meeting, user) -> Minutes:
    """Record that a later meeting of the same body approved the minutes as a correct record."""
    MINUTES_WORKFLOW.check(obj=minutes, source=minutes.status, target=Minutes.Status.APPROVED, user=user)
    meeting = minutes.meeting
    if approving_meeting.status != Meeting.Status.HELD or approving_meeting.date > timezone.localdate():
        raise ValidationError(
            {
                "approving_meeting": f"{approving_meeting} has not taken place yet: minutes are approved at a meeting "
                "that has been held. Record that meeting as held first."
            }
        )
    if (
        approving_meeting.council_id != meeting.council_id
        or approving_meeting.body_kind != meeting.body_kind
        or approving_meeting.date <= meeting.date
    ):
        raise ValidationError(
            {"approving_meeting": "Minutes are approved at a later meeting of the same body. Choose that meeting."}
        )
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at = approving_meeting
    minutes.approved_on = approving_meeting.date
    minutes.save()
    return minutes


MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
FUTURE_REPORT = re.compile(r"\breport\b.*?\bin\s+(" + "|".join(MONTHS) + r")\s+(\d{4})", re.IGNORECASE | re.DOTALL)


def future_report_month(text: str) -> date | None:
    """'a further progress report be presented … in September 2022' -> 1 September 2022."""
    match = FUTURE_REPORT.search(text)
    if not match:
        return None
    return date(int(match.group(2)), MONTHS[match.group(1).lower()], 1)


@transaction.atomic
def resolution_create(
    *, agenda_item: AgendaItem, user, text: str, future_report: date | None = None, number: int | None = None
) -> Resolution:
    """Record a resolution, numbered (1), (2)… under its minute. A request for a further report in a
    given month puts an item on the agenda of that body's meeting in that month."""
    _require_officer(user, "text")
    if not text.strip():
        raise ValidationError({"text": "Enter the text of the resolution."})
    if number is None:
        last = agenda_item.resolutions.order_by("-number").values_list("number", flat=True).first()
        number = (last or 0) + 1
    elif agenda_item.resolutions.filter(number=number).exists():
        raise ValidationError({"number": f"Resolution ({number}) is already recorded under this item."})
    month = future_report.replace(day=1) if future_report else future_report_month(text)
    resolution = Resolution(
        meeting=agenda_item.meeting, agenda_item=agenda_item, number=number, text=text, future_report_month=month
    )
    resolution.full_clean()
    resolution.save()
    if month:
        target = _meeting_for_report(resolution)
        if target:
            _add_requested_item(resolution, target)
    return resolution


def _meeting_for_report(resolution: Resolution) -> Meeting | None:
    """The same body's first meeting in the month asked for (else the first one after it)."""
    month = resolution.future_report_month
    source = resolution.meeting
    candidates = Meeting.objects.filter(
        council_id=source.council_id, body_kind=source.body_kind, date__gte=month, date__gt=source.date
    ).exclude(status=Meeting.Status.CANCELLED)
    return candidates.order_by("date").first()


def _add_requested_item(resolution: Resolution, meeting: Meeting) -> AgendaItem:
    existing = AgendaItem.objects.filter(requested_by=resolution).first()
    if existing:
        return existing
    source = resolution.agenda_item
    # The follow-up repeats the item's title and the resolution's text: an exempt item's follow-up is
    # exempt on the same Schedule 12A paragraph, so it reaches no one who cannot open the item itself.
    return agenda_item_create(
        meeting=meeting,
        user=None,
        title=f"{source.title}: further report (requested {resolution.meeting.date:%-d %B %Y}, {resolution.label})",
        report=resolution.text,
        requested_by=resolution,
        is_exempt=source.is_exempt,
        exempt_category=source.exempt_category,
    )


def _place_pending_reports(meeting: Meeting) -> None:
    """A new meeting picks up reports requested for its month that had no meeting to go to."""
    pending = Resolution.objects.filter(
        meeting__council_id=meeting.council_id,
        meeting__body_kind=meeting.body_kind,
        future_report_month__isnull=False,
        future_report_month__lte=meeting.date,
        meeting__date__lt=meeting.date,
        requested_items__isnull=True,
    )
    for resolution in pending:
        if _meeting_for_report(resolution) == meeting:
            _add_requested_item(resolution, meeting)


@transaction.atomic
def action_create(
    *,
    meeting: Meeting,
    user,
    description: str,
    owner: str,
    due_date: date | None,
    owner_user=None,
    resolution: Resolution | None = None,
) -> Action:
    _require_officer(user, "description")
    errors = {}
    if not description.strip():
        errors["description"] = "Enter what the action is."
    if not owner.strip():
        errors["owner"] = "Enter who owns the action, for example 'Strategic Director, Corporate Resources'."
    if due_date is None:
        errors["due_date"] = "Enter the date the action is due."
    if errors:
        raise ValidationError(errors)
    action = Action(
        meeting=meeting,
        description=description,
        owner=owner,
        owner_user=owner_user,
        due_date=due_date,
        resolution=resolution,
    )
    action.full_clean()
    action.save()
    return action


def can_update_action(action: Action, user) -> bool:
    if user.is_superuser or role_of(user) == Role.COUNCIL_OFFICER:
        return True
    return role_of(user) == Role.TRUST_EXECUTIVE and action.owner_user_id == user.pk


@transaction.atomic
def action_update(*, action: Action, user, text: str, status: str) -> ActionUpdate:
    """Log an update on an action (its owner or an officer), moving its status if it changed."""
    if not can_update_action(action, user):
        raise role_refused("text", "Only the action's owner or a council officer can update it.")
    if not text.strip():
        raise ValidationError({"text": "Enter the update."})
    if status not in Action.Status.values:
        raise ValidationError({"status": "Choose a status for the action."})
    if status != action.status:
        ACTION_WORKFLOW.check(obj=action, source=action.status, target=status, user=user)
        action.status = status
        action.completed_on = timezone.localdate() if status == Action.Status.DONE else None
        action.save()
    update = ActionUpdate(action=action, author=user, text=text, status=status)
    update.full_clean()
    update.save()
    return update


@transaction.atomic
def feed_create(*, user, name: str, body_kind: str = "") -> tuple[CalendarFeed, str]:
    """A private calendar URL. The token is returned once; only its hash is stored."""
    if not name.strip():
        raise ValidationError({"name": "Enter a name for the calendar feed."})
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed(user=user, name=name, body_kind=body_kind, prefix=token[:8], token_hash=hash_token_key(token))
    feed.full_clean()
    feed.save()
    return feed, token


@transaction.atomic
def feed_revoke(*, feed: CalendarFeed, user) -> CalendarFeed:
    if feed.user_id != user.pk:
        raise ValidationError({"feed": "You can only revoke your own calendar feeds."})
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        feed.save(update_fields=["revoked_at"])
    return feed


def feed_for_token(token: str) -> CalendarFeed | None:
    if not token or len(token) > 100:
        return None
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=hash_token_key(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


@transaction.atomic
def preferences_set(*, user, choices: dict[str, str]) -> list[NotificationPreference]:
    """Save how ``user`` wants each kind of notification by email: all of ``choices`` or, on any error, none.

    A kind that is not registered, or a frequency that is not one of immediate, daily, weekly or off, is
    refused with a message naming the field. A person's own setting, not governance data (no history).
    """
    kinds = {kind.code: kind for kind in notification_kinds()}
    errors = {}
    for code, frequency in choices.items():
        if code not in kinds:
            errors[code] = f"'{code}' is not a kind of notification: nothing was saved"
        elif frequency not in Frequency.values:
            errors[code] = (
                f"Choose how you want '{kinds[code].label}' notifications by email: straight away, a daily or "
                "weekly digest, or no email"
            )
    if errors:
        raise ValidationError(errors)
    saved = []
    for code, frequency in choices.items():
        pref, _ = NotificationPreference.objects.update_or_create(
            user=user, kind=code, defaults={"frequency": frequency}
        )
        saved.append(pref)
    return saved


# --- The forward plan (ADR 0604) ------------------------------------------------------------------

FORWARD_PLAN_FIELDS = {
    "delivery_body",
    "title",
    "decision_maker",
    "planned_on",
    "notice_published_on",
    "is_key_decision",
    "route",
    "route_reason",
    "is_private",
    "exempt_category",
    "meeting",
    "agenda_item",
    "status",
}


def _require_council_officer(user, council, field: str = "title") -> None:
    _require_officer(user, field)
    if not user.is_superuser and user.council_id != council.pk:
        raise ValidationError({field: "You can only change your own council's forward plan."})


@transaction.atomic
def forward_plan_add(*, user, council: Council, reason: str = "", **fields) -> ForwardPlanEntry:
    _require_council_officer(user, council)
    unknown = set(fields) - FORWARD_PLAN_FIELDS
    if unknown:
        raise ValidationError({"title": f"These fields cannot be set here: {', '.join(sorted(unknown))}."})
    entry = ForwardPlanEntry(council=council, **fields)
    entry.full_clean()
    entry._change_reason, entry._history_user = (reason or "").strip() or "Added to the forward plan", user
    entry.save()
    return entry


@transaction.atomic
def forward_plan_change(*, entry: ForwardPlanEntry, user, reason: str, **changes) -> ForwardPlanEntry:
    _require_council_officer(user, entry.council)
    unknown = set(changes) - FORWARD_PLAN_FIELDS
    if unknown:
        raise ValidationError({"title": f"These fields cannot be changed here: {', '.join(sorted(unknown))}."})
    if not (reason or "").strip():
        raise ValidationError({"reason": "Give the reason for the change."})
    entry = ForwardPlanEntry.objects.select_for_update().get(pk=entry.pk)
    for name, value in changes.items():
        setattr(entry, name, value)
    entry.full_clean()
    entry._change_reason, entry._history_user = reason.strip(), user
    entry.save()
    return entry
