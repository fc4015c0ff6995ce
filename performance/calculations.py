"""Pure performance calculations: computed values, RAG, direction of travel, rolling trend.

No database access here: every function takes plain values, so each rule is tested at its
boundaries in isolation and reused by dashboards, the API, exports and the demo.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

HIGHER, LOWER = "higher", "lower"
GREEN, AMBER, RED, GREY = "green", "amber", "red", "grey"
# Labels and tag colours for each status: positions.RAG (the one label map).
UNIT_SCALE = {"percentage": Decimal(100), "rate_per_10000": Decimal(10000), "ratio": Decimal(1)}
TWO_PLACES = Decimal("0.01")


def compute_value(unit: str, numerator: Decimal, denominator: Decimal) -> Decimal:
    """The value of a rate from its numerator and denominator, to two decimal places."""
    scale = UNIT_SCALE.get(unit, Decimal(1))
    return (Decimal(numerator) * scale / Decimal(denominator)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def rag(
    value: Decimal | None,
    target: Decimal | None,
    tolerance: Decimal | None,
    polarity: str,
    *,
    period: date | None = None,
    formal_start: date | None = None,
) -> str:
    """Red/amber/green against target; grey with no value, no target, or before formal reporting starts.

    Higher is better: at or above target is green; within ``tolerance`` below it is amber; further is red.
    Lower is better: the mirror image. A value exactly on a boundary takes the better status.
    """
    if value is None or target is None:
        return GREY
    if formal_start is not None and period is not None and period < formal_start:
        return GREY
    tolerance = tolerance or Decimal(0)
    gap = (value - target) if polarity == HIGHER else (target - value)  # positive = better than target
    if gap >= 0:
        return GREEN
    if -gap <= tolerance:
        return AMBER
    return RED


IMPROVING, WORSENING, NO_CHANGE, NO_DATA = "improving", "worsening", "no change", "no comparison"


def direction(current: Decimal | None, previous: Decimal | None, polarity: str) -> str:
    """Direction of travel of ``current`` against an earlier value, taking polarity into account."""
    if current is None or previous is None:
        return NO_DATA
    if current == previous:
        return NO_CHANGE
    better = current > previous if polarity == HIGHER else current < previous
    return IMPROVING if better else WORSENING


def rolling_average(values: Sequence[Decimal | None], window: int = 3) -> list[Decimal | None]:
    """Mean of the last ``window`` values at each point (None until the window is full or where a gap falls)."""
    out: list[Decimal | None] = []
    for i in range(len(values)):
        chunk = values[max(0, i - window + 1) : i + 1]
        if len(chunk) < window or any(v is None for v in chunk):
            out.append(None)
        else:
            out.append((sum(chunk, Decimal(0)) / window).quantize(TWO_PLACES, rounding=ROUND_HALF_UP))
    return out


def rolling_trend(values: Sequence[Decimal | None], polarity: str, window: int = 3) -> str:
    """Trend of the rolling average: its latest point against the one ``window`` months earlier."""
    averages = [a for a in rolling_average(values, window) if a is not None]
    if len(averages) <= window:
        return NO_DATA if len(averages) < 2 else direction(averages[-1], averages[0], polarity)
    return direction(averages[-1], averages[-1 - window], polarity)


@dataclass(frozen=True)
class ValueCheck:
    """What is wrong with one KPI's figures, by field (empty when fine)."""

    errors: dict[str, str]
    value: Decimal | None


def check_value(
    *,
    unit: str,
    is_fraction: bool,
    title: str,
    value: Decimal | None,
    numerator: Decimal | None,
    denominator: Decimal | None,
) -> ValueCheck:
    """Validate one KPI's figures and compute its value. Messages name the KPI and the field."""
    errors: dict[str, str] = {}
    if is_fraction:
        if numerator is None:
            errors["numerator"] = f"Enter the numerator for {title}"
        elif numerator < 0:
            errors["numerator"] = f"The numerator for {title} cannot be negative"
        if denominator is None:
            errors["denominator"] = f"Enter the denominator for {title}"
        elif denominator <= 0:
            errors["denominator"] = f"The denominator for {title} must be more than 0"
        if errors:
            return ValueCheck(errors, None)
        if unit in ("percentage", "rate_per_10000") and numerator > denominator:
            errors["numerator"] = f"The numerator for {title} cannot be more than its denominator"
            return ValueCheck(errors, None)
        value = compute_value(unit, numerator, denominator)
    else:
        if value is None:
            return ValueCheck({"value": f"Enter a value for {title}"}, None)
        if value < 0:
            return ValueCheck({"value": f"The value for {title} cannot be negative"}, None)
    if unit == "percentage" and value > 100:
        return ValueCheck({"value": f"The percentage for {title} cannot be more than 100"}, None)
    return ValueCheck({}, value)


def quartiles(values: dict, polarity: str) -> dict:
    """Each key's quartile among the keys with a value (1 = the best quarter, 4 = the worst), polarity-aware.

    A key is in quartile q when the share of the others that did strictly better lies in [(q - 1)/4, q/4):
    quartile = 1 + floor(4 × better / n), with n the keys that have a value. Tied values are in the same
    quartile (the better one: neither did better than the other). With fewer than 4 values the quarters are
    still quarters of the ordering (of 2, the second is in Q3: half the trusts did better). A key with no value,
    or the only value, has no quartile (None): there is nothing to rank it against.
    """
    figures = {key: value for key, value in values.items() if value is not None}
    n = len(figures)
    out: dict = dict.fromkeys(values)
    if n < 2:
        return out
    for key, value in figures.items():
        better = sum(1 for other in figures.values() if (other > value if polarity == HIGHER else other < value))
        out[key] = 1 + (4 * better) // n
    return out
