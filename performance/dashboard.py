"""The trust dashboard: a tile per KPI, read from the positions read model.

The number of queries does not depend on how many years of returns exist: each tile shows a
bounded window (13 months) read with a fixed number of queries (see benchmarks/run.py); the same one
figures query reads the whole series, so each tile's statistical process control (variation and
assurance, ``Positions.spc``) is the KPI page's, the API's and the PDF's.
"""

import re
from dataclasses import dataclass
from datetime import date

from trustgov.core.dates import add_months

from . import calculations, charts
from .models import Benchmark, Kpi
from .positions import (
    Comparator,
    DefinitionBreak,
    Position,
    Spc,
    kpis_on_record,
    kpis_with_breaks,
    latest_period,
    read_positions,
)

WINDOW = 13  # this month and the same month last year
TILES_A_PAGE = 12  # KPI tiles on a page of the dashboard (the scorecard above them lists every KPI)
PAGE_MESSAGE = "Enter the page as a whole number, 1 or more"


@dataclass(frozen=True)
class Tile:
    position: Position
    trend: str
    chart: str
    series: list[Position]
    spc: Spc
    breaks: tuple[DefinitionBreak, ...] = ()  # definition changes inside the months the tile shows
    comparators: tuple[Comparator, ...] = ()  # the region's and statistical neighbours' medians (ADR 0306)
    england: Comparator | None = None  # the latest England benchmark: a figure or a suppression code

    @property
    def kpi(self) -> Kpi:
        return self.position.kpi

    @property
    def table(self) -> list[tuple[str, str, str]]:
        """The chart's figures as its table shows them: month (marked where a new definition starts), the value
        (marked if provisional) and its statistical process control signal."""
        starts = {b.effective_from for b in self.breaks}
        return [
            (
                f"{p.period:%b %Y}" + (" (new definition)" if p.period in starts else ""),
                p.value_label if p.has_value else "–",
                self.spc.signal_text(p.period) if p.has_value else "",
            )
            for p in self.series
        ]


def tiles_for(
    body, *, charts_on: bool = True, accepted_only: bool = False, as_of=None
) -> tuple[list[Tile], date | None]:
    # The KPIs, their definition changes and their recorded baseline recalculations in one query, so the tile
    # count never adds one.
    kpis, breaks, rebaselines = kpis_with_breaks(Kpi.objects.filter(delivery_body=body).select_related("priority"))
    end = latest_period(kpis, as_of=as_of, accepted_only=accepted_only) if kpis else None
    if end is None:
        return [], None
    if as_of is not None:
        # As it stood then: the KPIs on record then, retired as they were then; their definition changes and
        # recalculations on record then (read by the positions, from history). A KPI older than its history
        # rows (loaded with its figures) keeps today's retirement.
        then = kpis_on_record(kpis, as_of)
        for kpi in kpis:
            kpi.retired_from = then.get(kpi.pk, kpi.retired_from)
        breaks = rebaselines = None
    # A KPI retired by the dashboard's month is no longer reported: its tile goes (its page and history stay).
    kpis = [k for k in kpis if k.retired_from is None or k.retired_from > end]
    positions = read_positions(
        kpis,
        start=add_months(end, -(WINDOW - 1)),
        end=end,
        as_of=as_of,
        accepted_only=accepted_only,
        lookback=0,
        breaks=breaks,
        spc=True,
        rebaselines=rebaselines,
        cached=True,  # each KPI's SPC reading from the cache while its data are unchanged (never a past view)
    )
    if as_of is not None:  # a KPI created later was not on the dashboard then (unless figures were on record)
        kpis = [k for k in kpis if k.pk in then or positions.latest(k) is not None]
    tiles = []
    for kpi in kpis:
        series = positions.series(kpi)
        nums = [p.value for p in series]
        tiles.append(
            Tile(
                position=series[-1],
                trend=calculations.rolling_trend(nums, kpi.polarity),
                chart=charts.sparkline(
                    nums, label=f"{kpi.title}: last 13 months", provisional=[p.provisional for p in series]
                )
                if charts_on
                else "",
                series=series,
                spc=positions.spc(kpi),
                breaks=tuple(positions.breaks(kpi)),
                comparators=tuple(c for c in positions.comparators(kpi) if c.is_median),
                england=positions.comparator(kpi, Benchmark.Kind.ENGLAND),
            )
        )
    return tiles, end


@dataclass(frozen=True)
class TilePage:
    """The tiles of one page of the dashboard's detail (the scorecard lists every KPI: a dashboard of 100 KPIs
    drew 100 tiles, 1.7 MB of HTML; issue 14)."""

    tiles: list[Tile]
    number: int
    pages: int
    total: int
    error: str = ""  # what is wrong with ?page= (then page 1 is shown)

    @property
    def first(self) -> int:
        return (self.number - 1) * TILES_A_PAGE + 1 if self.tiles else 0

    @property
    def last(self) -> int:
        return self.first + len(self.tiles) - 1 if self.tiles else 0


def tile_page(tiles: list[Tile], raw: str | None) -> TilePage:
    """Page ``raw`` (the ``page`` parameter; page 1 without one) of the tiles, ``TILES_A_PAGE`` to a page."""
    pages = max(1, -(-len(tiles) // TILES_A_PAGE))
    raw = (raw or "").strip()
    number, error = 1, ""
    if raw:
        if not re.fullmatch(r"[0-9]{1,9}", raw) or int(raw) < 1:
            error = PAGE_MESSAGE
        elif int(raw) > pages:
            error = f"There is no page {int(raw)}: the detail has {pages} page{'s' if pages > 1 else ''}"
        else:
            number = int(raw)
    start = (number - 1) * TILES_A_PAGE
    return TilePage(tiles[start : start + TILES_A_PAGE], number, pages, len(tiles), error)
