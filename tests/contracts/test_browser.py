"""A reserved-matter request walked in the browser: trust executive → council decision → DfE consent."""

from datetime import timedelta

import pytest
from django.utils import timezone

from contracts.models import ReservedMatterRequest
from tests.browser.harness import assert_accessible, login

pytestmark = [pytest.mark.browser]


def _fill_date(page, name, day):
    page.fill(f"#id_{name}_0", str(day.day))
    page.fill(f"#id_{name}_1", str(day.month))
    page.fill(f"#id_{name}_2", str(day.year))


def _sign_out(page):
    page.context.clear_cookies()


def test_reserved_matter_request_from_trust_to_dfe_consent(seeded, page):
    today = timezone.localdate()
    # The trust executive raises the request.
    login(page, "sandwell-trust-exec")
    page.goto("/contracts/requests/")
    assert_accessible(page)
    page.click("text=Ask for a decision")
    assert_accessible(page)
    page.select_option("#id_reserved_matter", label="Appointment of the Chief Executive (Sandwell Children's Trust)")
    page.fill("#id_title", "Appoint the permanent Chief Executive")
    page.fill("#id_details", "The Board recommends appointing the interim Chief Executive permanently.")
    _fill_date(page, "decision_due", today + timedelta(days=30))
    page.click("button:has-text('Raise request')")
    page.wait_for_url("**/contracts/requests/*/")
    assert "Awaiting council decision" in page.locator("[data-testid=request-status]").inner_text()
    assert_accessible(page)
    request_url = page.url
    request = ReservedMatterRequest.objects.get(title="Appoint the permanent Chief Executive")
    assert request.raised_by.username == "sandwell-trust-exec" and request.needs_dfe_consent

    # The council officer records the Lead Member's decision.
    _sign_out(page)
    login(page, "sandwell-officer")
    page.goto(request_url)
    page.click("text=Record the council's decision")
    assert_accessible(page)
    page.check("#id_decision_1")  # Approved
    _fill_date(page, "decided_on", today)
    page.fill("#id_decision_reference", "Lead Member decision LM/2026/31")
    page.fill("#id_decision_url", "https://www.sandwell.gov.uk/decisions/lm-2026-31")
    page.click("button:has-text('Record the council')")
    page.wait_for_url(request_url)
    assert "Awaiting DfE consent" in page.locator("[data-testid=request-status]").inner_text()
    assert page.locator("a:has-text('Lead Member decision LM/2026/31')").count() == 1
    assert_accessible(page)

    # The DfE liaison sees it on their home page and records consent.
    _sign_out(page)
    login(page, "dfe-liaison")
    page.goto("/")
    page.click("text=Reserved matter: Appoint the permanent Chief Executive")
    page.click("text=Record the DfE's decision")
    assert_accessible(page)
    page.check("#id_decision_1")  # consents
    _fill_date(page, "decided_on", today)
    page.fill("#id_reference", "DfE/CSC/2026/118")
    page.click("button:has-text('Record the DfE')")
    page.wait_for_url(request_url)
    assert "Approved" in page.locator("[data-testid=request-status]").inner_text()
    assert_accessible(page)
    request.refresh_from_db()
    assert request.status == ReservedMatterRequest.Status.APPROVED
    assert request.dfe_decided_by.username == "dfe-liaison"


def test_contract_form_errors_without_javascript(seeded, nojs_page):
    page = nojs_page
    login(page, "sandwell-officer")
    page.goto("/contracts/new/")
    page.fill("#id_title", "Test contract")
    page.fill("#id_reference", "NOJS-1")
    _fill_date(page, "start_date", timezone.localdate())
    _fill_date(page, "end_date", timezone.localdate() - timedelta(days=400))
    page.click("button:has-text('Save')")
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "The expiry date must be after the start" in summary
    assert_accessible(page)


def test_contract_past_its_end_date_prompts_the_officer_to_record_what_happens_next(seeded, page):
    """As the council officer: a contract whose end date has passed says so and asks what happens next."""
    from contracts.models import Contract
    from tests.contracts.factories import ContractFactory
    from trustgov.organisations.models import DeliveryBody

    today = timezone.localdate()  # the end date is asked of the data: yesterday, whatever today is
    contract = ContractFactory(
        delivery_body=DeliveryBody.objects.get(slug="sandwell-trust"),
        reference="SMBC-CLOCK-1",
        title="Sandwell support contract (test)",
        start_date=today - timedelta(days=800),
        end_date=today - timedelta(days=1),
        break_clause_date=None,
        break_notice_months=None,
        annual_review_date=None,
    )
    login(page, "sandwell-officer")
    page.goto(f"/contracts/{contract.pk}/")
    assert page.locator("[data-testid=contract-clock]").inner_text() == "Past its end date"
    assert "still recorded as live" in page.locator("[data-testid=end-of-term-prompt]").inner_text()
    assert_accessible(page)
    page.click("a:has-text('Record what happens next')")
    assert_accessible(page)
    page.check("input[name=outcome][value=extension]")
    _fill_date(page, "decided_on", today)
    page.fill("#id_decision_reference", "Cabinet minute 44/2026")
    page.click("button:has-text('Record what happens next')")
    assert "Enter the reason for the decision" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.fill("#id_reason", "The Cabinet extended the contract by a year.")
    page.click("button:has-text('Record what happens next')")
    assert "Enter the new end date" in page.locator(".govuk-error-summary").inner_text()
    contract.refresh_from_db()
    assert contract.end_of_term_decisions.count() == 0 and contract.end_date == today - timedelta(days=1)
    _fill_date(page, "new_end_date", today + timedelta(days=365))
    page.click("button:has-text('Record what happens next')")
    page.wait_for_url(f"**/contracts/{contract.pk}/#end-of-term")
    assert page.locator("[data-testid=end-of-term-prompt]").count() == 0
    assert "Cabinet minute 44/2026" in page.locator("[data-testid=end-of-term-decisions]").inner_text()
    assert_accessible(page)
    contract.refresh_from_db()
    assert contract.end_date == today + timedelta(days=365) and contract.status == Contract.Status.LIVE
