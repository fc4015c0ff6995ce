"""In the browser, signed out: every kind of public page passes axe, works without JavaScript, and shows nothing
exempt, draft or unaccepted (ADR 0603)."""

import pytest
import time_machine
from django.urls import reverse

from tests.browser.harness import assert_accessible

from .scenario import NEVER, PUBLIC, TODAY, build

pytestmark = [pytest.mark.browser]


@pytest.fixture
def planted_live(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(TODAY, tick=True):
        yield build()


def test_each_public_page_is_accessible_signed_out_without_javascript(planted_live, nojs_page):
    page, planted = nojs_page, planted_live
    slug = planted.council.slug
    page.goto(reverse("public:council-index", kwargs={"slug": slug}))
    assert page.locator("h1").inner_text() == "Opentown Borough Council: children's services governance"
    assert "Opentown Borough Council" in page.locator("header").inner_text()
    banner = page.locator(".govuk-phase-banner").inner_text()
    assert "Your feedback will help Opentown Borough Council improve it" in banner
    assert "client-management" not in banner
    assert_accessible(page)

    # From the overview to the meetings, a meeting, its minutes, the board and the scorecard, by the links alone.
    page.get_by_role("link", name="Meetings", exact=True).click()
    assert page.locator("h1").inner_text() == "Meetings"
    assert_accessible(page)
    page.get_by_role("link", name=PUBLIC["meeting"]).click()
    body = page.locator("main").inner_text()
    assert PUBLIC["item"] in body and PUBLIC["paper"] in body
    assert_accessible(page)
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("link", name=PUBLIC["held meeting"]).click()
    assert PUBLIC["minutes"] in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Trust board").click()
    assert PUBLIC["board member"] in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Performance").click()
    body = page.locator("main").inner_text()
    assert "1,712" in body
    assert_accessible(page)
    for word in NEVER.values():
        assert word not in body
    page.get_by_role("link", name="Decisions").click()
    body = page.locator("main").inner_text()
    assert "client-management" not in page.locator(".govuk-phase-banner").inner_text()
    assert PUBLIC["resolution"] in body and PUBLIC["reserved-matter decision"] in body
    assert_accessible(page)
    for word in NEVER.values():
        assert word not in body
    page.get_by_role("link", name="Forward plan").click()
    body = page.locator("main").inner_text()
    assert PUBLIC["private forward plan entry"] in body and "To be taken in private, paragraph 3" in body
    assert_accessible(page)
    for word in NEVER.values():
        assert word not in body


def test_the_public_pages_are_accessible_with_javascript(planted_live, page):
    slug = planted_live.council.slug
    for name, kwargs in (
        ("public:council-index", {}),
        ("public:meeting-calendar", {}),
        ("public:meeting-detail", {"pk": planted_live.meeting.pk}),
        ("public:board", {}),
        ("public:scorecard", {}),
        ("public:data", {}),
        ("public:decisions", {}),
        ("public:forward-plan", {}),
    ):
        response = page.goto(reverse(name, kwargs={"slug": slug, **kwargs}))
        assert response.status == 200
        assert_accessible(page)
    response = page.goto(reverse("public:council-index", kwargs={"slug": "no-such-council"}))
    assert response.status == 404
    assert_accessible(page)


def test_the_meetings_page_offers_its_feeds_signed_out(planted_live, nojs_page, live_server):
    page, slug = nojs_page, planted_live.council.slug
    page.goto(reverse("public:meeting-calendar", kwargs={"slug": slug}))
    assert page.locator("h2#subscribe").inner_text() == "Subscribe"
    ical = page.get_by_role("link", name="Subscribe to the meetings calendar (iCal)")
    feed = page.get_by_role("link", name="Subscribe to published papers (Atom feed)")
    assert ical.get_attribute("href") == reverse("public:meetings-ical", kwargs={"slug": slug})
    assert feed.get_attribute("href") == reverse("public:publications-atom", kwargs={"slug": slug})
    alternate = page.locator('head link[rel="alternate"][type="application/atom+xml"]')
    assert alternate.get_attribute("href") == feed.get_attribute("href")
    assert_accessible(page)
    # Both answer a signed-out visitor (the browser's own request, no cookies).
    for link, content_type in ((ical, "text/calendar"), (feed, "application/atom+xml")):
        response = page.request.get(live_server.url + link.get_attribute("href"))
        assert response.status == 200 and response.headers["content-type"].startswith(content_type)
        for word in NEVER.values():
            assert word not in response.text()


def test_signed_out_the_meeting_page_offers_the_agenda_pack_and_it_downloads(planted_live, nojs_page):
    """ADR 0605: the public meeting page links to the agenda pack, which downloads as a PDF with nothing exempt."""
    import io

    from pypdf import PdfReader

    page = nojs_page
    page.goto(
        reverse("public:meeting-detail", kwargs={"slug": planted_live.council.slug, "pk": planted_live.meeting.pk})
    )
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the agenda pack (PDF)").click()
    assert info.value.suggested_filename.endswith(".pdf")
    with open(info.value.path(), "rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert PUBLIC["meeting"] in text and PUBLIC["item"] in text and PUBLIC["paper"] in text
    assert f"Page 1 of {len(reader.pages)}" in text
    assert "Item 1: not for publication, paragraph 2" in text
    for word in NEVER.values():
        assert word not in text


def test_the_open_data_page_is_accessible_signed_out_and_its_files_download(planted_live, nojs_page):
    page, planted = nojs_page, planted_live
    page.goto(reverse("public:council-index", kwargs={"slug": planted.council.slug}))
    page.get_by_role("link", name="Open data", exact=True).click()
    assert page.locator("h1").inner_text() == "Open data"
    assert_accessible(page)
    table = page.get_by_role("table", name="Fields of meeting papers")
    assert table.get_by_role("rowheader").all_inner_texts()[:2] == ["Paper id", "Paper"]
    csv_link = page.get_by_role("link", name="Meeting papers as CSV")
    response = page.request.get(csv_link.get_attribute("href"))
    assert response.status == 200 and response.body().startswith("\ufeffPaper id,Paper,".encode())
    assert PUBLIC["paper"] in response.text()
    page.get_by_role("link", name="Accepted performance figures as JSON").click()
    body = page.locator("body").inner_text()
    assert '"dataset": "kpi-figures"' in body and "1712" in body
    for word in NEVER.values():
        assert word not in body


def test_signed_out_a_visitor_subscribes_to_alerts_and_confirms_by_the_emailed_link(
    planted_live, nojs_page, mailoutbox
):
    """ADR 0609: from the meetings page to the form, the "Check your email" page and the confirmation, without
    JavaScript and with no axe violation; opening the link confirms nothing until its button is pressed."""
    import re

    from public.models import PublicSubscription

    page, slug = nojs_page, planted_live.council.slug
    page.goto(reverse("public:meeting-calendar", kwargs={"slug": slug}))
    page.get_by_role("link", name="Get an email when papers are published").click()
    assert page.locator("h1").inner_text() == "Get emails when papers are published"
    assert_accessible(page)
    page.get_by_label("Email address").fill("not an address")
    page.get_by_role("button", name="Subscribe").click()
    assert page.title().startswith("Error:")
    assert "Enter an email address in the correct format, like name@example.com" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_label("Email address").fill("resident@example.com")
    page.get_by_label("Strategic Partnership Board").check()
    page.get_by_role("button", name="Subscribe").click()
    assert page.locator("h1").inner_text() == "Check your email"
    assert_accessible(page)

    [message] = mailoutbox
    link = re.search(rf"(/public/{slug}/subscribe/confirm/[^/\s]+/)", message.body).group(1)
    page.goto(link)
    assert page.locator("h1").inner_text() == "Confirm your subscription"
    assert "Strategic Partnership Board" in page.locator("main").inner_text()
    assert_accessible(page)
    assert PublicSubscription.objects.get().confirmed_at is None
    page.get_by_role("button", name="Confirm subscription").click()
    assert page.locator("h1").inner_text() == "Subscription confirmed"
    assert_accessible(page)
    subscription = PublicSubscription.objects.get()
    assert subscription.confirmed_at is not None and subscription.body_kind == "strategic_partnership_board"
