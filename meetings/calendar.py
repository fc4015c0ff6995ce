"""iCalendar (RFC 5545) feeds of meetings. Exempt item titles never appear in a feed (ADR 0607).

The building blocks are shared by the private feeds here (a user's meetings, behind a token) and the public
feeds (``public.feeds``: a council's published meetings, no sign-in):

- ``new_calendar``/``finish``: the calendar, and the VTIMEZONE for Europe/London that ``add_missing_timezones``
  writes for every zone an event names (a timed meeting's DTSTART carries ``TZID=Europe/London``; a meeting
  with no start time is a whole day, an RFC 5545 DATE, which has no zone);
- ``meeting_uid``: ``meeting-<pk>@<domain>``, the same in every render and every feed, on the site's domain
  (``SITE_DOMAIN``, else the host of ``SITE_URL``), so a calendar updates an event rather than adding another.
"""

from datetime import datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from .models import AgendaItem, CalendarFeed, Meeting
from .selectors import meetings_visible_to, readers_agenda_items

LONDON = ZoneInfo(settings.TIME_ZONE)
NOT_FOR_PUBLICATION = "Item not for publication"
MEETING_HOURS = 2  # a meeting's DTEND when only its start is recorded


def site_domain() -> str:
    """The domain the feeds' identifiers are on: ``SITE_DOMAIN``, else the host of ``SITE_URL``."""
    return getattr(settings, "SITE_DOMAIN", "") or urlsplit(settings.SITE_URL).hostname or "localhost"


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{site_domain()}"


def new_calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//TrustGov//Meetings//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    return cal


def meeting_event(meeting: Meeting, *, url: str, lines: list[str]) -> Event:
    """One meeting as an event: its title, time (Europe/London), place, the agenda ``lines`` and ``url``."""
    event = Event()
    event.add("uid", meeting_uid(meeting))
    event.add("summary", meeting.title)
    if meeting.start_time:
        start = datetime.combine(meeting.date, meeting.start_time, tzinfo=LONDON)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(hours=MEETING_HOURS))
    else:
        event.add("dtstart", meeting.date)
    event.add("dtstamp", meeting.updated_at)
    if meeting.place:
        event.add("location", meeting.place)
    event.add("url", url)
    event.add("description", "\n".join([*lines, "", url]).strip())
    return event


def finish(cal: Calendar) -> bytes:
    """The calendar as bytes, with a VTIMEZONE for each zone its events name (Europe/London)."""
    cal.add_missing_timezones()
    return cal.to_ical()


def feed_meetings(feed: CalendarFeed):
    meetings = meetings_visible_to(feed.user).exclude(status=Meeting.Status.CANCELLED)
    if feed.body_kind:
        meetings = meetings.filter(body_kind=feed.body_kind)
    since = timezone.localdate() - timedelta(days=366)
    # The agenda as the feed's owner reads it: an exempt item only for those who may know of it.
    items = readers_agenda_items(AgendaItem.objects.order_by("order", "pk"), feed.user)
    return meetings.filter(date__gte=since).prefetch_related(Prefetch("items", queryset=items))


def render_feed(feed: CalendarFeed, *, base_url: str) -> bytes:
    cal = new_calendar(f"TrustGov: {feed.name}")
    base = base_url.rstrip("/")
    for meeting in feed_meetings(feed):
        url = base + reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk})
        lines = [
            f"{item.order}. {NOT_FOR_PUBLICATION if item.is_exempt else item.title}" for item in meeting.items.all()
        ]
        cal.add_component(meeting_event(meeting, url=url, lines=lines))
    return finish(cal)
