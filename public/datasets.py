"""A live council's open data: every public dataset as CSV and JSON, documented field by field (ADR 0608).

One declarative entry per dataset (``Dataset``): its name (the URL's ``<name>.csv`` and ``<name>.json``), title,
description, fields and the function that reads its rows. The data page's documentation table, the CSV's header
row and the JSON's ``fields`` all come from ``Dataset.fields``, so they cannot disagree. A new dataset is one more
entry in ``DATASETS``.

Rows read only what the public pages read (``public.selectors`` and ``meetings.selectors.public_*``): nothing
exempt, nothing in draft, no figure the council has not accepted, small numbers withheld as ``c`` exactly as on
the scorecard (``Position.small_number``). No publication rule is written here.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from meetings.selectors import public_meetings, public_minutes, public_papers
from performance.positions import SUPPRESSED
from trustgov.core.dates import financial_year_bounds, financial_year_label
from trustgov.organisations.models import Council

from . import selectors

LICENCE = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"

# What each field type holds, in CSV and JSON alike. Empty (JSON null) is "not recorded" or "does not apply".
TYPES = {
    "text": (
        "Text",
        "Any text. In the CSV a text that starts with =, +, -, @, a tab or a carriage return is "
        "written with an apostrophe before it, so a spreadsheet shows it as text and never runs it.",
    ),
    "integer": ("Whole number", "Digits only, no thousands separator."),
    "number": ("Number", "A number with a full stop for decimals and no thousands separator."),
    "money": ("Money", "Pounds sterling: a number with up to two decimal places, no £ sign and no separator."),
    "figure": (
        "Figure or c",
        f"A number as for Number, or the letter {SUPPRESSED} where a small number is withheld (see Small numbers).",
    ),
    "date": ("Date", "ISO 8601: YYYY-MM-DD."),
    "month": ("Month", "ISO 8601: YYYY-MM."),
    "time": ("Time", "ISO 8601, 24-hour, UK time: hh:mm."),
    "datetime": ("Date and time", "ISO 8601 with the UK offset: YYYY-MM-DDThh:mm:ss+00:00 (+01:00 in summer)."),
    "url": ("Web address", "An absolute web address."),
}


@dataclass(frozen=True)
class Field:
    name: str  # the JSON key
    header: str  # the CSV column heading
    type: str  # a key of TYPES
    meaning: str

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"{self.name}: unknown type {self.type!r}")

    @property
    def type_label(self) -> str:
        return TYPES[self.type][0]

    def doc(self) -> dict:
        return {"name": self.name, "header": self.header, "type": self.type, "meaning": self.meaning}


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    rows: Callable[[Council], Iterable[dict]]  # each row keyed by the fields' names, no more and no fewer

    @property
    def headers(self) -> list[str]:
        return [f.header for f in self.fields]

    def records(self, council: Council) -> list[dict]:
        """The rows, each a dict in the fields' order with plain values (ISO 8601 text for dates, numbers)."""
        names = [f.name for f in self.fields]
        out = []
        for row in self.rows(council):
            if set(row) != set(names):
                raise ValueError(f"{self.name}: a row's keys {sorted(row)} are not the fields {names}")
            out.append({n: plain(row[n]) for n in names})
        return out


