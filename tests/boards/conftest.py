# The browser fixtures live with the browser harness; the boards browser test uses them too.
from tests.browser.conftest import browser, nojs_page, page, seeded  # noqa: F401
