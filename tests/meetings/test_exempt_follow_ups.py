"""A further report asked for on an exempt item is exempt too: its title (which repeats the exempt
item's) reaches no one who cannot open the exempt item, on the meeting page, the API or a calendar."""

from datetime import date

import pytest
import time_machine

from meetings import services
from meetings.models import AgendaItem
from meetings.selectors import actions_visible_to, agenda_items_visible_to
from tests.api.helpers import client_with, token_for

from .factories import AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db

SECRET = "Sale of Fernbank House to Meridian Care Ltd"  # no character HTML would escape


@pytest.fixture
def planted(tenant_a):
    """An exempt item in January whose resolution asks for a further report in March."""
    january = MeetingFactory(delivery_body=tenant_a.body, date=date(2027, 1, 20), title="SPB January 2027")
    march = MeetingFactory(delivery_body=tenant_a.body, date=date(2027, 3, 17), title="SPB March 2027")
    AgendaItemFactory(meeting=march, order=1, title="Quarterly performance report")
    exempt = AgendaItemFactory(meeting=january, title=SECRET, is_exempt=True, exempt_category="3")
    resolution = services.resolution_create(
        agenda_item=exempt,
        user=tenant_a.officer,
        text=f"That a further report on the {SECRET} be presented to the Board in March 2027.",
    )
    services.action_create(
        meeting=january,
        user=tenant_a.officer,
        description=f"Prepare the further report on the {SECRET}.",
        owner="Trust Chief Executive",
        owner_user=tenant_a.trust_exec,
        due_date=date(2027, 3, 1),
        resolution=resolution,
    )
    return exempt, AgendaItem.objects.get(requested_by=resolution), march


def test_the_follow_up_inherits_the_exemption_and_its_paragraph(planted, tenant_a):
    exempt, follow_up, march = planted
    assert follow_up.meeting == march
    assert SECRET in follow_up.title
    assert follow_up.is_exempt and follow_up.exempt_category == exempt.exempt_category == "3"
    assert follow_up in agenda_items_visible_to(tenant_a.officer)


def test_a_follow_up_of_a_follow_up_is_exempt_too(planted, tenant_a):
    _, follow_up, march = planted
    MeetingFactory(delivery_body=tenant_a.body, date=date(2027, 5, 19))
    again = services.resolution_create(
        agenda_item=follow_up, user=tenant_a.officer, text="That a final report be presented in May 2027."
    )
    assert AgendaItem.objects.get(requested_by=again).exempt_category == "3"


def test_marking_an_item_exempt_later_exempts_its_follow_ups(tenant_a):
    january = MeetingFactory(delivery_body=tenant_a.body, date=date(2027, 1, 20))
    MeetingFactory(delivery_body=tenant_a.body, date=date(2027, 3, 17))
    item = AgendaItemFactory(meeting=january, title=SECRET)
    resolution = services.resolution_create(
        agenda_item=item, user=tenant_a.officer, text="That a further report be presented in March 2027."
    )
    follow_up = AgendaItem.objects.get(requested_by=resolution)
    assert not follow_up.is_exempt
    services.agenda_item_update(item=item, user=tenant_a.officer, is_exempt=True, exempt_category="1")
    follow_up.refresh_from_db()
    assert follow_up.is_exempt and follow_up.exempt_category == "1"
    change = follow_up.history.first()
    assert change.history_user == tenant_a.officer and "exempt item" in change.history_change_reason


@pytest.mark.parametrize("role", ["scrutiny", "trust_exec"])
@time_machine.travel("2027-02-01 09:00 +0000", tick=False)
def test_the_exempt_title_reaches_no_one_who_cannot_open_the_exempt_item(planted, tenant_a, client, role):
    exempt, follow_up, march = planted
    user = getattr(tenant_a, role)
    assert not agenda_items_visible_to(user).filter(pk__in=[exempt.pk, follow_up.pk]).exists()
    assert not actions_visible_to(user).filter(description__contains=SECRET).exists()

    client.force_login(user)
    page = client.get(f"/meetings/{march.pk}/")
    assert page.status_code == 200
    assert "Quarterly performance report" in page.content.decode()
    assert SECRET not in page.content.decode()
    assert client.get(f"/meetings/{exempt.meeting_id}/").status_code == 200
    assert SECRET not in client.get(f"/meetings/{exempt.meeting_id}/").content.decode()
    assert SECRET not in client.get("/meetings/actions/").content.decode()

    api = client_with(token_for(user))
    listing = api.get("/api/v1/agenda-items/", {"meeting": march.pk})
    assert listing.status_code == 200 and listing.json()["count"] == 1
    assert SECRET not in listing.content.decode()
    assert api.get(f"/api/v1/agenda-items/{follow_up.pk}/").status_code == 404
    for path in ("/api/v1/agenda-items/", "/api/v1/resolutions/", "/api/v1/actions/"):
        assert SECRET not in api.get(path, {"page_size": 100}).content.decode()

    _, token = services.feed_create(user=user, name="Mine")
    feed = client.get(f"/meetings/calendar/{token}.ics")
    assert feed.status_code == 200 and "SPB March 2027" in feed.content.decode()
    assert SECRET not in feed.content.decode().replace("\r\n ", "")


def test_an_officer_still_sees_the_follow_up_on_the_meeting_page(planted, tenant_a, client):
    _, _, march = planted
    client.force_login(tenant_a.officer)
    assert SECRET in client.get(f"/meetings/{march.pk}/").content.decode()


def test_an_action_arising_from_an_exempt_item_is_left_out_of_reports(planted, tenant_a):
    from reports.sections import open_actions_section
    from tests.reports.factories import ReportDraftFactory

    draft = ReportDraftFactory(
        delivery_body=tenant_a.body,
        created_by=tenant_a.officer,
        period_start=date(2027, 1, 1),
        period_end=date(2027, 3, 31),
    )
    section = open_actions_section(draft)
    texts = [str(cell.text) for table in section.tables for row in table.rows for cell in row]
    assert not any(SECRET in text for text in texts)
    assert "1 action arising from exempt items is not for publication and not included here." in section.notes
