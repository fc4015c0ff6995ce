"""In a real browser with JavaScript off, as Sandwell's council officer: a KPI page shows its statistical process
control (variation, assurance, limits, each month's signal in a table beside the chart), the form to
recalculate a baseline says what is missing, and the dashboard's tiles carry variation and assurance. axe on
every page. Nothing here depends on the day the demo was seeded: the words are checked against the read model."""

import re

import pytest
from playwright.sync_api import expect

from performance.models import Kpi
from performance.positions import ASSURANCE, VARIATION, read_positions
from performance.views import EARLIEST, LATEST
from tests.browser.harness import assert_accessible, login

pytestmark = [pytest.mark.browser]


def test_officer_reads_a_kpis_statistical_process_control(seeded, nojs_page):
    page = nojs_page
    kpi = Kpi.objects.get(delivery_body__slug="sandwell-trust", code="RR")
    read = read_positions([kpi], start=EARLIEST, end=LATEST, spc=True)  # what the KPI page reads
    truth = read.spc(kpi)
    login(page, "sandwell-officer")

    page.goto(f"/performance/kpis/{kpi.pk}/")
    variation = page.get_by_test_id("spc-variation")
    expect(variation).to_contain_text(VARIATION[truth.variation].word)
    expect(page.get_by_test_id("spc-assurance")).to_contain_text(ASSURANCE[truth.assurance].word)
    expect(page.get_by_test_id("spc-limits")).to_have_text(truth.limits_text)
    # the icon is decoration: hidden from assistive technology, the words say the same
    for icon in page.get_by_test_id("spc-icon").all():
        assert icon.get_attribute("aria-hidden") == "true"
    # the chart's text alternative: each month, its value and its signal, in words
    page.get_by_text("Statistical process control: each month's signal").click()
    table = page.get_by_test_id("spc-table")
    expect(table).to_be_visible()
    rows = table.locator("tbody tr")
    assert rows.count() == len(read.figures(kpi))
    last = rows.last.locator("td").all_inner_texts()
    assert last[2] == truth.signal_text(truth.chart.latest.period)
    assert_accessible(page)

    # Recalculate the baseline: the form says what is missing, nothing is saved.
    page.get_by_role("link", name=re.compile("Recalculate the baseline from a month")).click()
    expect(page.locator("h1")).to_contain_text("Recalculate the baseline")
    page.get_by_role("button", name="Recalculate the baseline").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose a new contract or a service change")
    expect(summary).to_contain_text("Say what changed from that month")
    assert_accessible(page)
    assert not kpi.baselines.exists()

    # Each tile of the dashboard says its variation and assurance.
    page.goto("/performance/?body=sandwell-trust")
    tiles = page.get_by_test_id("kpi-tile")
    expect(tiles.first.get_by_test_id("spc-variation")).to_be_visible()
    assert page.get_by_test_id("spc-assurance").count() == tiles.count()
    assert_accessible(page)
