"""The national grid: every trust the user can see × every KPI, for one month (ADR 0308).

KPIs belong to a trust (``Kpi.delivery_body``); a column is a KPI code, as the comparison matches them. Each cell
is read through the one read model (``positions.read_positions(..., spc=True)``): the value with its unit, RAG,
the SPC variation (``Positions.spc``), and the trust's quartile among the trusts on the grid that sent a figure
for that KPI and month (``calculations.quartiles``). A trust whose last month received is before the chosen
month is stale: its cells say "Not received", never a figure of another month.

``parse_query`` reads the month, filters and sort from a query string (the web page, its downloads and the API
read the same parameters, with the same messages); ``parse_page`` the page's number; ``read_grid`` reads the grid
(or one page of it) in a fixed number of queries, whatever the number of trusts, with the SPC variation of only the
trusts shown; ``export_rows`` is the grid as the downloads write it.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
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
PAGE_SIZE = 25  # trusts on a page of the grid (and in its downloads: the page shown)
PAGE_MESSAGE = "Enter the page as a whole number, 1 or more"


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


def parse_page(params) -> int:
    """The page's number (1 with none); anything but a whole number of 1 or more is a ``GridQueryError``."""
    raw = (params.get("page") or "").strip()
    if not raw:
        return 1
    if not re.fullmatch(r"[0-9]{1,9}", raw) or int(raw) < 1:
        raise GridQueryError({"page": PAGE_MESSAGE})
    return int(raw)


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
    total: int = 0  # the trusts that matched the filters, on every page
    number: int = 1  # the page shown
    size: int = 0  # trusts a page
    breaks: tuple | None = field(default=None, repr=False, compare=False)  # the KPIs' (breaks, rebaselines)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size)) if self.size else 1

    @property
    def first(self) -> int:
        """The position of the page's first trust among every trust that matched (1-based)."""
        return (self.number - 1) * self.size + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


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


