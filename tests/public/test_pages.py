"""A live council's public pages, signed out: what each shows, and what is a 404 (ADR 0603)."""

import re
from datetime import date, timedelta
from html import unescape

import pytest
from django.urls import reverse

from tests.factories import CouncilFactory, DeliveryBodyFactory
from trustgov.organisations.models import Ownership

from .scenario import PUBLIC


def url(name: str, planted, **kw) -> str:
    return reverse(f"public:{name}", kwargs={"slug": planted.council.slug, **kw})


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def test_the_index_names_the_trust_and_the_next_meeting(client, planted):
    response = client.get(url("council-index", planted))
    assert response.status_code == 200
    page = text(response)
    assert "Opentown Borough Council" in page  # in the header, as the service names a signed-in user's council
    assert "Opentown Children's Trust" in page
    assert PUBLIC["meeting"] in page  # 20 January 2027, after the frozen today
    assert PUBLIC["held meeting"] not in page  # past: on the calendar, not among the next meetings
    assert "Cache-Control" not in response or "no-store" not in response["Cache-Control"]


def test_the_calendar_lists_published_meetings_by_month(client, planted):
    response = client.get(url("meeting-calendar", planted))
    assert response.status_code == 200
    page = text(response)
    assert "December 2026" in page and "January 2027" in page
    assert page.index(PUBLIC["held meeting"]) < page.index(PUBLIC["meeting"])


def test_a_meeting_shows_its_agenda_papers_and_approved_minutes(client, planted):
    response = client.get(url("meeting-detail", planted, pk=planted.meeting.pk))
    assert response.status_code == 200
    page = text(response)
    assert PUBLIC["item"] in page and "Any other business" in page
    assert PUBLIC["paper"] in page
    assert url("paper-download", planted, pk=planted.public_paper.pk) in response.content.decode()
    assert "The minutes are published once a later meeting approves them" in page  # its own are a draft
    held = text(client.get(url("meeting-detail", planted, pk=planted.held.pk)))
    assert PUBLIC["minutes"] in held
    assert "Approved as a correct record at" in held


def test_a_published_paper_downloads_and_no_other_does(client, planted):
    response = client.get(url("paper-download", planted, pk=planted.public_paper.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    for hidden in planted.hidden_papers:
        assert client.get(url("paper-download", planted, pk=hidden.pk)).status_code == 404


def test_the_board_shows_who_holds_each_seat(client, planted):
    response = client.get(url("board", planted))
    assert response.status_code == 200
    page = text(response)
    assert PUBLIC["board member"] in page
    assert "Seat 1" in page


def test_the_scorecard_shows_accepted_figures_and_withholds_small_numbers(client, planted):
    response = client.get(url("scorecard", planted))
    assert response.status_code == 200
    page = text(response)
    assert "Accepted figures for November 2026" in page
    assert "1,712" in page and "23.4%" in page
    rows = dict(re.findall(r"<th scope=\"row\"[^>]*>(\w+) [^<]*</th>\s*<td[^>]*>(.*?)</td>", response.content.decode()))
    assert ">c</abbr>" in rows["CLA"]  # a count of 3
    assert ">c</abbr>" in rows["AS"]  # 37.5%: 3 children of 8
    assert "37.5" not in page
    assert "withheld so that no child can be identified" in page


def test_a_count_of_none_is_shown_as_0_not_withheld(client, planted):
    from performance.models import ReturnValue

    ReturnValue.objects.filter(kpi__code="CLA", kpi__delivery_body=planted.trust).update(value=0)
    response = client.get(url("scorecard", planted))
    rows = dict(re.findall(r"<th scope=\"row\"[^>]*>(\w+) [^<]*</th>\s*<td[^>]*>(.*?)</td>", response.content.decode()))
    assert ">c</abbr>" not in rows["CLA"] and "0" in rows["CLA"]
    assert ">c</abbr>" in rows["AS"]  # 3 children of 8 is still withheld


def test_signed_in_users_see_the_same_public_pages(client, planted):
    client.force_login(planted.officer)
    assert client.get(url("council-index", planted)).status_code == 200
    assert client.get(url("meeting-detail", planted, pk=planted.meeting.pk)).status_code == 200


def test_the_officer_home_links_to_the_public_pages(client, planted):
    client.force_login(planted.officer)
    response = client.get("/")
    assert "Your public pages" in response.content.decode()
    assert url("council-index", planted) in response.content.decode()


@pytest.mark.parametrize("name", ["council-index", "meeting-calendar", "board", "scorecard"])
def test_a_council_that_does_not_exist_or_is_not_live_is_a_404(client, planted, name):
    assert client.get(reverse(f"public:{name}", kwargs={"slug": "no-such-council"})).status_code == 404
    # A council whose trust has not taken operational control yet is not live.
    shadow = CouncilFactory(slug="shadowtown", name="Shadowtown Council")
    DeliveryBodyFactory(council=shadow, slug="shadowtown-trust", operational_from=date(2027, 4, 1))
    assert client.get(reverse(f"public:{name}", kwargs={"slug": shadow.slug})).status_code == 404
    # Nor is one whose ownership of its trust has ended.
    Ownership.objects.filter(council=planted.council).update(until=date(2027, 1, 15) - timedelta(days=1))
    assert client.get(url(name, planted)).status_code == 404


def test_a_meeting_not_published_or_of_another_council_is_a_404(client, planted):
    assert client.get(url("meeting-detail", planted, pk=planted.unpublished_meeting.pk)).status_code == 404
    assert client.get(url("meeting-detail", planted, pk=planted.other_meeting.pk)).status_code == 404


def test_public_pages_take_get_only(client, planted):
    assert client.post(url("council-index", planted)).status_code == 405


def test_the_public_read_the_papers_and_minutes_scrutiny_reads(planted):
    """One rule: the public's papers, items and minutes of a meeting are scrutiny's (ADR 0603)."""
    from meetings.selectors import (
        agenda_items_visible_to,
        documents_visible_to,
        minutes_visible_to,
        public_agenda_items,
        public_minutes,
        public_papers,
    )
    from tests.factories import make_user
    from trustgov.accounts.roles import Role

    scrutiny = make_user(Role.SCRUTINY_MEMBER, council=planted.council, username="opentown-scrutiny")
    for meeting in (planted.meeting, planted.held):
        assert set(public_papers(planted.council).filter(agenda_item__meeting=meeting)) == set(
            documents_visible_to(scrutiny).filter(agenda_item__meeting=meeting)
        )
        assert set(public_agenda_items(meeting)) == set(agenda_items_visible_to(scrutiny).filter(meeting=meeting))
        assert public_minutes(meeting) == minutes_visible_to(scrutiny).filter(meeting=meeting).first()
