"""In a real browser with JavaScript off, as the Sandwell officer (an administrator): invite a colleague,
who sets a password through the emailed link and signs in; the used link then says so. axe on every page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.harness import assert_accessible, login

pytestmark = [pytest.mark.browser]
PASSWORD = "a-long-and-unusual-passphrase-42"


def test_officer_invites_a_colleague_who_sets_a_password_and_signs_in(seeded, nojs_page, live_server):
    page = nojs_page
    login(page, "sandwell-officer")
    page.goto("/accounts/users/")
    assert_accessible(page)
    page.get_by_role("link", name="Invite a user").click()
    assert_accessible(page)

    # An address already in use: named, nothing saved.
    page.fill("#id_email", "sandwell-scrutiny@demo.trustgov.local")
    page.fill("#id_first_name", "Priya")
    page.fill("#id_last_name", "Shah")
    page.get_by_label("Scrutiny member").check()
    page.select_option("#id_organisation", label="Sandwell Metropolitan Borough Council")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("already in use")
    assert_accessible(page)

    page.fill("#id_email", "priya.shah@sandwell.gov.uk")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Invitation sent")
    expect(page.get_by_test_id("user-summary")).to_contain_text("Scrutiny member")
    expect(page.get_by_test_id("user-history")).to_contain_text("Invited as Scrutiny member")
    assert_accessible(page)

    link = re.search(r"https?://\S+/accounts/invitation/\S+/", mail.outbox[-1].body).group(0)
    path = link.split(live_server.url, 1)[-1] if link.startswith(live_server.url) else "/" + link.split("/", 3)[3]
    page.get_by_role("button", name="Sign out").click()

    page.goto(path)
    expect(page.locator("h1")).to_have_text("Set your password")
    assert_accessible(page)
    page.fill("#id_new_password1", PASSWORD)
    page.fill("#id_new_password2", PASSWORD)
    page.get_by_role("button", name="Set password and continue").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your password is set")

    login(page, "priya.shah@sandwell.gov.uk", PASSWORD)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    page.goto(path)
    expect(page.get_by_test_id("invitation-message")).to_contain_text("already been used")
    assert_accessible(page)
