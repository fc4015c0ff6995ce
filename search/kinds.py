"""What search looks through: each kind of record, the words of it that are searched, and who may find it.

A kind never says who may see a record: it takes its rows from the selector the record's own pages use
(``meetings_visible_to``, ``documents_visible_to`` and the rest for a signed-in user; ``public_*`` for a council's
public pages), so search finds exactly what the pages show and nothing exempt or in draft reaches anyone who could
not open it (ADR 0606).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from boards.selectors import people_visible_to, trust_board_members
from contracts.selectors import (
    contracts_visible_to,
    public_contracts,
    public_reserved_matter_decisions,
    reserved_matter_requests_visible_to,
)
from meetings.selectors import (
    agenda_items_visible_to,
    documents_visible_to,
    meetings_visible_to,
    public_items,
    public_meetings,
    public_papers,
    public_resolutions,
    resolutions_visible_to,
)
from performance.selectors import kpis_visible_to, public_scorecard_kpis
from trustgov.organisations.selectors import public_delivery_bodies


@dataclass(frozen=True)
class Kind:
    key: str  # in the URL: ?kind=papers
    label: str  # "Papers"
    table: str  # the database table, for the full-text index
    fields: tuple[str, ...]  # the columns searched, in the order of the indexed expression (or through joins)
    date: str  # newest first, after rank
    rows: Callable[..., QuerySet]  # the user's (or the council's) scoped rows
    title: Callable[[object], str]
    url: Callable[[object, str], str]  # the record and the council's slug (public pages only)
    detail: Callable[[object], str]  # a line under the title: where it belongs

    @property
    def index_name(self) -> str:
        return f"search_{self.key}_fts"


def _meeting_line(meeting) -> str:
    return f"{meeting.get_body_kind_display()}, {meeting.date:%-d %B %Y}"


SIGNED_IN = (
    Kind(
        "meetings",
        "Meetings",
        "meetings_meeting",
        ("title", "place"),
        "date",
        meetings_visible_to,
        lambda m: m.title,
        lambda m, _slug: reverse("meetings:meeting-detail", args=[m.pk]),
        _meeting_line,
    ),
    Kind(
        "items",
        "Agenda items",
        "meetings_agendaitem",
        ("title", "report"),
        "meeting__date",
        agenda_items_visible_to,
        lambda i: i.title,
        lambda i, _slug: reverse("meetings:meeting-detail", args=[i.meeting_id]) + f"#item-{i.pk}",
        lambda i: f"{i.meeting.title}",
    ),
    Kind(
        "papers",
        "Papers",
        "meetings_document",
        ("title", "text"),
        "agenda_item__meeting__date",
        documents_visible_to,
        lambda d: d.title,
        lambda d, _slug: reverse("meetings:document-download", args=[d.pk]),
        lambda d: f"{d.agenda_item.title}, {d.agenda_item.meeting.title}",
    ),
    Kind(
        "resolutions",
        "Resolutions",
        "meetings_resolution",
        ("text",),
        "meeting__date",
        resolutions_visible_to,
        lambda r: f"Resolution on {r.agenda_item.title}",
        lambda r, _slug: reverse("meetings:meeting-detail", args=[r.meeting_id]) + f"#item-{r.agenda_item_id}",
        lambda r: r.meeting.title,
    ),
    Kind(
        "decisions",
        "Reserved-matter decisions",
        "contracts_reservedmatterrequest",
        ("title", "details"),
        "raised_on",
        reserved_matter_requests_visible_to,
        lambda r: r.title,
        lambda r, _slug: reverse("contracts:request-detail", args=[r.pk]),
        lambda r: f"{r.get_status_display()}, raised {r.raised_on:%-d %B %Y}",
    ),
    Kind(
        "kpis",
        "KPIs",
        "performance_kpi",
        ("code", "title", "definition"),
        "created_at",
        kpis_visible_to,
        lambda k: f"{k.code}: {k.title}",
        lambda k, _slug: reverse("performance:kpi-detail", args=[k.pk]),
        lambda k: k.delivery_body.name,
    ),
    Kind(
        "people",
        "People",
        "boards_person",
        ("name", "professional_capacity", "organisation"),
        "created_at",
        people_visible_to,
        lambda p: p.name,
        lambda p, _slug: reverse("boards:person-detail", args=[p.pk]),
        lambda p: p.professional_capacity,
    ),
    Kind(
        "contracts",
        "Contracts",
        "contracts_contract",
        ("reference", "title", "description"),
        "start_date",
        contracts_visible_to,
        lambda c: f"{c.reference}: {c.title}",
        lambda c, _slug: reverse("contracts:contract-detail", args=[c.pk]),
        lambda c: c.delivery_body.name,
    ),
)


_BY_KEY = {kind.key: kind for kind in SIGNED_IN}


def _public(key: str, rows, url) -> Kind:
    kind = _BY_KEY[key]
    return Kind(kind.key, kind.label, kind.table, kind.fields, kind.date, rows, kind.title, url, kind.detail)


# A council's public pages: its published meetings, their public agenda items and papers, read as by nobody
# signed in (``meetings.selectors.public_*``). The links are the public pages'.
PUBLIC = (
    _public("meetings", public_meetings, lambda m, slug: reverse("public:meeting-detail", args=[slug, m.pk])),
    _public("items", public_items, lambda i, slug: reverse("public:meeting-detail", args=[slug, i.meeting_id])),
    _public("papers", public_papers, lambda d, slug: reverse("public:paper-download", args=[slug, d.pk])),
)


def _public_board(council) -> QuerySet:
    """Who sits on the council's trusts' boards today: the rows the public board page shows (names and posts)."""
    return trust_board_members(public_delivery_bodies(council), timezone.localdate())


def _public_kpis(council) -> QuerySet:
    """The KPIs the council's public scorecard lists (those in force at its latest accepted month)."""
    return public_scorecard_kpis(public_delivery_bodies(council))


