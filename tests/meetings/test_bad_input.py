"""Bad input through the pages: a clear message with a 400, and nothing partial saved (rows or files)."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings.models import Action, Declaration, Document, Meeting

from .factories import PDF_BYTES, AgendaItemFactory, MeetingFactory, docx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """A fresh media folder, so "nothing stored" is not confused by files from earlier runs."""
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def date_fields(name: str, day: date) -> dict:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def stored_files(meeting: Meeting) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "meetings" / str(meeting.pk)
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_good_upload_is_stored_where_the_checks_look(client, tenant_a):
    meeting = MeetingFactory(delivery_body=tenant_a.body)
    item = AgendaItemFactory(meeting=meeting)
    client.force_login(tenant_a.officer)
    response = client.post(
        f"/meetings/items/{item.pk}/documents/new/",
        {"title": "Report", "file": SimpleUploadedFile("report.pdf", PDF_BYTES), "exempt_category": ""},
    )
    assert response.status_code == 302
    assert [p.name for p in stored_files(meeting)] == ["report.pdf"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("minutes.txt", b"plain text", "must be a PDF, DOCX or XLSX"),
        ("budget.xlsx", docx_bytes(), "not a real XLSX"),
        ("report.pdf", b"%PDF-1.4" + b"0" * (10 * 1024 * 1024), "smaller than 10 MB"),
    ],
)
def test_a_wrong_type_or_oversized_upload_is_refused_and_nothing_is_stored(client, tenant_a, name, content, message):
    meeting = MeetingFactory(delivery_body=tenant_a.body)
    item = AgendaItemFactory(meeting=meeting)
    client.force_login(tenant_a.officer)
    response = client.post(
        f"/meetings/items/{item.pk}/documents/new/",
        {"title": "Paper", "file": SimpleUploadedFile(name, content), "exempt_category": ""},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page and message in page
    assert not Document.objects.filter(agenda_item=item).exists()
    assert stored_files(meeting) == []


def test_an_exempt_upload_without_its_category_is_refused(client, tenant_a):
    meeting = MeetingFactory(delivery_body=tenant_a.body)
    item = AgendaItemFactory(meeting=meeting)
    client.force_login(tenant_a.officer)
    response = client.post(
        f"/meetings/items/{item.pk}/documents/new/",
        {"title": "Pay", "file": SimpleUploadedFile("pay.pdf", PDF_BYTES), "is_exempt": "on", "exempt_category": ""},
    )
    assert response.status_code == 400
    assert "Choose the Schedule 12A category" in response.content.decode()
    assert not Document.objects.filter(agenda_item=item).exists()
    assert stored_files(meeting) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"description": "Share the strategy", "owner": "", **date_fields("due_date", date(2027, 2, 1))}, "owns"),
        ({"description": "Share the strategy", "owner": "DCS"}, "Enter the due date"),
    ],
)
def test_an_action_without_owner_or_due_date_is_refused(client, tenant_a, data, message):
    meeting = MeetingFactory(delivery_body=tenant_a.body)
    client.force_login(tenant_a.officer)
    response = client.post(f"/meetings/{meeting.pk}/actions/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Action.objects.filter(meeting=meeting).exists()


def test_a_meeting_moved_onto_a_bank_holiday_keeps_its_date(client, tenant_a):
    meeting = MeetingFactory(delivery_body=tenant_a.body, date=date(2027, 3, 24), title="Board")
    client.force_login(tenant_a.officer)
    response = client.post(
        f"/meetings/{meeting.pk}/edit/",
        {"body_kind": meeting.body_kind, "title": "Board (moved)", **date_fields("date", date(2027, 3, 29))},
    )
    assert response.status_code == 400
    assert "29 March 2027 is a bank holiday (Easter Monday)" in response.content.decode()
    meeting.refresh_from_db()
    assert (meeting.title, meeting.date) == ("Board", date(2027, 3, 24))


def test_a_declaration_names_someone_in_this_councils_register(client, tenant_a, tenant_b):
    from boards.models import Person

    meeting = MeetingFactory(delivery_body=tenant_a.body)
    ours = Person.objects.create(
        council=tenant_a.council, honorific="Cllr", name="Ada Ahmed", professional_capacity="Member"
    )
    theirs = Person.objects.create(council=tenant_b.council, name="Bea Berry", professional_capacity="Member")
    client.force_login(tenant_a.officer)
    url = f"/meetings/{meeting.pk}/declarations/new/"
    assert client.post(url, {"text": "Employed by a partner agency."}).status_code == 400  # nobody named
    response = client.post(url, {"person": theirs.pk, "text": "x"})
    assert response.status_code == 400  # another council's person is not a choice
    assert not Declaration.objects.filter(meeting=meeting).exists()

    response = client.post(url, {"person": ours.pk, "text": "Employed by a partner agency."})
    assert response.status_code == 302
    declaration = Declaration.objects.get(meeting=meeting)
    assert (declaration.person, declaration.person_name) == (ours, "Cllr Ada Ahmed")
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert f'href="/boards/people/{ours.pk}/"' in page  # linked to the register of interests


def test_the_service_refuses_a_person_from_another_council(tenant_a, tenant_b):
    from django.core.exceptions import ValidationError

    from boards.models import Person
    from meetings import services

    meeting = MeetingFactory(delivery_body=tenant_a.body)
    theirs = Person.objects.create(council=tenant_b.council, name="Bea Berry", professional_capacity="Member")
    with pytest.raises(ValidationError) as exc:
        services.declaration_record(meeting=meeting, user=tenant_a.officer, person=theirs, text="x")
    assert "register" in exc.value.message_dict["person"][0]
