"""The decision register: every resolution and reserved-matter decision, across meetings, as one list of plain
records (ADR 0604). Who may read which record is the selectors' business (``register_resolutions``,
``public_resolutions``, ``reserved_matter_requests_visible_to``, ``public_reserved_matter_decisions``); this
module only turns what they return into rows."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.urls import reverse

from contracts.models import ReservedMatterRequest
from contracts.selectors import reserved_matter_requests_visible_to

from .models import AgendaItem, ForwardPlanEntry, Meeting, Resolution
from .selectors import register_resolutions


@dataclass(frozen=True)
class Decision:
    """One decision on the register. Plain data, so pages, feeds and open data can share it."""

    kind: str  # "resolution" or "reserved_matter"
    title: str
    decided_on: date
    decided_by: str  # the meeting, or who took the reserved-matter decision
    delegation: str  # under what authority: the body that met, or the reserved matter and its delegation
    outcome: str
    reference: str
    url: str | None  # the page it links to, or None
    body_name: str  # the trust it concerns, if any
    key: str = ""  # stable within the site: "resolution-12", "reserved-matter-3" (feeds and open data)


def from_resolution(resolution: Resolution, meeting_url: Callable[[Meeting], str | None]) -> Decision:
    meeting = resolution.meeting
    return Decision(
        kind="resolution",
        title=resolution.agenda_item.title,
        decided_on=meeting.date,
        decided_by=meeting.title,
        delegation=meeting.get_body_kind_display(),
        outcome=resolution.text,
        reference=resolution.label,
        url=meeting_url(meeting),
        body_name=meeting.delivery_body.name if meeting.delivery_body_id else "",
        key=f"resolution-{resolution.pk}",
    )


def from_request(request: ReservedMatterRequest, url: str | None = None) -> Decision:
    return Decision(
        kind="reserved_matter",
        title=request.title,
        decided_on=request.council_decided_on,
        decided_by=request.get_council_decided_by_display() or "The council",
        delegation=f"Reserved matter: {request.reserved_matter.title}",
        outcome=request.get_council_decision_display(),
        reference=request.decision_reference,
        url=url if url is not None else (request.decision_url or None),
        body_name=request.delivery_body.name,
        key=f"reserved-matter-{request.pk}",
    )


def newest_first(decisions: Iterable[Decision]) -> list[Decision]:
    """Newest decision first; within a day, the order given (a meeting's resolutions stay in minute order)."""
    return sorted(decisions, key=lambda d: d.decided_on, reverse=True)


def register_for(user) -> list[tuple[Decision, bool]]:
    """The signed-in register: each decision the user may read, with whether it is exempt (only those who may
    read exempt material ever get an exempt row)."""
    rows = [
        (from_resolution(r, lambda m: reverse("meetings:meeting-detail", kwargs={"pk": m.pk})), r.agenda_item.is_exempt)
        for r in register_resolutions(user).select_related("meeting__delivery_body")
    ]
    requests = (
        reserved_matter_requests_visible_to(user)
        .filter(council_decided_on__isnull=False)
        .exclude(council_decision="")
        .order_by("-council_decided_on", "-pk")
    )
    rows += [(from_request(r, r.get_absolute_url()), r.is_exempt) for r in requests]
    rows.sort(key=lambda row: row[0].decided_on, reverse=True)
    return rows


@dataclass(frozen=True)
class WhereTaken:
    """Where a forward plan decision is to be taken: the meeting (and the agenda item) as the reader may see them."""

    meeting: str
    url: str
    item: str | None


def where_taken(
    entries: Iterable[ForwardPlanEntry],
    *,
    meetings: QuerySet[Meeting],
    items: QuerySet[AgendaItem],
    url: Callable[[Meeting], str],
) -> list[ForwardPlanEntry]:
    """Give each entry ``where``: its meeting and agenda item, but only those in ``meetings`` and ``items`` (the
    reader's own selectors), so an exempt item's title or a meeting not yet public never shows; two queries."""
    entries = list(entries)
    meeting_ids = {e.meeting_id for e in entries if e.meeting_id}
    item_ids = {e.agenda_item_id for e in entries if e.agenda_item_id}
    shown = {m.pk: m for m in meetings.filter(pk__in=meeting_ids)} if meeting_ids else {}
    shown_items = {i.pk: i for i in items.filter(pk__in=item_ids)} if item_ids else {}
    for entry in entries:
        meeting = shown.get(entry.meeting_id)
        item = shown_items.get(entry.agenda_item_id) if meeting else None
        entry.where = (
            WhereTaken(
                f"{meeting.title}, {meeting.date:%-d %B %Y}",
                url(meeting) + (f"#item-{item.pk}" if item else ""),
                item.title if item else None,
            )
            if meeting
            else None
        )
    return entries
