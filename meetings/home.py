"""The scrutiny member's home page leads with their next meetings and the papers published for each.

Papers come from ``public_documents`` only, so a draft or exempt paper never reaches this page.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from trustgov.accounts.roles import Role, role_of
from trustgov.core.navigation import HomePanel

from .models import BodyKind
from .selectors import public_documents, upcoming_meetings

SCRUTINY_BODIES = (BodyKind.SCRUTINY_COMMITTEE, BodyKind.BUDGET_SCRUTINY)
NEXT_MEETINGS = 3
NEWLY_PUBLISHED_DAYS = 30


def next_scrutiny_meetings(user, *, today) -> list:
    """The user's next scrutiny meetings, each with ``published_papers`` (public ones only)."""
    meetings = list(upcoming_meetings(user, today=today, body_kinds=SCRUTINY_BODIES)[:NEXT_MEETINGS])
    papers = public_documents(user).filter(agenda_item__meeting__in=meetings).order_by("agenda_item__order", "pk")
    for meeting in meetings:
        meeting.published_papers = [p for p in papers if p.agenda_item.meeting_id == meeting.pk]
    return meetings


def newly_published_papers(user, *, today):
    since = timezone.make_aware(datetime.combine(today - timedelta(days=NEWLY_PUBLISHED_DAYS), time.min))
    return (
        public_documents(user)
        .filter(published_at__gte=since)
        .select_related("agenda_item__meeting")
        .order_by("-published_at", "pk")[:10]
    )


def scrutiny_meetings_panel(user) -> HomePanel | None:
    if role_of(user) != Role.SCRUTINY_MEMBER:
        return None
    today = timezone.localdate()
    return HomePanel(
        "meetings/home_scrutiny_meetings.html",
        {
            "meetings": next_scrutiny_meetings(user, today=today),
            "newly_published": newly_published_papers(user, today=today),
            "days": NEWLY_PUBLISHED_DAYS,
        },
        order=10,
    )
