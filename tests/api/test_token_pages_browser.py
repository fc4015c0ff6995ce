"""A user creates, sees and revokes their own API token in the browser (JavaScript on and off), with axe."""

import pytest

from tests.browser.harness import assert_accessible, login

pytestmark = [pytest.mark.browser]


def _create_and_revoke(page):
    page.goto("/accounts/api-tokens/")
    assert page.locator("h1").inner_text() == "API tokens"
    assert_accessible(page)
    page.click("text=Create a token")
    assert_accessible(page)
    page.fill("#id_name", "   ")  # only spaces: passes the browser's check, not the server's
    page.click("main button:has-text('Create token')")
    assert "Enter a name for the token" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.fill("#id_name", "Case management sync")
    page.check("input[value=write]")
    page.fill("#id_days", "30")
    page.click("main button:has-text('Create token')")
    key = page.locator("[data-testid=token-key]").inner_text()
    assert len(key) > 30
    assert_accessible(page)
    page.click("text=Back to API tokens")
    own = page.locator("[data-testid=own-tokens]")
    assert "Case management sync" in own.inner_text() and key[:8] in own.inner_text()
    assert key not in page.content()
    page.click("button:has-text('Revoke')")
    assert "has been revoked" in page.locator("main").inner_text()
    assert "Revoked" in page.locator("[data-testid=own-tokens]").inner_text()
    assert_accessible(page)


def test_officer_manages_tokens_and_sees_the_organisations(seeded, page):
    from trustgov.accounts.models import User
    from trustgov.accounts.services import api_token_issue

    api_token_issue(user=User.objects.get(username="sandwell-trust-exec"), name="Trust case system")
    login(page, "sandwell-officer")
    _create_and_revoke(page)
    assert "Trust case system" in page.locator("[data-testid=organisation-tokens]").inner_text()


def test_trust_executive_manages_tokens_without_javascript(seeded, nojs_page):
    login(nojs_page, "sandwell-trust-exec")
    _create_and_revoke(nojs_page)
    assert nojs_page.locator("[data-testid=organisation-tokens]").count() == 0
