"""Platform tasks."""

from celery import shared_task
from django.db import connection


@shared_task(name="core.ping", time_limit=30, soft_time_limit=25)
def ping(echo: str) -> dict:
    """A round trip through the broker and the database: used by readiness checks and CI."""
    from trustgov.organisations.models import Council

    return {"echo": echo, "councils": Council.objects.count(), "database": connection.vendor}
