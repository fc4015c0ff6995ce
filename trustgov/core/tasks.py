"""Platform tasks."""

from celery import shared_task
from django.apps import apps
from django.db import connection


@shared_task(name="core.ping", time_limit=30, soft_time_limit=25)
def ping(echo: str) -> dict:
    """A round trip through the broker and the database: used by readiness checks and CI."""
    # Looked up by label, like a ForeignKey("organisations.Council"): the platform's lowest layer
    # does not import the tenancy app that sits on it.
    council = apps.get_model("organisations", "Council")
    return {"echo": echo, "councils": council.objects.count(), "database": connection.vendor}
