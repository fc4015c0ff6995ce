# The browser fixtures (Playwright, live server, demo data) for the API tokens page tests.
from tests.browser.conftest import browser, nojs_page, page, seeded  # noqa: F401
