"""A live council's public feeds (ADR 0607): an iCalendar of its public meetings with a Europe/London VTIMEZONE and
stable UIDs on the site's domain, and Atom of its published papers, per council and per body; nothing exempt,
unpublished, cancelled or another council's; every link absolute, back to the public pages."""

from datetime import date

import pytest
from defusedxml import ElementTree
from django.urls import reverse
from icalendar import Calendar

from meetings.models import AgendaItem, BodyKind, Meeting
from tests.factories import CouncilFactory
from tests.meetings.factories import MeetingFactory, paper

from .scenario import NEVER, PUBLIC

SITE = "https://trustgov.example.gov.uk"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE
    settings.SITE_DOMAIN = ""


def ical(client, slug, query=""):
    response = client.get(reverse("public:meetings-ical", kwargs={"slug": slug}) + query)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content.decode(), Calendar.from_ical(response.content)


def atom(client, slug, query=""):
    response = client.get(reverse("public:publications-atom", kwargs={"slug": slug}) + query)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return response.content.decode(), ElementTree.fromstring(response.content)


@pytest.fixture
def scrutiny(planted):
    """A second body with its own published meeting and paper, to filter by."""
    meeting = MeetingFactory(
        delivery_body=planted.trust,
        title="Scrutiny Committee – January 2027",
        body_kind=BodyKind.SCRUTINY_COMMITTEE,
        date=date(2027, 1, 26),
        status=Meeting.Status.PAPERS_PUBLISHED,
        papers_published_on=date(2027, 1, 14),
    )
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="The trust's improvement plan")
    return meeting, paper(item, "Improvement plan update")


def test_the_calendar_parses_with_one_london_timezone_and_stable_uids_on_the_site_domain(client, planted):
    text, cal = ical(client, planted.council.slug)
    timezones = cal.walk("VTIMEZONE")
    assert len(timezones) == 1 and str(timezones[0]["tzid"]) == "Europe/London"
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {PUBLIC["meeting"], PUBLIC["held meeting"]}
    event = events[PUBLIC["meeting"]]
    assert event["dtstart"].params["TZID"] == "Europe/London"
    assert "DTSTART;TZID=Europe/London:20270120T140000" in text.replace("\r\n ", "")
    assert str(event["uid"]) == f"meeting-{planted.meeting.pk}@trustgov.example.gov.uk"
    url = f"{SITE}/public/{planted.council.slug}/meetings/{planted.meeting.pk}/"
    assert str(event["url"]) == url and url in str(event["description"])
    # The public agenda, numbered as the public page numbers it: the exempt item leaves no gap.
    assert str(event["description"]).startswith(f"1. {PUBLIC['item']}\n2. Any other business")
    _, again = ical(client, planted.council.slug)
    assert sorted(str(e["uid"]) for e in again.walk("VEVENT")) == sorted(str(e["uid"]) for e in events.values())


def test_the_calendar_shows_nothing_exempt_unpublished_cancelled_or_elsewhere(client, planted):
    text, _ = ical(client, planted.council.slug)
    for word in NEVER.values():
        assert word not in text
    assert "Item not for publication" not in text  # not even a trace of the exempt item


def test_the_calendar_filters_by_body_and_refuses_an_unknown_one(client, planted, scrutiny):
    meeting, _ = scrutiny
    _, cal = ical(client, planted.council.slug, "?body=scrutiny_committee")
    assert [str(e["summary"]) for e in cal.walk("VEVENT")] == [meeting.title]
    _, cal = ical(client, planted.council.slug, "?body=")
    assert len(cal.walk("VEVENT")) == 3
    response = client.get(reverse("public:meetings-ical", kwargs={"slug": planted.council.slug}) + "?body=cabal")
    assert response.status_code == 400
    assert "body: 'cabal' is not a kind of body" in response.content.decode()
    assert "scrutiny_committee" in response.content.decode()


def test_the_uid_domain_can_be_set_apart_from_the_site(client, planted, settings):
    settings.SITE_DOMAIN = "calendar.example.org"
    _, cal = ical(client, planted.council.slug)
    assert {str(e["uid"]).split("@")[1] for e in cal.walk("VEVENT")} == {"calendar.example.org"}


def test_the_atom_feed_has_only_published_papers_that_are_not_exempt(client, planted):
    text, feed = atom(client, planted.council.slug)
    assert feed.tag == f"{ATOM}feed"
    entries = [e for e in feed.findall(f"{ATOM}entry") if not e.findtext(f"{ATOM}title").startswith("Decision: ")]
    assert [e.findtext(f"{ATOM}title") for e in entries] == [PUBLIC["paper"]]
    entry = entries[0]
    pk = planted.public_paper.pk
    assert entry.findtext(f"{ATOM}id") == f"tag:trustgov.example.gov.uk,2026:paper-{pk}"
    links = {link.get("rel"): link for link in entry.findall(f"{ATOM}link")}
    assert links["alternate"].get("href") == (
        f"{SITE}/public/{planted.council.slug}/meetings/{planted.meeting.pk}/#paper-{pk}"
    )
    assert links["enclosure"].get("href") == f"{SITE}/public/{planted.council.slug}/papers/{pk}/"
    assert links["enclosure"].get("type") == "application/pdf"
    for link in feed.iter(f"{ATOM}link"):
        assert link.get("href").startswith(f"{SITE}/public/")
    for word in NEVER.values():
        assert word not in text
    # The entry's link opens the public page, which carries the paper.
    page = client.get(links["alternate"].get("href").removeprefix(SITE).split("#")[0]).content.decode()
    assert f'id="paper-{pk}"' in page


