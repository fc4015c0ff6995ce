"""Papers: upload checks, the five-clear-working-days deadline, and exempt papers kept from those not authorised."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from meetings import services
from meetings.models import Document, Meeting
from meetings.selectors import agenda_items_visible_to, documents_visible_to

from .factories import PDF_BYTES, AgendaItemFactory, MeetingFactory, docx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(tenant_a):
    return MeetingFactory(delivery_body=tenant_a.body, date=date(2027, 1, 20), papers_published_on=date(2027, 1, 8))


@pytest.fixture
def papers(meeting, tenant_a):
    public_item = AgendaItemFactory(meeting=meeting, title="Performance report")
    exempt_item = AgendaItemFactory(
        meeting=meeting, title="Contract sum negotiation", is_exempt=True, exempt_category="3"
    )
    officer = tenant_a.officer
    public = services.document_upload(
        agenda_item=public_item, user=officer, title="Report", file=SimpleUploadedFile("report.pdf", PDF_BYTES)
    )
    appendix = services.document_upload(
        agenda_item=public_item,
        user=officer,
        title="Exempt appendix",
        file=SimpleUploadedFile("appendix.pdf", PDF_BYTES),
        is_exempt=True,
        exempt_category="1",
    )
    on_exempt_item = services.document_upload(
        agenda_item=exempt_item, user=officer, title="Proposal", file=SimpleUploadedFile("proposal.docx", docx_bytes())
    )
    for paper in (public, appendix, on_exempt_item):  # each approved, then published (the agenda is out)
        services.document_publication(document=paper, user=officer, target="approved")
        services.document_publication(document=paper, user=officer, target="published")
    return public, appendix, on_exempt_item


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", PDF_BYTES, "must be a PDF, DOCX or XLSX"),
        ("report.pdf", b"MZ\x90\x00 not a pdf", "not a real PDF"),
        ("report.docx", PDF_BYTES, "not a real DOCX"),
        ("sheet.xlsx", docx_bytes(), "not a real XLSX"),
        ("big.pdf", b"%PDF-1.4" + b"0" * (10 * 1024 * 1024), "smaller than 10 MB"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_uploads_are_checked_by_extension_signature_and_size(meeting, tenant_a, name, content, message):
    item = AgendaItemFactory(meeting=meeting)
    with pytest.raises(ValidationError) as exc:
        services.document_upload(
            agenda_item=item, user=tenant_a.officer, title="Paper", file=SimpleUploadedFile(name, content)
        )
    assert message in exc.value.message_dict["file"][0]
    assert not Document.objects.filter(agenda_item=item).exists()


def test_xlsx_and_docx_are_accepted(meeting, tenant_a):
    item = AgendaItemFactory(meeting=meeting)
    xlsx = services.document_upload(
        agenda_item=item,
        user=tenant_a.officer,
        title="Finance",
        file=SimpleUploadedFile("finance.xlsx", docx_bytes("xl/workbook.xml")),
    )
    assert xlsx.file_type == "xlsx"


def test_exempt_needs_a_schedule_12a_category(meeting, tenant_a):
    item = AgendaItemFactory(meeting=meeting)
    with pytest.raises(ValidationError) as exc:
        services.document_upload(
            agenda_item=item,
            user=tenant_a.officer,
            title="Paper",
            file=SimpleUploadedFile("a.pdf", PDF_BYTES),
            is_exempt=True,
        )
    assert "Schedule 12A" in exc.value.message_dict["exempt_category"][0]


def test_papers_deadline_is_five_clear_working_days_before(tenant_a):
    meeting = MeetingFactory(delivery_body=tenant_a.body, date=date(2027, 1, 20))  # a Wednesday
    assert meeting.papers_deadline == date(2027, 1, 12)  # 13-19 Jan hold five working days
    assert not meeting.papers_late(today=date(2027, 1, 12))
    assert meeting.papers_late(today=date(2027, 1, 13))
    # Across Christmas (25, 28 Dec and 1 Jan are bank holidays): clear days 24, 29, 30, 31 Dec and 4 Jan.
    january = MeetingFactory(delivery_body=tenant_a.body, date=date(2027, 1, 5))
    assert january.papers_deadline == date(2026, 12, 23)


def test_publishing_late_papers_warns(tenant_a):
    meeting = MeetingFactory(delivery_body=tenant_a.body, date=date(2027, 1, 20))
    late = services.meeting_publish_papers(meeting=meeting, user=tenant_a.officer, published_on=date(2027, 1, 15))
    assert late is True
    assert meeting.status == Meeting.Status.PAPERS_PUBLISHED


def test_exempt_papers_are_hidden_from_scrutiny_and_the_trust(papers, tenant_a, dfe_user):
    public, appendix, on_exempt_item = papers
    for user in (tenant_a.scrutiny, tenant_a.trust_exec):
        assert list(documents_visible_to(user)) == [public]
        assert [i.title for i in agenda_items_visible_to(user)] == ["Performance report"]
    for user in (tenant_a.officer, dfe_user):
        assert set(documents_visible_to(user).filter(agenda_item__meeting=public.agenda_item.meeting)) == set(papers)


def test_exempt_paper_direct_url_is_404_for_scrutiny(client, papers, tenant_a):
    public, appendix, on_exempt_item = papers
    client.force_login(tenant_a.scrutiny)
    assert client.get(f"/meetings/documents/{public.pk}/").status_code == 200
    assert client.get(f"/meetings/documents/{appendix.pk}/").status_code == 404
    assert client.get(f"/meetings/documents/{on_exempt_item.pk}/").status_code == 404
    page = client.get(f"/meetings/{public.agenda_item.meeting_id}/").content.decode()
    assert "Exempt appendix" not in page and "Contract sum negotiation" not in page
    client.force_login(tenant_a.officer)
    response = client.get(f"/meetings/documents/{appendix.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_unpublished_papers_are_for_officers_only(tenant_a):
    meeting = MeetingFactory(delivery_body=tenant_a.body, date=date(2027, 1, 20))
    item = AgendaItemFactory(meeting=meeting)
    doc = services.document_upload(
        agenda_item=item, user=tenant_a.officer, title="Draft", file=SimpleUploadedFile("d.pdf", PDF_BYTES)
    )
    assert not documents_visible_to(tenant_a.scrutiny).filter(pk=doc.pk).exists()
    assert documents_visible_to(tenant_a.officer).filter(pk=doc.pk).exists()


def test_another_councils_meeting_is_404(client, tenant_a, tenant_b):
    meeting = MeetingFactory(delivery_body=tenant_b.body)
    client.force_login(tenant_a.officer)
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 404
    assert client.get(f"/meetings/{meeting.pk}/edit/").status_code == 404


def test_api_never_lists_exempt_material(client, papers, tenant_a, dfe_user):
    public, appendix, on_exempt_item = papers
    for user in (tenant_a.officer, dfe_user, tenant_a.scrutiny):
        client.force_login(user)
        docs = client.get("/api/v1/meeting-documents/?page_size=500").json()["results"]
        ids = {d["id"] for d in docs}
        assert public.pk in ids
        assert appendix.pk not in ids and on_exempt_item.pk not in ids
        items = client.get(f"/api/v1/agenda-items/?meeting={public.agenda_item.meeting_id}").json()["results"]
        assert [i["title"] for i in items] == ["Performance report"]
        assert client.get(f"/api/v1/meeting-documents/{appendix.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("finance.xlsx", "macros", "finance.xlsx contains macros"),
        ("report.docx", "docx-macros", "report.docx contains macros"),
        ("finance.xlsx", "bomb", "finance.xlsx unpacks to 300 MB, more than the 100 MB allowed"),
        ("finance.xlsx", "entries", "finance.xlsx has too many parts (1,502; the limit is 1,000)"),
        ("report.pdf", "polyglot", "report.pdf is not a real PDF: it is also a zip archive"),
    ],
)
def test_macro_workbooks_zip_bombs_and_polyglots_are_refused(meeting, tenant_a, client, name, content, message):
    from tests import bombs

    data = {
        "macros": bombs.with_macros,
        "docx-macros": lambda: bombs.with_macros("word/document.xml"),
        "bomb": bombs.xlsx_bomb,
        "entries": lambda: bombs.many_entries(1500),
        "polyglot": bombs.pdf_zip_polyglot,
    }[content]()
    item = AgendaItemFactory(meeting=meeting)
    client.force_login(tenant_a.officer)
    response = client.post(
        f"/meetings/items/{item.pk}/documents/new/", {"title": "Paper", "file": SimpleUploadedFile(name, data)}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Document.objects.filter(agenda_item=item).exists()
