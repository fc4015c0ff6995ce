"""In a real browser with JavaScript off, as Sandwell's officer (an administrator): download the template,
upload a workbook with a mistake (every problem listed by sheet and cell, nothing saved), upload it corrected,
check the preview and confirm; the done page leads to inviting users. axe on every page."""

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from onboarding.spec import SHEETS
from performance.models import Kpi, Target
from tests.browser.harness import assert_accessible, login

from .helpers import workbook_bytes

pytestmark = [pytest.mark.browser]

NEW_KPI = [
    "sandwell-trust",
    "EH1",
    "Early help assessments completed within 45 days",
    "Early help assessments completed within 45 working days of the request",
    "percentage",
    "higher",
    "monthly",
    "Early help assessments completed within 45 working days",
    "Early help assessments completed",
    "Trust performance report",
    None,
    "No",
    None,
    None,
    None,
]


def _upload(page, tmp_path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    page.goto("/onboarding/")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="Check the file").click()


def test_officer_downloads_the_template_uploads_previews_and_confirms(seeded, nojs_page, tmp_path):
    page = nojs_page
    login(page, "sandwell-officer")
    page.goto("/onboarding/")
    expect(page.locator("h1")).to_have_text("Set up from a workbook")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the onboarding template (.xlsx)").click()
    book = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()), read_only=True)  # noqa: SIM115
    assert book.sheetnames == ["Read me"] + [s.name for s in SHEETS]

    # A duplicate KPI code and a target for a KPI that does not exist: both named, nothing saved.
    bad = workbook_bytes(
        {
            "KPI catalogue": [NEW_KPI, NEW_KPI],
            "Targets": [["sandwell-trust", "EH9", "2026/27", 80, 5]],
        }
    )
    _upload(page, tmp_path, "sandwell-bad.xlsx", bad)
    expect(page.locator(".govuk-error-summary")).to_contain_text("nothing was saved")
    problems = page.get_by_test_id("onboarding-problems")
    expect(problems).to_contain_text("repeats row 2")
    expect(problems).to_contain_text("'EH9' is not a KPI of sandwell-trust")
    expect(page.get_by_role("button", name="Import the workbook")).to_have_count(0)
    assert_accessible(page)
    assert not Kpi.objects.filter(delivery_body__slug="sandwell-trust", code="EH1").exists()

    good = workbook_bytes({"KPI catalogue": [NEW_KPI], "Targets": [["sandwell-trust", "EH1", "2026/27", 80, 5]]})
    _upload(page, tmp_path, "sandwell-early-help.xlsx", good)
    counts = page.get_by_test_id("onboarding-counts")
    expect(counts.get_by_role("row", name="KPI catalogue")).to_contain_text("1")
    expect(page.locator("body")).to_contain_text("sandwell-trust EH1 Early help assessments")
    assert_accessible(page)
    assert not Kpi.objects.filter(delivery_body__slug="sandwell-trust", code="EH1").exists()

    page.get_by_role("button", name="Import the workbook").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Workbook imported")
    assert_accessible(page)
    kpi = Kpi.objects.get(delivery_body__slug="sandwell-trust", code="EH1")
    assert Target.objects.get(kpi=kpi, financial_year=2026).value == 80
    assert kpi.history.get().history_change_reason == "Onboarding import: sandwell-early-help.xlsx"

    page.get_by_role("link", name="Invite users").click()
    expect(page.locator("h1")).to_contain_text("Invite")
