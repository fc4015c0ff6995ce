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

from . import calculations, charts, quartiles
from .models import Benchmark, ImprovementPriority, Kpi
from .positions import Comparator, Position, Positions, Spc, SpcLabel

TREND_MONTHS = 12
OTHER_MEASURES = "Other measures"


@dataclass(frozen=True)
class ScorecardRow:
    position: Position  # the month the scorecard shows
    spc: Spc
    series: tuple[Position, ...]  # the last TREND_MONTHS months to that month, oldest first
    england: Comparator | None = None  # the latest England benchmark, a figure or a suppression code
    neighbours: Comparator | None = None  # the statistical neighbours' median and quartiles (ADR 0306)

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
    def variation_parts(self) -> tuple[str, str]:
        """The variation word as the one-line cell shows it: ("Special cause: ", "improving") splits into the
        part only assistive technology reads and the part on screen ("Improving"), beside its icon."""
        before, sep, after = self.variation.word.partition(": ")
        return (before + sep, after.capitalize()) if sep else ("", before)

    @property
    def assurance(self) -> SpcLabel:
        return self.spc.assurance_label

    @property
    def travel_text(self) -> str:
        """Direction of travel against the nearest earlier figure (up to a year back)."""
        return self.position.travel.capitalize()

    @property
    def england_text(self) -> str:
        """The England benchmark: "England 22.6% (2024-25)", or a suppression code and its meaning ("England: c
        (confidential: a small number, withheld), 2024-25"), never read as zero; blank with none."""
        c = self.england
        if c is not None and c.code:
            return f"England: {c.code} ({c.code_meaning}), {c.year}"
        p = self.position
        return f"England {p.benchmark_text} ({p.benchmark_year})" if p.benchmark is not None else ""

    @property
    def england_short(self) -> str:
        """The England benchmark as the dashboard's one-line cell shows it (the year in the full text only); a
        suppression code keeps its meaning in sight."""
        c = self.england
        if c is not None and c.code:
            return f"Eng {c.code} ({c.code_meaning})"
        return f"Eng {self.position.benchmark_text}" if self.position.benchmark is not None else ""

    @property
    def neighbour_quartile(self) -> int | None:
        """The quarter of the statistical neighbours' figures the trust's value falls in (1 the best, by the
        KPI's polarity), from their recorded quartiles; None without a value, a median or quartiles."""
        n = self.neighbours
        if n is None or n.value is None:
            return None
        return quartiles.quartile_band(
            self.position.value,
            n.lower_quartile,
            n.value,
            n.upper_quartile,
            higher=self.kpi.polarity == calculations.HIGHER,
        )

    @property
    def neighbours_text(self) -> str:
        """ "Neighbours: 2nd quartile (median 21.8%)", "Neighbours: median 21.8%" without a band, the code and its
        meaning when the median is suppressed, or blank with no statistical neighbours' benchmark."""
        n = self.neighbours
        if n is None:
            return ""
        if n.code:
            return f"Neighbours: {n.code} ({n.code_meaning}), {n.year}"
        if n.value is None:
            return ""
        band = self.neighbour_quartile
        if band is None:
            return f"Neighbours: median {n.value_text}"
        return f"Neighbours: {quartiles.QUARTILE_WORDS[band]} (median {n.value_text})"

    @property
    def neighbours_short(self) -> str:
        """The neighbours' band as the one-line cell shows it: "SN Q2 (21.8%)" (the key under the table)."""
        n = self.neighbours
        if n is None:
            return ""
        if n.code:
            return f"SN {n.code} ({n.code_meaning})"
        if n.value is None:
            return ""
        band = self.neighbour_quartile
        return f"SN Q{band} ({n.value_text})" if band is not None else f"SN ({n.value_text})"

    @property
    def benchmark_text(self) -> str:
        """The benchmark cell in full (the PDF, the cell's text for assistive technology): England's, then the
        statistical neighbours' band, or "No benchmark" with neither."""
        return "; ".join(t for t in (self.england_text, self.neighbours_text) if t) or "No benchmark"

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


def row_of(
    position: Position,
    spc: Spc,
    series: Sequence[Position],
    comparators: Iterable[Comparator] = (),
) -> ScorecardRow:
    by_kind = {c.kind: c for c in comparators}
    return ScorecardRow(
        position=position,
        spc=spc,
        series=tuple(series[-TREND_MONTHS:]),
        england=by_kind.get(Benchmark.Kind.ENGLAND),
        neighbours=by_kind.get(Benchmark.Kind.STATISTICAL_NEIGHBOURS),
    )


def from_tiles(tiles) -> list[ScorecardGroup]:
    """The dashboard's scorecard, from the tiles it already read (``dashboard.tiles_for``)."""
    return group_rows(
        row_of(t.position, t.spc, t.series, (*((t.england,) if t.england else ()), *t.comparators)) for t in tiles
    )


def from_read(kpis: Sequence[Kpi], read: Positions, end: date) -> list[ScorecardGroup]:
    """A scorecard from a ``read_positions(..., spc=True)`` read covering the months to ``end``."""
    return group_rows(row_of(read.at(kpi, end), read.spc(kpi), read.series(kpi), read.comparators(kpi)) for kpi in kpis)
