"""The national grid: every trust the user can see × every KPI, for one month (ADR 0308).

KPIs belong to a trust (``Kpi.delivery_body``); a column is a KPI code, as the comparison matches them. Each cell
is read through the one read model (``positions.read_positions(..., spc=True)``): the value with its unit, RAG,
the SPC variation (``Positions.spc``), and the trust's quartile among the trusts on the grid that sent a figure
for that KPI and month (``calculations.quartiles``). A trust whose last month received is before the chosen
month is stale: its cells say "Not received", never a figure of another month.

``parse_query`` reads the month, filters and sort from a query string (the web page, its downloads and the API
read the same parameters, with the same messages); ``read_grid`` reads the grid in a fixed number of queries,
whatever the number of trusts; ``export_rows`` is the grid as the downloads write it.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from trustgov.core.dates import add_months, parse_month
from trustgov.core.scoping import visible
from trustgov.organisations.models import DeliveryBody

from . import calculations, positions, spc
from .models import Kpi

SORTS = ("trust", "value", "rag")
ORDERS = ("asc", "desc")
RAGS = (calculations.RED, calculations.AMBER, calculations.GREEN, calculations.GREY)
RECEIVED = ("current", "stale")
RAG_SEVERITY = {calculations.RED: 0, calculations.AMBER: 1, calculations.GREEN: 2, calculations.GREY: 3}
NOT_RECEIVED = "Not received"
NOT_REPORTED = "Not reported"
MONTH_MESSAGE = "Enter the month as YYYY-MM, for example 2026-03"


class GridQueryError(ValueError):
    """What is wrong with the query, by parameter (every problem at once)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class GridQuery:
    period: date | None = None  # None: the latest month any trust on the grid has sent
    kpis: tuple[str, ...] = ()  # the columns shown (KPI codes); none: every KPI
    rag: tuple[str, ...] = ()  # only trusts with a cell of one of these RAGs in the columns shown
    received: str = ""  # "current", "stale" or either
    sort: str = "trust"
    sort_kpi: str = ""  # the column sorted by value or RAG
    order: str = "asc"

    @property
    def filtered(self) -> bool:
        return bool(self.rag or self.received)


def parse_query(params) -> GridQuery:
    """The grid's parameters from a query string (a QueryDict). An empty parameter is not given; a wrong one is a
    ``GridQueryError`` naming it."""
    errors: dict[str, str] = {}
    raw_period = (params.get("period") or "").strip()
    period = parse_month(raw_period) if raw_period else None
    if raw_period and period is None:
        errors["period"] = MONTH_MESSAGE
    rag = tuple(dict.fromkeys(v for v in params.getlist("rag") if v))
    if any(v not in RAGS for v in rag):
        errors["rag"] = "Choose red, amber, green or grey"
    received = params.get("received") or ""
    if received and received not in RECEIVED:
        errors["received"] = "Choose current or stale"
    sort = params.get("sort") or "trust"
    if sort not in SORTS:
        errors["sort"] = "Sort by trust, value or rag"
    order = params.get("order") or "asc"
    if order not in ORDERS:
        errors["order"] = "Choose asc or desc"
    sort_kpi = (params.get("sort_kpi") or "").strip()
    if sort in ("value", "rag") and not sort_kpi:
        errors["sort_kpi"] = "Choose the KPI to sort by"
    if errors:
        raise GridQueryError(errors)
    kpis = tuple(dict.fromkeys(v.strip() for v in params.getlist("kpi") if v.strip()))
    return GridQuery(period, kpis, rag, received, sort, sort_kpi if sort != "trust" else "", order)


@dataclass(frozen=True)
class Column:
    code: str
    title: str