def plain(value):
    """A value as both formats carry it: dates and times as ISO 8601 text (UK time), amounts as numbers."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def absolute(name: str, **kwargs) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


def _month(d: date) -> str:
    return f"{d:%Y-%m}"


# --- Meetings, agenda items, papers ---------------------------------------------------------------

MEETING_ID = "The meeting's number in TrustGov (the meeting id of its agenda items and papers)."


def meeting_rows(council: Council) -> Iterable[dict]:
    for m in public_meetings(council):
        minutes = public_minutes(m)
        yield {
            "id": m.pk,
            "title": m.title,
            "body": m.get_body_kind_display(),
            "trust": m.delivery_body.name if m.delivery_body_id else None,
            "joint": "yes" if m.is_joint else "no",
            "date": m.date,
            "start_time": m.start_time,
            "place": m.place or None,
            "status": m.get_status_display(),
            "agenda_published_on": m.papers_published_on,
            "minutes_approved_on": minutes.approved_on if minutes else None,
            "url": absolute("public:meeting-detail", slug=council.slug, pk=m.pk),
        }


def agenda_item_rows(council: Council) -> Iterable[dict]:
    for meeting, number, item in selectors.numbered_agenda(council):
        yield {
            "meeting_id": meeting.pk,
            "meeting_title": meeting.title,
            "meeting_date": meeting.date,
            "number": number,
            "title": item.title,
            "report_author": item.report_author or None,
            "report": item.report or None,
        }


def paper_rows(council: Council) -> Iterable[dict]:
    numbers = {item.pk: number for _, number, item in selectors.numbered_agenda(council)}
    for p in public_papers(council).order_by("agenda_item__meeting__date", "agenda_item__order", "pk"):
        item = p.agenda_item
        yield {
            "id": p.pk,
            "title": p.title,
            "meeting_id": item.meeting_id,
            "meeting_title": item.meeting.title,
            "meeting_date": item.meeting.date,
            "item_number": numbers.get(item.pk),
            "item_title": item.title,
            "file_type": p.get_file_type_display(),
            "size_bytes": p.size,
            "published_at": p.published_at,
            "download_url": absolute("public:paper-download", slug=council.slug, pk=p.pk),
        }


# --- Board ----------------------------------------------------------------------------------------


def board_rows(council: Council) -> Iterable[dict]:
    for board in selectors.trust_boards(council, timezone.localdate()):
        for row in board.seats:
            yield {
                "trust": board.body.delivery_body.name if board.body.delivery_body_id else None,
                "board": board.body.name,
                "seat": row.seat.title,
                "role": row.seat.board_role,
                "held_by": row.holder.person.display_name if row.holder else None,
                "since": row.holder.start_date if row.holder else None,
            }


# --- Performance ----------------------------------------------------------------------------------


def figure_rows(council: Council) -> Iterable[dict]:
    for trust, p in selectors.accepted_figures(council):
        withheld = p.small_number
        yield {
            "trust": trust.name,
            "code": p.kpi.code,
            "indicator": p.kpi.title,
            "unit": p.kpi.get_unit_display(),
            "polarity": p.kpi.get_polarity_display(),
            "month": _month(p.period),
            "figure": SUPPRESSED if withheld else p.value,
            "target": p.target,
            "rating": None if withheld else p.rag_word,
        }


# --- Contracts ------------------------------------------------------------------------------------


def contract_rows(council: Council) -> Iterable[dict]:
    for c in selectors.public_contracts(council):
        yield {
            "reference": c.reference,
            "title": c.title,
            "councils": "; ".join(x.name for x in c.party_councils()),
            "trust": c.delivery_body.name,
            "trust_company_number": c.delivery_body.company_number or c.supplier_company_number or None,
            "status": c.get_status_display(),
            "start_date": c.start_date,
            "end_date": c.end_date,
            "signed_on": c.signed_on,
        }


def contract_year_rows(council: Council) -> Iterable[dict]:
    for c in selectors.public_contracts(council):
        for y in c.finance_years.all():
            starts, ends = financial_year_bounds(y.financial_year)
            yield {
                "contract_reference": c.reference,
                "financial_year": financial_year_label(y.financial_year),
                "year_starts": starts,
                "year_ends": ends,
                "contract_sum": y.contract_sum,
            }


# --- Decisions ------------------------------------------------------------------------------------


def decision_rows(council: Council) -> Iterable[dict]:
    """The public decision register (``public_decisions``, ADR 0604), newest first."""
    for d in selectors.public_decisions(council):
        yield {
            "id": d.key,
            "kind": DECISION_KINDS.get(d.kind, d.kind),
            "title": d.title,
            "decided_on": d.decided_on,
            "decided_by": d.decided_by,
            "delegation": d.delegation,
            "outcome": d.outcome,
            "reference": d.reference or None,
            "trust": d.body_name or None,
            "url": (settings.SITE_URL + d.url) if d.url and d.url.startswith("/") else (d.url or None),
        }


DECISION_KINDS = {"resolution": "Resolution", "reserved_matter": "Reserved matter"}


# --- The registry ---------------------------------------------------------------------------------

DATASETS_IN_ORDER: tuple[Dataset, ...] = (
    Dataset(
        "meetings",
        "Meetings",
        "The meetings whose agenda is published: the council's own and the joint committees of the trusts it owns. "
        "Cancelled meetings and meetings whose agenda is not yet out are not listed.",
        (
            Field("id", "Meeting id", "integer", MEETING_ID),
            Field("title", "Meeting", "text", "The meeting's title."),
            Field("body", "Body", "text", "The committee or board that meets, for example Cabinet."),
            Field("trust", "Trust", "text", "The children's trust the meeting oversees; empty if none."),
            Field("joint", "Joint committee", "text", "yes for a joint committee of the trust's owners, else no."),
            Field("date", "Date", "date", "The day of the meeting."),
            Field("start_time", "Start time", "time", "When it starts; empty if not recorded."),
            Field("place", "Place", "text", "Where it is held; empty if not recorded."),
            Field("status", "Status", "text", "Scheduled, Papers published or Held."),
            Field("agenda_published_on", "Agenda published on", "date", "When the agenda and papers were published."),
            Field(
                "minutes_approved_on",
                "Minutes approved on",
                "date",
                "When a later meeting approved the minutes as a correct record; empty until then (draft minutes "
                "are never published).",
            ),
            Field("url", "Web page", "url", "The meeting's public page: its agenda, papers and approved minutes."),
        ),
        meeting_rows,
    ),
    Dataset(
        "agenda-items",
        "Agenda items",
        "The published items of each meeting's agenda. Items not for publication (exempt information) are never "
        "listed, and the numbering counts published items only.",
        (
            Field("meeting_id", "Meeting id", "integer", MEETING_ID),
            Field("meeting_title", "Meeting", "text", "The meeting's title."),
            Field("meeting_date", "Meeting date", "date", "The day of the meeting."),
            Field(
                "number",
                "Item number",
                "integer",
                "The item's number on the public agenda: 1, 2, 3 in the agenda's order. It is not the council's "
                "minute number.",
            ),
            Field("title", "Item", "text", "The item's title."),
            Field("report_author", "Report of", "text", "Whose report it is, for example Director of Finance."),
            Field(
                "report",
                "Report summary",
                "text",
                "The report's summary and recommendations; may run to several lines.",
            ),
        ),
        agenda_item_rows,
    ),
    Dataset(
        "papers",
        "Meeting papers",
        "The papers published for the meetings above: their details and where to download them. Papers in draft, "
        "not for publication, or on an item not for publication are never listed.",
        (
            Field("id", "Paper id", "integer", "The paper's number in TrustGov."),
            Field("title", "Paper", "text", "The paper's title."),
            Field("meeting_id", "Meeting id", "integer", MEETING_ID),
            Field("meeting_title", "Meeting", "text", "The meeting's title."),
            Field("meeting_date", "Meeting date", "date", "The day of the meeting."),
            Field("item_number", "Item number", "integer", "The agenda item's number, as in Agenda items."),
            Field("item_title", "Item", "text", "The agenda item's title."),
            Field("file_type", "File type", "text", "PDF, Word document or Excel workbook."),
            Field("size_bytes", "Size (bytes)", "integer", "The file's size in bytes."),
            Field("published_at", "Published at", "datetime", "When the paper was published."),
            Field("download_url", "Download", "url", "Where to download the paper."),
        ),
        paper_rows,
    ),
    Dataset(
        "board",
        "Trust board",
        "Each seat on the boards of the council's trusts and who holds it today: names and posts only, never "
        "contact details.",
        (
            Field("trust", "Trust", "text", "The children's trust."),
            Field("board", "Board", "text", "The board's name."),
            Field("seat", "Seat", "text", "The post, for example Director of Resources."),
            Field("role", "Role", "text", "The seat's board role, for example Independent non-executive director."),
            Field("held_by", "Held by", "text", "Who holds the seat today; empty when it is vacant."),
            Field("since", "Since", "date", "When their term began; empty when the seat is vacant."),
        ),
        board_rows,
    ),
    Dataset(
        "kpi-figures",
        "Accepted performance figures",
        "Every figure the council has checked and accepted for its trusts' performance indicators, month by month, "
        "up to the month the scorecard shows. Figures not yet accepted are not listed.",
        (
            Field("trust", "Trust", "text", "The children's trust."),
            Field("code", "Indicator code", "text", "The indicator's short code."),
            Field("indicator", "Indicator", "text", "The indicator's title."),
            Field("unit", "Unit", "text", "Percentage, Count, Rate per 10,000 children, Days or Ratio."),
            Field("polarity", "Polarity", "text", "Higher is better or Lower is better."),
            Field("month", "Month", "month", "The month the figure is for."),
            Field("figure", "Figure", "figure", f"The accepted figure in the unit; {SUPPRESSED} when withheld."),
            Field("target", "Target", "number", "The target in force that month; empty when there is none."),
            Field(
                "rating",
                "Rating",
                "text",
                "The figure against its target (for example Green); empty when the figure is withheld, since a "
                "rating would narrow it down.",
            ),
        ),
        figure_rows,
    ),
    Dataset(
        "contracts",
        "Contracts",
        "The council's signed contracts with its trusts: the public facts, as the open contracting release carries "
        "them.",
        (
            Field("reference", "Contract reference", "text", "The council's contract reference."),
            Field("title", "Contract", "text", "The contract's title."),
            Field("councils", "Councils", "text", "Every council party to it, the lead first, separated by ; ."),
            Field("trust", "Trust", "text", "The children's trust that delivers the services."),
            Field("trust_company_number", "Trust company number", "text", "At Companies House; empty if none."),
            Field("status", "Status", "text", "Signed, Live, In notice, Terminated or Expired."),
            Field("start_date", "Starts", "date", "Go-live: the day operational control passed to the trust."),
            Field("end_date", "Initial term ends", "date", "The last day of the initial term."),
            Field("signed_on", "Signed on", "date", "The day it was signed; empty if not recorded."),
        ),
        contract_rows,
    ),
    Dataset(
        "contract-years",
        "Contract sums by financial year",
        "The contract sum paid to the trust in each financial year (1 April to 31 March) of the contracts above.",
        (
            Field("contract_reference", "Contract reference", "text", "The contract, as in Contracts."),
            Field("financial_year", "Financial year", "text", "For example 2025/26."),
            Field("year_starts", "Year starts", "date", "1 April of the financial year."),
            Field("year_ends", "Year ends", "date", "31 March of the financial year."),
            Field("contract_sum", "Contract sum (£)", "money", "The year's contract sum; empty when not recorded."),
        ),
        contract_year_rows,
    ),
    Dataset(
        "decisions",
        "Decisions",
        "The decision register: the resolutions of the council's public meetings once their minutes are approved, "
        "and the decisions the council has taken on its trusts' reserved matters. Decisions on items not for "
        "publication are never listed.",
        (
            Field("id", "Decision id", "text", "Stable within TrustGov: resolution-N or reserved-matter-N."),
            Field("kind", "Kind", "text", "Resolution (of a meeting) or Reserved matter (a council decision)."),
            Field("title", "Decision", "text", "The agenda item resolved on, or the reserved-matter request."),
            Field("decided_on", "Decided on", "date", "The day of the meeting, or of the council's decision."),
            Field("decided_by", "Decided by", "text", "The meeting, or who decided (Cabinet, Lead Member, officer)."),
            Field("delegation", "Under", "text", "The body that met, or the reserved matter the decision falls under."),
            Field("outcome", "Outcome", "text", "The resolution's words, or Approved or Refused."),
            Field("reference", "Reference", "text", "The minute and resolution number, or the decision record."),
            Field("trust", "Trust", "text", "The children's trust it concerns; empty if none."),
            Field("url", "Web page", "url", "The meeting's public page, or the published decision; empty if none."),
        ),
        decision_rows,
    ),
)
DATASETS: dict[str, Dataset] = {d.name: d for d in DATASETS_IN_ORDER}
