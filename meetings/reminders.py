"""Meetings' reminder rules, and the one delivery path for every app's reminders that never sends twice.

Each app's rules live in that app's ``reminders.py`` and are registered from its AppConfig.ready()
(``trustgov.core.reminders``). ``send_due_reminders`` runs them all through the platform's
``due_reminders(today)`` and turns each (subject, recipient, kind, due date) into a ``Reminder``
row; the row's unique constraint means a rerun, a retry or a second worker finds it already there
and sends nothing. Overdue items are also escalated to the council's DCS.
"""

import logging
from collections.abc import Iterable
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from trustgov.accounts.models import User
from trustgov.accounts.recipients import council_officers, dcs_for, directory, party_officers
from trustgov.core.dates import add_working_days
from trustgov.core.notifications import (
    ESCALATION_SUFFIX,
    Frequency,
    absolute_url,
    base_kind,
    default_frequency,
    notification_kinds,
    send_email,
)
from trustgov.core.reminders import Due, due_reminders

from .models import Action, Meeting, Minutes, Notification, NotificationPreference, Reminder

logger = logging.getLogger(__name__)

PAPERS_WARNING_WORKING_DAYS = 3  # remind this many working days before the papers deadline
MINUTES_DUE_WORKING_DAYS = 10  # draft minutes due this many working days after the meeting
ACTION_WARNING_DAYS = 7


# --- Rules ---------------------------------------------------------------------------------


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
                party_officers(meeting),
                dcs_for(meeting.council_id),
            )
        elif today >= add_working_days(deadline, -PAPERS_WARNING_WORKING_DAYS):
            yield Due(
                "papers_due",
                f"meetings.meeting:{meeting.pk}",
                deadline,
                f"Publish the papers for {meeting} by {deadline:%-d %B %Y}",
                meeting.get_absolute_url(),
                party_officers(meeting),
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
            party_officers(meeting),
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


# --- Delivery -------------------------------------------------------------------------------


def frequency_for(user: User, kind: str) -> str:
    """How ``user`` wants ``kind`` by email: their choice, else the kind's default (straight away)."""
    code = base_kind(kind)
    chosen = NotificationPreference.objects.filter(user=user, kind=code).values_list("frequency", flat=True).first()
    return chosen or default_frequency(code)


def frequencies_for(user: User) -> dict[str, str]:
    """Every registered kind's frequency for ``user``."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "frequency"))
    return {kind.code: chosen.get(kind.code, kind.default) for kind in notification_kinds()}


def deliver(due: Due, recipient: User, *, escalation: bool = False, email: bool = True) -> Notification | None:
    """Record and send one reminder, unless it was already sent. Returns the new notification.

    The in-app notification is always recorded; the email goes now only if the recipient wants this kind
    straight away (a digest sends it later; "off" never).
    """
    kind = f"{due.kind}{ESCALATION_SUFFIX}" if escalation else due.kind
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
                recipient=recipient,
                reminder=reminder,
                kind=base_kind(due.kind),
                title=title,
                url=due.url,
                due_date=due.due_date,
            )
            if email and recipient.email and frequency_for(recipient, due.kind) == Frequency.IMMEDIATE:
                _email(recipient, title, due.url)
                notification.emailed_at = timezone.now()
                notification.save(update_fields=["emailed_at"])
            return notification
    except IntegrityError:
        return None  # another worker recorded it first


def _email(user: User, subject: str, url: str) -> None:
    lines = [f"Dear {user.get_full_name() or user.username},", "", subject + "."]
    lines += [
        "",
        "You can choose, for each kind, a daily or weekly digest instead, or no email, on your notifications "
        f"page: {absolute_url(reverse('meetings:notification-list'))}",
    ]
    send_email(to=user.email, subject=f"TrustGov: {subject}", body="\n".join(lines), link=url)


def send_due_reminders(today: date | None = None) -> int:
    """Run every app's rules for ``today`` and deliver what is due. Returns how many notifications were new."""
    today = today or timezone.localdate()
    sent = 0
    with directory():  # who is who, read once for the whole sweep
        dues = list(due_reminders(today))
        already = _already_sent(dues)
        for due in dues:
            for escalation, people in ((False, due.recipients), (True, due.escalate_to)):
                kind = f"{due.kind}{ESCALATION_SUFFIX}" if escalation else due.kind
                for recipient in {u.pk: u for u in people}.values():
                    if (due.subject_key, recipient.pk, kind, due.due_date) not in already:
                        sent += deliver(due, recipient, escalation=escalation) is not None
    return sent


def _already_sent(dues: list[Due], chunk: int = 500) -> set[tuple[str, int, str, date]]:
    """The reminders of these dues already recorded, read a chunk of subjects at a time: a steady-state sweep
    (everything due already sent) costs a query per ``chunk`` subjects, not one per recipient. ``deliver`` still
    records each new one with get_or_create, so two sweeps at once never send twice."""
    keys = sorted({d.subject_key for d in dues})
    out: set[tuple[str, int, str, date]] = set()
    for i in range(0, len(keys), chunk):
        out |= set(
            Reminder.objects.filter(subject_key__in=keys[i : i + chunk]).values_list(
                "subject_key", "recipient_id", "kind", "due_date"
            )
        )
    return out


DIGEST_NAMES = {Frequency.DAILY: "daily", Frequency.WEEKLY: "weekly"}


def send_digests(frequency: str, now=None) -> int:
    """Email each person, in one message, the notifications not yet emailed of the kinds they get at ``frequency``.

    Safe to rerun: the notifications are locked and marked emailed in the same transaction as the
    message is sent, so a rerun or a second worker finds nothing left to send. Returns how many digests went.
    """
    if frequency not in DIGEST_NAMES:
        raise ValueError(f"Digests are daily or weekly, not {frequency!r}")
    now = now or timezone.now()
    waiting = Notification.objects.filter(emailed_at__isnull=True).values("recipient_id")
    people = User.objects.filter(is_active=True, pk__in=waiting).exclude(email="").order_by("pk")
    count = 0
    for user in people:
        kinds = [code for code, chosen in frequencies_for(user).items() if chosen == frequency]
        if not kinds:
            continue
        with transaction.atomic():
            pending = list(
                Notification.objects.select_for_update(of=("self",))
                .filter(recipient=user, emailed_at__isnull=True, kind__in=kinds)
                .order_by("due_date", "pk")
            )
            if not pending:
                continue
            lines = [
                f"Dear {user.get_full_name() or user.username},",
                "",
                f"Your {DIGEST_NAMES[frequency]} digest of TrustGov notifications:",
                "",
            ]
            lines += [f"- {n.title}" + (f" ({absolute_url(n.url)})" if n.url else "") for n in pending]
            noun = "notification" if len(pending) == 1 else "notifications"
            send_email(
                to=user.email,
                subject=f"TrustGov: your {DIGEST_NAMES[frequency]} digest ({len(pending)} {noun})",
                body="\n".join(lines),
                link=reverse("meetings:notification-list"),
            )
            for n in pending:
                n.emailed_at = now
                n.save(update_fields=["emailed_at"])
            count += 1
    return count


def send_daily_digests(now=None) -> int:
    return send_digests(Frequency.DAILY, now)


def send_weekly_digests(now=None) -> int:
    return send_digests(Frequency.WEEKLY, now)