def read_grid(
    user,
    query: GridQuery,
    *,
    accepted_only: bool,
    page: list[DeliveryBody] | None = None,
    number: int | None = None,
    size: int | None = None,
    variation: bool = True,
) -> Grid:
    """The grid for the user's trusts, filtered and sorted as the query says; with ``size``, only the trusts of
    page ``number`` of it (``Grid.total`` counts every trust that matched); with ``page``, only those trusts, in
    the order given, ranked among all of them (the API's database pages).

    The figures of the month of every trust are read once (no series) for the quartiles, the filters and the
    sorts; the SPC variation, which needs each KPI's whole series, is read only for the cells of the trusts and
    KPIs shown, in one more read (``variation=False`` leaves it to the caller: ``with_variation`` on the rows it
    shows). A fixed number of queries, whatever the number of trusts, KPIs or months."""
    bodies = list(grid_bodies(user)) if page is None else list(page)
    every_kpi = Kpi.objects.filter(delivery_body__in=grid_bodies(user))
    received = positions.months_received(every_kpi, accepted_only=accepted_only)
    latest = max((last for _, last in received.values()), default=None)
    period = query.period or latest
    reported = every_kpi
    if period is not None:
        reported = reported.filter(Q(retired_from__isnull=True) | Q(retired_from__gt=period))
    kpis, breaks, rebaselines = positions.kpis_with_breaks(reported)
    # Each KPI's trust is one of the grid's trusts, shared (a national grid's 15,500 KPIs would otherwise each
    # carry their own copy of one of 155 trusts: the worker's memory, issue 14).
    trusts = {b.pk: b for b in (bodies if page is None else grid_bodies(user))}
    for kpi in kpis:
        kpi.delivery_body = trusts[kpi.delivery_body_id]
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
        rows = [Row(b, None, True, tuple(Cell(c.code) for c in shown)) for b in bodies]
        return _paged(Grid(None, query, shown, all_columns, rows, [], accepted_only), rows, number, size)

    # The month's figures of every trust (no series): the quartiles, and the filters and sorts of the rows.
    month = positions.read_positions(kpis, start=period, end=period, accepted_only=accepted_only, lookback=0)
    sent = {k.delivery_body_id for k in kpis if month.value_at(k, period) is not None}
    groups: dict[tuple, dict[int, object]] = defaultdict(dict)
    for kpi in kpis:
        if kpi.delivery_body_id in sent:
            groups[kpi.code, kpi.unit, kpi.polarity][kpi.pk] = month.value_at(kpi, period)
    quartile: dict[int, int | None] = {}
    for (_, _, polarity), values in groups.items():
        quartile.update(calculations.quartiles(values, polarity))

    shown_codes = {c.code for c in shown}
    by_body: dict[int, dict[str, Kpi]] = defaultdict(dict)
    for kpi in kpis:
        if kpi.code in shown_codes:
            by_body[kpi.delivery_body_id][kpi.code] = kpi

    def cells_of(body) -> tuple[Cell, ...]:
        cells = []
        for column in shown:
            kpi = by_body[body.pk].get(column.code)
            if kpi is None:
                cells.append(Cell(column.code))
            elif body.pk not in sent:
                cells.append(Cell(column.code, kpi))
            else:
                cells.append(Cell(column.code, kpi, month.at(kpi, period), quartile=quartile.get(kpi.pk)))
        return tuple(cells)

    # Every row's cells are needed only to filter by RAG or sort by a KPI; otherwise only the page's rows get
    # theirs (a page of 25 trusts builds 2,500 positions, not 15,500: the worker's memory, issue 14).
    every_row = page is not None or bool(query.rag) or query.sort != "trust"
    rows = []
    for body in bodies:
        last = received.get(body.pk, (None, None))[1]
        rows.append(Row(body, last, last is None or last < period, cells_of(body) if every_row else ()))
    if page is None:  # a page of trusts comes in the database's order, unfiltered (the API pages only then)
        rows = sort_rows(filter_rows(rows, query), query)
    table = Grid(period, query, shown, all_columns, rows, _months(received, period), accepted_only)
    table = replace(_paged(table, rows, number, size), breaks=(breaks, rebaselines))
    if not every_row:
        table = replace(table, rows=[replace(r, cells=cells_of(r.body)) for r in table.rows])
    return replace(table, rows=with_variation(table, table.rows)) if variation else table


def _paged(table: Grid, rows: list[Row], number: int | None, size: int | None) -> Grid:
    """The grid cut to page ``number`` of ``size`` trusts (a ``GridQueryError`` naming ``page`` past the last page)."""
    if not size:
        return replace(table, total=len(rows), number=1, size=len(rows) or 1)
    pages = max(1, -(-len(rows) // size))
    number = number or 1
    if number > pages:
        raise GridQueryError(
            {"page": f"There is no page {number}: the grid has {pages} page{'s' if pages > 1 else ''}"}
        )
    start = (number - 1) * size
    return replace(table, rows=rows[start : start + size], total=len(rows), number=number, size=size)


def with_variation(table: Grid, rows: list[Row]) -> list[Row]:
    """These rows of the grid with each received cell's SPC variation: one read of the whole series of only these
    cells' KPIs (the read model's, as every SPC reading), and their positions from it."""
    cells = [c for r in rows for c in r.cells if c.position is not None]
    if not cells or table.period is None:
        return list(rows)
    breaks, rebaselines = table.breaks or (None, None)
    period = table.period
    read = positions.read_positions(
        [c.kpi for c in cells], start=period, end=period, accepted_only=table.accepted_only, spc=True,
        breaks=breaks, rebaselines=rebaselines, cached=True,
    )  # fmt: skip
    out = []
    for row in rows:
        filled = []
        for cell in row.cells:
            if cell.position is None:
                filled.append(cell)
                continue
            position = read.at(cell.kpi, period)
            reading = read.spc(cell.kpi) if position.has_value else None
            filled.append(
                replace(
                    cell,
                    position=position,
                    variation=reading.variation_label if reading else None,
                    variation_reason=reading.variation_reason if reading else "",
                    signal=reading.variation if reading else None,
                )
            )
        out.append(replace(row, cells=tuple(filled)))
    return out


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
