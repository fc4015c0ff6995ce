"""Scheduled reminder and digest tasks (the beat schedule is CELERY_BEAT_SCHEDULE in settings)."""

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


@shared_task(name="meetings.tasks.send_daily_digests", time_limit=15 * 60, soft_time_limit=14 * 60)
def send_daily_digests() -> int:
    """Each person's daily digest of the kinds they chose daily for. Safe to rerun (nothing is sent twice)."""
    return reminders.send_daily_digests()


@shared_task(name="meetings.tasks.send_weekly_digests", time_limit=15 * 60, soft_time_limit=14 * 60)
def send_weekly_digests() -> int:
    """Each person's weekly digest of the kinds they chose weekly for. Safe to rerun."""
    return reminders.send_weekly_digests()
