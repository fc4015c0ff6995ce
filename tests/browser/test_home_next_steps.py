"""The trust executive's and the officer's home pages lead with what to do next (JavaScript off, axe clean).

The demo is generated relative to today, so the months are read from the data, never assumed.
"""

import pytest
from django.utils import timezone

from performance import expected as exp
from performance.demo import demo_adopted_from
from trustgov.accounts.models import User

from .harness import assert_accessible, login

pytestmark = [pytest.mark.browser]


def test_trust_executive_home_leads_with_the_return_now_due(seeded, nojs_page):
    page = nojs_page
    now_due = exp.return_now_due(User.objects.get(username="sandwell-trust-exec"), today=timezone.localdate())
    login(page, "sandwell-trust-exec")
    panel = page.locator('[data-testid="return-now-due"]')
    heading = f"{now_due.label} — due {now_due.due_date:%-d %B %Y}"
    assert panel.locator("h2").inner_text() == heading
    first_heading = page.locator("main h2").first.inner_text()
    assert first_heading == heading  # before "What needs my attention"
    if not now_due.received:
        page.get_by_role("link", name=f"the {now_due.label}").first.click()
        assert f"{now_due.period:%B %Y}" in page.locator("h1").inner_text()
        page.go_back()
    assert_accessible(page)


def test_officer_home_lists_returns_not_received_and_reviews_waiting(seeded, nojs_page):
    page = nojs_page
    login(page, "doncaster-officer")
    missing = page.locator('[data-testid="returns-not-received"]').inner_text()
    # Chased from the month the demo council adopted TrustGov (its last return in the papers is March 2015).
    adopted = demo_adopted_from(timezone.localdate())
    assert "Doncaster Children's Services Trust" in missing and f"{adopted:%B %Y} to" in missing
    assert "Overdue" in missing and "since due" in missing
    assert_accessible(page)
    page.click("text=Sign out")
    login(page, "sandwell-officer")
    reviews = page.locator('[data-testid="reviews-waiting"]').inner_text()
    assert "Sandwell Children's Trust" in reviews
    assert_accessible(page)
