"""The office holders page, walked in the browser as the council officer who keeps it."""

import pytest
from django.utils import timezone

from tests.browser.harness import assert_accessible, login
from trustgov.organisations.models import OfficeHolding

pytestmark = [pytest.mark.browser]


def test_officer_sees_the_papers_office_holders_and_records_a_new_one(seeded, page):
    today = timezone.localdate()
    login(page, "sandwell-officer")
    page.goto("/organisations/")
    page.click("a:has-text('Office holders')")
    council = page.locator("[data-testid=offices-sandwell]").inner_text()
    assert "Lesley Hagger, Executive Director of Children's Services" in council
    assert "Councillor Simon Hackett, Cabinet Member for Children's Services" in council
    assert "Rt Hon Jacqui Smith" in page.locator("[data-testid=offices-sandwell-trust]").inner_text()
    assert "torbay" not in page.content().lower()
    assert_accessible(page)

    page.click("a:has-text('Record who holds an office')")
    assert_accessible(page)
    page.check("input[name=office][value=monitoring_officer]")
    page.click("button:has-text('Record the office holder')")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Enter the name of the office holder" in summary and "Enter the date they hold the office from" in summary
    assert_accessible(page)
    assert not OfficeHolding.objects.filter(office="monitoring_officer", council__slug="sandwell").exists()
    page.fill("#id_holder_name", "Test Monitoring Officer")
    page.fill("#id_start_date_0", str(today.day))
    page.fill("#id_start_date_1", str(today.month))
    page.fill("#id_start_date_2", str(today.year))
    page.click("button:has-text('Record the office holder')")
    page.wait_for_url("**/organisations/offices/")
    assert "Test Monitoring Officer" in page.locator("[data-testid=offices-sandwell]").inner_text()
    assert_accessible(page)
