"""Statistical process control (performance/spc.py, ADR 0305): XmR charts as Making Data Count draws them.

Worked examples computed by hand, then every rule at its boundary (6 vs 7 points, exactly on a limit, 2 of 3
vs 1 of 3), the precedence, polarity, assurance, the 15-point threshold, rebaselining and gaps.
"""

import ast
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from performance import spc
from performance.spc import Assurance, Baseline, Rule, Side, Signal
from trustgov.core.dates import add_months

JAN_2024 = date(2024, 1, 1)
FOUR = D("0.0001")


def months(n: int, start: date = JAN_2024) -> list[date]:
    return [add_months(start, i) for i in range(n)]


def series(values, start: date = JAN_2024) -> list[tuple[date, D]]:
    return list(zip(months(len(values), start), [D(str(v)) for v in values], strict=True))


def signals(chart: spc.SpcChart) -> list[str]:
    return [p.signal for p in chart.points]


# A baseline drawn by hand for the rule boundaries: mean 10, mean moving range 3, so
# limits 10 ± 2.66 × 3 = 2.02 and 17.98, and two sigma 10 ± (2/3 × 2.66) × 3 = 10 ± 5.32 = 4.68 and 15.32.
HAND = Baseline(
    JAN_2024,
    15,
    mean=D("10"),
    moving_range=D("3"),
    upper_limit=D("17.98"),
    lower_limit=D("2.02"),
    upper_two_sigma=D("15.32"),
    lower_two_sigma=D("4.68"),
)


def met(values) -> list[dict]:
    return spc.rules_met([D(str(v)) for v in values], HAND)


def marked(values, rule: Rule) -> list[Side | None]:
    return [m.get(rule) for m in met(values)]


# --- worked examples ----------------------------------------------------------------------------------------


def test_worked_example_the_making_data_count_tools_keep_every_point_in_the_moving_range():
    """The series NHS-R's NHSRplotthedots publishes (vignette "Deviations from the Making Data Count Excel
    tools", screen_outliers = FALSE) to show how the Making Data Count Excel tools compute limits: every point,
    the outlier too, counts in the mean moving range.

    By hand, 18 points: 1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1
      sum = nine 1s + eight 2s + 10 = 9 + 16 + 10 = 35; mean = 35 / 18 = 1.9444
      moving ranges (17): 1, 1, 1, 8, 9, then twelve 1s; sum = 3 + 8 + 9 + 12 = 32; mMR = 32 / 17 = 1.8824
      upper limit = 1.9444 + 2.66 × 1.8824 = 1.9444 + 5.0071 = 6.9515
      lower limit = 1.9444 − 5.0071 = −3.0626
      two sigma   = 1.9444 ± (2/3 × 2.66) × 1.8824 = 1.9444 ± 3.3380 = 5.2825 and −1.3936
    Only the fifth point (10 > 6.9515) is special cause: outside the limits. No run of 7 on one side (the points
    alternate about the mean), no trend, and no other point beyond two sigma.
    """
    chart = spc.xmr(series([1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]), polarity="lower")
    b = chart.baseline
    assert b.mean == D(35) / D(18) and b.moving_range == D(32) / D(17)
    assert [x.quantize(FOUR) for x in (b.mean, b.moving_range, b.upper_limit, b.lower_limit)] == [
        D("1.9444"),
        D("1.8824"),
        D("6.9515"),
        D("-3.0626"),
    ]
    assert [x.quantize(FOUR) for x in (b.upper_two_sigma, b.lower_two_sigma)] == [D("5.2825"), D("-1.3936")]
    [special] = [p for p in chart.points if p.special]
    assert (special.period, special.value, special.rule, special.side) == (
        date(2024, 5, 1),
        D("10"),
        Rule.OUTSIDE_LIMITS,
        Side.HIGH,
    )
    assert special.signal == Signal.CONCERNING  # lower is better: a high point is concerning
    assert (
        spc.xmr(series([1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]), polarity="higher")
        .at(date(2024, 5, 1))
        .signal
        == Signal.IMPROVING
    )
    assert chart.variation == Signal.COMMON_CAUSE  # the latest point (1) is common cause
    assert chart.baseline_from == JAN_2024


