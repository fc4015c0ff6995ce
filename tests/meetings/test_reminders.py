"""Reminders, with frozen time: every rule, escalation to the DCS, digests, and never sending twice."""

from datetime import date

import pytest
import time_machine
from django.core import mail
from django.db import connection

from meetings import reminders
from meetings.models import BodyKind, Meeting, Notification, NotificationPreference, Reminder
from meetings.tasks import send_due_reminders
from performance.models import MonthlyReturn
from tests.boards import factories as board_factories
from tests.contracts import factories as contract_factories
from trustgov.core.dates import add_working_days, clear_working_days_between

from .factories import ActionFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def run_on(day: date) -> int:
    """Run the Celery task (eager) with the clock frozen at 08:00 on ``day``."""
    with time_machine.travel(f"{day.isoformat()} 08:00 +0000", tick=False):
        return send_due_reminders.delay().get(timeout=60)


def kinds_for(user) -> set[str]:
    return set(Reminder.objects.filter(recipient=user).values_list("kind", flat=True))


# --- Working days -------------------------------------------------------------------------------


def test_working_days_skip_christmas_and_easter():
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)  # 25 Dec, 28 Dec (Boxing Day observed)
    assert add_working_days(date(2026, 12, 31), 10) == date(2027, 1, 15)  # 1 Jan is a bank holiday
    assert add_working_days(date(2027, 3, 25), 1) == date(2027, 3, 30)  # Good Friday 26 Mar, Easter Monday 29 Mar
    assert clear_working_days_between(date(2027, 3, 22), date(2027, 4, 1)) == 5
    assert Meeting(date=date(2027, 4, 1)).papers_deadline == date(2027, 3, 22)


def test_papers_reminders_count_working_days_across_easter(tenant_a):
    # Meeting on Thursday 1 April 2027. Five clear working days before it skip Good Friday (26 March)
    # and Easter Monday (29 March): 23, 24, 25, 30, 31 March, so the papers are due by Monday 22 March.
    # Counting Easter as working days would put the deadline on 24 March.
    MeetingFactory(delivery_body=tenant_a.body, date=date(2027, 4, 1))
    run_on(date(2027, 3, 16))
    assert not kinds_for(tenant_a.officer)
    run_on(date(2027, 3, 17))  # three working days before the deadline
    assert kinds_for(tenant_a.officer) == {"papers_due"}
    run_on(date(2027, 3, 22))
    assert kinds_for(tenant_a.officer) == {"papers_due"}
    run_on(date(2027, 3, 23))
    assert "papers_late" in kinds_for(tenant_a.officer)
    assert Reminder.objects.get(recipient=tenant_a.officer, kind="papers_late").due_date == date(2027, 3, 22)


def test_minutes_due_date_skips_christmas_and_new_year(tenant_a):
    # Held Thursday 17 December 2026; ten working days later skips 25 and 28 December and 1 January:
    # due Tuesday 5 January 2027 (it would be 31 December if bank holidays counted).
    MeetingFactory(delivery_body=tenant_a.body, date=date(2026, 12, 17), status=Meeting.Status.HELD)
    run_on(date(2026, 12, 29))
    assert not kinds_for(tenant_a.officer)
    run_on(date(2027, 1, 4))
    assert kinds_for(tenant_a.officer) == {"minutes_due"}
    assert Reminder.objects.get(recipient=tenant_a.officer, kind="minutes_due").due_date == date(2027, 1, 5)
    run_on(date(2027, 1, 5))
    assert "minutes_overdue" not in kinds_for(tenant_a.officer)
    run_on(date(2027, 1, 6))
    assert {"minutes_overdue", "minutes_overdue_escalation"} <= kinds_for(tenant_a.officer)


# --- Meetings rules -------------------------------------------------------------------------------


def test_papers_deadline_reminder_then_escalation(tenant_a):
    meeting = MeetingFactory(delivery_body=tenant_a.body, date=date(2027, 1, 20))  # papers due 12 January
    run_on(date(2027, 1, 6))
    assert "papers_due" not in kinds_for(tenant_a.officer)
    run_on(date(2027, 1, 7))
    assert kinds_for(tenant_a.officer) == {"papers_due"}
    run_on(date(2027, 1, 13))
    assert kinds_for(tenant_a.officer) == {"papers_due", "papers_late", "papers_late_escalation"}
    assert Notification.objects.filter(recipient=tenant_a.officer, title__startswith="Escalated: Papers").exists()
    assert str(meeting.pk) in Reminder.objects.filter(recipient=tenant_a.officer).first().subject_key


