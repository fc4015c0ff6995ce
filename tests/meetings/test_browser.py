"""In the browser: a scrutiny member never sees an exempt paper, not even by its direct URL."""

import pytest

from meetings.calendar import meeting_uid
from meetings.models import Document, Meeting
from tests.browser.harness import assert_accessible, login

pytestmark = [pytest.mark.browser]


def test_exempt_paper_is_invisible_to_scrutiny_and_404_by_direct_url(seeded, page):
    meeting = Meeting.objects.get(council__slug="sandwell", title="Strategic Partnership Board – October 2026")
    exempt = Document.objects.get(title="Appendix B: forecast outturn by service")
    login(page, "sandwell-scrutiny")
    page.goto(f"/meetings/{meeting.pk}/")
    body = page.locator("main").inner_text()
    assert "Quarterly performance report" in body
    assert "Appendix B" not in body
    assert "Contract sum" not in body
    assert "Not for publication" not in body
    assert_accessible(page)
    response = page.goto(f"/meetings/documents/{exempt.pk}/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"


def test_officer_sees_the_exempt_paper_marked_not_for_publication(seeded, nojs_page):
    page = nojs_page
    meeting = Meeting.objects.get(council__slug="sandwell", title="Strategic Partnership Board – October 2026")
    login(page, "sandwell-officer")
    page.goto(f"/meetings/{meeting.pk}/")
    body = page.locator("main").inner_text()
    assert "Appendix B: forecast outturn by service" in body
    assert "Contract sum negotiation 2027/28" in body
    assert "Not for publication" in body
    assert_accessible(page)


def test_officer_records_an_action_without_javascript(seeded, nojs_page):
    page = nojs_page
    meeting = Meeting.objects.get(council__slug="sandwell", title="Strategic Partnership Board – October 2026")
    login(page, "sandwell-officer")
    page.goto(f"/meetings/{meeting.pk}/actions/new/")
    page.fill("#id_description", "Share the sufficiency strategy")
    page.click("main button[type=submit]")
    summary = page.locator(".govuk-error-summary")
    assert "Enter who owns the action" in summary.inner_text()
    assert_accessible(page)
    page.fill("#id_owner", "Director of Children's Services")
    page.fill("#id_due_date_0", "15")
    page.fill("#id_due_date_1", "1")
    page.fill("#id_due_date_2", "2027")
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/meetings/{meeting.pk}/")
    assert "Share the sufficiency strategy" in page.locator("main").inner_text()


def test_scrutiny_subscribes_to_a_calendar_that_names_no_exempt_item(seeded, nojs_page):
    from icalendar import Calendar

    from meetings.models import BodyKind
    from tests.meetings.factories import AgendaItemFactory

    page = nojs_page
    # The next Board in the generated cycle (always within the feed's window), with one public and one exempt item.
    meeting = (
        Meeting.objects.filter(
            council__slug="sandwell", body_kind=BodyKind.STRATEGIC_PARTNERSHIP_BOARD, status=Meeting.Status.SCHEDULED
        )
        .order_by("date")
        .first()
    )
    AgendaItemFactory(meeting=meeting, order=1, title="Quarterly performance and finance report")
    AgendaItemFactory(meeting=meeting, order=2, title="Contract sum negotiation", is_exempt=True, exempt_category="3")
    login(page, "sandwell-scrutiny")
    page.goto("/meetings/calendar/")
    page.fill("#id_name", "Partnership Board")
    page.select_option("#id_body_kind", "strategic_partnership_board")
    page.click("main button[type=submit]")
    assert page.locator("h1").inner_text() == "Calendar link created"
    assert_accessible(page)
    url = page.locator("main code").inner_text()
    response = page.request.get(url)
    assert response.status == 200
    calendar = Calendar.from_ical(response.body())
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    event = events[meeting_uid(meeting)]  # on the site's domain (ADR 0607)
    assert str(event["url"]).endswith(f"/meetings/{meeting.pk}/")
    assert "Quarterly performance and finance report" in str(event["description"])
    assert "Contract sum" not in response.text()
    # Scrutiny's calendar reads the agenda as scrutiny's pages do: an exempt item leaves no trace (ADR 0607).
    assert "not for publication" not in response.text()


def test_officer_adds_an_update_to_an_action_and_sees_it(seeded, nojs_page):
    """The update form posts back to the action's own page (it once posted to the action's title: a 404)."""
    from meetings.models import Action

    page = nojs_page
    action = Action.objects.filter(meeting__council__slug="sandwell").order_by("pk").first()
    login(page, "sandwell-officer")
    page.goto(f"/meetings/actions/{action.pk}/")
    assert page.locator("h2", has_text="Add an update").count() == 1
    assert_accessible(page)
    page.fill("#id_text", "Strategy shared with the Board in draft; final version due next month.")
    page.check("input[name=status][value=in_progress]")
    page.click("main button[type=submit]")
    page.wait_for_url(f"**/meetings/actions/{action.pk}/")
    main = page.locator("main").inner_text()
    assert "Update added." in page.content()
    assert "Strategy shared with the Board in draft; final version due next month." in main
    assert action.updates.filter(text__startswith="Strategy shared").count() == 1


def test_officer_approves_then_publishes_a_late_paper_and_only_then_scrutiny_sees_it(seeded, nojs_page):
    page = nojs_page
    meeting = Meeting.objects.get(council__slug="sandwell", title="Strategic Partnership Board – October 2026")
    title = "Placement sufficiency briefing (draft)"
    login(page, "sandwell-scrutiny")
    page.goto(f"/meetings/{meeting.pk}/")
    assert title not in page.locator("main").inner_text()
    page.click("text=Sign out")

    login(page, "sandwell-officer")
    page.goto(f"/meetings/{meeting.pk}/")
    assert title in page.locator("main").inner_text()
    page.get_by_role("link", name=f"Approve or publish {title}").click()
    assert_accessible(page)
    page.get_by_label("Approve for publication").check()
    page.get_by_role("button", name="Continue").click()
    assert "approved for publication" in page.locator(".govuk-notification-banner").inner_text()
    page.get_by_role("link", name=f"Approve or publish {title}").click()
    page.get_by_label("Publish", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    assert f"{title}: published." in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page)
    page.click("text=Sign out")

    login(page, "sandwell-scrutiny")
    page.goto(f"/meetings/{meeting.pk}/")
    assert title in page.locator("main").inner_text()
