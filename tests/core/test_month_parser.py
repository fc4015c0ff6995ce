"""One parser for months and periods: what every ?from=/?to=, month field and spreadsheet month cell accepts."""

from datetime import date

import pytest

from trustgov.core.dates import parse_month, parse_period


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2025-06", date(2025, 6, 1)), (" 2025-12 ", date(2025, 12, 1)), ("2025-13", None), ("2025-6", None), ("", None)],
)
def test_parse_month(value, expected):
    assert parse_month(value) == expected


@pytest.mark.parametrize(
    ("value", "end", "expected"),
    [
        ("2024-02", False, date(2024, 2, 1)),
        ("2024-02", True, date(2024, 2, 29)),
        ("2025-01-15", False, date(2025, 1, 15)),
        ("2025-01-15", True, date(2025, 1, 15)),
        ("2026-02-30", False, None),
        ("last month", False, None),
        (None, False, None),
    ],
)
def test_parse_period(value, end, expected):
    assert parse_period(value, end=end) == expected
