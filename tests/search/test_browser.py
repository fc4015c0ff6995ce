"""In the browser, as scrutiny and signed out, with and without JavaScript: the search form works, finds the
planted public word, never the exempt one, and passes axe (ADR 0606)."""

import pytest
import time_machine
from django.urls import reverse

from tests.browser.harness import assert_accessible, login
from tests.factories import TEST_PASSWORD

from .scenario import EXEMPT_WORD, PUBLIC_WORD, TODAY, build

pytestmark = [pytest.mark.browser]


@pytest.fixture
def planted_live(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(TODAY, tick=True):
        yield build()


def _search(page, words: str) -> str:
    page.fill("#search-q", words)
    page.get_by_role("button", name="Search").click()
    return page.locator("main").inner_text()


def _scrutiny_searches(page) -> None:
    login(page, "opentown-scrutiny", TEST_PASSWORD)
    page.get_by_role("link", name="Search", exact=True).click()
    assert page.locator("h1").inner_text() == "Search"
    assert_accessible(page)
    body = _search(page, PUBLIC_WORD)
    assert "1 result" in body and "Annual performance" in body
    assert_accessible(page)
    body = _search(page, EXEMPT_WORD)
    assert "0 results" in body and "Commercial terms" not in body and "Sale of land" not in body
    body = _search(page, "x" * 201)
    assert "Search terms must be 200 characters or fewer" in body
    assert_accessible(page)


def test_scrutiny_searches_without_javascript(planted_live, nojs_page):
    _scrutiny_searches(nojs_page)


def test_scrutiny_searches_with_javascript(planted_live, page):
    _scrutiny_searches(page)


@pytest.mark.parametrize("javascript", [False, True])
def test_the_public_search_a_councils_pages_signed_out(planted_live, page, nojs_page, javascript):
    page = page if javascript else nojs_page
    page.goto(reverse("public:council-index", kwargs={"slug": "opentown"}))
    page.get_by_role("link", name="Search", exact=True).click()
    assert "Opentown Borough Council" in page.locator("header").inner_text()
    assert_accessible(page)
    body = _search(page, PUBLIC_WORD)
    assert "Annual performance" in body
    assert_accessible(page)
    body = _search(page, EXEMPT_WORD)
    assert "0 results" in body and "Commercial terms" not in body
    # The trust's board and the scorecard's KPIs, as their pages show them; a result opens its row.
    body = _search(page, "Publicchair")
    assert "The trust's board" in body and "Jane Publicchair" in body
    assert_accessible(page)
    page.get_by_role("link", name="Jane Publicchair").click()
    assert page.locator("h1").inner_text() == "The trust's board"
    assert "Jane Publicchair" in page.locator("tr:target").inner_text()
    page.get_by_role("link", name="Search", exact=True).click()
    body = _search(page, "Re-referral")
    assert "RR: Re-referral rate" in body
