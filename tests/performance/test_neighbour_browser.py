"""In a real browser with JavaScript off, as Sandwell's council officer: the council's statistical neighbours (the
demo's illustrative list), a correction refused naming the neighbour, the KPI page's neighbours median with a
suppressed figure shown as its code and meaning, the benchmark form naming a bad row, and the tile's medians.
axe on every page."""

import re

import pytest
from playwright.sync_api import expect

from performance.models import Kpi, StatisticalNeighbourList
from tests.browser.harness import assert_accessible, login

pytestmark = [pytest.mark.browser]


def test_officer_keeps_neighbours_and_reads_medians_and_suppressed_figures(seeded, nojs_page):
    page = nojs_page
    kpi = Kpi.objects.get(delivery_body__slug="sandwell-trust", code="RR")
    listed = StatisticalNeighbourList.objects.get(council__slug="sandwell", year="2024")
    login(page, "sandwell-officer")

    page.goto("/performance/neighbours/")
    table = page.get_by_test_id("neighbour-list")
    expect(table.locator("tbody tr")).to_have_count(10)
    expect(table.locator("tbody tr").first).to_contain_text(listed.neighbours[0]["name"])
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("Correct this list")).click()
    box = page.get_by_label("The 10 nearest statistical neighbours, nearest first")
    box.fill(box.input_value() + "\n350, Bury")
    page.get_by_role("button", name="Save statistical neighbours").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter exactly 10 neighbours")
    assert_accessible(page)
    listed.refresh_from_db()
    assert len(listed.neighbours) == 10

    page.goto(f"/performance/kpis/{kpi.pk}/")
    expect(page.get_by_test_id("comparators")).to_contain_text("Statistical neighbours")
    page.get_by_text(re.compile("Statistical neighbours 2023-24: each authority's figure")).click()
    figures = page.get_by_test_id("comparator-figures-statistical_neighbours")
    expect(figures.locator("abbr", has_text="c")).to_have_attribute("title", "confidential: a small number, withheld")
    expect(figures).to_contain_text("confidential: a small number, withheld")
    assert_accessible(page)

    page.goto(f"/performance/catalogue/kpis/{kpi.pk}/benchmarks/new/")
    page.get_by_role("radio", name="Statistical neighbours").check()
    page.get_by_label("Year").fill("2022-23")
    page.get_by_label("Source").fill("LAIT")
    page.get_by_label(re.compile("each authority's figure")).fill("336, 21.8\n335, none")
    page.get_by_role("button", name="Save benchmark").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Row 2: “none” is not a number or a suppression code")
    assert_accessible(page)

    page.goto("/performance/?body=sandwell-trust")
    expect(page.get_by_test_id("comparator-statistical_neighbours").first).to_contain_text("Median")
    assert_accessible(page)
