"""The performance read model: each KPI's position for a trust and month, read once, shown everywhere.

A ``Position`` is what any screen, the API, an export or a PDF says about one KPI in one month:
the figure and the return version it came from, whether the council has accepted it (otherwise it
is provisional), the target and tolerance of that month's financial year, RAG, direction of travel,
the England benchmark, and the value formatted with its unit.

``read_positions`` reads them for a set of KPIs (of one or many trusts) and a span of months in a
fixed number of queries (values, targets, benchmarks), whatever the number of trusts, KPIs or
months. ``rate`` is the one place a RAG status is decided (through ``calculations.rag``, the one
formula); ``target_in_force`` is the one place the target for a month's financial year is found;
``format_value`` is the one unit formatter; ``RAG`` is the one label map. ``Positions.breaks`` is the one
place a definition change within the months shown is found (``DefinitionBreak``, with the one note every tile,
KPI page and report shows). ``Positions.spc`` is the one statistical process control reading of a KPI (the XmR
chart of ``spc.xmr`` over its whole series, rebaselined where its definition changed, with ``VARIATION``,
``ASSURANCE`` and ``RULE_TEXT`` the one set of words), read with ``read_positions(..., spc=True)``.
"""

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import F, Max, Min, OuterRef, Q, QuerySet, Subquery

from trustgov.accounts.roles import Role, role_of
from trustgov.core.dates import add_months, financial_year_label, financial_year_start

from . import calculations, quartiles, spc, spc_cache
from .models import Benchmark, Kpi, KpiBaseline, KpiDefinition, MonthlyReturn, ReturnValue, Target

# --- the one label map, the one unit formatter -------------------------------------------------


@dataclass(frozen=True)
class RagLabel:
    word: str  # what a table cell shows
    meaning: str  # what a tile adds after the word
    tag: str  # the govuk-tag colour modifier

    def long(self, reason: str = "") -> str:
        return f"{self.word}: {reason or self.meaning}"


RAG = {
    calculations.GREEN: RagLabel("Green", "on target", "green"),
    calculations.AMBER: RagLabel("Amber", "within tolerance", "yellow"),
    calculations.RED: RagLabel("Red", "off target", "red"),
    calculations.GREY: RagLabel("Grey", "not rated", "grey"),
}
UNIT_SUFFIX = {"percentage": "%", "rate_per_10000": " per 10,000", "days": " days"}
PROVISIONAL = "provisional"
PROVISIONAL_MARK = "(provisional)"
ACCEPTED_ONLY = "accepted"
FIGURES_CHOICES = ("accepted", "all")
LATEST_MONTH = date(2999, 12, 1)
# Small numbers, withheld where anyone may read them (the public pages), as the DfE does in its statistics.
SMALL_NUMBER = 5
SUPPRESSED = "c"
SUPPRESSED_MEANING = (
    "c: a small number (a count of 1 to 4, or a figure worked out from one), withheld so that no child can be "
    "identified, as the Department for Education does in its statistics"
)


def format_value(value: Decimal | None, unit: str) -> str:
    """A figure as every screen and the PDF show it: no trailing zeros, thousands grouped, with its unit."""
    if value is None:
        return ""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text}{UNIT_SUFFIX.get(unit, '')}"


# --- the one target lookup and the one RAG function ---------------------------------------------

Targets = dict[int, dict[int, Target]]


def on_record(model, as_of: datetime | None):
    """The model's rows as they stood at ``as_of`` (the latest of its simple-history rows by then, as instances;
    a row created later is not there), or today's rows with no ``as_of``. One query, however it is filtered."""
    return model.history.as_of(as_of) if as_of is not None else model.objects.all()


def targets_for(
    kpi_ids: Iterable[int], *, start: date | None = None, end: date | None = None, as_of: datetime | None = None
) -> Targets:
    """The targets of these KPIs (of the financial years ``start`` to ``end`` fall in, or every year),
    by KPI and financial year, in one query; with ``as_of``, the targets in force then (Target history)."""
    out: Targets = defaultdict(dict)
    qs = on_record(Target, as_of).filter(kpi_id__in=list(kpi_ids))
    if as_of is None:  # what a rating reads (a national month holds 15,500 targets)
        qs = qs.only("id", "kpi_id", "financial_year", "value", "amber_tolerance")
    if start is not None:
        qs = qs.filter(financial_year__gte=financial_year_start(start))
    if end is not None:
        qs = qs.filter(financial_year__lte=financial_year_start(end))
    for target in qs:
        out[target.kpi_id][target.financial_year] = target
    return out


def kpis_with_targets(kpis: QuerySet[Kpi], period: date) -> tuple[list[Kpi], Targets]:
    """These KPIs, each with the target in force for the month's financial year (as ``targets_for`` gives for that
    one year), read in the same query: what a return is rated against, whatever the number of KPIs."""
    year = financial_year_start(period)
    in_force = Target.objects.filter(kpi=OuterRef("pk"), financial_year=year).order_by()
    rows = list(
        kpis.annotate(
            in_force_id=Subquery(in_force.values("pk")[:1]),
            in_force_value=Subquery(in_force.values("value")[:1]),
            in_force_tolerance=Subquery(in_force.values("amber_tolerance")[:1]),
        )
    )
    targets: Targets = defaultdict(dict)
    for kpi in rows:
        if kpi.in_force_id is not None:
            targets[kpi.pk][year] = Target(
                pk=kpi.in_force_id,
                kpi=kpi,
                financial_year=year,
                value=kpi.in_force_value,
                amber_tolerance=kpi.in_force_tolerance,
            )
    return rows, targets


def target_in_force(targets: Targets, kpi: Kpi, period: date) -> Target | None:
    """The KPI's target for the financial year the month falls in."""
    return targets.get(kpi.pk, {}).get(financial_year_start(period))


