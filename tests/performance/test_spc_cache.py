"""SPC readings cached per data version (performance.spc_cache): a warm page says what a cold one does, a trust's
new figures give it a new reading while the others come from the cache, and a past view never uses the cache."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from performance import dashboard, grid, positions, spc_cache
from performance.models import Kpi, MonthlyReturn, ReturnValue, ReturnVersion
from trustgov.organisations.models import DeliveryBody

pytestmark = pytest.mark.django_db


def readings(user):
    table = grid.read_grid(user, grid.GridQuery(), accepted_only=False)
    return {
        (r.body.slug, c.code): (c.value_label, c.variation_word, c.variation_reason)
        for r in table.rows
        for c in r.cells
    }


def spc_keys() -> list[str]:
    # the local memory cache of the tests holds keys as ":<version>:<key>"
    return [k.split(":", 2)[2] for k in cache._cache if spc_cache.PREFIX in k]  # noqa: SLF001


def test_a_warm_grid_says_what_a_cold_one_does_and_runs_no_xmr(demo_user, monkeypatch):
    dfe = demo_user("dfe-liaison")
    cold = readings(dfe)
    assert spc_keys()
    runs = []
    real = positions.spc.xmr
    monkeypatch.setattr(positions.spc, "xmr", lambda *a, **kw: runs.append(1) or real(*a, **kw))
    assert readings(dfe) == cold
    assert runs == []  # every reading from the cache


def test_a_warm_dashboard_says_what_a_cold_one_does(demo_user):
    body = DeliveryBody.objects.get(slug="sandwell-trust")
    cold, _ = dashboard.tiles_for(body, charts_on=False)
    warm, _ = dashboard.tiles_for(body, charts_on=False)
    said = [
        (t.spc.variation_text, t.spc.assurance_text, t.spc.limits_text, t.spc.recalculations, t.table) for t in cold
    ]
    assert said == [
        (t.spc.variation_text, t.spc.assurance_text, t.spc.limits_text, t.spc.recalculations, t.table) for t in warm
    ]
    assert [t.position for t in cold] == [t.position for t in warm]


def test_a_new_version_gives_its_trust_a_new_reading_and_the_others_come_from_the_cache(demo_user, monkeypatch):
    dfe = demo_user("dfe-liaison")
    before = readings(dfe)
    sandwell = DeliveryBody.objects.get(slug="sandwell-trust")
    month = grid.read_grid(dfe, grid.GridQuery(), accepted_only=False).period
    ret = MonthlyReturn.objects.get(delivery_body=sandwell, period=month)
    latest = ret.versions.order_by("-number").first()
    version = ReturnVersion(monthly_return=ret, number=latest.number + 1, created_by=dfe, submitted_at=timezone.now())
    version.save()
    for value in latest.values.all():
        ReturnValue(version=version, kpi=value.kpi, value=(value.value or Decimal(0)) * 50 + 500).save()
    computed = []
    real = positions.spc.xmr
    monkeypatch.setattr(positions.spc, "xmr", lambda *a, **kw: computed.append(1) or real(*a, **kw))
    after = readings(dfe)
    sandwell_cells = {k for k in before if k[0] == "sandwell-trust"}
    assert {k for k in before if before[k] != after[k]} <= sandwell_cells
    assert any(before[k] != after[k] for k in sandwell_cells)  # the new figures are read, not the cached ones
    received = Kpi.objects.filter(delivery_body=sandwell, values__version=version).count()
    assert 0 < len(computed) <= received  # only the trust whose data changed is computed again


def test_a_view_as_it_stood_neither_reads_nor_writes_the_cache(demo_user):
    body = DeliveryBody.objects.get(slug="sandwell-trust")
    then = timezone.now()
    dashboard.tiles_for(body, charts_on=False, as_of=then)
    assert spc_keys() == []
    dashboard.tiles_for(body, charts_on=False)
    assert spc_keys()
    # a poisoned cache would show in today's view, never in the view as it stood
    for key in spc_keys():
        chart, reasons = cache.get(key)
        cache.set(key, (chart.__class__(chart.polarity), reasons))
    past, _ = dashboard.tiles_for(body, charts_on=False, as_of=then)
    today, _ = dashboard.tiles_for(body, charts_on=False)
    assert any(t.spc.chart.points for t in past)
    assert not any(t.spc.chart.points for t in today)


def test_a_cold_read_keeps_one_whole_series_at_a_time_and_says_what_the_uncached_read_does(demo_user, monkeypatch):
    """A cold cached read streams the whole series in KPI order, computes each KPI's reading as soon as its
    figures are in, and keeps only the months a warm read keeps (from a year before the span): the same positions
    and readings as the uncached read of every figure, with at most one KPI's whole series held at a time."""
    from trustgov.core.dates import add_months

    kpis = list(Kpi.objects.order_by("pk"))
    month = MonthlyReturn.objects.filter(versions__submitted_at__isnull=False).order_by("-period").first().period
    start = add_months(month, -2)
    uncached = positions.read_positions(kpis, start=start, end=month, spc=True)
    held, longest = {}, []
    real = positions._figures_read  # noqa: SLF001

    def watched(*args, each_kpi=None, **kwargs):
        def each(kpi_id, by_month):
            longest.append(len(by_month))
            held[kpi_id] = len(by_month)
            return each_kpi(kpi_id, by_month)

        return real(*args, each_kpi=each if each_kpi else None, **kwargs)

    monkeypatch.setattr(positions, "_figures_read", watched)
    cache.clear()
    cold = positions.read_positions(kpis, start=start, end=month, spc=True, cached=True)
    assert held and max(longest) > 15  # whole series were read, one KPI at a time
    kept_from = add_months(start, -12)
    for kpi in kpis:
        assert all(m >= kept_from for m in cold._figures.get(kpi.pk, {}))  # noqa: SLF001
        for m in cold.months():
            assert cold.at(kpi, m) == uncached.at(kpi, m), (kpi.code, m)
        if uncached.figures(kpi):
            assert cold.spc(kpi).variation == uncached.spc(kpi).variation, kpi.code
            assert cold.spc(kpi).point(month) == uncached.spc(kpi).point(month), kpi.code
