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
        ("public:decisions", {}),
        ("public:forward-plan", {}),
    ):
        response = page.goto(reverse(name, kwargs={"slug": slug, **kwargs}))
        assert response.status == 200
        assert_accessible(page)
    response = page.goto(reverse("public:council-index", kwargs={"slug": "no-such-council"}))
    assert response.status == 404
    assert_accessible(page)
