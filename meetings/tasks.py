"""Scheduled reminder tasks (django-celery-beat runs them daily/weekly; see migration 0002)."""

from datetime import date

from celery import shared_task

from . import reminders


@shared_task(
    name="meetings.tasks.send_due_reminders",
    time_limit=15 * 60,
    soft_time_limit=14 * 60,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=3,
)
def send_due_reminders(today: str | None = None) -> int:
    """Send every reminder due today. Safe to rerun: each reminder is a unique database row."""
    return reminders.send_due_reminders(date.fromisoformat(today) if today else None)


@shared_task(name="meetings.tasks.send_weekly_digests", time_limit=15 * 60, soft_time_limit=14 * 60)
def send_weekly_digests() -> int:
    return reminders.send_weekly_digests()
