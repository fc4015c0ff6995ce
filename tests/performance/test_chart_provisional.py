"""Figures the council has not accepted are marked in the charts too, not only in the tables beside them: a
dashed orange "Provisional (not yet accepted)" series with its own legend entry, and the chart's label says how
many months are provisional."""

import re

import pytest

from performance import charts
from trustgov.accounts.models import User

pytestmark = pytest.mark.django_db


def label(svg: str) -> str:
    return re.search(r'aria-label="([^"]*)"', svg)[1]


def test_a_sparkline_marks_its_provisional_months():
    marked = charts.sparkline([20, 21, 22, 23], label="Re-referral rate", provisional=[False, False, True, True])
    assert label(marked) == "Re-referral rate (2 months provisional: not yet accepted)"
    plain = charts.sparkline([20, 21, 22, 23], label="Re-referral rate", provisional=[False] * 4)
    assert label(plain) == "Re-referral rate" and plain.count("<path") < marked.count("<path")


def test_the_kpi_chart_has_a_provisional_series_in_its_legend_only_when_there_is_one():
    args = {"labels": ["Sep", "Oct", "Nov"], "values": [20, 21, 22], "title": "RR"}
    marked = charts.series_chart(**args, provisional=[False, False, True])
    assert charts.PROVISIONAL in marked and "1 month provisional" in label(marked)
    assert charts.PROVISIONAL not in charts.series_chart(**args, provisional=[False] * 3)


def test_the_comparison_marks_a_trusts_provisional_bar():
    marked = charts.comparison_chart(labels=["A", "B"], values=[20, 30], title="RR", provisional=[False, True])
    assert charts.PROVISIONAL in marked and "provisional" in label(marked)
    assert charts.PROVISIONAL not in charts.comparison_chart(labels=["A", "B"], values=[20, 30], title="RR")


def test_the_demo_dashboard_marks_provisional_months_in_its_sparklines(client):
    client.force_login(User.objects.get(username="sandwell-scrutiny"))
    response = client.get("/performance/")
    tiles = response.context["tiles"]
    page = response.content.decode()
    provisional = [t for t in tiles if any(p.provisional for p in t.series)]
    assert provisional, "the demo has figures not yet accepted"
    for tile in provisional:
        count = sum(1 for p in tile.series if p.provisional)
        assert f"{tile.position.kpi.title}: last 13 months ({count} month" in page.replace("&#x27;", "'")
    # Set to accepted figures only, no chart marks a provisional month (there are none to show).
    toggle = re.search(r'href="([^"]+)">Show accepted figures only', page)[1].replace("&amp;", "&")
    accepted = client.get(toggle)
    assert accepted.context["accepted_only"]
    assert "provisional: not yet accepted" not in accepted.content.decode()


def test_scrutinys_returns_list_has_no_open_queries_column_it_could_not_fill(client):
    client.force_login(User.objects.get(username="sandwell-scrutiny"))
    assert "Open queries" not in client.get("/performance/returns/").content.decode()
    client.force_login(User.objects.get(username="sandwell-officer"))
    assert "Open queries" in client.get("/performance/returns/").content.decode()
