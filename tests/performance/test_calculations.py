"""RAG for both polarities at every boundary, grey rules, direction of travel, rolling trend, value checks."""

from datetime import date
from decimal import Decimal as D

import pytest

from performance import calculations as c


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("90", c.GREEN),  # above target
        ("85", c.GREEN),  # exactly on target
        ("84.99", c.AMBER),  # just below target
        ("80.01", c.AMBER),  # just inside the tolerance
        ("80", c.AMBER),  # exactly target - tolerance
        ("79.99", c.RED),  # just beyond tolerance
        ("0", c.RED),
    ],
)
def test_rag_higher_is_better(value, expected):
    assert c.rag(D(value), D("85"), D("5"), c.HIGHER) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10", c.GREEN),  # below target
        ("22", c.GREEN),  # exactly on target
        ("22.01", c.AMBER),  # just above target
        ("23.99", c.AMBER),  # just inside the tolerance
        ("24", c.AMBER),  # exactly target + tolerance
        ("24.01", c.RED),  # just beyond tolerance
        ("100", c.RED),
    ],
)
def test_rag_lower_is_better(value, expected):
    assert c.rag(D(value), D("22"), D("2"), c.LOWER) == expected


@pytest.mark.parametrize("polarity", [c.HIGHER, c.LOWER])
def test_zero_tolerance_means_no_amber(polarity):
    off = D("21") if polarity == c.HIGHER else D("23")
    assert c.rag(D("22"), D("22"), D("0"), polarity) == c.GREEN
    assert c.rag(off, D("22"), D("0"), polarity) == c.RED
    assert c.rag(off, D("22"), None, polarity) == c.RED


@pytest.mark.parametrize("polarity", [c.HIGHER, c.LOWER])
def test_grey_without_value_or_target(polarity):
    assert c.rag(None, D("22"), D("2"), polarity) == c.GREY
    assert c.rag(D("30"), None, D("2"), polarity) == c.GREY
    assert c.rag(D("0"), D("0"), D("0"), polarity) == c.GREEN  # zero is a value, not a missing one


@pytest.mark.parametrize(("polarity", "off_target"), [(c.HIGHER, "10"), (c.LOWER, "40")])
def test_grey_before_formal_reporting_starts_then_rag_from_that_month(polarity, off_target):
    start = date(2018, 10, 1)  # Sandwell: 6 months' grace after go-live on 1 April 2018
    value = D(off_target)
    assert c.rag(value, D("22"), D("2"), polarity, period=date(2018, 9, 1), formal_start=start) == c.GREY
    assert c.rag(value, D("22"), D("2"), polarity, period=date(2018, 10, 1), formal_start=start) == c.RED
    assert c.rag(value, D("22"), D("2"), polarity, period=date(2018, 11, 1), formal_start=start) == c.RED
    assert c.rag(value, D("22"), D("2"), polarity, formal_start=start) == c.RED  # no period: not in grace


@pytest.mark.parametrize(
    ("current", "previous", "polarity", "expected"),
    [
        ("80", "70", c.HIGHER, c.IMPROVING),
        ("70", "80", c.HIGHER, c.WORSENING),
        ("20", "25", c.LOWER, c.IMPROVING),
        ("25", "20", c.LOWER, c.WORSENING),
        ("25", "25", c.LOWER, c.NO_CHANGE),
    ],
)
def test_direction_of_travel(current, previous, polarity, expected):
    assert c.direction(D(current), D(previous), polarity) == expected


def test_direction_without_a_comparison():
    assert c.direction(D("1"), None, c.HIGHER) == c.NO_DATA


def test_rolling_average_and_trend():
    values = [D(v) for v in ["30", "28", "26", "24", "22", "20", "18"]]
    assert c.rolling_average(values)[:3] == [None, None, D("28.00")]
    assert c.rolling_trend(values, c.LOWER) == c.IMPROVING
    assert c.rolling_trend(values, c.HIGHER) == c.WORSENING
    assert c.rolling_average([D("1"), None, D("3"), D("4")])[3] is None  # a gap breaks the window
    assert c.rolling_trend([D("1")], c.HIGHER) == c.NO_DATA


def test_value_is_computed_from_numerator_and_denominator():
    check = c.check_value(
        unit="percentage", is_fraction=True, title="RR", value=D("99"), numerator=D("45"), denominator=D("200")
    )
    assert check.errors == {} and check.value == D("22.50")  # the typed value is ignored
    assert c.compute_value("rate_per_10000", D("5"), D("10000")) == D("5.00")
    assert c.compute_value("ratio", D("330"), D("20")) == D("16.50")


@pytest.mark.parametrize(
    ("kwargs", "field", "words"),
    [
        ({"numerator": D("201"), "denominator": D("200")}, "numerator", "cannot be more than its denominator"),
        ({"numerator": None, "denominator": D("200")}, "numerator", "Enter the numerator"),
        ({"numerator": D("1"), "denominator": D("0")}, "denominator", "must be more than 0"),
    ],
)
def test_bad_fractions(kwargs, field, words):
    check = c.check_value(unit="percentage", is_fraction=True, title="RR", value=None, **kwargs)
    assert words in check.errors[field] and "RR" in check.errors[field]


def test_ratio_numerator_may_exceed_denominator():
    check = c.check_value(
        unit="ratio", is_fraction=True, title="CL", value=None, numerator=D("330"), denominator=D("20")
    )
    assert check.errors == {}


def test_typed_percentage_over_100_and_missing_value_refused():
    over = c.check_value(
        unit="percentage", is_fraction=False, title="X", value=D("100.5"), numerator=None, denominator=None
    )
    assert "cannot be more than 100" in over.errors["value"]
    missing = c.check_value(unit="count", is_fraction=False, title="X", value=None, numerator=None, denominator=None)
    assert "Enter a value for X" in missing.errors["value"]
