"""In a real browser with JavaScript off, on the demo data: the dashboard leads with the scorecard (a row per KPI
grouped by improvement-plan priority, each KPI's RAG and variation as the read model says), the sub-navigation
marks the dashboard, and axe finds nothing, as a scrutiny member and as a council officer. A screenshot at
1280×800 is kept at /tmp/scorecard.png to look at."""

import pytest
from playwright.sync_api import expect

from performance import scorecard
from performance.dashboard import tiles_for
from performance.models import Kpi
from tests.browser.harness import assert_accessible, login

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize("username", ["sandwell-scrutiny", "sandwell-officer"])
def test_dashboard_leads_with_the_scorecard(seeded, nojs_page, username):
    page = nojs_page
    page.set_viewport_size({"width": 1280, "height": 800})
    body = Kpi.objects.filter(delivery_body__slug="sandwell-trust").first().delivery_body
    tiles, _ = tiles_for(body, charts_on=False)
    truth = {r.kpi.code: r for g in scorecard.from_tiles(tiles) for r in g.rows}
    login(page, username)

    page.goto("/performance/?body=sandwell-trust")
    rows = page.get_by_test_id("scorecard-row")
    expect(rows).to_have_count(len(truth))
    for row in rows.all():
        expected = truth[row.get_attribute("data-kpi")]
        expect(row.get_by_test_id("scorecard-rag")).to_have_text(expected.rag_word)
        expect(row.get_by_test_id("scorecard-variation")).to_contain_text("".join(expected.variation_parts))
    current = page.get_by_test_id("performance-subnav").locator('[aria-current="page"]')
    expect(current).to_have_text("Dashboard")
    if username == "sandwell-scrutiny":
        page.screenshot(path="/tmp/scorecard.png")  # noqa: S108 - a picture to look at, nothing secret
    assert_accessible(page)
    page.get_by_role("link", name="Detail for each KPI").click()
    expect(page.get_by_test_id("kpi-tile").first).to_be_visible()
