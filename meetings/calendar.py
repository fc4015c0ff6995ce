"""iCalendar (RFC 5545) feeds of meetings. Exempt item titles never appear in a feed."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from .models import CalendarFeed, Meeting
from .selectors import meetings_visible_to

LONDON = ZoneInfo(settings.TIME_ZONE)


def feed_meetings(feed: CalendarFeed):
    meetings = meetings_visible_to(feed.user).exclude(status=Meeting.Status.CANCELLED)
    if feed.body_kind:
        meetings = meetings.filter(body_kind=feed.body_kind)
    since = timezone.localdate() - timedelta(days=366)
    return meetings.filter(date__gte=since).prefetch_related("items")


def render_feed(feed: CalendarFeed, *, base_url: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//TrustGov//Meetings//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"TrustGov: {feed.name}")
    base = base_url.rstrip("/")
    for meeting in feed_meetings(feed):
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@trustgov")
        event.add("summary", meeting.title)
        if meeting.start_time:
            start = datetime.combine(meeting.date, meeting.start_time, tzinfo=LONDON)
            event.add("dtstart", start)
            event.add("dtend", start + timedelta(hours=2))
        else:
            event.add("dtstart", meeting.date)
        event.add("dtstamp", meeting.updated_at)
        if meeting.place:
            event.add("location", meeting.place)
        url = base + reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk})
        event.add("url", url)
        lines = [
            f"{item.order}. {'Item not for publication' if item.is_exempt else item.title}"
            for item in meeting.items.all()
        ]
        event.add("description", "\n".join([*lines, "", url]).strip())
        cal.add_component(event)
    return cal.to_ical()
