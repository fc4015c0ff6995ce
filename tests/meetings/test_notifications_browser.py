"""In the browser, without JavaScript: a trust executive sees their notifications and chooses, per kind, how each
is emailed; a wrong choice is refused naming it; axe finds nothing on either page."""

import pytest

from meetings import reminders
from tests.browser.harness import assert_accessible, login
from trustgov.accounts.models import User

pytestmark = [pytest.mark.browser]


def test_trust_executive_chooses_per_kind_how_notifications_are_emailed(seeded, nojs_page):
    page = nojs_page
    login(page, "sandwell-trust-exec")
    page.goto("/meetings/notifications/")
    assert page.title().startswith("Notifications – TrustGov")
    main = page.locator("main")
    assert "The council approved the reserved matter 'Annual business plan 2019/20'" in main.inner_text()
    assert "Return due" in main.inner_text() and "Appointment decided" in main.inner_text()
    assert_accessible(page)
    page.check("#id_return_due_3")  # Weekly digest
    page.check("#id_query_raised_2")  # Daily digest
    page.check("#id_term_ending_4")  # No email
    page.click("main button[type=submit]")
    assert "Your notification preferences have been saved." in page.locator(".govuk-notification-banner").inner_text()
    assert_accessible(page)
    user = User.objects.get(username="sandwell-trust-exec")
    chosen = reminders.frequencies_for(user)
    assert (chosen["return_due"], chosen["query_raised"], chosen["term_ending"]) == ("weekly", "daily", "off")
    assert chosen["reserved_matter_decided"] == "immediate"
    assert page.is_checked("#id_return_due_3") and page.is_checked("#id_term_ending_4")


def test_an_unknown_kind_is_refused_naming_it_and_nothing_is_saved(seeded, nojs_page):
    page = nojs_page
    login(page, "sandwell-officer")
    page.goto("/meetings/notifications/")
    # A form edited by hand (or a page from before a kind was removed) posts a kind that does not exist.
    response = page.request.post(
        "/meetings/notifications/",
        form={
            "csrfmiddlewaretoken": page.locator("input[name=csrfmiddlewaretoken]").first.input_value(),
            "return_late": "off",
            "no_such_kind": "daily",
        },
        headers={"Referer": page.url},
    )
    assert response.status == 400
    assert "&#x27;no_such_kind&#x27; is not a kind of notification: nothing was saved" in response.text()
    assert not User.objects.get(username="sandwell-officer").notification_preferences.exists()
    page.set_content(response.text().replace("<head>", f'<head><base href="{page.url}">', 1))
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)  # the refusal page too