def _board_line(membership) -> str:
    body = membership.seat.body
    return f"{membership.seat.board_role}, {body.name} ({body.delivery_body.name})"


PUBLIC += (
    # The public board page's names and posts: not a person's record (their capacity, organisation and contact
    # details are not on the public pages). The words span the person and the seat, so no one table's index holds
    # them; a council's board is a few rows.
    Kind(
        "board",
        "The trust's board",
        "boards_membership",
        ("person__honorific", "person__name", "seat__title"),
        "start_date",
        _public_board,
        lambda m: m.person.display_name,
        lambda m, slug: reverse("public:board", args=[slug]) + f"#seat-{m.seat_id}",
        _board_line,
    ),
    _public(
        "kpis",
        _public_kpis,
        lambda k, slug: reverse("public:scorecard", args=[slug]) + f"#kpi-{k.pk}",
    ),
)


def _public_decisions(council) -> QuerySet:
    """The reserved-matter decisions the public register lists (decided, not exempt, of the council's trusts)."""
    return public_reserved_matter_decisions(public_delivery_bodies(council))


PUBLIC += (
    # The public register's decisions, by the words it shows: a resolution's text; a reserved-matter decision's
    # title and reference (the trust's request details are not on the public pages).
    _public(
        "resolutions",
        public_resolutions,
        lambda r, slug: reverse("public:meeting-detail", args=[slug, r.meeting_id]) + f"#item-{r.agenda_item_id}",
    ),
    Kind(
        "decisions",
        "Reserved-matter decisions",
        "contracts_reservedmatterrequest",
        ("title", "decision_reference"),
        "council_decided_on",
        _public_decisions,
        lambda r: r.title,
        lambda r, slug: reverse("public:decisions", args=[slug]),
        lambda r: f"{r.get_council_decision_display()}, {r.council_decided_on:%-d %B %Y}",
    ),
    # The signed contracts the open data and the open contracting release publish (ADR 0608).
    _public("contracts", public_contracts, lambda c, slug: reverse("public:data", args=[slug]) + "#contracts"),
)
