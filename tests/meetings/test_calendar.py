"""Private iCalendar feeds: they parse, link back to the meeting, hide exempt titles, and can be revoked."""

from datetime import date

import pytest
from icalendar import Calendar

from meetings import services
from meetings.models import BodyKind, CalendarFeed

from .factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_a_feed_parses_and_hides_exempt_titles(client, tenant_a, tenant_b):
    meeting = MeetingFactory(delivery_body=tenant_a.body, date=date.today())
    AgendaItemFactory(meeting=meeting, order=1, title="Quarterly performance")
    AgendaItemFactory(meeting=meeting, order=2, title="Chief Executive's pay", is_exempt=True, exempt_category="1")
    MeetingFactory(delivery_body=tenant_b.body, date=date.today(), title="Another council's board")
    feed, token = services.feed_create(user=tenant_a.officer, name="My meetings")
    assert feed.token_hash != token and token not in feed.token_hash

    response = client.get(f"/meetings/calendar/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert meeting.title in events
    assert "Another council's board" not in events
    event = events[meeting.title]
    assert str(event["url"]).endswith(f"/meetings/{meeting.pk}/")
    assert "Quarterly performance" in str(event["description"])
    assert "Chief Executive's pay" not in response.content.decode()
    assert "Item not for publication" in str(event["description"])


def test_a_body_feed_has_only_that_body(client, tenant_a):
    # Dated today: a feed carries the last year's meetings and those ahead, whatever day the test runs.
    spb = MeetingFactory(delivery_body=tenant_a.body, body_kind=BodyKind.STRATEGIC_PARTNERSHIP_BOARD, date=date.today())
    MeetingFactory(
        delivery_body=tenant_a.body, body_kind=BodyKind.SCRUTINY_COMMITTEE, title="Scrutiny", date=date.today()
    )
    _, token = services.feed_create(user=tenant_a.scrutiny, name="SPB", body_kind=BodyKind.STRATEGIC_PARTNERSHIP_BOARD)
    calendar = Calendar.from_ical(client.get(f"/meetings/calendar/{token}.ics").content)
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == [spb.title]


def test_wrong_or_revoked_tokens_are_404(client, tenant_a):
    feed, token = services.feed_create(user=tenant_a.officer, name="Mine")
    assert client.get("/meetings/calendar/not-the-token.ics").status_code == 404
    client.force_login(tenant_a.officer)
    assert client.post(f"/meetings/calendar/{feed.pk}/revoke/").status_code == 302
    client.logout()
    assert client.get(f"/meetings/calendar/{token}.ics").status_code == 404
    assert CalendarFeed.objects.get(pk=feed.pk).revoked_at is not None


def test_users_revoke_only_their_own_feeds(client, tenant_a):
    feed, _ = services.feed_create(user=tenant_a.officer, name="Mine")
    client.force_login(tenant_a.scrutiny)
    assert client.post(f"/meetings/calendar/{feed.pk}/revoke/").status_code == 404


def test_creating_a_feed_shows_the_url_once(client, tenant_a):
    client.force_login(tenant_a.scrutiny)
    response = client.post("/meetings/calendar/", {"name": "Scrutiny", "body_kind": ""})
    assert response.status_code == 200
    assert ".ics" in response.content.decode()
    response = client.post("/meetings/calendar/", {"name": "", "body_kind": ""})
    assert response.status_code == 400
    assert "Enter a name for the calendar" in response.content.decode()
    assert CalendarFeed.objects.filter(user=tenant_a.scrutiny).count() == 1


def test_a_feed_stops_when_its_owner_is_deactivated(client, tenant_a):
    _, token = services.feed_create(user=tenant_a.scrutiny, name="Mine")
    assert client.get(f"/meetings/calendar/{token}.ics").status_code == 200
    tenant_a.scrutiny.is_active = False
    tenant_a.scrutiny.save()
    assert client.get(f"/meetings/calendar/{token}.ics").status_code == 404


def test_a_feed_never_shows_anything_exempt_even_to_an_officer(client, tenant_a, settings):
    settings.SITE_URL, settings.SITE_DOMAIN = "https://trustgov.example.gov.uk", ""
    meeting = MeetingFactory(delivery_body=tenant_a.body, date=date.today())
    AgendaItemFactory(meeting=meeting, order=1, title="Chief Executive's pay", is_exempt=True, exempt_category="1")
    _, token = services.feed_create(user=tenant_a.officer, name="Officer")  # officers may read exempt papers
    body = client.get(f"/meetings/calendar/{token}.ics").content.decode()
    assert "Chief Executive's pay" not in body
    event = Calendar.from_ical(body).walk("VEVENT")[0]
    assert str(event["uid"]) == f"meeting-{meeting.pk}@trustgov.example.gov.uk"
    assert event.decoded("dtstart").tzinfo is not None  # a timed meeting carries Europe/London
    assert event["dtstart"].params["TZID"] == "Europe/London"
    assert [str(tz["tzid"]) for tz in Calendar.from_ical(body).walk("VTIMEZONE")] == ["Europe/London"]


def test_scrutinys_feed_has_no_trace_of_an_exempt_item(client, tenant_a):
    meeting = MeetingFactory(delivery_body=tenant_a.body, date=date.today())
    AgendaItemFactory(meeting=meeting, order=1, title="Quarterly performance")
    AgendaItemFactory(meeting=meeting, order=2, title="Chief Executive's pay", is_exempt=True, exempt_category="1")
    _, token = services.feed_create(user=tenant_a.scrutiny, name="Scrutiny")
    body = client.get(f"/meetings/calendar/{token}.ics").content.decode()
    description = str(Calendar.from_ical(body).walk("VEVENT")[0]["description"])
    assert "Quarterly performance" in description
    assert "Item not for publication" not in body and "Chief Executive's pay" not in body