@dataclass(frozen=True)
class Cell:
    code: str
    kpi: Kpi | None = None  # None: the trust does not report this KPI
    position: positions.Position | None = None  # None: nothing received from the trust for the month
    variation: positions.SpcLabel | None = None
    variation_reason: str = ""
    quartile: int | None = None
    signal: spc.Signal | None = None  # the variation, as the API names it

    @property
    def state(self) -> str:
        if self.kpi is None:
            return "not-reported"
        return "not-received" if self.position is None else "received"

    @property
    def value_label(self) -> str:
        """The value with its unit ("No value" when the return left it empty), or why there is none."""
        if self.kpi is None:
            return NOT_REPORTED
        if self.position is None:
            return NOT_RECEIVED
        return self.position.value_label

    @property
    def rag(self) -> str | None:
        return None if self.position is None else self.position.rag

    @property
    def rag_word(self) -> str:
        return "" if self.position is None else self.position.rag_word

    @property
    def variation_word(self) -> str:
        return self.variation.word if self.variation else ""

    @property
    def quartile_label(self) -> str:
        return f"Q{self.quartile}" if self.quartile else ""


@dataclass(frozen=True)
class Row:
    body: DeliveryBody
    last_received: date | None
    stale: bool  # the last month received is before the chosen month (or nothing was ever received)
    cells: tuple[Cell, ...]

    def cell(self, code: str) -> Cell | None:
        return next((c for c in self.cells if c.code == code), None)

    @property
    def received_label(self) -> str:
        return "Stale" if self.stale else "Current"


@dataclass(frozen=True)
class Grid:
    period: date | None
    query: GridQuery
    columns: list[Column]  # the columns shown
    all_columns: list[Column]  # every KPI code on the grid (the filter's choices)
    rows: list[Row]
    months: list[date] = field(default_factory=list)  # the month picker's choices, latest first
    accepted_only: bool = False


def grid_bodies(user):
    """The trusts on the user's grid: every trust they can see (one scoping rule, as every dashboard)."""
    return visible(DeliveryBody, user).order_by("name", "pk")


def _columns(kpis: list[Kpi]) -> list[Column]:
    out: dict[str, Column] = {}
    for kpi in sorted(kpis, key=lambda k: (k.display_order, k.code, k.delivery_body.name)):
        out.setdefault(kpi.code, Column(kpi.code, kpi.title))
    return list(out.values())


def _months(received: dict[int, tuple[date, date]], period: date | None) -> list[date]:
    if not received:
        return [period] if period else []
    first, last = min(f for f, _ in received.values()), max(end for _, end in received.values())
    if period:
        first, last = min(first, period), max(last, period)
    out, month = [], last
    while month >= first:
        out.append(month)
        month = add_months(month, -1)
    return out