def test_worked_example_a_re_referral_rate_and_its_assurance():
    """A re-referral rate (%, lower is better), 15 months, by hand:
      20, 22, 21, 23, 22, 20, 21, 22, 23, 21, 22, 20, 21, 23, 22
      sum = 323; mean = 323 / 15 = 21.5333
      moving ranges (14): 2, 1, 2, 1, 2, 1, 1, 1, 2, 1, 2, 1, 2, 1; sum = 20; mMR = 20 / 14 = 1.4286
      2.66 × 20 / 14 = 53.2 / 14 = 3.8, so limits 21.5333 ± 3.8 = 25.3333 and 17.7333
      two sigma 21.5333 ± 2.5333 = 24.0667 and 19.0000
    Every point lies between 20 and 23: common cause. A target of 22% lies between the limits (hit and miss); a
    target of 26% lies above the upper limit, on the failing side for "lower is better": the process consistently
    passes it; a target of 17% lies below the lower limit: it consistently fails it.
    """
    values = [20, 22, 21, 23, 22, 20, 21, 22, 23, 21, 22, 20, 21, 23, 22]
    chart = spc.xmr(series(values), polarity="lower", target=D("22"))
    b = chart.baseline
    assert (b.mean.quantize(FOUR), b.moving_range.quantize(FOUR)) == (D("21.5333"), D("1.4286"))
    assert (b.upper_limit.quantize(FOUR), b.lower_limit.quantize(FOUR)) == (D("25.3333"), D("17.7333"))
    assert (b.upper_two_sigma.quantize(FOUR), b.lower_two_sigma.quantize(FOUR)) == (D("24.0667"), D("19.0000"))
    assert set(signals(chart)) == {Signal.COMMON_CAUSE}
    assert chart.assurance == Assurance.HIT_AND_MISS
    assert spc.xmr(series(values), polarity="lower", target=D("26")).assurance == Assurance.PASSING
    assert spc.xmr(series(values), polarity="lower", target=D("17")).assurance == Assurance.FAILING
    assert spc.xmr(series(values), polarity="lower").assurance == Assurance.NO_TARGET


# --- each rule at its boundary ----------------------------------------------------------------------------


# 17 points, 10, 13, 10, 7 four times then 10: mean 170 / 17 = 10, every moving range 3 (the HAND baseline).
ABOUT_TEN = [10, 13, 10, 7] * 4 + [10]


def test_the_hand_baseline_is_what_baseline_of_computes():
    b = spc.baseline_of(JAN_2024, [D(v) for v in ABOUT_TEN])
    assert b.moving_range == D("3") and b.mean == D("10")
    assert (b.upper_limit, b.lower_limit) == (HAND.upper_limit, HAND.lower_limit)
    assert (b.upper_two_sigma.quantize(FOUR), b.lower_two_sigma.quantize(FOUR)) == (D("15.3200"), D("4.6800"))


def test_a_point_exactly_on_a_limit_is_inside_it():
    assert marked([17.98, 2.02], Rule.OUTSIDE_LIMITS) == [None, None]
    assert marked([17.99, 2.01], Rule.OUTSIDE_LIMITS) == [Side.HIGH, Side.LOW]


