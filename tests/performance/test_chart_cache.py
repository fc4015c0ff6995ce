"""A chart is drawn once for the same figures: the drawing is kept under a digest of what it is drawn from, so a
new figure is a new drawing and equal charts on one page still get ids of their own."""

import re

import pytest
from django.core.cache import cache
from pygal.graph.public import PublicApi

from performance import charts

ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
ARGS = {"labels": ["Jan 2026", "Feb 2026", "Mar 2026"], "values": [20, 21, 22], "title": "Re-referrals"}


@pytest.fixture
def renders(monkeypatch):
    cache.clear()
    count = {"n": 0}
    render = PublicApi.render  # every pygal chart's render

    def counted(self, *args, **kwargs):
        count["n"] += 1
        return render(self, *args, **kwargs)

    monkeypatch.setattr(PublicApi, "render", counted)
    yield count
    cache.clear()


def test_the_same_figures_are_drawn_once_and_each_use_gets_its_own_chart_id(renders):
    first = charts.series_chart(**ARGS, target=[21, 21, 21])
    second = charts.series_chart(**ARGS, target=[21, 21, 21])
    assert renders["n"] == 1
    assert ID.sub("id", first) == ID.sub("id", second)
    # pygal's inline style selects on the chart's id: each copy carries its own, used consistently within it.
    ids_first, ids_second = set(ID.findall(first)), set(ID.findall(second))
    assert len(ids_first) == 1 and len(ids_second) == 1 and ids_first != ids_second
    assert 'role="img"' in second and "Re-referrals" in second


def test_a_changed_figure_target_or_title_is_a_new_drawing(renders):
    base = charts.series_chart(**ARGS)
    changed_value = charts.series_chart(**{**ARGS, "values": [20, 21, 23]})
    changed_target = charts.series_chart(**ARGS, target=[19, 19, 19])
    changed_title = charts.series_chart(**{**ARGS, "title": "Re-referrals within 12 months"})
    assert renders["n"] == 4
    drawings = {ID.sub("id", svg) for svg in (base, changed_value, changed_target, changed_title)}
    assert len(drawings) == 4
    assert "Re-referrals within 12 months" in changed_title


def test_report_and_comparison_charts_are_kept_too(renders):
    charts.comparison_chart(labels=["A", "B"], values=[20, 30], title="RR")
    charts.comparison_chart(labels=["A", "B"], values=[20, 30], title="RR")
    charts.report_chart(labels=["Jan", "Feb"], values=[1, 2], label="RR")
    charts.report_chart(labels=["Jan", "Feb"], values=[1, 2], label="RR")
    assert renders["n"] == 2