def read_grid(user, query: GridQuery, *, accepted_only: bool, page: list[DeliveryBody] | None = None) -> Grid:
    """The grid for the user's trusts (or only the trusts of ``page``, ranked among all of them), filtered and
    sorted as the query says. At most nine queries, whatever the number of trusts, KPIs or months."""
    bodies = list(grid_bodies(user)) if page is None else None
    body_ids = [b.pk for b in bodies] if bodies is not None else None
    every_kpi = Kpi.objects.filter(delivery_body__in=grid_bodies(user))
    received = positions.months_received(every_kpi, accepted_only=accepted_only)
    latest = max((last for _, last in received.values()), default=None)
    period = query.period or latest
    reported = every_kpi.select_related("delivery_body")
    if period is not None:
        reported = reported.filter(Q(retired_from__isnull=True) | Q(retired_from__gt=period))
    kpis, breaks, rebaselines = positions.kpis_with_breaks(reported)
    all_columns = _columns(kpis)
    codes = {c.code for c in all_columns}
    errors = {}
    unknown = [c for c in query.kpis if c not in codes]
    if unknown:
        errors["kpi"] = f"No KPI with the code {', '.join(unknown)} on the grid"
    shown = [c for c in all_columns if not query.kpis or c.code in query.kpis]
    if query.sort_kpi and query.sort_kpi not in {c.code for c in shown}:
        errors["sort_kpi"] = "Sort by a KPI shown on the grid"
    if errors:
        raise GridQueryError(errors)
    if period is None:  # nothing received from any trust yet
        rows_bodies = bodies if bodies is not None else page
        rows = [Row(b, None, True, tuple(Cell(c.code) for c in shown)) for b in rows_bodies]
        return Grid(None, query, shown, all_columns, rows, [], accepted_only)

    row_bodies = bodies if bodies is not None else page
    row_ids = {b.pk for b in row_bodies}
    row_kpis = [k for k in kpis if k.delivery_body_id in row_ids]
    read = positions.read_positions(
        row_kpis, start=period, end=period, accepted_only=accepted_only, spc=True, breaks=breaks,
        rebaselines=rebaselines,
    )  # fmt: skip
    ranks_read = read
    if body_ids is None:  # a page of trusts: rank among every trust's figure for the month (no series needed)
        ranks_read = positions.read_positions(kpis, start=period, end=period, accepted_only=accepted_only, lookback=0)
    sent = {k.delivery_body_id for k in kpis if ranks_read.at(k, period).has_value}
    groups: dict[tuple, dict[int, object]] = defaultdict(dict)
    for kpi in kpis:
        if kpi.delivery_body_id in sent:
            groups[kpi.code, kpi.unit, kpi.polarity][kpi.pk] = ranks_read.at(kpi, period).value
    quartile: dict[int, int | None] = {}
    for (_, _, polarity), values in groups.items():
        quartile.update(calculations.quartiles(values, polarity))

    by_body: dict[int, dict[str, Kpi]] = defaultdict(dict)
    for kpi in row_kpis:
        by_body[kpi.delivery_body_id][kpi.code] = kpi
    rows = []
    for body in row_bodies:
        last = received.get(body.pk, (None, None))[1]
        cells = []
        for column in shown:
            kpi = by_body[body.pk].get(column.code)
            if kpi is None:
                cells.append(Cell(column.code))
            elif body.pk not in sent:
                cells.append(Cell(column.code, kpi))
            else:
                position = read.at(kpi, period)
                reading = read.spc(kpi) if position.has_value else None
                cells.append(
                    Cell(
                        column.code,
                        kpi,
                        position,
                        reading.variation_label if reading else None,
                        reading.variation_reason if reading else "",
                        quartile.get(kpi.pk),
                        reading.variation if reading else None,
                    )
                )
        rows.append(Row(body, last, last is None or last < period, tuple(cells)))
    if page is None:  # a page of trusts comes in the database's order, unfiltered (the API pages only then)
        rows = sort_rows(filter_rows(rows, query), query)
    return Grid(period, query, shown, all_columns, rows, _months(received, period), accepted_only)


def filter_rows(rows: list[Row], query: GridQuery) -> list[Row]:
    if query.received:
        rows = [r for r in rows if r.stale == (query.received == "stale")]
    if query.rag:
        rows = [r for r in rows if any(c.rag in query.rag for c in r.cells)]
    return rows


def sort_rows(rows: list[Row], query: GridQuery) -> list[Row]:
    """By trust name; or by a KPI's value or RAG (red first), trusts without one last whichever the order."""
    descending = query.order == "desc"
    by_name = sorted(rows, key=lambda r: (r.body.name.casefold(), r.body.pk), reverse=descending)
    if query.sort == "trust":
        return by_name

    def key(row: Row):
        cell = row.cell(query.sort_kpi)
        if query.sort == "value":
            return cell.position.value if cell and cell.position and cell.position.has_value else None
        return RAG_SEVERITY[cell.rag] if cell and cell.rag else None

    with_key = [r for r in by_name if key(r) is not None]
    without = [r for r in by_name if key(r) is None]
    # a stable sort on the name order: trusts with the same value stay in name order (reversed with desc)
    return sorted(with_key, key=key, reverse=descending) + without


HEADER_FIXED = ["Trust", "Council", "Last month received", "Received"]


def export_rows(grid: Grid) -> tuple[list[str], list[list]]:
    """The header and rows the downloads write: what the page shows, in its order, with its filters."""
    header = list(HEADER_FIXED)
    for column in grid.columns:
        header += [f"{column.code} value", f"{column.code} RAG", f"{column.code} variation", f"{column.code} quartile"]
    rows = []
    for row in grid.rows:
        line = [
            row.body.name,
            row.body.council.name if row.body.council_id else "",
            f"{row.last_received:%B %Y}" if row.last_received else "Nothing received",
            row.received_label,
        ]
        for cell in row.cells:
            line += [cell.value_label, cell.rag_word, cell.variation_word, cell.quartile_label]
        rows.append(line)
    return header, rows
