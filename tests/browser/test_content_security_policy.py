"""The Content-Security-Policy is enforced, and the harness that collects its violations can fail."""

import pytest

from .harness import login

pytestmark = [pytest.mark.browser]


def test_an_inline_script_or_style_without_the_nonce_is_blocked_and_reported(seeded, browser, live_server):
    """Proves the collector itself: a page that breaks the policy is caught (so a quiet run means no violation)."""
    from .harness import _new_page

    context, page = _new_page(browser, live_server, javascript=True)
    try:
        page.goto("/accounts/login/")
        page.wait_for_load_state("load")
        page.evaluate(
            """() => {
                const style = document.createElement("style");
                style.textContent = "body { background: red; }";
                document.head.appendChild(style);
                const div = document.createElement("div");
                div.setAttribute("style", "color: red");
                document.body.appendChild(div);
            }"""
        )
        page.wait_for_timeout(300)
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 0, 0)"
        assert any("style-src" in v for v in page.csp_violations), page.csp_violations
    finally:
        context.close()


def test_signed_in_pages_run_govuk_frontend_under_the_policy(seeded, page):
    login(page, "sandwell-officer")
    response = page.goto("/")
    policy = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy and "script-src 'self'" in policy
    # GOV.UK Frontend started (a static module, not an inline script): the page is marked and the menu works.
    assert "govuk-frontend-supported" in page.evaluate("document.body.className")
    page.set_viewport_size({"width": 375, "height": 800})
    toggle = page.locator(".govuk-service-navigation__toggle")
    assert toggle.is_visible()
    assert not page.locator("#navigation").is_visible()
    toggle.click()
    assert page.locator("#navigation").is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"


def test_without_javascript_every_navigation_link_shows_on_a_small_screen(seeded, nojs_page):
    page = nojs_page
    page.set_viewport_size({"width": 375, "height": 800})
    login(page, "sandwell-officer")
    page.goto("/")
    assert not page.locator(".govuk-service-navigation__toggle").is_visible()
    links = page.locator("#navigation .govuk-service-navigation__link")
    assert links.count() >= 3 and all(links.nth(i).is_visible() for i in range(links.count()))


def test_a_chart_page_keeps_its_svg_styles_under_the_policy(seeded, page):
    login(page, "sandwell-officer")
    page.goto("/performance/")
    page.wait_for_load_state("load")
    assert page.locator(".app-chart svg").count() >= 1
