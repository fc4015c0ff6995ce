"""Statistical process control: an XmR chart of a KPI's monthly figures, as NHS England's "Making Data Count" does it.

Pure functions over plain values (no database, no Django), so every rule is tested at its boundaries in
isolation; ``performance.positions`` reads the figures once and calls ``xmr`` for every screen, the API and
the PDF (ADR 0305 records the rules and their precedence).

- **Baseline**: the figures from the first month, or from a month the baseline was recalculated from (a
  definition change, a new contract, a service change), up to the next recalculation. Its centre line is the
  mean of its figures; its process limits are mean ± 2.66 × the mean moving range (the mean absolute difference
  of consecutive figures); "beyond two sigma" is beyond mean ± (2/3 × 2.66) × the mean moving range
  (sigma = mean moving range / 1.128). A baseline of fewer than ``MIN_POINTS`` figures has no limits and no
  signals.
- **Special-cause rules**, within one baseline: a point outside the limits (strictly: a point exactly on a
  limit is inside); two of three consecutive points beyond two sigma on the same side of the mean (exactly on
  the two-sigma line is not beyond); a run of ``RUN`` or more points on one side of the mean (a point exactly on
  the mean is on neither side and ends the run); ``RUN`` or more points each higher (or each lower) than the
  one before (a repeat ends the run). A point meeting several rules takes the first in ``PRECEDENCE``.
- **Polarity** makes a special cause improving or concerning: a high point (or a rising trend) improves a KPI
  where higher is better.
- **Variation** of a series is its latest point's signal; **assurance** compares the target with the latest
  baseline's limits.

A month with no figure (not returned, suppressed) is no point at all: it is skipped, never read as zero,
and the figures either side of it are consecutive.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from .calculations import HIGHER

LIMIT_FACTOR = Decimal("2.66")  # 3 / 1.128 (d2 for moving ranges of two points), as Making Data Count rounds it
MIN_POINTS = 15  # figures a baseline needs before its limits are shown
RUN = 7  # points in a shift or a trend


class Rule(StrEnum):
    OUTSIDE_LIMITS = "outside_limits"
    TWO_OF_THREE = "two_of_three"
    SHIFT = "shift"
    TREND = "trend"


# Where a point meets several rules, the first of these is its signal (ADR 0305).
PRECEDENCE: tuple[Rule, ...] = (Rule.OUTSIDE_LIMITS, Rule.TWO_OF_THREE, Rule.SHIFT, Rule.TREND)


class Side(StrEnum):
    HIGH = "high"  # above the mean, beyond the upper limit, or a rising trend
    LOW = "low"


class Signal(StrEnum):
    """A point's signal; a series' variation is its latest point's."""

    COMMON_CAUSE = "common_cause"
    IMPROVING = "special_cause_improving"
    CONCERNING = "special_cause_concerning"
    NO_LIMITS = "no_limits"  # its baseline has fewer than MIN_POINTS figures


class Assurance(StrEnum):
    PASSING = "consistently_passing"  # the target lies beyond the limit on the failing side
    FAILING = "consistently_failing"  # the target lies beyond the limit on the passing side
    HIT_AND_MISS = "hit_and_miss"  # the target lies between the limits (or on one)
    NO_TARGET = "no_target"
    NO_LIMITS = "no_limits"


@dataclass(frozen=True)
class Baseline:
    """One stretch of the series with its own centre line and limits (none with fewer than MIN_POINTS figures)."""

    start: date  # the first month of the baseline (the month it was recalculated from)
    points: int
    mean: Decimal | None = None
    moving_range: Decimal | None = None  # the mean moving range
    upper_limit: Decimal | None = None
    lower_limit: Decimal | None = None
    upper_two_sigma: Decimal | None = None
    lower_two_sigma: Decimal | None = None
    recalculated: bool = False  # False for the series' first baseline

    @property
    def has_limits(self) -> bool:
        return self.mean is not None


