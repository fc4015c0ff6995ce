"""The scrutiny member's home page: reports published lately (``published_reports`` only, never a draft
or a not-for-publication document)."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from trustgov.accounts.roles import Role, role_of
from trustgov.core.navigation import HomePanel

from .selectors import published_reports

NEWLY_PUBLISHED_DAYS = 30


def scrutiny_reports_panel(user) -> HomePanel | None:
    if role_of(user) != Role.SCRUTINY_MEMBER:
        return None
    today = timezone.localdate()
    since = timezone.make_aware(datetime.combine(today - timedelta(days=NEWLY_PUBLISHED_DAYS), time.min))
    reports = published_reports(user).filter(published_at__gte=since).order_by("-published_at", "pk")[:10]
    return HomePanel("reports/home_scrutiny_reports.html", {"reports": reports, "days": NEWLY_PUBLISHED_DAYS}, order=20)
