"""The scorecard: one row per KPI, grouped by improvement-plan priority, for the dashboard and the PDF report.

Every cell comes from the one read model (``positions``): the position at the month shown (value, target, RAG,
direction of travel, England benchmark, provisional or accepted) and its statistical process control reading
(``Positions.spc``). The rows are built here once; the dashboard builds them from its tiles (no query of its
own: the tiles' one read holds the last 13 months) and the KPI appendix of a report from its own read
(``from_read``), so the page and the paper say the same of each KPI.

Groups follow ``Kpi.priority`` (``ImprovementPriority``, in the plan's number order); KPIs without a priority
come last, under "Other measures". Within a group the KPIs keep the order they were given (display order).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from . import calculations, charts
from .models import ImprovementPriority, Kpi
from .positions import Position, Positions, Spc, SpcLabel

TREND_MONTHS = 12
OTHER_MEASURES = "Other measures"


@dataclass(frozen=True)
class ScorecardRow:
    position: Position  # the month the scorecard shows
    spc: Spc
    series: tuple[Position, ...]  # the last TREND_MONTHS months to that month, oldest first

    @property
    def kpi(self) -> Kpi:
        return self.position.kpi

    @property
    def indicator(self) -> str:
        return f"{self.kpi.code} {self.kpi.title}"

    @property
    def value_text(self) -> str:
        return self.position.value_text if self.position.has_value else "No value"

    @property
    def provisional(self) -> bool:
        return self.position.provisional

    @property
    def target_text(self) -> str:
        return self.position.target_text if self.position.target is not None else "No target"

    @property
    def rag_word(self) -> str:
        return self.position.rag_word

    @property
    def rag_tag(self) -> str:
        return self.position.rag_tag

    @property
    def variation(self) -> SpcLabel:
        return self.spc.variation_label

    @property
    def assurance(self) -> SpcLabel:
        return self.spc.assurance_label

    @property
    def travel_text(self) -> str:
        """Direction of travel against the nearest earlier figure (up to a year back)."""
        return self.position.travel.capitalize()

    @property
    def benchmark_text(self) -> str:
        """The benchmark cell: today the England benchmark the read model gives (the one place to extend it)."""
        p = self.position
        return f"England {p.benchmark_text} ({p.benchmark_year})" if p.benchmark is not None else "No benchmark"

    @property
    def trend_text(self) -> str:
        """The 3-month rolling trend over the months the sparkline draws, in words (the PDF's trend cell)."""
        return calculations.rolling_trend([p.value for p in self.series], self.kpi.polarity).capitalize()

    @property
    def trend_alt(self) -> str:
        """The sparkline's text alternative: every month it draws, with its value."""
        months = ", ".join(f"{p.period:%b %Y} {p.value_text if p.has_value else 'no figure'}" for p in self.series)
        return f"{self.kpi.title}, last {len(self.series)} months: {months}"

    @cached_property
    def sparkline(self) -> str:
        return charts.mini_sparkline(
            [p.value for p in self.series], label=self.trend_alt, provisional=[p.provisional for p in self.series]
        )


@dataclass(frozen=True)
class ScorecardGroup:
    priority: ImprovementPriority | None
    rows: tuple[ScorecardRow, ...]

    @property
    def title(self) -> str:
        return str(self.priority) if self.priority is not None else OTHER_MEASURES


def group_rows(rows: Iterable[ScorecardRow]) -> list[ScorecardGroup]:
    """Rows by improvement-plan priority (by its number), then the KPIs without one."""
    by_priority: dict[int | None, list[ScorecardRow]] = {}
    priorities: dict[int | None, ImprovementPriority | None] = {None: None}
    for row in rows:
        priority = row.kpi.priority  # select_related by both callers: no query per row
        key = priority.pk if priority is not None else None
        priorities.setdefault(key, priority)
        by_priority.setdefault(key, []).append(row)
    keys = sorted((k for k in by_priority if k is not None), key=lambda k: (priorities[k].number, priorities[k].pk))
    if None in by_priority:
        keys.append(None)
    return [ScorecardGroup(priorities[k], tuple(by_priority[k])) for k in keys]


def row_of(position: Position, spc: Spc, series: Sequence[Position]) -> ScorecardRow:
    return ScorecardRow(position=position, spc=spc, series=tuple(series[-TREND_MONTHS:]))


def from_tiles(tiles) -> list[ScorecardGroup]:
    """The dashboard's scorecard, from the tiles it already read (``dashboard.tiles_for``)."""
    return group_rows(row_of(t.position, t.spc, t.series) for t in tiles)


def from_read(kpis: Sequence[Kpi], read: Positions, end: date) -> list[ScorecardGroup]:
    """A scorecard from a ``read_positions(..., spc=True)`` read covering the months to ``end``."""
    return group_rows(row_of(read.at(kpi, end), read.spc(kpi), read.series(kpi)) for kpi in kpis)
