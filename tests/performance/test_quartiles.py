"""The quartiles of comparator figures and the DfE's suppression codes: a pure function, worked by hand."""

from decimal import Decimal as D

import pytest

from performance.quartiles import SUPPRESSION_CODES, FigureError, Quartiles, parse_figure, quartiles, rounded


def test_quartiles_of_ten_neighbours_with_two_suppressed():
    """Eight numbers, sorted: 10, 12, 15, 18, 20, 22, 25, 30 (c and x excluded).
    Position h = (n - 1) × p with n = 8 (QUARTILE.INC):
    lower: h = 1.75 → 12 + 0.75 × (15 − 12) = 14.25;
    median: h = 3.5 → 18 + 0.5 × (20 − 18) = 19;
    upper: h = 5.25 → 22 + 0.25 × (25 − 22) = 22.75."""
    figures = [D(25), D(10), "c", D(18), D(30), D(12), "x", D(22), D(15), D(20)]
    assert quartiles(figures) == Quartiles(D("14.25"), D("19"), D("22.75"), used=8, excluded=2)


def test_an_odd_count_has_its_middle_figure_as_median():
    """5 figures 1, 2, 3, 4, 100: lower h = 1 → 2, median h = 2 → 3, upper h = 3 → 4 (an outlier moves nothing)."""
    assert quartiles([D(100), D(3), D(1), D(4), D(2)]) == Quartiles(D(2), D(3), D(4), 5, 0)


def test_k_rounds_to_zero_but_is_never_counted_as_zero():
    """k (rounds to 0) is a code: with 4, 6 and k the median is 5 (of 2 figures), not 4 (of 3 with a zero)."""
    result = quartiles([D(4), D(6), "k"])
    assert (result.median, result.used, result.excluded) == (D(5), 2, 1)


def test_one_figure_and_none():
    assert quartiles([D("7.5"), "z"]) == Quartiles(D("7.5"), D("7.5"), D("7.5"), 1, 1)
    assert quartiles(["c", "u"]) == Quartiles(None, None, None, 0, 2)
    assert quartiles([]) == Quartiles(None, None, None, 0, 0)


def test_rounded_to_two_places_half_away_from_zero():
    assert rounded(D("14.255")) == D("14.26")
    assert rounded(None) is None


@pytest.mark.parametrize(
    ("raw", "figure"),
    [("21.4", D("21.4")), (" 1,204 ", D(1204)), ("35%", D(35)), (7, D(7)), (2.5, D("2.5")), ("C", "c"), ("x", "x")],
)
def test_parse_figure_reads_numbers_and_codes(raw, figure):
    assert parse_figure(raw) == figure


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("", "Enter a number"),
        (None, "Enter a number"),
        ("n/a", "not a number or a suppression code"),
        ("..", "not a number"),
        ("NaN", "Enter a number"),
        ("1e12", "too large"),
        (True, "Enter a number"),
    ],
)
def test_parse_figure_refuses_anything_else_in_words(raw, words):
    with pytest.raises(FigureError, match=words):
        parse_figure(raw)


def test_every_code_has_a_meaning():
    assert set(SUPPRESSION_CODES) == {"c", "k", "u", "x", "z"}
    assert all(SUPPRESSION_CODES.values())
