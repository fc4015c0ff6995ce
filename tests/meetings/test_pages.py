"""Officer pages: add and change meetings, upload papers, publish; what each role sees."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from meetings.models import Document, Meeting
from trustgov.core.dates import add_working_days

from .factories import PDF_BYTES, AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def date_fields(name: str, day: date) -> dict:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def test_officer_adds_a_meeting_and_a_bank_holiday_is_refused(client, tenant_a):
    client.force_login(tenant_a.officer)
    data = {"body_kind": "cabinet", "title": "Cabinet", "start_time": "10:00", "place": "Council House"}
    response = client.post("/meetings/new/", {**data, **date_fields("date", date(2027, 3, 26))})  # Good Friday
    assert response.status_code == 400
    assert "26 March 2027 is a bank holiday (Good Friday)" in response.content.decode()
    assert not Meeting.objects.filter(council=tenant_a.council, title="Cabinet").exists()
    response = client.post("/meetings/new/", {**data, **date_fields("date", date(2027, 3, 24))})
    meeting = Meeting.objects.get(council=tenant_a.council, title="Cabinet")
    assert response["Location"] == meeting.get_absolute_url()
    response = client.post(
        f"/meetings/{meeting.pk}/edit/",
        {**data, "title": "Cabinet (moved)", **date_fields("date", date(2027, 12, 25))},
    )
    assert response.status_code == 400
    assert "Christmas Day" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.title == "Cabinet"


def test_officer_uploads_a_paper_and_publishes_late_with_a_warning(client, tenant_a):
    soon = add_working_days(timezone.localdate(), 3)  # fewer than five clear working days away
    meeting = MeetingFactory(delivery_body=tenant_a.body, date=soon)
    item = AgendaItemFactory(meeting=meeting)
    client.force_login(tenant_a.officer)
    response = client.post(
        f"/meetings/items/{item.pk}/documents/new/",
        {"title": "Fake", "file": SimpleUploadedFile("fake.pdf", b"not a pdf"), "exempt_category": ""},
    )
    assert response.status_code == 400
    assert "not a real PDF" in response.content.decode()
    response = client.post(
        f"/meetings/items/{item.pk}/documents/new/",
        {"title": "Report", "file": SimpleUploadedFile("report.pdf", PDF_BYTES), "exempt_category": ""},
    )
    assert response.status_code == 302
    assert Document.objects.get(agenda_item=item).size == len(PDF_BYTES)
    response = client.post(f"/meetings/{meeting.pk}/status/", {"status": "papers_published"}, follow=True)
    assert "The papers are late" in response.content.decode()


def test_roles_see_the_right_buttons(client, tenant_a, dfe_user):
    meeting = MeetingFactory(delivery_body=tenant_a.body)
    client.force_login(tenant_a.officer)
    assert "Add an agenda item" in client.get(f"/meetings/{meeting.pk}/").content.decode()
    for user in (tenant_a.scrutiny, tenant_a.trust_exec, dfe_user):
        client.force_login(user)
        page = client.get(f"/meetings/{meeting.pk}/")
        assert page.status_code == 200
        assert "Add an agenda item" not in page.content.decode()
        assert client.get(f"/meetings/{meeting.pk}/items/new/").status_code == 403


def test_notifications_page_saves_the_preference(client, tenant_a):
    client.force_login(tenant_a.trust_exec)
    response = client.post("/meetings/notifications/", {"return_due": "hourly"})
    assert response.status_code == 400
    assert not tenant_a.trust_exec.notification_preferences.exists()
    response = client.post("/meetings/notifications/", {"return_due": "weekly"})
    assert response.status_code == 302
    assert tenant_a.trust_exec.notification_preferences.get(kind="return_due").frequency == "weekly"
