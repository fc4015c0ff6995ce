"""Doncaster's 2013 figures as the paper publishes them, and SPC's four special causes, in the seeded demo.

Each paper figure is read from the seed paper's text (tests/seed_papers.py) and compared with what the read
model and the KPI page show, and with every version of its return: demo noise, a demo correction or rounding
that changed one would fail here. ADR 0310 records which months hold which figure.
"""

import re
from datetime import date
from decimal import Decimal

import pytest

from performance import positions, spc
from performance.demo import AUGUST_2013, DONCASTER_PAPER, ILLUSTRATIVE, START_2013
from performance.models import Kpi, ReturnValue

from ..seed_papers import figures, paper

pytestmark = pytest.mark.django_db

DONCASTER = "doncaster-trust"


def doncaster_paper() -> str:
    return paper("Doncaster", "Report on Progress this Year")


def paper_figures() -> dict[tuple[str, date], int]:
    text = doncaster_paper()
    assert "Tuesday August 13 2013" in text  # the letter's date, which the demo cites
    in_progress, out_of_time, in_progress_aug, out_of_time_aug = figures(
        text,
        r"over ([\d,]+) initial assessments in progress and ([\d,]+) were out of timescale\. "
        r"On 4th August 2013, there were only ([\d,]+) in progress with only ([\d,]+) out of timescale",
    )
    cin_from, cin_to = figures(text, r"children in need cases has reduced from ([\d,]+) to ([\d,]+)")
    return {
        ("IAIP", START_2013): in_progress,
        ("IAIP", AUGUST_2013): in_progress_aug,
        ("IAOOT", START_2013): out_of_time,
        ("IAOOT", AUGUST_2013): out_of_time_aug,
        ("CIN", START_2013): cin_from,
        ("CIN", AUGUST_2013): cin_to,
    }


def test_the_paper_says_what_the_demo_cites():
    assert paper_figures() == {
        ("IAIP", START_2013): 552,
        ("IAIP", AUGUST_2013): 165,
        ("IAOOT", START_2013): 344,
        ("IAOOT", AUGUST_2013): 40,
        ("CIN", START_2013): 2510,
        ("CIN", AUGUST_2013): 1645,
    }


def test_doncaster_2013_figures_are_the_papers_in_the_read_model_and_every_version():
    kpis = {k.code: k for k in Kpi.objects.filter(delivery_body__slug=DONCASTER)}
    read = positions.read_positions(list(kpis.values()), start=START_2013, end=date(2013, 12, 1))
    for (code, period), figure in paper_figures().items():
        kpi = kpis[code]
        position = read.at(kpi, period)
        assert position.value == Decimal(figure), f"{code} {period:%B %Y}"
        assert DONCASTER_PAPER in position.commentary and ILLUSTRATIVE not in position.commentary
        assert "Proposal for a Doncaster Children's Trust" in kpi.data_source
        stored = ReturnValue.objects.filter(kpi=kpi, version__monthly_return__period=period)
        assert stored.exists() and {v.value for v in stored} == {Decimal(figure)}, "a version changed the figure"


def test_doncaster_months_the_paper_does_not_state_are_labelled_illustrative():
    paper_months = {START_2013, AUGUST_2013}
    values = ReturnValue.objects.filter(
        kpi__delivery_body__slug=DONCASTER, kpi__code__in=["IAIP", "IAOOT", "CIN"]
    ).select_related("version__monthly_return")
    assert values.count() >= 3 * 24
    for v in values:
        if v.version.monthly_return.period not in paper_months:
            assert v.commentary.startswith(ILLUSTRATIVE), (v.kpi.code, v.version.monthly_return.period)
            assert DONCASTER_PAPER not in v.commentary


def test_doncaster_caseloads_by_team_are_the_papers_on_the_page(client, demo_user):
    text = doncaster_paper()
    ranges = figures(text, r"CMARAS (\d+)-(\d+), Targeted Family Support (\d+)-(\d+) and Children in Care (\d+)-(\d+)")
    assert ranges == (16, 25, 16, 24, 10, 13)
    kpi = Kpi.objects.get(delivery_body__slug=DONCASTER, code="CL")
    commentary = ReturnValue.objects.get(kpi=kpi, version__monthly_return__period=AUGUST_2013).commentary
    expected = (
        f"CMARAS {ranges[0]}\N{EN DASH}{ranges[1]}, Targeted Family Support {ranges[2]}\N{EN DASH}{ranges[3]}, "
        f"Children in Care {ranges[4]}\N{EN DASH}{ranges[5]}"
    )
    assert expected in commentary and DONCASTER_PAPER in commentary
    client.force_login(demo_user("doncaster-officer"))
    page = client.get(kpi.get_absolute_url()).content.decode()
    assert expected in page


def test_doncaster_paper_figures_are_on_the_kpi_page(client, demo_user):
    client.force_login(demo_user("doncaster-officer"))
    for (code, period), figure in paper_figures().items():
        kpi = Kpi.objects.get(delivery_body__slug=DONCASTER, code=code)
        page = client.get(kpi.get_absolute_url()).content.decode()
        # the month's row in "Every value and version": its value cell holds the paper's figure
        row = re.search(rf">{period:%b %Y}</a>((?:(?!</tr>).)*)</tr>", page, re.DOTALL)
        assert row and f">{figure:,}</td>" in row.group(1), f"{code} {period:%B %Y}"


# --- SPC: each kind of special cause somewhere in the demo ----------------------------------------------


def demo_spc() -> dict[tuple[str, str], spc.SpcChart]:
    kpis = list(Kpi.objects.select_related("delivery_body"))
    read = positions.read_positions(kpis, start=date(2000, 1, 1), end=date(2100, 1, 1), spc=True)
    return {(k.delivery_body.slug, k.code): read.spc(k).chart for k in kpis}


def test_every_demo_kpi_with_returns_has_24_monthly_points_or_more():
    for (slug, code), chart in demo_spc().items():
        if chart.points:
            assert len(chart.points) >= 24, f"{slug} {code} has {len(chart.points)} points"


def test_each_kind_of_special_cause_shows_in_the_demo():
    won = {p.rule for chart in demo_spc().values() for p in chart.points if p.rule}
    assert won == set(spc.Rule), f"missing: {set(spc.Rule) - won}"


def test_the_special_causes_the_adr_names_are_where_it_says():
    charts = demo_spc()

    def point(code, period):
        return charts[(DONCASTER, code)].at(period)

    # A point outside the limits: the paper's 344 out of timescale at the start of 2013.
    assert (point("IAOOT", START_2013).rule, point("IAOOT", START_2013).side) == (spc.Rule.OUTSIDE_LIMITS, "high")
    # A run below the mean: initial assessments out of timescale from July 2013 (the paper's 40 in August).
    run = [date(2013, m, 1) for m in range(7, 13)] + [date(2014, 1, 1)]
    assert all(spc.Rule.SHIFT in point("IAOOT", m).rules for m in run)
    assert point("IAOOT", AUGUST_2013).rule == spc.Rule.SHIFT
    # A falling trend: children in need, 2,510 in January 2013 to 1,645 in August and on to October.
    assert all(point("CIN", date(2013, m, 1)).rule == spc.Rule.TREND for m in range(5, 9))
    assert all(spc.Rule.TREND in point("CIN", date(2013, m, 1)).rules for m in range(1, 11))
    # Two of three beyond two sigma: initial assessments in progress, February to April 2014.
    assert all(point("IAIP", date(2014, m, 1)).rule == spc.Rule.TWO_OF_THREE for m in (2, 3, 4))
