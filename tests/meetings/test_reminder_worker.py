"""The reminder task through a real Celery worker on Redis (CI's PostgreSQL pass), run twice: sent once."""

import os
from datetime import date

import pytest
from django.db import connection

from meetings.models import Meeting, Notification, Reminder
from meetings.tasks import send_due_reminders
from tests.core.test_celery_worker import celery_worker_process  # noqa: F401  (fixture)

from .factories import ActionFactory, MeetingFactory

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not os.environ.get("CELERY_BROKER_URL") or connection.vendor != "postgresql",
        reason="needs CELERY_BROKER_URL and PostgreSQL (the CI PostgreSQL pass sets both)",
    ),
]


def test_reminder_task_runs_on_a_worker_and_never_sends_twice(celery_worker_process, tenant_a):  # noqa: F811
    meeting = MeetingFactory(delivery_body=tenant_a.body, date=date(2026, 12, 2), status=Meeting.Status.HELD)
    ActionFactory(meeting=meeting, owner_user=tenant_a.trust_exec, due_date=date(2027, 2, 1))
    first = send_due_reminders.apply_async(args=["2027-01-27"], queue=celery_worker_process).get(timeout=120)
    second = send_due_reminders.apply_async(args=["2027-01-27"], queue=celery_worker_process).get(timeout=120)
    assert first >= 1
    assert second == 0
    assert Reminder.objects.filter(recipient=tenant_a.trust_exec, kind="action_due").count() == 1
    assert Notification.objects.filter(recipient=tenant_a.trust_exec).count() == 1
