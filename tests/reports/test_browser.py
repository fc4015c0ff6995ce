"""An officer starts a report, writes it, previews it, generates the PDF and downloads it, in Chromium with axe."""

import io
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.harness import assert_accessible, login

pytestmark = [pytest.mark.browser]


def fill_date(page: Page, field: str, day: date) -> None:
    page.fill(f"#id_{field}_0", str(day.day))
    page.fill(f"#id_{field}_1", str(day.month))
    page.fill(f"#id_{field}_2", str(day.year))


def test_officer_creates_a_draft_generates_and_downloads(seeded, page: Page):
    login(page, "sandwell-officer")
    page.goto("/reports/")
    assert_accessible(page)
    page.get_by_role("link", name="Start a report").click()
    assert_accessible(page)
    page.get_by_label("Scrutiny report").check()
    page.get_by_label("Trust").select_option(label="Sandwell Children's Trust")
    fill_date(page, "period_start", date(2018, 4, 1))
    fill_date(page, "period_end", date(2018, 9, 30))
    fill_date(page, "meeting_date", date(2018, 9, 24))
    page.get_by_label("Subject").fill("Sandwell Children's Trust: first six months")
    page.get_by_role("button", name="Start the draft").click()

    expect(page.locator("h1")).to_have_text("Edit the report")
    assert_accessible(page)
    # Generating without the required narrative is refused with a clear message.
    page.get_by_role("button", name="Save and generate the PDF").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the 'Purpose of the report' section")
    assert_accessible(page)
    page.get_by_label("Purpose of the report").fill(
        "To update the Scrutiny Board on the first six months of the Trust.\n\nTrust representatives attend."
    )
    page.get_by_label("The current position").fill("Contract governance arrangements are in place.")
    page.get_by_role("button", name="Save draft").click()

    expect(page.locator("h1")).to_have_text("Sandwell Children's Trust: first six months")
    assert "Appendix 1 – Key performance indicators" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Preview the report (HTML)").click()
    expect(page.locator("h1")).to_have_text("Report to Scrutiny")
    assert "1.2 Trust representatives attend." in " ".join(page.locator("main").inner_text().split())
    assert_accessible(page)
    page.get_by_role("link", name="Back to the draft").click()

    page.get_by_role("button", name="Generate the PDF").click()
    expect(page.locator("h1")).to_contain_text("version 1")
    expect(page.locator("main")).to_contain_text("Ready")
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the PDF").click()
    data = open(info.value.path(), "rb").read()  # noqa: SIM115
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Report to Scrutiny" in text and "1.1 To update the Scrutiny Board" in text
    assert "OFFICIAL" in text and f"Page 1 of {len(reader.pages)}" in text