def baseline_of(start: date, values: Sequence[Decimal], *, recalculated: bool = False) -> Baseline:
    """The centre line and limits of a baseline's figures (none with fewer than MIN_POINTS)."""
    n = len(values)
    if n < MIN_POINTS:
        return Baseline(start, n, recalculated=recalculated)
    mean = sum(values, Decimal(0)) / n
    moving_range = sum((abs(b - a) for a, b in zip(values, values[1:], strict=False)), Decimal(0)) / (n - 1)
    spread = LIMIT_FACTOR * moving_range
    near = 2 * LIMIT_FACTOR * moving_range / 3
    return Baseline(
        start,
        n,
        mean=mean,
        moving_range=moving_range,
        upper_limit=mean + spread,
        lower_limit=mean - spread,
        upper_two_sigma=mean + near,
        lower_two_sigma=mean - near,
        recalculated=recalculated,
    )


# --- the four rules, each over one baseline's figures in order -----------------------------------------------

Met = list[dict[Rule, Side]]  # per point, every rule it meets and on which side


def _outside_limits(values: Sequence[Decimal], b: Baseline, met: Met) -> None:
    for i, v in enumerate(values):
        if v > b.upper_limit:
            met[i][Rule.OUTSIDE_LIMITS] = Side.HIGH
        elif v < b.lower_limit:
            met[i][Rule.OUTSIDE_LIMITS] = Side.LOW


def _two_of_three(values: Sequence[Decimal], b: Baseline, met: Met) -> None:
    """Two (or three) of three consecutive points beyond two sigma on the same side: those points are marked
    (the third, wherever it lies, is not). A point beyond a process limit is beyond two sigma too."""
    for i in range(len(values) - 2):
        window = range(i, i + 3)
        for side, beyond in (
            (Side.HIGH, [j for j in window if values[j] > b.upper_two_sigma]),
            (Side.LOW, [j for j in window if values[j] < b.lower_two_sigma]),
        ):
            if len(beyond) >= 2:
                for j in beyond:
                    met[j].setdefault(Rule.TWO_OF_THREE, side)


def _runs(flags: Sequence[Side | None]) -> list[tuple[int, int, Side]]:
    """Maximal runs of the same side: (first index, length, side); None ends a run."""
    out, start = [], 0
    for i in range(1, len(flags) + 1):
        if i == len(flags) or flags[i] != flags[start]:
            if flags[start] is not None:
                out.append((start, i - start, flags[start]))
            start = i
    return out


def _shift(values: Sequence[Decimal], b: Baseline, met: Met) -> None:
    sides = [Side.HIGH if v > b.mean else Side.LOW if v < b.mean else None for v in values]
    for start, length, side in _runs(sides):
        if length >= RUN:
            for j in range(start, start + length):
                met[j][Rule.SHIFT] = side


def _trend(values: Sequence[Decimal], met: Met) -> None:
    """RUN or more points each higher (or each lower) than the one before. A step is marked on both its points;
    a point where a rising run turns into a falling one keeps the run it ends."""
    steps = [Side.HIGH if b > a else Side.LOW if b < a else None for a, b in zip(values, values[1:], strict=False)]
    for start, length, side in _runs(steps):
        if length + 1 >= RUN:  # n steps join n + 1 points
            for j in range(start, start + length + 1):
                met[j].setdefault(Rule.TREND, side)


def rules_met(values: Sequence[Decimal], baseline: Baseline) -> Met:
    """Every rule each point of one baseline meets (nothing when the baseline has no limits)."""
    met: Met = [{} for _ in values]
    if not baseline.has_limits:
        return met
    _outside_limits(values, baseline, met)
    _two_of_three(values, baseline, met)
    _shift(values, baseline, met)
    _trend(values, met)
    return met


def first_rule(met: dict[Rule, Side]) -> tuple[Rule, Side] | None:
    """The point's one signal: the first rule it meets in PRECEDENCE."""
    for rule in PRECEDENCE:
        if rule in met:
            return rule, met[rule]
    return None


def signal_of(side: Side, polarity: str) -> Signal:
    """High is improving where higher is better, concerning where lower is."""
    return Signal.IMPROVING if (side == Side.HIGH) == (polarity == HIGHER) else Signal.CONCERNING


