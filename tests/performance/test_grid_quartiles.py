"""A trust's quartile among the trusts on the national grid (calculations.quartiles), worked by hand.

quartile = 1 + floor(4 × (trusts strictly better) / (trusts with a figure)); Q1 is the best quarter.
"""

from decimal import Decimal as D

from performance import calculations as c


def test_eight_trusts_two_to_a_quarter_higher_is_better():
    values = {n: D(v) for n, v in zip("abcdefgh", ["90", "80", "70", "60", "50", "40", "30", "20"], strict=True)}
    # a: 0 better -> 1 + 0 = Q1; b: 1 better -> 1 + 4//8 = Q1; c: 2 -> 1 + 8//8 = Q2; d: 3 -> 1 + 12//8 = Q2;
    # e: 4 -> Q3; f: 5 -> 1 + 20//8 = Q3; g: 6 -> Q4; h: 7 -> 1 + 28//8 = Q4
    assert c.quartiles(values, c.HIGHER) == {"a": 1, "b": 1, "c": 2, "d": 2, "e": 3, "f": 3, "g": 4, "h": 4}


def test_lower_is_better_turns_the_order_round():
    values = {"a": D("10"), "b": D("20"), "c": D("30"), "d": D("40")}
    assert c.quartiles(values, c.LOWER) == {"a": 1, "b": 2, "c": 3, "d": 4}
    assert c.quartiles(values, c.HIGHER) == {"a": 4, "b": 3, "c": 2, "d": 1}


def test_ties_share_the_better_quartile():
    # 5 trusts, higher is better: 50 (0 better: Q1), 40 and 40 (1 better each: 1 + 4//5 = Q1),
    # 30 (3 better: 1 + 12//5 = Q3), 20 (4 better: 1 + 16//5 = Q4)
    values = {"a": D("50"), "b": D("40"), "c": D("40.00"), "d": D("30"), "e": D("20")}
    assert c.quartiles(values, c.HIGHER) == {"a": 1, "b": 1, "c": 1, "d": 3, "e": 4}
    # every trust the same: nobody did better, all in Q1
    assert c.quartiles({"a": D("7"), "b": D("7"), "c": D("7")}, c.LOWER) == {"a": 1, "b": 1, "c": 1}


def test_fewer_than_four_trusts():
    # 3 trusts: 0 better -> Q1; 1 better -> 1 + 4//3 = Q2; 2 better -> 1 + 8//3 = Q3 (no Q4 with three)
    assert c.quartiles({"a": D("1"), "b": D("2"), "c": D("3")}, c.LOWER) == {"a": 1, "b": 2, "c": 3}
    # 2 trusts: the better in Q1, the other has half the trusts better: 1 + 4//2 = Q3
    assert c.quartiles({"a": D("1"), "b": D("2")}, c.HIGHER) == {"a": 3, "b": 1}
    # 1 trust: nothing to rank it against
    assert c.quartiles({"a": D("1")}, c.HIGHER) == {"a": None}
    assert c.quartiles({}, c.HIGHER) == {}


def test_a_trust_without_a_figure_has_no_quartile_and_is_not_counted():
    values = {"a": D("10"), "b": None, "c": D("30"), "d": D("20"), "e": D("40")}
    # 4 with figures, lower is better: a Q1, d Q2, c Q3, e Q4; b none
    assert c.quartiles(values, c.LOWER) == {"a": 1, "b": None, "c": 3, "d": 2, "e": 4}
