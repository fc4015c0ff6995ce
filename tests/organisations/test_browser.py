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


def test_lead_council_administrator_adds_and_ends_an_owning_council(seeded, page):
    """West Northamptonshire leads Northamptonshire Children's Trust: its administrator adds Torbay as an owner,
    meets the errors first, then ends North Northamptonshire's ownership; every page passes axe."""
    from trustgov.organisations.models import Ownership

    login(page, "west-northamptonshire-officer")
    page.goto("/organisations/delivery-bodies/northamptonshire-trust/")
    owners = page.locator("[data-testid=owners]").inner_text()
    assert "West Northamptonshire Council (lead)" in owners and "North Northamptonshire Council" in owners
    assert_accessible(page)

    page.click("a:has-text('Add an owning council')")
    assert_accessible(page)
    page.click("button:has-text('Add the owning council')")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Choose the council that becomes an owner" in summary and "Enter why the ownership changes" in summary
    assert_accessible(page)
    assert not Ownership.objects.filter(council__slug="torbay", delivery_body__slug="northamptonshire-trust").exists()
    page.select_option("#id_council", label="Torbay Council")
    page.fill("#id_since_0", "1")
    page.fill("#id_since_1", "4")
    page.fill("#id_since_2", "2025")
    page.fill("#id_reason", "Joint committee decision: Torbay joins as an owner")
    page.click("button:has-text('Add the owning council')")
    page.wait_for_url("**/organisations/delivery-bodies/northamptonshire-trust/")
    assert "Torbay Council" in page.locator("[data-testid=owners]").inner_text()
    assert_accessible(page)
    added = Ownership.objects.get(council__slug="torbay", delivery_body__slug="northamptonshire-trust")
    record = added.history.latest()
    assert record.history_user.username == "west-northamptonshire-officer"
    assert record.history_change_reason == "Joint committee decision: Torbay joins as an owner"

    page.click("a:has-text('End ownership of North Northamptonshire Council')")
    assert_accessible(page)
    page.click("button:has-text('End the ownership')")
    assert "Enter the last day as an owner" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.fill("#id_until_0", "31")
    page.fill("#id_until_1", "3")
    page.fill("#id_until_2", "2025")
    page.fill("#id_reason", "North Northamptonshire's share transferred")
    page.click("button:has-text('End the ownership')")
    page.wait_for_url("**/organisations/delivery-bodies/northamptonshire-trust/")
    assert "North Northamptonshire Council" not in page.locator("[data-testid=owners]").inner_text()
    assert "until 31 March 2025" in page.locator("[data-testid=former-owners]").inner_text()
    assert_accessible(page)