def assurance_of(baseline: Baseline | None, target: Decimal | None, polarity: str) -> Assurance:
    """Whether the process will meet the target: consistently when the target lies beyond the limit on the
    failing side (below the lower limit where higher is better), never when it lies beyond the limit on the
    passing side, hit and miss when it lies between the limits or exactly on one."""
    if baseline is None or not baseline.has_limits:
        return Assurance.NO_LIMITS
    if target is None:
        return Assurance.NO_TARGET
    if target < baseline.lower_limit:
        return Assurance.PASSING if polarity == HIGHER else Assurance.FAILING
    if target > baseline.upper_limit:
        return Assurance.FAILING if polarity == HIGHER else Assurance.PASSING
    return Assurance.HIT_AND_MISS


# --- a whole series ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpcPoint:
    period: date
    value: Decimal
    baseline: Baseline
    signal: Signal
    rule: Rule | None = None  # the rule that gave a special cause (the first met in PRECEDENCE)
    side: Side | None = None
    rules: frozenset[Rule] = frozenset()  # every rule the point meets

    @property
    def special(self) -> bool:
        return self.signal in (Signal.IMPROVING, Signal.CONCERNING)


@dataclass(frozen=True)
class SpcChart:
    polarity: str
    target: Decimal | None = None
    points: tuple[SpcPoint, ...] = ()
    baselines: tuple[Baseline, ...] = ()
    _by_period: dict[date, SpcPoint] = field(default_factory=dict, compare=False, repr=False)

    def at(self, period: date) -> SpcPoint | None:
        return self._by_period.get(period)

    @property
    def latest(self) -> SpcPoint | None:
        return self.points[-1] if self.points else None

    @property
    def baseline(self) -> Baseline | None:
        """The latest point's baseline: its centre line and limits are the series' (and the assurance's)."""
        return self.latest.baseline if self.latest else None

    @property
    def mean(self) -> Decimal | None:
        return self.baseline.mean if self.baseline else None

    @property
    def upper_limit(self) -> Decimal | None:
        return self.baseline.upper_limit if self.baseline else None

    @property
    def lower_limit(self) -> Decimal | None:
        return self.baseline.lower_limit if self.baseline else None

    @property
    def baseline_from(self) -> date | None:
        return self.baseline.start if self.baseline else None

    @property
    def variation(self) -> Signal:
        return self.latest.signal if self.latest else Signal.NO_LIMITS

    @property
    def variation_side(self) -> Side | None:
        return self.latest.side if self.latest else None

    @property
    def assurance(self) -> Assurance:
        return assurance_of(self.baseline, self.target, self.polarity)

    @property
    def recalculations(self) -> tuple[Baseline, ...]:
        """The baselines recalculated from a month (each a break in the chart)."""
        return tuple(b for b in self.baselines if b.recalculated)


def xmr(
    points: Iterable[tuple[date, Decimal | None]],
    *,
    polarity: str,
    target: Decimal | None = None,
    rebase_from: Iterable[date] = (),
) -> SpcChart:
    """The XmR chart of a series of (month, figure): each point's signal, each baseline's limits, the variation
    and the assurance against ``target`` (the target in force at the latest point).

    A month in ``rebase_from`` starts a new baseline (limits recomputed from that month) when figures lie
    both before and from it. Figures of None are skipped, never read as zero.
    """
    figures = sorted((p, v) for p, v in points if v is not None)
    if not figures:
        return SpcChart(polarity, target)
    first = figures[0][0]
    starts = [first, *sorted({m for m in rebase_from if first < m <= figures[-1][0]})]
    out: list[SpcPoint] = []
    baselines: list[Baseline] = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else None
        chunk = [(p, v) for p, v in figures if p >= start and (end is None or p < end)]
        if not chunk:
            continue
        values = [v for _, v in chunk]
        baseline = baseline_of(start, values, recalculated=k > 0)
        baselines.append(baseline)
        for (period, value), met in zip(chunk, rules_met(values, baseline), strict=True):
            chosen = first_rule(met)
            if not baseline.has_limits:
                signal = Signal.NO_LIMITS
            elif chosen is None:
                signal = Signal.COMMON_CAUSE
            else:
                signal = signal_of(chosen[1], polarity)
            out.append(
                SpcPoint(
                    period,
                    value,
                    baseline,
                    signal,
                    rule=chosen[0] if chosen else None,
                    side=chosen[1] if chosen else None,
                    rules=frozenset(met),
                )
            )
    return SpcChart(polarity, target, tuple(out), tuple(baselines), {p.period: p for p in out})
