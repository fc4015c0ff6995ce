"""The one rendering path: A4, tagged PDF/UA-1 with language and title, running header and page X of Y."""

import io
import re

from pypdf import PdfReader

from reports.documents import TEMPLATE, build_context
from reports.rendering import render_html, render_pdf

from .conftest import pdf_tables, pdf_text
from .factories import ReportDraftFactory


def test_pdf_is_tagged_pdf_ua_with_language_and_title(tenant_a):
    draft = ReportDraftFactory(delivery_body=tenant_a.body, created_by=tenant_a.officer, subject="Trust update")
    pdf = render_pdf(TEMPLATE, build_context(draft))
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title == "Trust update"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]  # PDF/UA: viewers show the title, not the file name
    assert all(page["/Tabs"] == "/S" for page in reader.pages)  # tab order follows the structure
    assert "/Outlines" in root  # headings are bookmarks
    xmp = reader.xmp_metadata.stream.get_data().decode()
    assert re.search(r'pdfuaid:part="1"|<pdfuaid:part>1</pdfuaid:part>', xmp)
    assert "Trust update" in xmp


def test_pages_are_a4_with_marking_and_page_x_of_y(tenant_a):
    draft = ReportDraftFactory(delivery_body=tenant_a.body, created_by=tenant_a.officer, protective_marking="OFFICIAL")
    pdf = render_pdf(TEMPLATE, build_context(draft))
    reader = PdfReader(io.BytesIO(pdf))
    total = len(reader.pages)
    assert total >= 2
    for number, page in enumerate(reader.pages, start=1):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 in points
        text = page.extract_text()
        assert "OFFICIAL" in text
        assert f"Page {number} of {total}" in text


def test_official_sensitive_marking_runs_on_every_page(tenant_a):
    draft = ReportDraftFactory(
        delivery_body=tenant_a.body, created_by=tenant_a.officer, protective_marking="OFFICIAL-SENSITIVE"
    )
    reader = PdfReader(io.BytesIO(render_pdf(TEMPLATE, build_context(draft))))
    assert all("OFFICIAL-SENSITIVE" in page.extract_text() for page in reader.pages)


def test_html_preview_comes_from_the_same_template(tenant_a):
    draft = ReportDraftFactory(delivery_body=tenant_a.body, created_by=tenant_a.officer)
    context = build_context(draft)
    html = render_html(TEMPLATE, {**context, "back_url": "/"})
    assert '<html lang="en-GB">' in html
    assert "DECISION RECOMMENDATIONS" in html
    assert "Back to the draft" in html  # screen only
    assert "Back to the draft" not in pdf_text(render_pdf(TEMPLATE, context))


def test_table_headers_repeat_and_rows_do_not_split(tenant_a):
    """A long table runs over pages: its header row is repeated on each, and no row is cut in two."""
    from reports.sections import Cell, DataSection, Table

    draft = ReportDraftFactory(delivery_body=tenant_a.body, created_by=tenant_a.officer)
    rows = [[Cell(f"Action number {i}"), Cell("Owner " + "x" * (i % 7)), Cell(f"Row end {i}")] for i in range(150)]
    section = DataSection("actions", "Open actions", tables=[Table("Long table", ["Action", "Owner", "Ends"], rows)])
    context = build_context(draft, sections=[section])
    reader = PdfReader(io.BytesIO(render_pdf(TEMPLATE, context)))
    table_pages = [p.extract_text() for p in reader.pages if "Action number" in p.extract_text()]
    assert len(table_pages) >= 3
    for text in table_pages:
        assert "Action Owner Ends" in text  # the repeated header row
        starts = re.findall(r"Action number (\d+)", text)
        ends = re.findall(r"Row end (\d+)", text)
        assert starts == ends  # each row wholly on one page
    # Tagged with its header row as a THead of TH cells, repeated in each page's part of the table.
    [table] = [t for t in pdf_tables(render_pdf(TEMPLATE, context)) if t.caption == "Long table"]
    assert table.head == [["Action", "Owner", "Ends"]] and table.header_cells == 3
    assert table.fragments == len(table_pages)
    assert [row[0] for row in table.body] == [f"Action number {i}" for i in range(150)]


def test_not_for_publication_document_is_also_pdf_ua_with_its_own_title(tenant_a):
    draft = ReportDraftFactory(
        delivery_body=tenant_a.body,
        created_by=tenant_a.officer,
        subject="Trust update",
        exempt_appendices=["risks"],
        exempt_category="3",
    )
    reader = PdfReader(io.BytesIO(render_pdf(TEMPLATE, build_context(draft, exempt_document=True))))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "en-GB"
    assert reader.metadata.title == "Trust update: NOT FOR PUBLICATION appendices"
    assert re.search(r'pdfuaid:part="1"|<pdfuaid:part>1</pdfuaid:part>', reader.xmp_metadata.stream.get_data().decode())
    for page in reader.pages:
        assert "OFFICIAL-SENSITIVE – NOT FOR PUBLICATION" in page.extract_text()
