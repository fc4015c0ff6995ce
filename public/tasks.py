"""The public's email alerts, sent off the request (ADR 0609)."""

from celery import shared_task

from . import subscriptions


@shared_task(
    name="public.tasks.send_papers_published",
    time_limit=10 * 60,
    soft_time_limit=9 * 60,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=3,
)
def send_papers_published(meeting_pk: int, document_pks: list[int], subject_key: str) -> int:
    """Email the council's confirmed subscribers of one publication. Safe to rerun: nothing is sent twice."""
    return subscriptions.send_papers_published(meeting_pk, document_pks, subject_key)
