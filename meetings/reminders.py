"""Due-date reminders: one small function per rule, and one delivery path that never sends twice.

Each rule takes ``today`` and yields ``Due`` records (what, for whom, due when). ``send_due_reminders``
turns each (subject, recipient, kind, due date) into a ``Reminder`` row; the row's unique constraint
means a rerun, a retry or a second worker finds it already there and sends nothing. Overdue items
are also escalated to the council's DCS.

Rules that read another app (performance returns, board terms, reserved matters) import it inside the
rule and yield nothing when that app does not provide the model yet. The contract's key dates (break
notice, expiry, SSA lines, annual review) have their own rules in contracts/reminders.py.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from trustgov.accounts.models import User
from trustgov.accounts.roles import Role
from trustgov.core.dates import add_months, add_working_days

from .models import Action, Meeting, Minutes, Notification, NotificationPreference, Reminder

logger = logging.getLogger(__name__)

PAPERS_WARNING_WORKING_DAYS = 3  # remind this many working days before the papers deadline
MINUTES_DUE_WORKING_DAYS = 10  # draft minutes due this many working days after the meeting
ACTION_WARNING_DAYS = 7
TERM_WARNING_MONTHS = 3
RESERVED_MATTER_WARNING_DAYS = 10


@dataclass
class Due:
    kind: str
    subject_key: str
    due_date: date
    title: str
    url: str = ""
    recipients: list = field(default_factory=list)
    escalate_to: list = field(default_factory=list)  # the DCS, when overdue


# --- Who receives what ----------------------------------------------------------------------


def _users(role: Role, **filters):
    return list(User.objects.filter(is_active=True, groups__name=role.value, **filters).distinct().order_by("username"))


def council_officers(council_id: int) -> list[User]:
    return _users(Role.COUNCIL_OFFICER, council_id=council_id)


def trust_executives(delivery_body_id: int | None) -> list[User]:
    return _users(Role.TRUST_EXECUTIVE, delivery_body_id=delivery_body_id) if delivery_body_id else []


def dcs_for(council_id: int) -> list[User]:
    """The council's Director of Children's Services: the holder of the office today, through their account.

    When no holder with an active account is recorded, the council's officers (so nothing escalated is lost).
    """
    from trustgov.organisations.models import OfficeHolding
    from trustgov.organisations.selectors import office_holder

    holding = office_holder(office=OfficeHolding.Office.DCS, council=council_id)
    if holding and holding.user and holding.user.is_active:
        return [holding.user]
    return council_officers(council_id)


# --- Rules ----------------------------------------------------------------------------------


def papers_deadline(today: date) -> Iterable[Due]:
    """Papers not yet published: a reminder before the deadline, escalation once it has passed."""
    meetings = Meeting.objects.filter(
        status=Meeting.Status.SCHEDULED, papers_published_on__isnull=True, date__gte=today
    ).filter(date__lte=today + timedelta(days=21))
    for meeting in meetings:
        deadline = meeting.papers_deadline
        if today > deadline:
            yield Due(
                "papers_late",
                f"meetings.meeting:{meeting.pk}",
                deadline,
                f"Papers for {meeting} are late (due by {deadline:%-d %B %Y})",
                meeting.get_absolute_url(),
                council_officers(meeting.council_id),
                dcs_for(meeting.council_id),
            )
        elif today >= add_working_days(deadline, -PAPERS_WARNING_WORKING_DAYS):
            yield Due(
                "papers_due",
                f"meetings.meeting:{meeting.pk}",
                deadline,
                f"Publish the papers for {meeting} by {deadline:%-d %B %Y}",
                meeting.get_absolute_url(),
                council_officers(meeting.council_id),
            )


def minutes_due(today: date) -> Iterable[Due]:
    """Draft minutes due ten working days after the meeting."""
    since = today - timedelta(days=60)
    meetings = Meeting.objects.filter(date__lt=today, date__gte=since).exclude(status=Meeting.Status.CANCELLED)
    drafted = Minutes.objects.values("meeting_id")
    for meeting in meetings.exclude(pk__in=drafted):
        due = add_working_days(meeting.date, MINUTES_DUE_WORKING_DAYS)
        overdue = today > due
        if not overdue and today < add_working_days(due, -3):
            continue
        yield Due(
            "minutes_overdue" if overdue else "minutes_due",
            f"meetings.meeting:{meeting.pk}",
            due,
            f"Draft minutes of {meeting} {'were' if overdue else 'are'} due by {due:%-d %B %Y}",
            meeting.get_absolute_url(),
            council_officers(meeting.council_id),
            dcs_for(meeting.council_id) if overdue else [],
        )


def actions_due(today: date) -> Iterable[Due]:
    actions = Action.objects.select_related("meeting", "owner_user").exclude(status=Action.Status.DONE)
    for action in actions.filter(due_date__lte=today + timedelta(days=ACTION_WARNING_DAYS)):
        council_id = action.meeting.council_id
        owners = (
            [action.owner_user] if action.owner_user and action.owner_user.is_active else council_officers(council_id)
        )
        overdue = action.due_date < today
        yield Due(
            "action_overdue" if overdue else "action_due",
            f"meetings.action:{action.pk}",
            action.due_date,
            f"Action {'overdue' if overdue else 'due'} ({action.owner}): {action.description[:120]}",
            action.get_absolute_url(),
            owners,
            dcs_for(council_id) if overdue else [],
        )


def monthly_returns(today: date) -> Iterable[Due]:
    """Expected monthly returns not yet received: the rules live with the returns (performance/reminders.py)."""
    from performance.reminders import monthly_returns as rule

    yield from rule(today)


def board_terms_ending(today: date) -> Iterable[Due]:
    try:
        from boards.selectors import terms_ending_between
    except ImportError:
        return
    for membership in terms_ending_between(today, add_months(today, TERM_WARNING_MONTHS)):
        body = membership.seat.body
        recipients = council_officers(body.council_id) + trust_executives(body.delivery_body_id)
        yield Due(
            "term_ending",
            f"boards.membership:{membership.pk}",
            membership.end_date,
            f"{membership.person}'s term on {body} ends on {membership.end_date:%-d %B %Y}",
            "",
            recipients,
        )


def reserved_matters_due(today: date) -> Iterable[Due]:
    try:
        from contracts.models import ReservedMatterRequest
    except ImportError:
        return
    waiting = ReservedMatterRequest.objects.select_related("delivery_body").filter(
        status=ReservedMatterRequest.Status.RAISED,
        decision_due__lte=today + timedelta(days=RESERVED_MATTER_WARNING_DAYS),
    )
    for request in waiting:
        council_id = request.delivery_body.council_id
        overdue = request.decision_due < today
        yield Due(
            "reserved_matter_overdue" if overdue else "reserved_matter_due",
            f"contracts.reservedmatterrequest:{request.pk}",
            request.decision_due,
            f"Decision on reserved matter '{request.title}' {'was' if overdue else 'is'} due by "
            f"{request.decision_due:%-d %B %Y}",
            "",
            council_officers(council_id),
            dcs_for(council_id) if overdue else [],
        )


RULES: list[Callable[[date], Iterable[Due]]] = [
    monthly_returns,
    papers_deadline,
    minutes_due,
    actions_due,
    board_terms_ending,
    reserved_matters_due,
]


def all_rules() -> list[Callable[[date], Iterable[Due]]]:
    """These rules and each app's own (the contract's key dates live in contracts/reminders.py)."""
    from contracts.reminders import RULES as CONTRACT_RULES

    return [*RULES, *CONTRACT_RULES]


# --- Delivery -------------------------------------------------------------------------------


def deliver(due: Due, recipient: User, *, escalation: bool = False) -> Notification | None:
    """Record and send one reminder, unless it was already sent. Returns the new notification."""
    kind = f"{due.kind}_escalation" if escalation else due.kind
    try:
        with transaction.atomic():
            reminder, created = Reminder.objects.get_or_create(
                subject_key=due.subject_key,
                recipient=recipient,
                kind=kind,
                due_date=due.due_date,
                defaults={"escalation": escalation},
            )
            if not created:
                return None
            title = f"Escalated: {due.title}" if escalation else due.title
            notification = Notification.objects.create(
                recipient=recipient, reminder=reminder, title=title, url=due.url, due_date=due.due_date
            )
            if _wants_immediate(recipient) and recipient.email:
                _email(recipient, title, _absolute(due.url))
                notification.emailed_at = timezone.now()
                notification.save(update_fields=["emailed_at"])
            return notification
    except IntegrityError:
        return None  # another worker recorded it first


def _wants_immediate(user: User) -> bool:
    pref = NotificationPreference.objects.filter(user=user).first()
    return pref is None or pref.frequency == NotificationPreference.Frequency.IMMEDIATE


def _absolute(url: str) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{url}" if url and base else url


def _email(user: User, subject: str, url: str) -> None:
    lines = [f"Dear {user.get_full_name() or user.username},", "", subject + "."]
    if url:
        lines += ["", f"See: {url}"]
    lines += [
        "",
        f"You can choose a weekly digest instead on your notifications page: {reverse('meetings:notification-list')}",
    ]
    send_mail(f"TrustGov reminder: {subject}"[:200], "\n".join(lines), None, [user.email])


def send_due_reminders(today: date | None = None) -> int:
    """Run every rule for ``today`` and deliver what is due. Returns how many notifications were new."""
    today = today or timezone.localdate()
    sent = 0
    for rule in all_rules():
        for due in rule(today):
            for recipient in {u.pk: u for u in due.recipients}.values():
                sent += deliver(due, recipient) is not None
            for recipient in {u.pk: u for u in due.escalate_to}.values():
                sent += deliver(due, recipient, escalation=True) is not None
    return sent


def send_weekly_digests(now=None) -> int:
    """Email each digest user the notifications not yet emailed, in one message."""
    now = now or timezone.now()
    digest_users = User.objects.filter(
        is_active=True, reminder_preference__frequency=NotificationPreference.Frequency.WEEKLY
    ).exclude(email="")
    count = 0
    for user in digest_users:
        with transaction.atomic():
            pending = list(
                Notification.objects.select_for_update()
                .filter(recipient=user, emailed_at__isnull=True)
                .order_by("due_date", "pk")
            )
            if not pending:
                continue
            body = "\n".join(f"- {n.title}" + (f" ({_absolute(n.url)})" if n.url else "") for n in pending)
            send_mail(
                f"TrustGov: your weekly digest ({len(pending)} reminders)",
                f"Dear {user.get_full_name() or user.username},\n\nThis week's reminders:\n\n{body}\n",
                None,
                [user.email],
            )
            for n in pending:
                n.emailed_at = now
                n.save(update_fields=["emailed_at"])
            count += 1
    return count