def test_the_atom_feed_filters_by_body(client, planted, scrutiny):
    _, paper_ = scrutiny
    _, feed = atom(client, planted.council.slug)
    assert {e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")} == {
        PUBLIC["paper"],
        paper_.title,
        f"Decision: {PUBLIC['decided item']}",
        f"Decision: {PUBLIC['reserved-matter decision']}",
    }
    _, feed = atom(client, planted.council.slug, "?body=scrutiny_committee")
    assert [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")] == [paper_.title]
    assert "Children's Services Scrutiny Committee" in feed.findtext(f"{ATOM}title")
    _, feed = atom(client, planted.council.slug, "?body=cabinet")
    assert feed.findall(f"{ATOM}entry") == []
    bad = client.get(reverse("public:publications-atom", kwargs={"slug": planted.council.slug}) + "?body=x")
    assert bad.status_code == 400 and "body:" in bad.content.decode()


def test_the_atom_feed_carries_the_public_decisions_and_never_an_exempt_one(client, planted):
    text, feed = atom(client, planted.council.slug)
    decisions = {
        e.findtext(f"{ATOM}title"): e
        for e in feed.findall(f"{ATOM}entry")
        if e.findtext(f"{ATOM}title").startswith("Decision: ")
    }
    assert set(decisions) == {f"Decision: {PUBLIC['decided item']}", f"Decision: {PUBLIC['reserved-matter decision']}"}
    resolution = decisions[f"Decision: {PUBLIC['decided item']}"]
    assert PUBLIC["resolution"] in resolution.findtext(f"{ATOM}summary")
    assert (
        resolution.find(f"{ATOM}link").get("href")
        == f"{SITE}/public/{planted.council.slug}/meetings/{planted.held.pk}/"
    )
    assert resolution.findtext(f"{ATOM}id").startswith("tag:trustgov.example.gov.uk,2026:resolution-")
    reserved = decisions[f"Decision: {PUBLIC['reserved-matter decision']}"]
    assert reserved.find(f"{ATOM}link").get("href").startswith(f"{SITE}/")
    for word in NEVER.values():
        assert word not in text
    # A body's feed carries only its own meetings' resolutions.
    _, board_feed = atom(client, planted.council.slug, f"?body={planted.held.body_kind}")
    titles = [e.findtext(f"{ATOM}title") for e in board_feed.findall(f"{ATOM}entry")]
    assert f"Decision: {PUBLIC['decided item']}" in titles
    assert f"Decision: {PUBLIC['reserved-matter decision']}" not in titles


def test_feeds_of_a_council_that_is_not_live_are_404(client, planted):
    not_live = CouncilFactory(slug="notyet", name="Not Yet Council")  # owns no trust in operational control
    for name in ("public:meetings-ical", "public:publications-atom"):
        assert client.get(reverse(name, kwargs={"slug": not_live.slug})).status_code == 404
        assert client.get(reverse(name, kwargs={"slug": "no-such-council"})).status_code == 404


def test_another_councils_feeds_carry_only_its_own(client, planted):
    text, _ = ical(client, planted.other_council.slug)
    assert NEVER["another council's meeting"] in text and PUBLIC["meeting"] not in text
    text, _ = atom(client, planted.other_council.slug)
    assert PUBLIC["paper"] not in text


def test_every_public_page_names_its_atom_feed_and_the_meetings_page_offers_both(client, planted, scrutiny):
    slug = planted.council.slug
    feed = reverse("public:publications-atom", kwargs={"slug": slug})
    for name, kwargs in (
        ("public:council-index", {}),
        ("public:meeting-calendar", {}),
        ("public:meeting-detail", {"pk": planted.meeting.pk}),
        ("public:board", {}),
        ("public:scorecard", {}),
    ):
        html = client.get(reverse(name, kwargs={"slug": slug, **kwargs})).content.decode()
        assert f'<link rel="alternate" type="application/atom+xml" title="{planted.council.name}' in html
        assert f'href="{feed}"' in html
    html = client.get(reverse("public:meeting-calendar", kwargs={"slug": slug})).content.decode()
    ics = reverse("public:meetings-ical", kwargs={"slug": slug})
    assert f'href="{ics}">Subscribe to the meetings calendar (iCal)' in html
    assert f'href="{feed}">Subscribe to published papers (Atom feed)' in html
    assert f'href="{ics}?body=scrutiny_committee"' in html and f'href="{feed}?body=strategic_partnership_board"' in html
