"""The dashboard at scale (issue 14): a trust with 100 KPIs gets a page of at most 300 KB in the same queries as a
trust with 10; its sparklines are drawn by hand (no pygal), its detail tiles come a page at a time and the
scorecard lists every KPI. The months are fixed here, not today's."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from performance import dashboard
from tests.conftest import build_tenant

from .factories import bulk_series

pytestmark = pytest.mark.django_db

END = date(2026, 9, 1)
LIMIT = 300 * 1024


def _dashboard(client, tenant, params=None):
    client.force_login(tenant.officer)
    with CaptureQueriesContext(connection) as counted:
        response = client.get("/performance/", {"body": tenant.body.slug, **(params or {})})
    return response, len(counted)


def test_a_dashboard_of_100_kpis_is_at_most_300_kb_in_the_queries_of_10(client):
    small, large = build_tenant("tenkpi"), build_tenant("hundredkpi")
    bulk_series(small.body, small.trust_exec, kpis=10, months=24, end=END)
    bulk_series(large.body, large.trust_exec, kpis=100, months=24, end=END)
    _dashboard(client, small)  # the session's one-off reads out of the count
    ten, ten_queries = _dashboard(client, small)
    hundred, hundred_queries = _dashboard(client, large)
    assert ten.status_code == hundred.status_code == 200
    assert hundred_queries == ten_queries
    assert len(hundred.content) <= LIMIT, len(hundred.content)
    page = hundred.content.decode()
    assert page.count('data-testid="scorecard-row"') == 100  # every KPI in the scorecard
    assert page.count('data-testid="kpi-tile"') == dashboard.TILES_A_PAGE
    # Each tile keeps its chart, named for assistive technology, and its table of figures; no pygal script.
    assert page.count('data-testid="sparkline"') == dashboard.TILES_A_PAGE
    assert page.count("last 13 months</caption>") == dashboard.TILES_A_PAGE
    assert "<script" not in page.split('id="kpi-detail"')[1].split("</main>")[0]
    assert 'aria-label="Bulk indicator 0: last 13 months"' in page


def test_the_next_page_of_tiles_and_a_bad_page_named(client):
    tenant = build_tenant("pagedkpi")
    bulk_series(tenant.body, tenant.trust_exec, kpis=30, months=24, end=END)
    first, _ = _dashboard(client, tenant)
    assert [t.kpi.code for t in first.context["tiles"]] == [f"B{n:03d}" for n in range(12)]
    page = first.content.decode()
    assert 'data-testid="tile-pagination"' in page and "Showing KPIs 1 to 12 of 30 (page 1 of 3)" in page
    second, _ = _dashboard(client, tenant, {"page": "2"})
    assert [t.kpi.code for t in second.context["tiles"]] == [f"B{n:03d}" for n in range(12, 24)]
    assert f'href="/performance/?body={tenant.body.slug}&amp;page=3#kpi-detail"' in second.content.decode()
    for bad, words in (("4", "There is no page 4: the detail has 3 pages"), ("x", dashboard.PAGE_MESSAGE)):
        response, _ = _dashboard(client, tenant, {"page": bad})
        assert response.status_code == 400
        assert f"Page (page): {words}" in response.content.decode()


@pytest.mark.browser
def test_an_officer_pages_through_the_kpi_detail_without_javascript(seeded, nojs_page):
    from playwright.sync_api import expect

    from tests.browser.harness import assert_accessible, login
    from tests.factories import TEST_PASSWORD

    tenant = build_tenant("browsekpi")
    bulk_series(tenant.body, tenant.trust_exec, kpis=30, months=24, end=END)
    page = nojs_page
    login(page, tenant.officer.username, TEST_PASSWORD)
    page.goto(f"/performance/?body={tenant.body.slug}")
    expect(page.get_by_test_id("kpi-tile")).to_have_count(dashboard.TILES_A_PAGE)
    expect(page.get_by_test_id("scorecard-row")).to_have_count(30)
    expect(page.get_by_test_id("kpi-tile").first.locator("svg[role=img]")).to_have_count(1)
    assert_accessible(page)
    page.get_by_role("navigation", name="Pages of the KPI detail").get_by_role("link", name="Page 3").click()
    expect(page.get_by_test_id("kpi-tile")).to_have_count(30 - 2 * dashboard.TILES_A_PAGE)
    expect(page.get_by_test_id("kpi-tile").first).to_contain_text("Bulk indicator 24")
    assert_accessible(page)