def test_published_papers_need_no_reminder(tenant_a):
    MeetingFactory(delivery_body=tenant_a.body, date=date(2027, 1, 20), papers_published_on=date(2027, 1, 8))
    run_on(date(2027, 1, 13))
    assert not kinds_for(tenant_a.officer)


def test_minutes_due_then_overdue(tenant_a):
    MeetingFactory(delivery_body=tenant_a.body, date=date(2027, 1, 20), status=Meeting.Status.HELD)
    # Due ten working days later: 3 February 2027.
    run_on(date(2027, 2, 1))
    assert kinds_for(tenant_a.officer) == {"minutes_due"}
    run_on(date(2027, 2, 4))
    assert {"minutes_overdue", "minutes_overdue_escalation"} <= kinds_for(tenant_a.officer)


def test_action_due_then_overdue_escalates_to_the_dcs(tenant_a):
    from tests.factories import make_user
    from trustgov.accounts.roles import Role
    from trustgov.organisations.models import OfficeHolding

    dcs = make_user(Role.COUNCIL_OFFICER, council=tenant_a.council, username="alpha-dcs", job_title="Client Manager")
    # A job title alone no longer makes anyone the DCS: the office holder does.
    titled = make_user(
        Role.COUNCIL_OFFICER,
        council=tenant_a.council,
        username="alpha-titled",
        job_title="Director of Children's Services",
    )
    OfficeHolding.objects.create(
        council=tenant_a.council,
        office=OfficeHolding.Office.DCS,
        holder_name="Alex Director",
        user=dcs,
        start_date=date(2026, 1, 1),
    )
    meeting = MeetingFactory(delivery_body=tenant_a.body, date=date(2026, 12, 2), status=Meeting.Status.HELD)
    ActionFactory(meeting=meeting, owner_user=tenant_a.trust_exec, due_date=date(2027, 2, 1))
    run_on(date(2027, 1, 27))
    assert kinds_for(tenant_a.trust_exec) == {"action_due"}
    run_on(date(2027, 2, 2))
    assert kinds_for(tenant_a.trust_exec) == {"action_due", "action_overdue"}
    assert "action_overdue_escalation" in kinds_for(dcs)
    assert "action_overdue_escalation" not in kinds_for(tenant_a.officer)  # the DCS, not every officer
    assert "action_overdue_escalation" not in kinds_for(titled)


def test_the_same_reminder_is_never_sent_twice(tenant_a):
    meeting = MeetingFactory(delivery_body=tenant_a.body, date=date(2026, 12, 2), status=Meeting.Status.HELD)
    ActionFactory(meeting=meeting, owner_user=tenant_a.trust_exec, due_date=date(2027, 2, 1))
    mail.outbox.clear()
    first = run_on(date(2027, 1, 27))
    emails = len(mail.outbox)
    assert first > 0 and emails > 0
    assert run_on(date(2027, 1, 27)) == 0
    mine = len([m for m in mail.outbox if m.to == [tenant_a.trust_exec.email]])
    assert mine == 1
    # The next day: the same due date, recipient and kind send nothing again (the demo's own meetings, dated
    # from the day it was seeded, may fall due that day: only this tenant's reminders are counted).
    run_on(date(2027, 1, 28))
    assert len([m for m in mail.outbox if m.to == [tenant_a.trust_exec.email]]) == mine
    assert Reminder.objects.filter(recipient=tenant_a.trust_exec, kind="action_due").count() == 1
    assert Notification.objects.filter(recipient=tenant_a.trust_exec).count() == 1


