"""In a real browser with JavaScript off, as the DfE liaison: from the home page to the national grid, every demo
trust shown with the stale ones flagged, the month picker, a filter and a sort (GET forms and links), the CSV
download, and a bad month named in an error summary. axe on each page. The month is asked of the data."""

import pytest
from playwright.sync_api import expect

from performance import positions
from performance.models import Kpi
from tests.browser.harness import assert_accessible, login
from trustgov.core.dates import add_months
from trustgov.organisations.models import DeliveryBody

pytestmark = [pytest.mark.browser]


def test_dfe_liaison_reads_the_national_grid_without_javascript(seeded, nojs_page):
    page = nojs_page
    latest = positions.latest_period(Kpi.objects.all())
    login(page, "dfe-liaison")
    page.goto("/")
    page.get_by_role("link", name="National grid: every trust's KPIs for a month").click()
    expect(page.locator("h1")).to_have_text(f"National grid: {latest:%B %Y}")
    rows = page.get_by_test_id("grid-row")
    expect(rows).to_have_count(DeliveryBody.objects.count())
    bradford = page.locator('[data-trust="bradford-trust"]')
    expect(bradford.get_by_test_id("stale")).to_have_text("Stale")
    expect(bradford.get_by_test_id("last-received")).to_contain_text(f"{add_months(latest, -1):%B %Y}")
    expect(bradford.get_by_test_id("grid-cell").first).to_contain_text(f"Not received for {latest:%B %Y}")
    expect(page.locator('[data-trust="sandwell-trust"]').get_by_test_id("stale")).to_have_count(0)
    assert_accessible(page)

    # Only the stale trusts, an earlier month, through the GET form.
    page.get_by_text("Filter by KPI, RAG status or returns received").click()
    page.get_by_label("Stale: last month received is before the month shown").check()
    earlier = add_months(latest, -2)
    page.get_by_label("Month", exact=True).select_option(f"{earlier:%Y-%m}")
    page.get_by_role("button", name="Show the grid").click()
    expect(page.locator("h1")).to_have_text(f"National grid: {earlier:%B %Y}")
    expect(page.locator('[data-trust="doncaster-trust"]')).to_have_count(1)
    expect(page.locator('[data-trust="sandwell-trust"]')).to_have_count(0)
    assert_accessible(page)

    # Sort by a KPI's value with a link; the download keeps the month, filter and order.
    page.goto(f"/performance/national-grid/?period={latest:%Y-%m}")
    page.get_by_role("link", name="value of Re-referral rate").click()
    assert "sort=value" in page.url and "sort_kpi=RR" in page.url
    expect(page.locator('th[aria-sort="ascending"]')).to_contain_text("Re-referral rate")
    csv_link = page.get_by_role("link", name="CSV")
    href = csv_link.get_attribute("href")
    assert "format=csv" in href and "sort_kpi=RR" in href
    assert_accessible(page)

    # A bad month is named.
    page.goto("/performance/national-grid/?period=2026-13")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Month (period): Enter the month as YYYY-MM")
    assert_accessible(page)


def test_dfe_liaison_pages_through_the_grid_without_javascript(seeded, nojs_page, monkeypatch):
    """Pages of trusts (three to a page here, the demo has fewer than a real page's 25): the next page shows the
    next trusts in the order chosen, the sort is kept across pages, and axe passes on a page with the pagination."""
    from performance import grid

    monkeypatch.setattr(grid, "PAGE_SIZE", 3)
    page = nojs_page
    login(page, "dfe-liaison")
    page.goto("/performance/national-grid/?sort=trust&order=desc")
    bodies = sorted(DeliveryBody.objects.values_list("name", "pk", "slug"), key=lambda b: (b[0].casefold(), b[1]))
    names = [slug for *_, slug in bodies][::-1]
    rows = page.get_by_test_id("grid-row")
    expect(rows).to_have_count(3)
    assert [rows.nth(i).get_attribute("data-trust") for i in range(3)] == names[:3]
    pagination = page.get_by_role("navigation", name="Pages of the grid")
    expect(pagination.locator('[aria-current="page"]')).to_have_text("1")
    assert_accessible(page)
    pagination.get_by_role("link", name="Next page").click()
    assert "page=2" in page.url and "order=desc" in page.url
    expect(page.get_by_test_id("grid-row").first).to_have_attribute("data-trust", names[3])
    expect(page.locator("caption")).to_contain_text(f"trusts 4 to {min(6, len(names))} of {len(names)}")
    expect(page.get_by_test_id("grid-downloads")).to_contain_text("this page's")
    assert_accessible(page)
    page.get_by_role("link", name="Previous page").click()
    expect(page.get_by_test_id("grid-row").first).to_have_attribute("data-trust", names[0])