def test_two_of_three_beyond_two_sigma_on_one_side():
    assert marked([15.33, 10, 15.33], Rule.TWO_OF_THREE) == [Side.HIGH, None, Side.HIGH]
    assert marked([4.67, 4.67, 10], Rule.TWO_OF_THREE) == [Side.LOW, Side.LOW, None]
    # one of three is not enough, nor two of four with one between them either side of a window of three
    assert marked([15.33, 10, 10], Rule.TWO_OF_THREE) == [None, None, None]
    assert marked([15.33, 10, 10, 15.33], Rule.TWO_OF_THREE) == [None] * 4
    # exactly on the two-sigma line is not beyond it
    assert marked([15.32, 15.33, 10], Rule.TWO_OF_THREE) == [None, None, None]
    # two beyond two sigma on opposite sides is not the rule
    assert marked([15.33, 4.67, 10], Rule.TWO_OF_THREE) == [None, None, None]
    # the third point may lie anywhere, even beyond two sigma on the other side
    assert marked([15.33, 4.67, 15.33], Rule.TWO_OF_THREE) == [Side.HIGH, None, Side.HIGH]
    # a point beyond the process limit is beyond two sigma too
    assert marked([18.5, 16, 10], Rule.TWO_OF_THREE) == [Side.HIGH, Side.HIGH, None]


def test_a_shift_is_seven_points_on_one_side_not_six():
    assert marked([9] + [11] * 6 + [9], Rule.SHIFT) == [None] * 8
    assert marked([9] + [11] * 7 + [9], Rule.SHIFT) == [None] + [Side.HIGH] * 7 + [None]
    assert marked([9] * 7, Rule.SHIFT) == [Side.LOW] * 7
    # a point exactly on the mean is on neither side: it ends the run
    assert marked([11, 11, 11, 10, 11, 11, 11, 11], Rule.SHIFT) == [None] * 8


def test_a_trend_is_seven_points_each_higher_or_lower_than_the_last_not_six():
    rising7 = [8.5, 9, 9.5, 10.5, 11, 11.5, 12]  # crosses the mean: no shift
    assert marked(rising7, Rule.TREND) == [Side.HIGH] * 7
    assert marked(rising7[:6] + [8], Rule.TREND) == [None] * 7
    assert marked(list(reversed(rising7)), Rule.TREND) == [Side.LOW] * 7
    # a repeat is not a rise: it ends the run
    assert marked([8.5, 9, 9.5, 9.5, 10.5, 11, 11.5], Rule.TREND) == [None] * 7
    # a point where a rising trend turns into a falling one keeps the trend it ends
    peak = rising7 + [11.5, 11, 10.5, 9.5, 9, 8.5]
    assert marked(peak, Rule.TREND) == [Side.HIGH] * 7 + [Side.LOW] * 6


def test_no_rule_is_met_without_limits():
    few = Baseline(JAN_2024, 7)
    assert spc.rules_met([D(v) for v in range(7)], few) == [{}] * 7


# --- precedence: each point gets one signal ---------------------------------------------------------------


def test_outside_limits_comes_before_two_of_three_before_shift_before_trend():
    # 7 rising points above the mean, the last two beyond two sigma, the last beyond the upper limit.
    values = [10.5, 11, 12, 13, 14, 15.5, 18.5]
    found = met(values)
    assert set(found[-1]) == {Rule.OUTSIDE_LIMITS, Rule.TWO_OF_THREE, Rule.SHIFT, Rule.TREND}
    assert set(found[-2]) == {Rule.TWO_OF_THREE, Rule.SHIFT, Rule.TREND}
    assert set(found[0]) == {Rule.SHIFT, Rule.TREND}
    assert [spc.first_rule(m)[0] for m in found] == [Rule.SHIFT] * 5 + [Rule.TWO_OF_THREE, Rule.OUTSIDE_LIMITS]


def test_the_precedence_decides_the_side_too():
    # Seven falling points, all above the mean: the shift (high) wins over the trend (falling).
    found = met([13, 12.5, 12, 11.5, 11, 10.5, 10.1])
    assert [spc.first_rule(m) for m in found] == [(Rule.SHIFT, Side.HIGH)] * 7
    assert all(m[Rule.TREND] == Side.LOW for m in found)


def test_a_chart_point_says_its_rule_and_every_rule_it_met():
    values = [8.5, 11.5] * 7 + [10, 10.5, 11, 12, 13, 14, 15.5, 18.5]
    chart = spc.xmr(series(values), polarity="higher")
    last = chart.latest
    assert (last.rule, last.side, last.signal) == (Rule.OUTSIDE_LIMITS, Side.HIGH, Signal.IMPROVING)
    assert Rule.TREND in last.rules and Rule.OUTSIDE_LIMITS in last.rules