def test_the_database_refuses_a_second_copy_of_a_reminder(tenant_a):
    """The unique constraint itself, not only get_or_create, is what a second worker runs into."""
    from django.db import IntegrityError, transaction

    fields = {"kind": "action_due", "subject_key": "meetings.action:1", "due_date": date(2027, 2, 1)}
    Reminder.objects.create(recipient=tenant_a.trust_exec, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(recipient=tenant_a.trust_exec, **fields)
    Reminder.objects.create(recipient=tenant_a.officer, **fields)  # another person is another reminder
    assert Reminder.objects.filter(**fields).count() == 2


class FailingEmailBackend:
    """An SMTP server that is down: the send raises, as smtplib does."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("mail server unavailable")


def test_a_failed_send_is_retried_not_lost(settings, tenant_a):
    meeting = MeetingFactory(delivery_body=tenant_a.body, date=date(2026, 12, 2), status=Meeting.Status.HELD)
    ActionFactory(meeting=meeting, owner_user=tenant_a.trust_exec, due_date=date(2027, 2, 1))
    settings.EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"
    with time_machine.travel("2027-01-27 08:00 +0000", tick=False), pytest.raises(ConnectionError):
        reminders.send_due_reminders()
    assert not Reminder.objects.filter(recipient=tenant_a.trust_exec).exists()  # rolled back with the send
    assert not Notification.objects.filter(recipient=tenant_a.trust_exec).exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    assert run_on(date(2027, 1, 27)) >= 1
    assert [m for m in mail.outbox if tenant_a.trust_exec.email in m.to]
    assert Reminder.objects.filter(recipient=tenant_a.trust_exec, kind="action_due").count() == 1


def test_weekly_digest_users_get_one_email(tenant_a):
    NotificationPreference.objects.create(user=tenant_a.trust_exec, kind="action_due", frequency="weekly")
    meeting = MeetingFactory(delivery_body=tenant_a.body, date=date(2026, 12, 2), status=Meeting.Status.HELD)
    ActionFactory(meeting=meeting, owner_user=tenant_a.trust_exec, due_date=date(2027, 2, 1))
    ActionFactory(meeting=meeting, owner_user=tenant_a.trust_exec, due_date=date(2027, 2, 2))
    mail.outbox.clear()
    run_on(date(2027, 1, 27))
    assert not [m for m in mail.outbox if tenant_a.trust_exec.email in m.to]
    assert Notification.objects.filter(recipient=tenant_a.trust_exec, emailed_at__isnull=True).count() == 2
    reminders.send_weekly_digests()
    digests = [m for m in mail.outbox if tenant_a.trust_exec.email in m.to]
    assert len(digests) == 1 and "2 notifications" in digests[0].subject
    reminders.send_weekly_digests()
    assert len([m for m in mail.outbox if tenant_a.trust_exec.email in m.to]) == 1


# --- Reserved matters (the contract's key dates are tested in tests/contracts/test_reminders.py) -----------


def test_reserved_matter_decision_due_then_overdue(tenant_a):
    contract_factories.RequestFactory(
        reserved_matter__delivery_body=tenant_a.body,
        raised_by=tenant_a.trust_exec,
        raised_on=date(2027, 1, 4),
        decision_due=date(2027, 1, 29),
    )
    run_on(date(2027, 1, 20))
    assert "reserved_matter_due" in kinds_for(tenant_a.officer)
    run_on(date(2027, 2, 1))
    assert {"reserved_matter_overdue", "reserved_matter_overdue_escalation"} <= kinds_for(tenant_a.officer)


# --- Other apps' rules -------------------------------------------------------------------------


def test_monthly_return_due_then_overdue(tenant_a):
    MonthlyReturn.objects.create(delivery_body=tenant_a.body, period=date(2026, 12, 1), due_date=date(2027, 1, 15))
    run_on(date(2027, 1, 12))
    assert kinds_for(tenant_a.trust_exec) == {"return_due"}
    run_on(date(2027, 1, 18))  # late the working day after it was due; overdue after ten more
    assert "return_late" in kinds_for(tenant_a.trust_exec) and "return_late" in kinds_for(tenant_a.officer)
    run_on(date(2027, 1, 29))
    assert "return_overdue" not in kinds_for(tenant_a.officer)
    run_on(date(2027, 2, 1))
    assert "return_overdue" in kinds_for(tenant_a.trust_exec)
    assert "return_overdue" in kinds_for(tenant_a.officer)
    assert "return_overdue_escalation" in kinds_for(tenant_a.officer)


def test_board_terms_ending(tenant_a):
    body = board_factories.trust_board(tenant_a)
    board_factories.MembershipFactory(seat=body.seats.first(), start_date=date(2024, 3, 1), end_date=date(2027, 2, 28))
    run_on(date(2026, 11, 1))
    assert "term_ending" not in kinds_for(tenant_a.officer)
    run_on(date(2026, 12, 1))
    assert "term_ending" in kinds_for(tenant_a.officer)
    assert "term_ending" in kinds_for(tenant_a.trust_exec)


def test_the_daily_schedule_exists():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="meetings.tasks.send_due_reminders")
    assert task.enabled and task.crontab.hour == "7"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_send_each_reminder_once(tenant_a):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    meeting = MeetingFactory(delivery_body=tenant_a.body, date=date(2026, 12, 2), status=Meeting.Status.HELD)
    ActionFactory(meeting=meeting, owner_user=tenant_a.trust_exec, due_date=date(2027, 2, 1))

    def run(_):
        try:
            return reminders.send_due_reminders(date(2027, 1, 27))
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(run, range(4)))
    assert Reminder.objects.filter(recipient=tenant_a.trust_exec, kind="action_due").count() == 1
    assert Notification.objects.filter(recipient=tenant_a.trust_exec).count() == 1


def test_body_kind_choices_cover_the_cycle():
    assert {"performance_meeting", "strategic_partnership_board", "scrutiny_committee", "budget_scrutiny"} <= set(
        BodyKind.values
    )
