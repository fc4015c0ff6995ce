"""In a real browser with JavaScript off, as the Sandwell officer: add a KPI to the catalogue (after a
duplicate code is refused by name), give it a target, and see both on the dashboard. axe on every page."""

import pytest
from playwright.sync_api import expect

from tests.browser.harness import assert_accessible, login

pytestmark = [pytest.mark.browser]


def test_officer_adds_a_kpi_and_a_target_and_sees_them_on_the_dashboard(seeded, nojs_page):
    from performance.models import MonthlyReturn
    from trustgov.core.dates import financial_year_start

    page = nojs_page
    latest = (
        MonthlyReturn.objects.filter(delivery_body__slug="sandwell-trust", first_submitted_at__isnull=False)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    year = financial_year_start(latest)
    login(page, "sandwell-officer")
    page.goto("/performance/catalogue/?body=sandwell-trust")
    assert_accessible(page)
    page.get_by_role("link", name="Add a KPI").click()
    assert_accessible(page)

    page.fill("#id_code", "RR")  # already in the catalogue
    page.fill("#id_title", "Early help assessments within 45 days")
    page.fill("#id_definition", "Percentage of early help assessments completed within 45 working days.")
    page.get_by_label("Percentage").check()
    page.get_by_label("Higher is better").check()
    page.fill("#id_numerator_definition", "Assessments completed within 45 days")
    page.fill("#id_denominator_definition", "Assessments completed")
    page.get_by_label("Monitoring only").check()
    page.get_by_role("button", name="Save KPI").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("already has a KPI with the code")
    assert_accessible(page)

    page.fill("#id_code", "EHA")
    page.get_by_role("button", name="Save KPI").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("KPI EHA added")
    section = page.get_by_test_id("kpi-EHA")
    expect(section).to_contain_text("Monitoring only")
    assert_accessible(page)

    section.get_by_role("link", name="Add a target for EHA").click()
    assert_accessible(page)
    page.fill("#id_financial_year", str(year))
    page.fill("#id_value", "85")
    page.fill("#id_amber_tolerance", "-1")
    page.get_by_role("button", name="Save target").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("amber tolerance must be 0 or more")
    assert_accessible(page)
    page.fill("#id_amber_tolerance", "5")
    page.get_by_role("button", name="Save target").click()
    expect(page.get_by_test_id("targets-EHA")).to_contain_text("85.00")

    page.goto("/performance/?body=sandwell-trust")
    expect(page.locator("main")).to_contain_text("Early help assessments within 45 days")
    assert_accessible(page)