# --- polarity ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("side", "polarity", "signal"),
    [
        (Side.HIGH, "higher", Signal.IMPROVING),
        (Side.LOW, "higher", Signal.CONCERNING),
        (Side.HIGH, "lower", Signal.CONCERNING),
        (Side.LOW, "lower", Signal.IMPROVING),
    ],
)
def test_polarity_decides_improving_or_concerning(side, polarity, signal):
    assert spc.signal_of(side, polarity) == signal


def test_a_rising_trend_improves_where_higher_is_better():
    values = [10, 12] * 8 + [9, 9.5, 10, 10.5, 11, 11.5, 12.2]
    up = spc.xmr(series(values), polarity="higher")
    assert up.latest.rule == Rule.TREND and up.variation == Signal.IMPROVING and up.variation_side == Side.HIGH
    assert spc.xmr(series(values), polarity="lower").variation == Signal.CONCERNING


# --- assurance -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "polarity", "assurance"),
    [
        ("2", "higher", Assurance.PASSING),  # below the lower limit: the process always beats it
        ("18", "higher", Assurance.FAILING),  # above the upper limit: never reached
        ("10", "higher", Assurance.HIT_AND_MISS),
        ("17.98", "higher", Assurance.HIT_AND_MISS),  # exactly on a limit: between them
        ("2.02", "higher", Assurance.HIT_AND_MISS),
        ("18", "lower", Assurance.PASSING),
        ("2", "lower", Assurance.FAILING),
        ("10", "lower", Assurance.HIT_AND_MISS),
        (None, "higher", Assurance.NO_TARGET),
    ],
)
def test_assurance_from_where_the_target_lies(target, polarity, assurance):
    assert spc.assurance_of(HAND, D(target) if target else None, polarity) == assurance


def test_no_assurance_without_limits():
    assert spc.assurance_of(Baseline(JAN_2024, 14), D("10"), "higher") == Assurance.NO_LIMITS
    assert spc.assurance_of(None, D("10"), "higher") == Assurance.NO_LIMITS


# --- fifteen points -------------------------------------------------------------------------------------------


def test_fewer_than_fifteen_points_have_no_limits_and_no_signals():
    few = spc.xmr(series(ABOUT_TEN[:14]), polarity="higher", target=D("10"))
    assert few.baseline.points == 14 and not few.baseline.has_limits
    assert (few.mean, few.upper_limit, few.lower_limit) == (None, None, None)
    assert set(signals(few)) == {Signal.NO_LIMITS}
    assert (few.variation, few.assurance) == (Signal.NO_LIMITS, Assurance.NO_LIMITS)
    enough = spc.xmr(series(ABOUT_TEN[:15]), polarity="higher", target=D("10"))
    assert enough.baseline.points == 15 and enough.baseline.has_limits
    assert (enough.variation, enough.assurance) == (Signal.COMMON_CAUSE, Assurance.HIT_AND_MISS)


def test_an_empty_series_has_no_limits():
    chart = spc.xmr([], polarity="higher", target=D("1"))
    assert (chart.points, chart.variation, chart.assurance, chart.baseline_from) == (
        (),
        Signal.NO_LIMITS,
        Assurance.NO_LIMITS,
        None,
    )


# --- rebaselining ------------------------------------------------------------------------------------------


STEP = [9, 11] * 10 + [19, 21] * 8  # 20 months about 10, then 16 about 20 (from September 2025)
STEP_FROM = add_months(JAN_2024, 20)


def test_without_a_new_baseline_a_step_change_is_a_shift():
    chart = spc.xmr(series(STEP), polarity="higher")
    assert chart.baseline.mean == D(520) / D(36)
    assert [p.rules >= {Rule.SHIFT} for p in chart.points] == [True] * 36
    assert [p.side for p in chart.points] == [Side.LOW] * 20 + [Side.HIGH] * 16
    assert chart.variation == Signal.IMPROVING


