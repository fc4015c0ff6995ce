"""A refused GOV.UK form, in the browser: "Error: " title, every input styled, and the error summary's
date link moves focus to the day box (with JavaScript, GOV.UK Frontend's error summary; without, the anchor)."""

import pytest

from .harness import assert_accessible, login

pytestmark = [pytest.mark.browser]


def _submit_a_meeting_with_bad_input(page):
    login(page, "sandwell-officer")
    page.goto("/meetings/new/")
    page.fill("#id_title", "Scrutiny of the trust's performance")
    page.fill("#id_date_0", "31")
    page.fill("#id_date_1", "2")
    page.fill("#id_date_2", "2027")
    page.fill("#id_start_time", "25:99")
    page.fill("#id_quorum", "three")
    page.click("main form[method=post] button[type=submit]")


def test_a_date_error_link_moves_focus_to_the_day_box(seeded, page):
    _submit_a_meeting_with_bad_input(page)
    assert page.title().startswith("Error: ") and page.title().endswith(" – TrustGov")
    assert page.locator("#id_start_time").get_attribute("class").split().count("govuk-input--error") == 1
    assert page.locator("#id_quorum").get_attribute("inputmode") == "numeric"
    assert page.locator("#id_date_0").get_attribute("inputmode") == "numeric"
    page.locator(".govuk-error-summary a", has_text="Date of the meeting must be a real date").click()
    assert page.evaluate("document.activeElement.id") == "id_date_0"
    assert_accessible(page)


def test_without_javascript_the_link_still_points_at_the_day_box(seeded, nojs_page):
    _submit_a_meeting_with_bad_input(nojs_page)
    link = nojs_page.locator(".govuk-error-summary a", has_text="Date of the meeting must be a real date")
    assert link.get_attribute("href") == "#id_date_0"
    assert nojs_page.locator("#id_date_0").count() == 1
