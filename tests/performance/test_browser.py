"""In a real browser: a trust executive uploads a spreadsheet, fixes a rejected cell and submits;
an officer queries and accepts; a scrutiny member reads the dashboard. axe on every page."""

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.browser.harness import assert_accessible, login

pytestmark = [pytest.mark.browser]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# numerator, denominator per Sandwell KPI: all on target
GOOD = {
    "RR": (40, 200),
    "AS45": (180, 200),
    "CPP2": (30, 200),
    "PS3": (30, 200),
    "PSL": (160, 200),
    "CL": (300, 25),
    "AGY": (20, 200),
}


def filled(template: bytes, bad_cell: str | None = None) -> bytes:
    wb = load_workbook(io.BytesIO(template))
    ws = wb.active
    row = 5
    while ws[f"A{row}"].value:
        num, den = GOOD[ws[f"A{row}"].value]
        ws[f"D{row}"], ws[f"E{row}"] = num, den
        row += 1
    if bad_cell:
        ws[bad_cell] = "forty"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(page: Page, data: bytes) -> None:
    page.set_input_files("#id_file", files=[{"name": "return.xlsx", "mimeType": XLSX, "buffer": data}])
    page.get_by_role("button", name="Upload").click()


def test_trust_uploads_fixes_a_cell_and_submits_then_officer_queries_and_accepts(seeded, page):
    from performance.models import MonthlyReturn

    login(page, "sandwell-trust-exec")
    page.goto("/performance/returns/upload/")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.locator("a", has_text="Excel").first.click()
    template = open(download_info.value.path(), "rb").read()  # noqa: SIM115
    period = load_workbook(io.BytesIO(template)).active["B2"].value  # the latest month: not yet returned
    year, month = (int(p) for p in period.split("-"))
    this_month = MonthlyReturn.objects.filter(
        delivery_body__slug="sandwell-trust", period__year=year, period__month=month
    )
    assert not this_month.exists()

    # a rejected cell: the page names it, and nothing is saved
    upload(page, filled(template, bad_cell="D6"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("D6: enter a number")
    expect(page.get_by_test_id("upload-problems")).to_contain_text("D6")
    assert_accessible(page)
    assert not this_month.exists()

    # the fixed file is saved as a draft, which the trust executive signs off and submits
    upload(page, filled(template))
    expect(page.locator("h1")).to_contain_text("Monthly return for")
    expect(page.get_by_test_id("return-status")).to_contain_text("Draft")
    return_url = page.url
    page.get_by_role("button", name="Submit return").click()  # without the sign-off: refused
    expect(page.locator(".govuk-error-summary")).to_contain_text("Confirm that you sign off the figures")
    page.get_by_label("I confirm these figures are signed off").check()
    page.get_by_role("button", name="Submit return").click()
    expect(page.get_by_test_id("return-status")).to_contain_text("Submitted")
    assert_accessible(page)
    ret = this_month.get()
    version = ret.versions.get()
    assert (
        ret.status == "submitted"
        and version.channel == "upload"
        and version.signed_off_by.username == ("sandwell-trust-exec")
    )
    assert version.values.count() == len(GOOD)

    page.context.clear_cookies()
    login(page, "sandwell-officer")
    page.goto(return_url)
    page.get_by_label("KPI").select_option(label="Re-referral rate")
    page.get_by_label("Question for the trust").fill("Re-referrals fell sharply: please confirm the denominator.")
    page.get_by_role("button", name="Send query").click()
    expect(page.get_by_test_id("return-status")).to_contain_text("Queried")
    expect(page.get_by_test_id("query")).to_contain_text("confirm the denominator")
    assert_accessible(page)

    # the trust sees the query on its home page
    page.context.clear_cookies()
    login(page, "sandwell-trust-exec")
    page.goto("/")
    expect(page.locator("main")).to_contain_text("Council query on Re-referral rate")

    page.context.clear_cookies()
    login(page, "sandwell-officer")
    page.goto(return_url)
    page.get_by_test_id("accept").click()  # an open query is never closed silently
    expect(page.locator(".govuk-error-summary")).to_contain_text("The query on Re-referral rate is open")
    assert_accessible(page)
    page.get_by_label("Note closing the query on Re-referral rate").fill("Confirmed by phone with the trust.")
    page.get_by_test_id("accept").click()
    expect(page.get_by_test_id("return-status")).to_contain_text("Accepted")
    assert_accessible(page)
    ret.refresh_from_db()
    assert (
        ret.status == "accepted"
        and ret.accepted_version == version
        and ret.accepted_by.username == ("sandwell-officer")
    )
    assert set(ret.queries.values_list("status", flat=True)) == {"closed"}


def test_scrutiny_member_reads_the_dashboard_without_javascript(seeded, nojs_page):
    page = nojs_page
    login(page, "sandwell-scrutiny")
    page.get_by_role("link", name="Performance").first.click()
    expect(page.locator("h1")).to_have_text("Performance dashboard")
    tiles = page.get_by_test_id("kpi-tile")
    expect(tiles).to_have_count(7)
    rr = tiles.filter(has_text="Re-referral rate")
    # RAG as text, the tile's first tag (SPC's variation and assurance tags follow it)
    expect(rr.locator(".govuk-tag").first).to_contain_text(re.compile(r"^(Green|Amber|Red): "))
    expect(rr).to_contain_text("England")
    expect(rr.locator("svg[role=img]")).to_have_count(1)  # the server-rendered chart
    expect(rr.locator("table caption")).to_contain_text("last 13 months")  # and its figures as a table
    assert page.locator("main script").count() == 0
    assert_accessible(page)
    page.get_by_role("link", name="Re-referral rate").first.click()
    expect(page.get_by_test_id("kpi-values")).to_be_visible()
    expect(page.locator("main svg[role=img]").first).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_role("button", name="Submit return")).to_have_count(0)  # reading only
    expect(page.get_by_role("link", name="Enter a return")).to_have_count(0)


def test_trust_enters_figures_in_the_web_form_without_javascript(seeded, nojs_page):
    page = nojs_page
    login(page, "sandwell-trust-exec")
    page.goto("/performance/returns/enter/")
    assert_accessible(page)
    page.locator("main ul.govuk-list a").first.click()
    expect(page.locator("h1")).to_contain_text("Enter the return for")
    assert_accessible(page)
    page.get_by_label("Re-referral rate: numerator").fill("300")
    page.get_by_label("Re-referral rate: denominator").fill("200")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("cannot be more than its denominator")
    assert_accessible(page)


def test_scrutiny_member_switches_to_accepted_figures_only_without_javascript(seeded, nojs_page):
    page = nojs_page
    login(page, "sandwell-scrutiny")
    page.goto("/performance/comparison/?kpi=RR")
    expect(page.get_by_test_id("figures-toggle")).to_contain_text("marked provisional")
    assert_accessible(page)
    page.get_by_role("link", name="Show accepted figures only").click()
    expect(page.get_by_test_id("figures-toggle")).to_contain_text("accepted only")
    expect(page.get_by_test_id("comparison")).not_to_contain_text("(provisional)")
    assert_accessible(page)
    page.goto("/performance/?figures=accepted")
    expect(page.get_by_test_id("kpi-tile").first).not_to_contain_text("(provisional)")
    assert_accessible(page)
