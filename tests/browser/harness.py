"""Browser harness: Playwright driving Debian's Chromium against Django's live server.

A pytest plugin (registered in the project's root conftest.py), so every app's browser tests
get the same fixtures and one browser per test session; they import ``login`` and
``assert_accessible`` from here.

Every page a test opens is watched for Content-Security-Policy violations (the ``securitypolicyviolation``
event with JavaScript on, the browser's own console report either way): a test that met one fails,
naming the directive and what was blocked, so an inline script or style cannot slip back in.

Every browser test runs in a real transaction (the live server thread needs committed data),
so each test loads the demo data itself with the ``seeded`` fixture.
"""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Page, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEMO_PASSWORD = "trustgov-demo-2026"  # noqa: S105


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def seeded(transactional_db):
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__trustgovCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} on ${event.documentURI}` +
      (event.sample ? ` (${event.sample})` : "")
  );
});
"""
CSP_CONSOLE_MARKERS = ("Content Security Policy", "Content-Security-Policy")


def _watch_for_csp_violations(context, page) -> list[str]:
    """Collect every CSP violation the page meets, across navigations."""
    violations: list[str] = []
    context.expose_function("__trustgovCspViolation", lambda text: violations.append(text))
    context.add_init_script(CSP_LISTENER)
    page.on(
        "console",
        lambda message: (
            violations.append(f"console: {message.text}")
            if any(marker in message.text for marker in CSP_CONSOLE_MARKERS)
            else None
        ),
    )
    return violations


def _new_page(browser, live_server, *, javascript: bool):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.csp_violations = _watch_for_csp_violations(context, page)
    return context, page


@pytest.fixture
def page(browser, live_server) -> Page:
    context, page = _new_page(browser, live_server, javascript=True)
    yield page
    violations = page.csp_violations
    context.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture
def nojs_page(browser, live_server) -> Page:
    """The same pages with JavaScript off: everything must still work."""
    context, page = _new_page(browser, live_server, javascript=False)
    page.axe_browser = browser  # axe needs JavaScript: see assert_accessible
    yield page
    violations = page.csp_violations
    context.close()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


def login(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


_axe = Axe()


def assert_accessible(page: Page) -> None:
    """Run axe-core on the current page and fail on any violation.

    With JavaScript off axe cannot run in the page itself, so the exact HTML the user got
    is loaded into a JavaScript-enabled page (same base URL, so the same styles) and checked there.
    """
    # A click that navigates returns once the new document is committed, not loaded: read it only when it is whole,
    # or axe checks an empty document (no title, no lang, no main) and the test fails for no fault of the page.
    page.wait_for_load_state("load")
    browser = getattr(page, "axe_browser", None)
    if browser is None:
        results = _axe.run(page)
    else:
        html = page.content().replace("<head>", f'<head><base href="{page.url}">', 1)
        context = browser.new_context()
        try:
            checker = context.new_page()
            checker.set_content(html, wait_until="load")
            results = _axe.run(checker)
        finally:
            context.close()
    violations = results.response.get("violations", [])
    summary = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in violations]
    assert not violations, f"axe violations on {page.url}:\n" + "\n".join(summary)