def rate(kpi: Kpi, value: Decimal | None, period: date, target: Target | None) -> tuple[str, str]:
    """RAG of a figure for a month against that year's target, and why it is grey when it is."""
    status = calculations.rag(
        value,
        target.value if target else None,
        target.amber_tolerance if target else None,
        kpi.polarity,
        period=period,
        formal_start=kpi.formal_reporting_start,
    )
    reason = ""
    if status == calculations.GREY:
        if kpi.formal_reporting_start and period < kpi.formal_reporting_start:
            reason = f"grace period (formal reporting from {kpi.formal_reporting_start:%B %Y})"
        elif value is None:
            reason = "no value"
        else:
            reason = f"no target for {financial_year_label(financial_year_start(period))}"
    return status, reason


# --- definition changes: where a series breaks -----------------------------------------------------


@dataclass(frozen=True)
class DefinitionBreak:
    """A KPI's definition changed from ``effective_from``: figures before and after are not directly comparable."""

    kpi_id: int
    effective_from: date
    reason: str = ""

    @property
    def note(self) -> str:
        """The words every tile, KPI page and report shows where figures either side are shown together."""
        return f"Definition changed {self.effective_from:%B %Y}: figures before and after are not directly comparable"


Breaks = dict[int, list[DefinitionBreak]]


def definition_breaks(kpi_ids: Iterable[int], *, as_of: datetime | None = None) -> Breaks:
    """Every definition change of these KPIs (a definition in force from a month, not from the start), oldest
    first, in one query; with ``as_of``, the changes on record then."""
    out: Breaks = defaultdict(list)
    rows = (
        on_record(KpiDefinition, as_of)
        .filter(kpi_id__in=list(kpi_ids), effective_from__isnull=False)
        .order_by("kpi_id", "effective_from")
        .values_list("kpi_id", "effective_from", "reason")
    )
    for kpi_id, effective_from, reason in rows:
        out[kpi_id].append(DefinitionBreak(kpi_id, effective_from, reason))
    return out


@dataclass(frozen=True)
class BaselineChange:
    """A month the KPI's SPC baseline is recalculated from for another reason than a definition change (a
    ``KpiBaseline``: a new contract, a service change)."""

    kpi_id: int
    effective_from: date
    reason: str  # KpiBaseline.Reason
    note: str = ""

    @property
    def why(self) -> str:
        label = KpiBaseline.Reason(self.reason).label.lower()
        return f"{label}: {self.note}" if self.note else label


Rebaselines = dict[int, list[BaselineChange]]


def baseline_changes(kpi_ids: Iterable[int], *, as_of: datetime | None = None) -> Rebaselines:
    """Every recorded baseline recalculation of these KPIs (on record at ``as_of``), oldest first, in one query."""
    out: Rebaselines = defaultdict(list)
    rows = (
        on_record(KpiBaseline, as_of)
        .filter(kpi_id__in=list(kpi_ids))
        .order_by("kpi_id", "effective_from")
        .values_list("kpi_id", "effective_from", "reason", "note")
    )
    for kpi_id, effective_from, reason, note in rows:
        out[kpi_id].append(BaselineChange(kpi_id, effective_from, reason, note))
    return out


def kpis_with_breaks(kpis: QuerySet[Kpi]) -> tuple[list[Kpi], Breaks, Rebaselines]:
    """The KPIs of the queryset, their definition changes and their recorded baseline recalculations in the same
    query (a row per definition and recalculation, both joined: a KPI has a handful of each), for a screen whose
    query count must not grow (the dashboard)."""
    out: dict[int, Kpi] = {}
    breaks: dict[int, dict[date, DefinitionBreak]] = defaultdict(dict)
    rebaselines: dict[int, dict[date, BaselineChange]] = defaultdict(dict)
    rows = kpis.annotate(
        _break_from=F("definitions__effective_from"),
        _break_reason=F("definitions__reason"),
        _baseline_from=F("baselines__effective_from"),
        _baseline_reason=F("baselines__reason"),
        _baseline_note=F("baselines__note"),
    )
    for kpi in rows.order_by(*(kpis.query.order_by or Kpi._meta.ordering or ["pk"]), "_break_from", "_baseline_from"):
        out.setdefault(kpi.pk, kpi)
        if kpi._break_from is not None:
            breaks[kpi.pk][kpi._break_from] = DefinitionBreak(kpi.pk, kpi._break_from, kpi._break_reason or "")
        if kpi._baseline_from is not None:
            rebaselines[kpi.pk][kpi._baseline_from] = BaselineChange(
                kpi.pk, kpi._baseline_from, kpi._baseline_reason, kpi._baseline_note or ""
            )
    return (
        list(out.values()),
        defaultdict(list, {k: [v[m] for m in sorted(v)] for k, v in breaks.items()}),
        defaultdict(list, {k: [v[m] for m in sorted(v)] for k, v in rebaselines.items()}),
    )


# --- a position ----------------------------------------------------------------------------------


class InUnit:
    """``<figure>_text`` on a position: that figure as text in the KPI's unit (one formatting for every screen)."""

    def __set_name__(self, owner, name: str) -> None:
        self.figure = name.removesuffix("_text")

    def __get__(self, position, owner=None):
        if position is None:
            return self
        return format_value(getattr(position, self.figure), position.kpi.unit)


