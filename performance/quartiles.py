"""Comparator figures: the DfE's suppression codes and the quartiles of a set of local authorities' figures.

Pure functions, no Django (ADR 0306). A figure is a ``Decimal`` or one of the DfE's suppression codes, kept as
the code: it is never read as zero and never counts towards a median or quartile.
"""

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# The codes DfE statistics publish in place of a figure, with what each means (the words every screen shows).
SUPPRESSION_CODES = {
    "c": "confidential: a small number, withheld",
    "k": "rounds to 0 (fewer than 0.5)",
    "u": "low reliability",
    "x": "not available",
    "z": "not applicable",
}

Figure = Decimal | str  # a number, or a suppression code

LA_CODE = re.compile(r"\d{3}|E(0[6-9]|10)\d{6}")
LA_CODE_HELP = "a three-digit DfE LA number (e.g. 333) or a nine-character ONS code (e.g. E08000028)"


class FigureError(ValueError):
    """A figure that is neither a number nor a suppression code."""


def parse_figure(raw) -> Figure:
    """A cell as a figure: a number, or a suppression code (in either case, as c, k, u, x or z).

    Raises ``FigureError`` with the words to show for anything else (an empty cell included)."""
    if isinstance(raw, bool):
        raise FigureError("Enter a number or a suppression code (c, k, u, x or z)")
    if isinstance(raw, int | float | Decimal):
        value = Decimal(str(raw))
    else:
        text = str(raw or "").strip()
        if not text:
            raise FigureError("Enter a number or a suppression code (c, k, u, x or z)")
        if text.lower() in SUPPRESSION_CODES:
            return text.lower()
        try:
            value = Decimal(text.replace(",", "").removesuffix("%").strip())
        except InvalidOperation:
            raise FigureError(f"“{text[:20]}” is not a number or a suppression code (c, k, u, x or z)") from None
    if not value.is_finite():
        raise FigureError("Enter a number or a suppression code (c, k, u, x or z)")
    if abs(value) >= Decimal(10) ** 10:
        raise FigureError("The figure is too large")
    return value


def code_meaning(code: str) -> str:
    return SUPPRESSION_CODES.get(code, "")


QUARTILE_WORDS = {1: "1st quartile", 2: "2nd quartile", 3: "3rd quartile", 4: "4th quartile"}


def quartile_band(
    value: Decimal | None, lower: Decimal | None, median: Decimal | None, upper: Decimal | None, *, higher: bool
) -> int | None:
    """Which quarter of a set of authorities' figures ``value`` falls in, from their lower quartile, median and
    upper quartile: 1 is the best quarter, 4 the worst (as the national grid's quartiles), so "better" follows
    the KPI's polarity. A value on a boundary is in the better quarter. None without a value or any of the three."""
    if value is None or lower is None or median is None or upper is None:
        return None
    if higher:
        return 1 if value >= upper else 2 if value >= median else 3 if value >= lower else 4
    return 1 if value <= lower else 2 if value <= median else 3 if value <= upper else 4


@dataclass(frozen=True)
class Quartiles:
    """Lower quartile, median and upper quartile of the figures that are numbers; ``used`` counts them and
    ``excluded`` counts the suppression codes left out. No numbers: every statistic is None."""

    lower: Decimal | None
    median: Decimal | None
    upper: Decimal | None
    used: int
    excluded: int


def _at(ordered: list[Decimal], p: Decimal) -> Decimal:
    """The ``p`` quantile by linear interpolation between closest ranks (Excel's QUARTILE.INC, R type 7)."""
    h = (len(ordered) - 1) * p
    below = int(h)
    fraction = h - below
    if below + 1 >= len(ordered):
        return ordered[below]
    return ordered[below] + fraction * (ordered[below + 1] - ordered[below])


def quartiles(figures: list[Figure]) -> Quartiles:
    """The quartiles of ``figures``: numbers count, suppression codes are excluded (and counted as excluded)."""
    numbers = sorted(f for f in figures if isinstance(f, Decimal))
    excluded = sum(1 for f in figures if not isinstance(f, Decimal))
    if not numbers:
        return Quartiles(None, None, None, 0, excluded)
    return Quartiles(
        _at(numbers, Decimal("0.25")),
        _at(numbers, Decimal("0.5")),
        _at(numbers, Decimal("0.75")),
        len(numbers),
        excluded,
    )


def rounded(value: Decimal | None) -> Decimal | None:
    """A statistic as it is stored: two decimal places, halves away from zero."""
    return None if value is None else value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
