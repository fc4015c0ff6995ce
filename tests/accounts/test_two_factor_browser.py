"""In a real browser with JavaScript off, two-factor sign-in required (ADR 0012): the Sandwell officer
signs in, sets up an authenticator app from the QR code's key, confirms a code, is shown the recovery
codes, signs out, signs in with a code, reaches the home page; then signs in with a recovery code.
axe on every page; the harness fails the test on any Content-Security-Policy violation."""

import base64

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.browser.harness import assert_accessible, login

pytestmark = [pytest.mark.browser]


def _code(secret_text: str, *, steps: int = 0) -> str:
    key = base64.b32decode(secret_text.replace(" ", ""))
    return f"{totp(key, drift=steps):06d}"


def _sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("h1")).to_contain_text("signed out")


def test_officer_sets_up_two_factor_then_signs_in_with_a_code_and_with_a_recovery_code(seeded, nojs_page, settings):
    settings.TRUSTGOV_REQUIRE_2FA = True
    page = nojs_page

    login(page, "sandwell-officer")
    expect(page.locator("h1")).to_have_text("Set up two-factor authentication")
    expect(page.get_by_test_id("qr-code").locator("svg")).to_be_visible()
    assert_accessible(page)
    secret = page.get_by_test_id("totp-secret").inner_text()

    # A wrong code: named in the error summary, 400, nothing saved.
    wrong = "000000" if _code(secret) != "000000" else "111111"
    page.fill("#id_code", wrong)
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
    assert page.title().startswith("Error: Set up two-factor authentication")
    assert_accessible(page)

    page.fill("#id_code", _code(secret))
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.locator("h1")).to_have_text("Two-factor authentication is set up")
    codes = page.get_by_test_id("recovery-codes").locator("li").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    page.get_by_role("link", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Client management")
    _sign_out(page)

    # Next sign-in: a code from the app (the next step's: the set-up code may not be used again).
    login(page, "sandwell-officer")
    expect(page.locator("h1")).to_have_text("Enter the code from your authenticator app")
    assert_accessible(page)
    page.fill("#id_code", _code(secret, steps=1))
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Client management")
    assert_accessible(page)
    _sign_out(page)

    # And with a recovery code, which is then used up.
    login(page, "sandwell-officer")
    page.get_by_role("link", name="Use a recovery code instead").click()
    expect(page.locator("h1")).to_have_text("Enter a recovery code")
    assert_accessible(page)
    page.fill("#id_code", codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Client management")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have 9 left")
    assert_accessible(page)
    page.goto("/accounts/account/")
    expect(page.get_by_test_id("two-factor-status")).to_contain_text("9 recovery codes left")
    assert_accessible(page)
    _sign_out(page)

    login(page, "sandwell-officer")
    page.goto("/accounts/two-factor/recovery/")
    page.fill("#id_code", codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("already used")
    assert page.title().startswith("Error: Enter a recovery code")
    assert_accessible(page)
