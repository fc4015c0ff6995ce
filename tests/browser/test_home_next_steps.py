"""Each role's home page leads with what to do next (JavaScript off, axe clean).

The demo is generated relative to today, so the months are read from the data, never assumed.
"""

import pytest
from django.utils import timezone

from boards.models import Appointment
from contracts.models import ReservedMatterRequest
from meetings.home import next_scrutiny_meetings
from performance import expected as exp
from performance.demo import demo_adopted_from
from tests.meetings.factories import plant_papers
from trustgov.accounts.models import User
from trustgov.core.navigation import attention_for

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


def test_trust_executive_home_puts_its_own_steps_before_what_waits_on_others(seeded, nojs_page):
    page = nojs_page
    login(page, "sandwell-trust-exec")
    headings = page.locator("main h2").all_inner_texts()
    assert headings.index("What needs my attention") < headings.index("Waiting for the council or the DfE")
    own = page.locator('[data-testid="attention-mine"]').inner_text()
    waiting = page.locator('[data-testid="attention-waiting"]').inner_text()
    assert "Council query on" in own and "Council query on" not in waiting
    assert "Awaiting council decision" in waiting
    assert_accessible(page)


def test_scrutiny_home_leads_with_the_next_meeting_and_its_published_papers(seeded, nojs_page):
    page = nojs_page
    scrutiny = User.objects.get(username="sandwell-scrutiny")
    meetings = next_scrutiny_meetings(scrutiny, today=timezone.localdate())
    assert meetings, "the demo cycle schedules Sandwell's scrutiny meetings ahead"
    titles = plant_papers(meetings[0])
    login(page, "sandwell-scrutiny")
    assert page.locator("main h2").first.inner_text() == "Your next meetings"
    first = page.locator('[data-testid="next-meeting"]').first
    assert first.locator("h3").inner_text() == meetings[0].title
    assert titles["public"] in first.locator('[data-testid="published-papers"]').inner_text()
    main = page.locator("main").inner_text()
    for kind in ("exempt", "exempt item", "draft"):
        assert titles[kind] not in main, kind
    assert "Nothing needs your attention right now." not in main
    assert_accessible(page)
    page.get_by_role("link", name="Performance dashboard").first.click()
    assert page.url.endswith("/performance/")


def test_dfe_home_leads_with_the_chairs_reappointment_awaiting_its_approval_once(seeded, nojs_page):
    page = nojs_page
    chair = ReservedMatterRequest.objects.get(title="Reappoint the Trust Chair for a further term")
    appointment = Appointment.objects.get(request=chair)
    login(page, "dfe-liaison")
    assert page.locator("main h2").first.inner_text().startswith("Awaiting the DfE's decision")
    links = page.locator('[data-testid="attention-mine"] a')
    title = f"Appointment: {appointment.person} as {appointment.seat.title}"
    # The longest waiting decision leads: in the demo, the Chair's reappointment, listed once.
    oldest = attention_for(User.objects.get(username="dfe-liaison"), oldest_first=True)[0]
    assert (oldest.title, oldest.url) == (title, appointment.get_absolute_url())
    assert links.first.inner_text() == title
    assert links.first.get_attribute("href") == appointment.get_absolute_url()
    assert [t for t in links.all_inner_texts() if t.endswith(" as Chair")] == [title]
    assert page.locator(f'main a[href="{chair.get_absolute_url()}"]').count() == 0
    assert "Record DfE approval" in page.locator('[data-testid="attention-mine"]').inner_text()
    assert_accessible(page)
    links.first.click()
    assert page.url.endswith(appointment.get_absolute_url())
