"""Reading figures typed by people: ASCII digits only, finite, within range, at most so many decimals.

``Decimal()`` reads '١٢٣' (Arabic-Indic digits), '1e309', 'NaN' and 'Infinity'; a figure entered in
a form, a spreadsheet or the API is none of those. Each problem has a message a person can act on.
"""

import re
from decimal import Decimal, InvalidOperation

# An optional sign, ASCII digits with optional thousands commas, an optional fraction. No exponent.
FIGURE = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+", re.ASCII)


class FigureError(ValueError):
    pass


def parse_figure(raw, *, max_digits: int = 14, decimal_places: int = 2) -> Decimal | None:
    """A Decimal from a typed or spreadsheet value, None when blank; FigureError saying what is wrong."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        _refuse()
    if isinstance(raw, int | float | Decimal):
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            _refuse()
        _check_finite_and_range(number, max_digits - decimal_places)
        if isinstance(raw, float):
            # A spreadsheet may store 12.3 as 12.300000000000001: read what it shows, to 10 places.
            number = number.quantize(Decimal("1e-10")).normalize()
        return check_figure(number, max_digits=max_digits, decimal_places=decimal_places)
    text = str(raw).strip()
    if not text:
        return None
    if not FIGURE.fullmatch(text):
        _refuse()
    return check_figure(Decimal(text.replace(",", "")), max_digits=max_digits, decimal_places=decimal_places)


def _check_finite_and_range(number: Decimal, whole_digits: int) -> None:
    if not number.is_finite():
        _refuse()
    if abs(number) >= Decimal(10) ** whole_digits:
        raise FigureError(f"the figure is too large: enter a number below {10**whole_digits:,}")


def check_figure(number: Decimal, *, max_digits: int = 14, decimal_places: int = 2) -> Decimal:
    _check_finite_and_range(number, max_digits - decimal_places)
    exponent = number.normalize().as_tuple().exponent
    if -exponent > decimal_places:
        raise FigureError(f"enter the figure to at most {decimal_places} decimal places")
    return number


def _refuse():
    raise FigureError("enter a number, using the digits 0 to 9")
