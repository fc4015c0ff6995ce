"""A live council's public feeds: its meetings as an iCalendar, and what its meetings publish as Atom (ADR 0607).

Nobody is signed in, so the feeds read only what the public pages read: ``meetings.selectors.public_*``
(``public_meetings``, ``public_agenda_items``, ``public_papers``). Nothing exempt, in draft, cancelled or not
yet out reaches a feed, and each event and entry links back to the public page it comes from.

The Atom feed is a merge of **entry sources**: a source is one function ``source(council, body_kind, limit)``
returning the council's newest public entries (of one body when ``body_kind`` is given) as ``Entry``. A new
kind of entry (the decisions of approved minutes, say) is one more function in ``SOURCES``, read through its own
public rule.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import feedgenerator, timezone

from meetings.calendar import finish, meeting_event, new_calendar, site_domain
from meetings.models import BodyKind, Meeting
from meetings.selectors import public_agenda_items, public_meetings, public_papers
from meetings.views import CONTENT_TYPES
from trustgov.core.notifications import absolute_url
from trustgov.organisations.models import Council

from . import selectors

FEED_ENTRIES = 50  # the newest entries an Atom feed carries
CALENDAR_DAYS_BACK = 366  # the public calendar carries the last year's meetings and every one ahead
TAG_DATE = "2026"  # the date in the entries' tag URIs (RFC 4151): fixed, so an entry's id never changes


class BadBody(ValueError):
    """``?body=`` names no kind of body: the message says which values are allowed."""


def body_filter(value: str | None) -> str | None:
    """The ``body`` query parameter: blank or absent is every body; anything else must be a body's code."""
    value = (value or "").strip()
    if not value:
        return None
    if value not in BodyKind.values:
        raise BadBody(f"body: '{value}' is not a kind of body. Use one of: {', '.join(BodyKind.values)}.")
    return value


def body_label(body_kind: str | None) -> str:
    return BodyKind(body_kind).label if body_kind else ""


# --- iCalendar --------------------------------------------------------------------------------------


def calendar_meetings(council: Council, body_kind: str | None) -> Iterable[Meeting]:
    meetings = public_meetings(council).filter(date__gte=timezone.localdate() - timedelta(days=CALENDAR_DAYS_BACK))
    if body_kind:
        meetings = meetings.filter(body_kind=body_kind)
    return meetings


def render_calendar(council: Council, body_kind: str | None = None) -> bytes:
    """The council's public meetings: each event's agenda is the public agenda, numbered 1, 2, 3 as the public
    page numbers it (an exempt item leaves no gap), and links to the meeting's public page."""
    name = f"{council.name}: meetings" + (f" ({body_label(body_kind)})" if body_kind else "")
    cal = new_calendar(name)
    for meeting in calendar_meetings(council, body_kind):
        url = absolute_url(reverse("public:meeting-detail", kwargs={"slug": council.slug, "pk": meeting.pk}))
        lines = [f"{n}. {item.title}" for n, item in enumerate(public_agenda_items(meeting), start=1)]
        cal.add_component(meeting_event(meeting, url=url, lines=lines))
    return finish(cal)


# --- Atom ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    key: str  # stable within the site: "paper-12"
    title: str
    path: str  # the public page the entry links to
    published: datetime
    summary: str
    enclosure_path: str = ""  # a download (a paper's file), when there is one
    enclosure_type: str = ""
    enclosure_length: int = 0


EntrySource = Callable[[Council, str | None, int], list[Entry]]


def paper_entries(council: Council, body_kind: str | None, limit: int) -> list[Entry]:
    """The council's newest published papers that anyone may read (``public_papers``)."""
    papers = public_papers(council).filter(published_at__isnull=False).select_related("agenda_item__meeting")
    if body_kind:
        papers = papers.filter(agenda_item__meeting__body_kind=body_kind)
    out = []
    for paper in papers.order_by("-published_at", "-pk")[:limit]:
        meeting = paper.agenda_item.meeting
        page = reverse("public:meeting-detail", kwargs={"slug": council.slug, "pk": meeting.pk})
        out.append(
            Entry(
                key=f"paper-{paper.pk}",
                title=paper.title,
                path=f"{page}#paper-{paper.pk}",
                published=paper.published_at,
                summary=(
                    f"A paper for “{paper.agenda_item.title}” at {meeting.title}, "
                    f"{meeting.get_body_kind_display()}, {meeting.date:%-d %B %Y}."
                ),
                enclosure_path=reverse("public:paper-download", kwargs={"slug": council.slug, "pk": paper.pk}),
                enclosure_type=CONTENT_TYPES[paper.file_type],
                enclosure_length=paper.size,
            )
        )
    return out


def prefix(reference: str) -> str:
    return f"{reference}: " if reference else ""


def decision_entries(council: Council, body_kind: str | None, limit: int) -> list[Entry]:
    """The council's public decisions (``public_decisions``, ADR 0604). A body's feed carries its meetings'
    resolutions only: a reserved-matter decision is the council's, taken at no meeting of a body."""
    decisions = selectors.public_decisions(council)
    if body_kind:
        label = body_label(body_kind)
        decisions = [d for d in decisions if d.kind == "resolution" and d.delegation == label]
    out = []
    for d in decisions[:limit]:
        path = d.url if d.url and d.url.startswith("/") else reverse("public:decisions", kwargs={"slug": council.slug})
        out.append(
            Entry(
                key=d.key,
                title=f"Decision: {d.title}",
                path=path,
                published=timezone.make_aware(datetime.combine(d.decided_on, time(0, 0))),
                summary=f"{prefix(d.reference)}{d.outcome} ({d.decided_by}, {d.decided_on:%-d %B %Y}).",
            )
        )
    return out


SOURCES: list[EntrySource] = [paper_entries, decision_entries]


def feed_entries(council: Council, body_kind: str | None, limit: int = FEED_ENTRIES) -> list[Entry]:
    """Every source's newest entries, merged, newest first."""
    entries = [entry for source in SOURCES for entry in source(council, body_kind, limit)]
    return sorted(entries, key=lambda e: (e.published, e.key), reverse=True)[:limit]


def entry_id(entry: Entry) -> str:
    return f"tag:{site_domain()},{TAG_DATE}:{entry.key}"


def render_atom(council: Council, body_kind: str | None, *, feed_path: str) -> str:
    entries = feed_entries(council, body_kind)
    title = f"{council.name}: published from its meetings" + (f" ({body_label(body_kind)})" if body_kind else "")
    feed = feedgenerator.Atom1Feed(
        title=title,
        link=absolute_url(reverse("public:meeting-calendar", kwargs={"slug": council.slug})),
        description=f"Papers of {council.name}'s meetings as they are published.",
        feed_url=absolute_url(feed_path),
        feed_guid=f"tag:{site_domain()},{TAG_DATE}:{council.slug}/publications/{body_kind or 'all'}",
        author_name=council.name,
        language="en-gb",
    )
    for entry in entries:
        enclosures = []
        if entry.enclosure_path:
            enclosures = [
                feedgenerator.Enclosure(
                    absolute_url(entry.enclosure_path), str(entry.enclosure_length), entry.enclosure_type
                )
            ]
        feed.add_item(
            title=entry.title,
            link=absolute_url(entry.path),
            description=entry.summary,
            unique_id=entry_id(entry),
            unique_id_is_permalink=False,
            pubdate=entry.published,
            updateddate=entry.published,
            enclosures=enclosures,
        )
    return feed.writeString("utf-8")