def test_a_baseline_recalculated_from_a_month_has_its_own_limits():
    chart = spc.xmr(series(STEP), polarity="higher", target=D("14"), rebase_from=[STEP_FROM])
    first, second = chart.baselines
    assert (first.start, first.points, first.mean, first.moving_range, first.recalculated) == (
        JAN_2024,
        20,
        D("10"),
        D("2"),
        False,
    )
    assert (second.start, second.points, second.mean, second.recalculated) == (STEP_FROM, 16, D("20"), True)
    assert chart.recalculations == (second,)
    assert set(signals(chart)) == {Signal.COMMON_CAUSE}
    assert (chart.baseline_from, chart.mean, chart.upper_limit) == (STEP_FROM, D("20"), D("20") + D("2.66") * 2)
    assert chart.at(date(2024, 1, 1)).baseline is first and chart.at(STEP_FROM).baseline is second
    assert chart.assurance == Assurance.PASSING  # 14 lies below the new lower limit (20 - 2.66 x 2 = 14.68)
    assert spc.xmr(series(STEP), polarity="higher", target=D("14")).assurance == Assurance.HIT_AND_MISS


def test_a_new_baseline_of_fewer_than_fifteen_points_has_no_limits_yet():
    chart = spc.xmr(series(STEP[:30]), polarity="higher", rebase_from=[STEP_FROM])
    first, second = chart.baselines
    assert first.has_limits and not second.has_limits and second.points == 10
    assert [p.signal for p in chart.points[20:]] == [Signal.NO_LIMITS] * 10
    assert (chart.variation, chart.assurance) == (Signal.NO_LIMITS, Assurance.NO_LIMITS)


def test_a_rebase_month_outside_the_figures_is_ignored_and_one_in_a_gap_starts_at_the_next_figure():
    before = spc.xmr(series(STEP), polarity="higher", rebase_from=[date(2023, 1, 1), date(2030, 1, 1)])
    assert len(before.baselines) == 1
    gap = [(p, v) for p, v in series(STEP) if p != STEP_FROM]  # nothing returned for the month it starts from
    chart = spc.xmr(gap, polarity="higher", rebase_from=[STEP_FROM])
    assert [b.points for b in chart.baselines] == [20, 15]
    assert chart.baselines[1].start == STEP_FROM


# --- gaps and empty values ----------------------------------------------------------------------------------


def test_missing_months_are_skipped_not_zero():
    values = [20, 22, 21, 23, 22, 20, 21, 22, 23, 21, 22, 20, 21, 23, 22]
    with_gap = [(p, v) for i, (p, v) in enumerate(series([*values[:7], 99, *values[7:]])) if i != 7]
    assert len(with_gap) == 15 and add_months(with_gap[6][0], 2) == with_gap[7][0]
    chart = spc.xmr(with_gap, polarity="lower")
    # The moving range runs straight across the gap (22 to 22): the same mean and limits as with no gap.
    assert chart.baseline.mean == D(323) / D(15) and chart.baseline.moving_range == D(20) / D(14)


def test_an_empty_or_suppressed_figure_is_never_read_as_zero():
    values = series([20, 22, 21, 23, 22, 20, 21, 22, 23, 21, 22, 20, 21, 23, 22])
    with_none = [*values[:5], (date(2030, 1, 1), None), *values[5:]]
    chart = spc.xmr(with_none, polarity="lower")
    assert chart.at(date(2030, 1, 1)) is None and len(chart.points) == 15
    assert chart.baseline == spc.xmr(values, polarity="lower").baseline


def test_points_need_not_arrive_in_order():
    values = series([20, 22, 21, 23, 22, 20, 21, 22, 23, 21, 22, 20, 21, 23, 22])
    assert spc.xmr(reversed(values), polarity="lower") == spc.xmr(values, polarity="lower")


def test_spc_is_pure_it_imports_no_django():
    tree = ast.parse(Path(spc.__file__).read_text())
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [n for n in names if n.startswith("django")]
