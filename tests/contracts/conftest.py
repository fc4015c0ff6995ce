"""The browser fixtures (Playwright, live server, seeded demo data) for this app's browser tests."""

from tests.browser.conftest import browser, nojs_page, page, seeded  # noqa: F401