@dataclass(frozen=True)
class Position:
    kpi: Kpi
    period: date
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    commentary: str = ""
    target: Decimal | None = None
    tolerance: Decimal | None = None
    target_year: int | None = None
    rag: str = calculations.GREY
    rag_reason: str = ""
    previous: Decimal | None = None  # the nearest earlier figure (up to a year back)
    previous_period: date | None = None
    vs_last_month: str = calculations.NO_DATA
    vs_last_year: str = calculations.NO_DATA
    travel: str = calculations.NO_DATA  # against ``previous``
    benchmark: Decimal | None = None
    benchmark_year: str = ""
    version: int | None = None
    version_id: int | None = None
    return_id: int | None = None
    status: str = ""  # the return's status
    accepted: bool = False  # these are the figures the council accepted

    @property
    def has_value(self) -> bool:
        return self.value is not None

    @property
    def provisional(self) -> bool:
        """A figure shown before the council accepted it (submitted, queried, resubmitted)."""
        return is_provisional(self.value, accepted=self.accepted)

    @property
    def unit(self) -> str:
        return self.kpi.unit

    @property
    def small_number(self) -> bool:
        """A count of 1 to 4 (under ``SMALL_NUMBER``), or a figure worked out from one (its numerator or denominator):
        the public see ``SUPPRESSED`` in its place."""
        if self.value is None:
            return False
        # As the DfE publishes: 1 to 4 are withheld; none (0) is not a small number that could identify a child.
        if self.kpi.unit == Kpi.Unit.COUNT and 0 < self.value < SMALL_NUMBER:
            return True
        return any(n is not None and 0 < n < SMALL_NUMBER for n in (self.numerator, self.denominator))

    # Each figure as text in the KPI's unit.
    value_text = InUnit()
    target_text = InUnit()
    tolerance_text = InUnit()
    benchmark_text = InUnit()
    previous_text = InUnit()

    @property
    def value_label(self) -> str:
        """The value as a table cell shows it, marked when provisional (a word, not only a colour)."""
        if self.value is None:
            return "No value"
        return f"{self.value_text} {PROVISIONAL_MARK}" if self.provisional else self.value_text

    @property
    def target_year_label(self) -> str:
        return financial_year_label(self.target_year) if self.target_year is not None else ""

    @property
    def rag_word(self) -> str:
        return RAG[self.rag].word

    @property
    def rag_label(self) -> str:
        return RAG[self.rag].long(self.rag_reason)

    @property
    def rag_tag(self) -> str:
        return RAG[self.rag].tag

    @property
    def figures_text(self) -> str:
        """Accepted, Provisional, or blank with no figure."""
        if self.value is None:
            return ""
        return "Accepted" if self.accepted else "Provisional"

    @property
    def status_text(self) -> str:
        return MonthlyReturn.Status(self.status).label if self.status else ""


def version_accepted(version_id: int | None, accepted_version_id: int | None) -> bool:
    """The rule for accepted figures: they are the version of its return the council accepted."""
    return version_id is not None and version_id == accepted_version_id


def is_provisional(value, *, accepted: bool) -> bool:
    """The rule for provisional figures: a figure the council has not (yet) accepted."""
    return value is not None and not accepted


def position_of(
    kpi: Kpi,
    period: date,
    figure: dict | None,
    targets: Targets,
    *,
    benchmark: Benchmark | None = None,
    earlier: Sequence[tuple[date, Decimal]] = (),
) -> Position:
    """Build one position from a figure (a row of ``read_positions``' read, or one version's value).

    ``earlier`` is the KPI's figures before ``period`` (oldest first) for the direction of travel.
    """
    figure = figure or {}
    value = figure.get("value")
    target = target_in_force(targets, kpi, period)
    status, reason = rate(kpi, value, period, target)
    a_month_ago, a_year_ago = add_months(period, -1), add_months(period, -12)
    last_month = last_year = previous = previous_period = None
    for when, earlier_value in earlier:
        if when == a_month_ago:
            last_month = earlier_value
        elif when == a_year_ago:
            last_year = earlier_value
        if a_year_ago <= when < period:
            previous_period, previous = when, earlier_value  # the last one wins: the nearest
    return Position(
        kpi=kpi,
        period=period,
        value=value,
        numerator=figure.get("numerator"),
        denominator=figure.get("denominator"),
        commentary=figure.get("commentary", ""),
        target=target.value if target else None,
        tolerance=target.amber_tolerance if target else None,
        target_year=financial_year_start(period),
        rag=status,
        rag_reason=reason,
        previous=previous,
        previous_period=previous_period,
        vs_last_month=calculations.direction(value, last_month, kpi.polarity),
        vs_last_year=calculations.direction(value, last_year, kpi.polarity),
        travel=calculations.direction(value, previous, kpi.polarity),
        benchmark=benchmark.value if benchmark else None,
        benchmark_year=benchmark.year if benchmark else "",
        version=figure.get("version"),
        version_id=figure.get("version_id"),
        return_id=figure.get("return_id"),
        status=figure.get("status", ""),
        accepted=bool(figure.get("accepted")),
    )


# --- statistical process control: the one reading and the one set of words ----------------------------------


@dataclass(frozen=True)
class SpcLabel:
    word: str  # what a cell or a tile says
    meaning: str  # what a tile or the KPI page adds after it
    tag: str  # the govuk-tag colour modifier
    icon: str = ""  # the letter in the summary icon (decoration: the word says it)


VARIATION = {
    spc.Signal.COMMON_CAUSE: SpcLabel(
        "Common cause", "no significant change: the variation is within the limits", "grey"
    ),
    spc.Signal.IMPROVING: SpcLabel("Special cause: improving", "a significant change for the better", "blue"),
    spc.Signal.CONCERNING: SpcLabel("Special cause: concerning", "a significant change for the worse", "orange"),
    spc.Signal.NO_LIMITS: SpcLabel(
        f"Fewer than {spc.MIN_POINTS} points: no limits yet", "variation is not judged yet", "grey", "–"
    ),
}
ASSURANCE = {
    spc.Assurance.PASSING: SpcLabel(
        "Consistently passing",
        "the target lies beyond the process limits: every month is expected to meet it",
        "blue",
        "P",
    ),
    spc.Assurance.FAILING: SpcLabel(
        "Consistently failing",
        "the target lies beyond the process limits: no month is expected to meet it unless the process changes",
        "orange",
        "F",
    ),
    spc.Assurance.HIT_AND_MISS: SpcLabel(
        "Hit and miss",
        "the target lies between the process limits: some months will meet it, some will not",
        "grey",
        "?",
    ),
    spc.Assurance.NO_TARGET: SpcLabel("No assurance", "no target is set", "grey"),
    spc.Assurance.NO_LIMITS: SpcLabel("No assurance", f"fewer than {spc.MIN_POINTS} points: no limits yet", "grey"),
}
RULE_TEXT = {
    (spc.Rule.OUTSIDE_LIMITS, spc.Side.HIGH): "above the upper process limit",
    (spc.Rule.OUTSIDE_LIMITS, spc.Side.LOW): "below the lower process limit",
    (spc.Rule.TWO_OF_THREE, spc.Side.HIGH): "2 of 3 points beyond 2 sigma above the mean",
    (spc.Rule.TWO_OF_THREE, spc.Side.LOW): "2 of 3 points beyond 2 sigma below the mean",
    (spc.Rule.SHIFT, spc.Side.HIGH): f"{spc.RUN} or more points above the mean",
    (spc.Rule.SHIFT, spc.Side.LOW): f"{spc.RUN} or more points below the mean",
    (spc.Rule.TREND, spc.Side.HIGH): f"{spc.RUN} or more points rising",
    (spc.Rule.TREND, spc.Side.LOW): f"{spc.RUN} or more points falling",
}
NO_LIMITS_NOTE = f"Fewer than {spc.MIN_POINTS} points: no limits yet"


