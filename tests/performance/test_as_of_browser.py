"""In a real browser with JavaScript off, as Sandwell's scrutiny member: the dashboard as it stood at the end of a
day (a banner says so and links back to the current view), chosen with the GOV.UK date input, and a date in the
future refused with the field named. axe on every page. The day is read from the seeded data, not from today."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from performance.models import ReturnVersion
from tests.browser.harness import assert_accessible, login

pytestmark = [pytest.mark.browser]


def test_scrutiny_reads_the_dashboard_as_it_stood_on_a_day(seeded, nojs_page):
    page = nojs_page
    submitted = (
        ReturnVersion.objects.filter(monthly_return__delivery_body__slug="sandwell-trust", submitted_at__isnull=False)
        .order_by("-submitted_at")
        .values_list("submitted_at", flat=True)
    )
    day = timezone.localdate(submitted[0]) - timedelta(days=1)  # the day before the latest submission
    login(page, "sandwell-scrutiny")

    page.goto("/performance/?body=sandwell-trust")
    page.get_by_text("Show the figures as they stood on a past day").click()  # a closed details: no JavaScript
    form = page.get_by_test_id("as-of-form")
    form.get_by_label("Day").fill(str(day.day))
    form.get_by_label("Month").fill(str(day.month))
    form.get_by_label("Year").fill(str(day.year))
    form.get_by_role("button", name="Show as it stood").click()
    banner = page.get_by_test_id("as-of-banner")
    expect(banner).to_contain_text(f"As it stood at the end of {day.day} {day:%B %Y} — later changes are not shown")
    assert "body=sandwell-trust" in page.url  # the trust chosen is kept
    expect(page.get_by_test_id("kpi-tile").first).to_be_visible()
    assert_accessible(page)

    # A day in the future is refused, naming the field; the current view is shown
    tomorrow = timezone.localdate() + timedelta(days=1)
    form = page.get_by_test_id("as-of-form")
    form.get_by_label("Day").fill(str(tomorrow.day))
    form.get_by_label("Month").fill(str(tomorrow.month))
    form.get_by_label("Year").fill(str(tomorrow.year))
    form.get_by_role("button", name="Show as it stood").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Date must be today or in the past")
    expect(page.get_by_test_id("as-of-banner")).to_have_count(0)
    assert_accessible(page)

    # Back to the current view from a past one
    page.goto(f"/performance/?body=sandwell-trust&as_of={day.isoformat()}")
    page.get_by_test_id("as-of-banner").get_by_role("link", name="Show the current view").click()
    expect(page.get_by_test_id("as-of-banner")).to_have_count(0)
    expect(page.get_by_test_id("kpi-tile").first).to_be_visible()


@pytest.mark.parametrize("username", ["sandwell-officer", "sandwell-scrutiny"])
def test_a_kpi_followed_from_a_past_dashboard_shows_the_same_day(seeded, nojs_page, username):
    page = nojs_page
    latest = (
        ReturnVersion.objects.filter(monthly_return__delivery_body__slug="sandwell-trust", submitted_at__isnull=False)
        .order_by("-submitted_at")
        .values_list("submitted_at", flat=True)
        .first()
    )
    day = timezone.localdate(latest) - timedelta(days=1)  # the day before the latest submission
    said = f"As it stood at the end of {day.day} {day:%B %Y} — later changes are not shown"
    login(page, username)

    page.goto(f"/performance/?body=sandwell-trust&as_of={day.isoformat()}")
    expect(page.get_by_test_id("as-of-banner")).to_contain_text(said)
    assert_accessible(page)

    # a KPI of the scorecard: its page as it stood on the same day
    row = page.get_by_test_id("scorecard-row").first
    code = row.get_attribute("data-kpi")
    row.get_by_role("link").click()
    expect(page.locator(".govuk-caption-l")).to_contain_text(f"· {code}")  # that KPI's page
    assert f"as_of={day.isoformat()}" in page.url
    expect(page.get_by_test_id("as-of-banner")).to_contain_text(said)
    expect(page.get_by_text("Recalculate the baseline")).to_have_count(0)  # no change offered in a past view
    assert_accessible(page)

    # back on the dashboard, the sub-navigation's comparison keeps the day too
    page.go_back()
    page.get_by_test_id("performance-subnav").get_by_role("link", name="Compare trusts").click()
    expect(page.get_by_test_id("as-of-banner")).to_contain_text(said)
    assert_accessible(page)

    # the way back to today's figures drops the day
    page.get_by_test_id("as-of-today").click()
    expect(page.get_by_test_id("as-of-banner")).to_have_count(0)
    assert "as_of" not in page.url
