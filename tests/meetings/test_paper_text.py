"""A paper's words are read on upload: from a PDF's text layer, a Word document and a workbook."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook
from weasyprint import HTML

from meetings.extract import paper_text
from meetings.services import document_upload

from .factories import AgendaItemFactory, MeetingFactory


def _pdf(words: str) -> bytes:
    return HTML(string=f"<html lang='en'><body><p>{words}</p></body></html>").write_pdf()


def _docx(paragraphs: list[str]) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>",
        )
    return buffer.getvalue()


def test_pdf_text_layer_is_read():
    assert "Quarterly performance zephyrine" in paper_text(io.BytesIO(_pdf("Quarterly performance zephyrine")), "pdf")


def test_docx_paragraphs_are_read_one_per_line():
    text = paper_text(io.BytesIO(_docx(["First paragraph", "Second   paragraph"])), "docx")
    assert text.splitlines() == ["First paragraph", "Second paragraph"]


def test_xlsx_cells_are_read():
    workbook = Workbook()
    workbook.active.append(["Re-referrals", 22.6])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert paper_text(io.BytesIO(buffer.getvalue()), "xlsx") == "Re-referrals 22.6"


def test_a_damaged_file_gives_no_text_and_no_error():
    assert paper_text(io.BytesIO(b"%PDF-1.7\nnot really a pdf"), "pdf") == ""
    assert paper_text(io.BytesIO(b"PK\x03\x04broken"), "docx") == ""


@pytest.mark.django_db
def test_upload_stores_the_text_and_history_does_not_copy_it(tenant_a):
    officer = tenant_a.officer
    item = AgendaItemFactory(meeting=MeetingFactory(delivery_body=tenant_a.body), title="Performance")
    upload = SimpleUploadedFile("report.pdf", _pdf("Unusual word quillwort"), content_type="application/pdf")
    document = document_upload(agenda_item=item, user=officer, title="Performance report", file=upload)
    document.refresh_from_db()
    assert "quillwort" in document.text
    assert not hasattr(document.history.first(), "text")