def limit_figure(value: Decimal | None) -> Decimal | None:
    """A mean or limit to two decimal places, as the API gives it and every screen shows it."""
    return None if value is None else value.quantize(calculations.TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Spc:
    """A KPI's statistical process control reading (``Positions.spc``), and its words in the KPI's unit."""

    kpi: Kpi
    chart: spc.SpcChart
    reasons: dict[date, str]  # why each baseline was recalculated, by the month it starts

    def point(self, period: date) -> spc.SpcPoint | None:
        return self.chart.at(period)

    # the series: variation and assurance
    @property
    def variation(self) -> spc.Signal:
        return self.chart.variation

    @property
    def variation_label(self) -> SpcLabel:
        return VARIATION[self.variation]

    @property
    def variation_reason(self) -> str:
        """Why: the rule the latest month met ("March 2026: above the upper process limit"), or what the word means."""
        latest = self.chart.latest
        if latest is not None and latest.rule is not None:
            return f"{latest.period:%B %Y}: {RULE_TEXT[latest.rule, latest.side]}"
        return self.variation_label.meaning

    @property
    def variation_text(self) -> str:
        """The variation in one line of text (the PDF, a chart's label): the word and why."""
        return f"{self.variation_label.word} ({self.variation_reason})"

    @property
    def assurance_text(self) -> str:
        return f"{self.assurance_label.word} ({self.assurance_label.meaning})"

    @property
    def variation_icon(self) -> str:
        """H or L (significantly higher or lower) for a special cause; nothing otherwise."""
        latest = self.chart.latest
        if latest is None or not latest.special:
            return ""
        return "H" if latest.side == spc.Side.HIGH else "L"

    @property
    def assurance(self) -> spc.Assurance:
        return self.chart.assurance

    @property
    def assurance_label(self) -> SpcLabel:
        return ASSURANCE[self.assurance]

    # the latest baseline: centre line and limits
    @property
    def has_limits(self) -> bool:
        return self.chart.baseline is not None and self.chart.baseline.has_limits

    @property
    def mean(self) -> Decimal | None:
        return limit_figure(self.chart.mean)

    @property
    def upper_limit(self) -> Decimal | None:
        return limit_figure(self.chart.upper_limit)

    @property
    def lower_limit(self) -> Decimal | None:
        return limit_figure(self.chart.lower_limit)

    @property
    def baseline_from(self) -> date | None:
        return self.chart.baseline_from

    mean_text = InUnit()
    upper_limit_text = InUnit()
    lower_limit_text = InUnit()

    @property
    def limits_text(self) -> str:
        """ "Mean 21.53%, process limits 17.73% to 25.33% (baseline from January 2024)", or why there are none."""
        if not self.has_limits:
            return NO_LIMITS_NOTE
        return (
            f"Mean {self.mean_text}, process limits {self.lower_limit_text} to {self.upper_limit_text} "
            f"(baseline from {self.baseline_from:%B %Y})"
        )

    @property
    def recalculations(self) -> list[str]:
        """A note per baseline recalculated from a month (a break in the chart)."""
        out = []
        for b in self.chart.recalculations:
            why = self.reasons.get(b.start, "")
            limits = "" if b.has_limits else f" ({NO_LIMITS_NOTE.lower()})"
            out.append(
                f"Baseline recalculated from {b.start:%B %Y}{f' ({why})' if why else ''}: the mean and process "
                f"limits are computed afresh from that month{limits}"
            )
        return out

    # each point
    def signal_text(self, period: date) -> str:
        """One month's signal as the table beside the chart says it (a word, never only a colour)."""
        point = self.chart.at(period)
        if point is None:
            return ""
        word = VARIATION[point.signal].word
        if point.signal == spc.Signal.NO_LIMITS:
            return "No limits yet"
        return f"{word} ({RULE_TEXT[point.rule, point.side]})" if point.rule else word

    @property
    def unit(self) -> str:
        return self.kpi.unit


# --- comparators: England, the region and the statistical neighbours --------------------------------------


@dataclass(frozen=True)
class ComparatorFigure:
    """One authority's figure behind a region's or neighbours' median: a number or a suppression code."""

    la_code: str
    name: str
    value: Decimal | None
    code: str  # a suppression code, or ""
    unit: str = ""

    @property
    def meaning(self) -> str:
        return quartiles.code_meaning(self.code)

    @property
    def value_text(self) -> str:
        return format_value(self.value, self.unit)


@dataclass(frozen=True)
class Comparator:
    """A KPI's comparator for a year (``Positions.comparators``): England's figure, or the region's or statistical
    neighbours' median with its quartiles, the count of figures used and of suppressed figures excluded."""

    kpi: Kpi
    kind: str  # Benchmark.Kind
    year: str
    source: str
    value: Decimal | None  # England: the figure; otherwise the median
    code: str = ""  # a suppression code published in place of the figure
    lower_quartile: Decimal | None = None
    upper_quartile: Decimal | None = None
    used: int | None = None
    excluded: int = 0
    figures: tuple[ComparatorFigure, ...] = ()
    neighbours: str = ""  # the neighbour list the figures are of ("DfE ... tool, 2024")

    value_text = InUnit()
    lower_quartile_text = InUnit()
    upper_quartile_text = InUnit()

    @property
    def label(self) -> str:
        return Benchmark.Kind(self.kind).label

    @property
    def is_median(self) -> bool:
        return self.kind != Benchmark.Kind.ENGLAND

    @property
    def has_quartiles(self) -> bool:
        return self.lower_quartile is not None and self.upper_quartile is not None

    @property
    def code_meaning(self) -> str:
        return quartiles.code_meaning(self.code)

    @property
    def counts_text(self) -> str:
        """ "of 8 authorities' figures; 2 suppressed figures excluded" (blank when nothing was counted)."""
        parts = []
        if self.used:
            parts.append(f"of {self.used} {'figure' if self.used == 1 else 'figures'}")
        if self.excluded:
            parts.append(f"{self.excluded} suppressed {'figure' if self.excluded == 1 else 'figures'} excluded")
        return "; ".join(parts)

    @property
    def text(self) -> str:
        """The comparator in one line of text (a chart's label, the PDF): "Median 21.5% (lower quartile 19%, upper
        quartile 24%; of 8 figures; 2 suppressed figures excluded)", or the code and its meaning."""
        if self.code:
            return f"{self.code} ({self.code_meaning})"
        if not self.is_median:
            return self.value_text
        bits = []
        if self.has_quartiles:
            bits.append(f"lower quartile {self.lower_quartile_text}, upper quartile {self.upper_quartile_text}")
        if self.counts_text:
            bits.append(self.counts_text)
        return f"Median {self.value_text}" + (f" ({'; '.join(bits)})" if bits else "")


Comparators = dict[int, dict[str, Comparator]]


def _comparator(kpi: Kpi, bm: Benchmark, neighbours: str) -> Comparator:
    figures = []
    for row in bm.figures or ():
        raw = row.get("value", "")
        code = raw if raw in quartiles.SUPPRESSION_CODES else ""
        figures.append(
            ComparatorFigure(
                row.get("la_code", ""), row.get("name", ""), None if code else Decimal(raw), code, kpi.unit
            )
        )
    return Comparator(
        kpi=kpi,
        kind=bm.kind,
        year=bm.year,
        source=bm.source,
        value=bm.value,
        code=bm.code,
        lower_quartile=bm.lower_quartile,
        upper_quartile=bm.upper_quartile,
        used=bm.figures_used,
        excluded=bm.figures_excluded,
        figures=tuple(figures),
        neighbours=neighbours,
    )


def benchmarks_read(kpis: Sequence[Kpi], *, as_of: datetime | None = None) -> tuple[dict[int, Benchmark], Comparators]:
    """The most recent benchmark of each kind per KPI (on record at ``as_of``), in one query: England's (with a
    figure) for each position, and every kind as a ``Comparator``."""
    by_pk = {k.pk: k for k in kpis}
    england: dict[int, Benchmark] = {}
    comparators: Comparators = defaultdict(dict)
    rows = on_record(Benchmark, as_of).filter(kpi_id__in=list(by_pk)).order_by("kpi_id", "kind", "year")
    if as_of is None:
        rows = rows.select_related("neighbour_list")
    for bm in rows:
        if bm.kind == Benchmark.Kind.ENGLAND and bm.value is not None:
            england[bm.kpi_id] = bm
        nl = bm.neighbour_list
        comparators[bm.kpi_id][bm.kind] = _comparator(by_pk[bm.kpi_id], bm, f"{nl.source}" if nl else "")
    return england, comparators


# --- the read ------------------------------------------------------------------------------------


class Positions:
    """The positions of a set of KPIs over a span of months, as ``read_positions`` read them."""

    def __init__(
        self,
        kpis: Sequence[Kpi],
        start: date,
        end: date,
        figures,
        targets,
        benchmarks,
        breaks=None,
        *,
        whole_series: bool = False,
        rebaselines: Rebaselines | None = None,
        as_of: datetime | None = None,
        comparators: Comparators | None = None,
    ):
        self.kpis = list(kpis)
        self._comparators: Comparators = comparators or {}
        self.start, self.end = start, end
        self._figures: dict[int, dict[date, dict]] = figures
        self._targets = targets
        self._benchmarks = benchmarks
        self._breaks: Breaks | None = breaks
        self._whole_series = whole_series
        self._rebaselines: Rebaselines | None = rebaselines
        self.as_of = as_of  # the moment the positions stood at (None: now)
        self._cache: dict[tuple[int, date], Position] = {}
        self._ordered: dict[int, list[tuple[date, Decimal]]] = {}
        self._spc: dict[int, Spc] = {}

    def at(self, kpi: Kpi, period: date) -> Position:
        """The KPI's position that month (grey, with no value, when nothing was submitted)."""
        key = (kpi.pk, period)
        if key not in self._cache:
            by_month = self._figures.get(kpi.pk, {})
            if kpi.pk not in self._ordered:
                self._ordered[kpi.pk] = [(p, f["value"]) for p, f in sorted(by_month.items())]
            ordered = self._ordered[kpi.pk]
            i = bisect_left(ordered, (period,))
            earlier = ordered[max(0, i - 12) : i]  # at most a year of months before this one
            self._cache[key] = position_of(
                kpi,
                period,
                by_month.get(period),
                self._targets,
                benchmark=self._benchmarks.get(kpi.pk),
                earlier=earlier,
            )
        return self._cache[key]

    def value_at(self, kpi: Kpi, period: date):
        """The KPI's figure that month (None when nothing was submitted or the return left it empty): what
        ``at(kpi, period).value`` is, without building the position (the grid reads 15,500 of them)."""
        figure = self._figures.get(kpi.pk, {}).get(period)
        return None if figure is None else figure["value"]

    def months(self) -> list[date]:
        out, month = [], self.start
        while month <= self.end:
            out.append(month)
            month = add_months(month, 1)
        return out

    def series(self, kpi: Kpi) -> list[Position]:
        """Every month of the span in order, months without a figure included."""
        return [self.at(kpi, m) for m in self.months()]

    def figures(self, kpi: Kpi) -> list[Position]:
        """Only the months of the span with a figure, in order."""
        return [self.at(kpi, m) for m in sorted(self._figures.get(kpi.pk, {})) if self.start <= m <= self.end]

    def latest(self, kpi: Kpi) -> Position | None:
        """The most recent month of the span with a figure."""
        months = [m for m in self._figures.get(kpi.pk, {}) if self.start <= m <= self.end]
        return self.at(kpi, max(months)) if months else None

    @property
    def targets(self) -> Targets:
        return self._targets

    def target(self, kpi: Kpi, period: date) -> Target | None:
        return target_in_force(self._targets, kpi, period)

    def benchmark(self, kpi: Kpi) -> Benchmark | None:
        return self._benchmarks.get(kpi.pk)

    def comparators(self, kpi: Kpi) -> list[Comparator]:
        """The KPI's latest comparator of each kind (England, region, statistical neighbours), in that order."""
        by_kind = self._comparators.get(kpi.pk, {})
        return [by_kind[k] for k in Benchmark.Kind.values if k in by_kind]

    def comparator(self, kpi: Kpi, kind: str) -> Comparator | None:
        return self._comparators.get(kpi.pk, {}).get(kind)

    def band(self, kpi: Kpi) -> Comparator | None:
        """The comparator a chart draws as a median line and quartile band: the statistical neighbours' (or, with
        none, the region's) median, when it is a figure."""
        for kind in (Benchmark.Kind.STATISTICAL_NEIGHBOURS, Benchmark.Kind.REGION):
            found = self.comparator(kpi, kind)
            if found is not None and found.value is not None:
                return found
        return None

    def breaks(self, kpi: Kpi) -> list[DefinitionBreak]:
        """The KPI's definition changes inside the span: months before and after one are shown together, so
        whatever shows the span says they are not directly comparable. Read once for every KPI (one query) on
        first use, unless ``read_positions`` was given them."""
        return [b for b in self._all_breaks(kpi) if self.start < b.effective_from <= self.end]

    def _all_breaks(self, kpi: Kpi) -> list[DefinitionBreak]:
        if self._breaks is None:
            self._breaks = definition_breaks((k.pk for k in self.kpis), as_of=self.as_of)
        return list(self._breaks.get(kpi.pk, ()))

    def _all_rebaselines(self, kpi: Kpi) -> list[BaselineChange]:
        if self._rebaselines is None:
            self._rebaselines = baseline_changes((k.pk for k in self.kpis), as_of=self.as_of)
        return list(self._rebaselines.get(kpi.pk, ()))

    def spc_reasons(self, kpi: Kpi) -> dict[date, str]:
        """Why the KPI's SPC baseline is recalculated, by the month (to ``end``): each definition change and each
        recorded recalculation."""
        reasons = {
            b.effective_from: "definition changed" + (f": {b.reason}" if b.reason else "")
            for b in self._all_breaks(kpi)
            if b.effective_from <= self.end
        }
        for change in self._all_rebaselines(kpi):
            if change.effective_from <= self.end:
                reasons[change.effective_from] = change.why
        return reasons

    def spc(self, kpi: Kpi) -> "Spc":
        """The KPI's statistical process control reading: the XmR chart of every figure up to ``end`` (not only
        the months shown), its baseline recalculated from each month its definition changed and each month
        recorded as a new baseline (``KpiBaseline``: a new contract, a service change), assured against the
        target in force at the latest figure. Computed once per KPI; needs ``read_positions(..., spc=True)``.
        The recorded recalculations of every KPI are read in one query on first use, unless given."""
        if not self._whole_series:
            raise RuntimeError("SPC needs the whole series: read_positions(..., spc=True)")
        if kpi.pk not in self._spc:
            by_month = self._figures.get(kpi.pk, {})
            points = [(m, f["value"]) for m, f in sorted(by_month.items()) if m <= self.end]
            reasons = self.spc_reasons(kpi)
            latest = points[-1][0] if points else None
            target = self.at(kpi, latest).target if latest else None
            chart = spc.xmr(points, polarity=kpi.polarity, target=target, rebase_from=reasons)
            self._spc[kpi.pk] = Spc(kpi, chart, reasons)
        return self._spc[kpi.pk]


def returns_as_they_stood(return_ids, as_of: datetime) -> dict[int, tuple[int | None, str]]:
    """Each return's accepted version and status as they stood at ``as_of``, from its simple-history rows (the
    latest row by then), in one query: a return accepted later was not accepted then, and a version accepted
    later does not replace the one accepted then. ``return_ids`` may be a subquery."""
    rows = (
        MonthlyReturn.history.filter(history_date__lte=as_of, id__in=return_ids)
        .latest_of_each()
        .exclude(history_type="-")
        .values_list("id", "accepted_version_id", "status")
    )
    return {pk: (accepted_version_id, status) for pk, accepted_version_id, status in rows}


FIGURES_CHUNK = 10_000  # figures fetched at a time from the database's cursor


class Figure:
    """One current figure of the read (a KPI's month), read as a mapping (``figure["value"]``,
    ``figure.get("status", "")``) as ``position_of`` reads a version's values. Slotted: a national page holds
    300,000 of them, and a slotted record is a quarter of a dict's memory (issue 14)."""

    __slots__ = ("value", "numerator", "denominator", "commentary", "version", "version_id", "return_id",
                 "status", "accepted")  # fmt: skip

    def __init__(self, value, numerator, denominator, commentary, version, version_id, return_id, status, accepted):
        self.value, self.numerator, self.denominator, self.commentary = value, numerator, denominator, commentary
        self.version, self.version_id, self.return_id = version, version_id, return_id
        self.status, self.accepted = status, accepted

    def __getitem__(self, name: str):
        if name not in self.__slots__:
            raise KeyError(name)
        return getattr(self, name)

    def get(self, name: str, default=None):
        return getattr(self, name) if name in self.__slots__ else default

    def __eq__(self, other):
        if isinstance(other, dict):
            return dict(self) == other
        return isinstance(other, Figure) and dict(self) == dict(other)

    __hash__ = None

    def keys(self):
        return self.__slots__

    def __repr__(self):
        return f"Figure({dict(self)!r})"


def _figures_read(
    kpi_ids,
    *,
    start: date | None,
    end: date,
    as_of: datetime | None,
    accepted_only: bool,
    whole: Iterable[int] = (),
    each_kpi: Callable[[int, dict], dict] | None = None,
):
    """The current figure per (KPI, month) in [start, end] (every month to ``end`` with no start): ONE query
    whatever the span (two with ``as_of``).

    With ``each_kpi`` (not with ``as_of``), the rows come in KPI order and ``each_kpi(kpi_id, by_month)`` is called
    as soon as a KPI's figures are all read; what it returns is kept for that KPI. So a caller that needs a whole
    series only to compute from it (the SPC reading) keeps one series at a time, not every one (issue 14).

    The current figure is the latest submitted version's; with ``accepted_only``, the version the council
    accepted, and nothing for a month not yet accepted. With ``as_of``, as they stood then: versions submitted
    by then, and the acceptance of then read from the returns' history (``returns_as_they_stood``). A return
    with no history row by then (figures loaded with their dates, before their history began) falls back on its
    own ``accepted_at``.
    """
    qs = ReturnValue.objects.filter(
        kpi_id__in=list(kpi_ids),
        version__monthly_return__period__lte=end,
        version__submitted_at__isnull=False,
    )
    whole = list(whole)
    if start is not None and whole:  # these KPIs' every month to ``end``, the others' from ``start``: one query
        qs = qs.filter(Q(kpi_id__in=whole) | Q(version__monthly_return__period__gte=start))
    elif start is not None:
        qs = qs.filter(version__monthly_return__period__gte=start)
    if as_of is not None:
        qs = qs.filter(version__submitted_at__lte=as_of)
    elif accepted_only:
        qs = qs.filter(version_id=F("version__monthly_return__accepted_version_id"))
    fields = [
        "kpi_id",
        "value",
        "numerator",
        "denominator",
        "commentary",
        "version_id",
        "version__number",
        "version__monthly_return_id",
        "version__monthly_return__period",
        "version__monthly_return__status",
        "version__monthly_return__accepted_version_id",
    ]
    if as_of is not None:  # only a past view reads when a return was accepted (a datetime per row costs: issue 14)
        fields.append("version__monthly_return__accepted_at")
        rows = list(qs.values_list(*fields))
        then = returns_as_they_stood({r[7] for r in rows}, as_of) if rows else {}
    else:
        # Streamed in chunks, as tuples: a national page's whole series (300,000 figures) is never held twice, as
        # rows and as figures (the worker's peak memory: issue 14).
        if each_kpi is not None:
            qs = qs.order_by("kpi_id")
        rows, then = qs.values_list(*fields).iterator(chunk_size=FIGURES_CHUNK), {}
    best: dict[int, dict[date, dict]] = defaultdict(dict)
    last = None
    for row in rows:
        kpi_id, value, numerator, denominator, commentary, version_id, number, return_id, period = row[:9]
        if each_kpi is not None and kpi_id != last:
            if last is not None:
                best[last] = each_kpi(last, best[last])
            last = kpi_id
        status, accepted_version_id = row[9], row[10]
        if as_of is not None:
            if return_id in then:
                accepted_version_id, status = then[return_id]
            elif (row[11] or as_of) > as_of:
                accepted_version_id = None
                if status == MonthlyReturn.Status.ACCEPTED:
                    status = MonthlyReturn.Status.SUBMITTED
        accepted = version_accepted(version_id, accepted_version_id)
        if accepted_only and not accepted:
            continue
        by_month = best[kpi_id]
        current = by_month.get(period)
        if current is not None and number <= current["version"]:
            continue
        by_month[period] = Figure(
            value, numerator, denominator, commentary, number, version_id, return_id, status, accepted
        )
    if each_kpi is not None and last is not None:
        best[last] = each_kpi(last, best[last])
    return best


def read_positions(
    kpis: Sequence[Kpi],
    *,
    start: date,
    end: date,
    as_of: datetime | None = None,
    accepted_only: bool = False,
    lookback: int = 12,
    breaks: Breaks | None = None,
    spc: bool = False,
    rebaselines: Rebaselines | None = None,
    cached: bool = False,
) -> Positions:
    """Positions of ``kpis`` (of any number of trusts) for the months ``start`` to ``end``, in three queries.

    With ``as_of`` (a moment; ``end_of_day`` for "as it stood on" a date), everything as it was on record then,
    in four queries: the versions submitted by then, their returns' acceptance then, the targets and benchmarks
    on record then (history rows), and the definition changes and recalculations then when first asked.

    ``lookback`` months before ``start`` are read too, so the first months have a direction of
    travel (a caller whose span already holds the year before the month it shows passes 0).
    ``breaks`` are the KPIs' definition changes when the caller read them already (``kpis_with_breaks``);
    otherwise ``Positions.breaks`` reads them in one more query when first asked.
    With ``spc``, every figure up to ``end`` is read (in the same one query), so ``Positions.spc`` sees the
    whole series its limits come from, however few months the caller shows; ``rebaselines`` are the KPIs'
    recorded baseline recalculations when the caller read them already (``kpis_with_breaks``).
    With ``spc`` and ``cached`` (and no ``as_of``: a past view is never cached), each KPI's SPC reading comes
    from the cache while its trust's data are unchanged (``spc_cache``, one more query for the trusts' data
    versions): the whole series is read, and ``spc.xmr`` run, only for the others; the cached KPIs' figures
    are read from a year before ``start`` (their positions as with the whole series), in the same one query.
    """
    kpis = list(kpis)
    ids = [k.pk for k in kpis]
    if spc and cached and as_of is None:
        return _read_cached(kpis, start=start, end=end, accepted_only=accepted_only, breaks=breaks,
                            rebaselines=rebaselines)  # fmt: skip
    first = None if spc else add_months(start, -lookback)
    figures = _figures_read(ids, start=first, end=end, as_of=as_of, accepted_only=accepted_only)
    targets = targets_for(ids, start=start, end=end, as_of=as_of)
    england, comparators = benchmarks_read(kpis, as_of=as_of)
    return Positions(
        kpis,
        start,
        end,
        figures,
        targets,
        england,
        breaks,
        whole_series=spc,
        rebaselines=rebaselines,
        as_of=as_of,
        comparators=comparators,
    )


def _read_cached(
    kpis: list[Kpi], *, start: date, end: date, accepted_only: bool, breaks: Breaks | None, rebaselines
) -> Positions:
    """``read_positions(..., spc=True, cached=True)``: SPC readings from the cache where the data are unchanged."""
    ids = [k.pk for k in kpis]
    if breaks is None:
        breaks = definition_breaks(ids)
    if rebaselines is None:
        rebaselines = baseline_changes(ids)
    empty = Positions(kpis, start, end, {}, {}, {}, breaks, whole_series=True, rebaselines=rebaselines)
    versions = spc_cache.data_versions(k.delivery_body_id for k in kpis)
    keys = {
        k.pk: spc_cache.key(
            k,
            start=start,
            end=end,
            accepted_only=accepted_only,
            reasons=empty.spc_reasons(k),
            version=versions.get(k.delivery_body_id, ""),
        )
        for k in kpis
    }
    found = spc_cache.get_many(keys.values())
    missed = {k.pk: k for k in kpis if keys[k.pk] not in found}
    targets = targets_for(ids, start=start, end=end)
    england, comparators = benchmarks_read(kpis)
    read = Positions(
        kpis, start, end, {}, targets, england, breaks,
        whole_series=True, rebaselines=rebaselines, comparators=comparators,
    )  # fmt: skip
    for kpi in kpis:
        if keys[kpi.pk] in found:
            chart, reasons = found[keys[kpi.pk]]
            read._spc[kpi.pk] = Spc(kpi, chart, reasons)
    fresh = {}
    kept_from = add_months(start, -12)  # a position's direction of travel reads up to 12 months before it

    def each_kpi(kpi_id: int, by_month: dict) -> dict:
        """A missed KPI's whole series is read: its SPC reading is computed from it at once, and only the months
        a hit keeps stay (a cold page holds one whole series at a time, and shows what a warm one does)."""
        kpi = missed.get(kpi_id)
        if kpi is None:
            return by_month
        read._figures[kpi_id] = by_month
        reading = read.spc(kpi)
        chart = spc_cache.trimmed(reading.chart, start)
        read._spc[kpi_id] = Spc(kpi, chart, reading.reasons)
        fresh[keys[kpi_id]] = (chart, reading.reasons)
        read._ordered.pop(kpi_id, None)
        if by_month:  # the one position spc() read (the latest figure's, for its target)
            read._cache.pop((kpi_id, max(by_month)), None)
        read._figures[kpi_id] = kept = {m: f for m, f in by_month.items() if m >= kept_from}
        return kept

    read._figures = _figures_read(
        ids,
        start=kept_from,
        end=end,
        as_of=None,
        accepted_only=accepted_only,
        whole=list(missed),
        each_kpi=each_kpi if missed else None,
    )
    for kpi_id, kpi in missed.items():  # a missed KPI with no figure at all: its (empty) reading
        if kpi_id not in read._spc:
            reading = read.spc(kpi)
            read._spc[kpi_id] = Spc(kpi, spc_cache.trimmed(reading.chart, start), reading.reasons)
            fresh[keys[kpi_id]] = (read._spc[kpi_id].chart, reading.reasons)
    spc_cache.set_many(fresh)
    return read


def latest_period(kpis: Sequence[Kpi], *, as_of: datetime | None = None, accepted_only: bool = False) -> date | None:
    """The latest month with a figure for any of the KPIs (one query; with ``as_of``, the read of the figures as
    they stood then, so acceptance is the acceptance of then)."""
    if as_of is not None:
        figures = _figures_read(
            [k.pk for k in kpis], start=None, end=LATEST_MONTH, as_of=as_of, accepted_only=accepted_only
        )
        months = [m for by_month in figures.values() for m in by_month]
        return max(months) if months else None
    qs = ReturnValue.objects.filter(kpi__in=list(kpis), version__submitted_at__isnull=False)
    if accepted_only:
        qs = qs.filter(version_id=F("version__monthly_return__accepted_version_id"))
    row = qs.order_by("-version__monthly_return__period").values("version__monthly_return__period").first()
    return row["version__monthly_return__period"] if row else None


def kpis_on_record(kpis: Sequence[Kpi], as_of: datetime) -> dict[int, date | None]:
    """The KPIs of these on record at ``as_of`` and the month each was retired from then (Kpi history), in one
    query."""
    return dict(on_record(Kpi, as_of).filter(id__in=[k.pk for k in kpis]).values_list("id", "retired_from"))


def months_received(kpis: Sequence[Kpi], *, accepted_only: bool = False) -> dict[int, tuple[date, date]]:
    """The first and last month with a figure, per trust (``delivery_body_id``), for any of the KPIs (one query):
    a submitted figure, or with ``accepted_only`` an accepted one, as ``read_positions`` counts them."""
    # A queryset of KPIs is a subquery: the national grid's 15,500 KPIs are never read into memory for this.
    kpis = kpis.values("pk") if isinstance(kpis, QuerySet) else list(kpis)
    qs = ReturnValue.objects.filter(kpi__in=kpis, version__submitted_at__isnull=False)
    if accepted_only:
        qs = qs.filter(version_id=F("version__monthly_return__accepted_version_id"))
    rows = (
        qs.order_by()
        .values("kpi__delivery_body_id")
        .annotate(first=Min("version__monthly_return__period"), last=Max("version__monthly_return__period"))
    )
    return {row["kpi__delivery_body_id"]: (row["first"], row["last"]) for row in rows}


# --- accepted-only views --------------------------------------------------------------------------


class FiguresChoiceError(ValueError):
    message = "Choose figures=accepted (accepted figures only) or figures=all"


def accepted_only(request) -> bool:
    """Whether this view shows accepted figures only: ``?figures=accepted``, or scrutiny when the council
    has set ``PERFORMANCE_SCRUTINY_FIGURES = "accepted"`` (then scrutiny never sees a provisional figure)."""
    raw = request.GET.get("figures", "")
    if raw and raw not in FIGURES_CHOICES:
        raise FiguresChoiceError(FiguresChoiceError.message)
    if getattr(settings, "PERFORMANCE_SCRUTINY_FIGURES", "all") == ACCEPTED_ONLY and (
        role_of(request.user) == Role.SCRUTINY_MEMBER
    ):
        return True
    return raw == ACCEPTED_ONLY
