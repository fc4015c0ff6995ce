import io
import re
from collections import defaultdict
from dataclasses import dataclass

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from reports import services
from reports.models import GeneratedReport


def pdf_text(data: bytes) -> str:
    """The PDF's text with whitespace collapsed (table cells wrap over lines)."""
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


# The page furniture WeasyPrint writes after each page's body: running header, then the footer's three boxes.
PAGE_FURNITURE = re.compile(
    r"\s*OFFICIAL(?:-SENSITIVE)?(?: – NOT FOR PUBLICATION)? (?:Version \d+|Preview), data read .+? "
    r"OFFICIAL(?:-SENSITIVE)? Page \d+ of \d+$"
)


def pdf_body_text(data: bytes) -> str:
    """The PDF's text without the running header and footer, so text that runs over a page break reads on."""
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]
    stripped = [PAGE_FURNITURE.sub("", text) for text in pages]
    assert all(a != b for a, b in zip(pages, stripped, strict=True)), "a page without its header and footer"
    return " ".join(stripped)


@dataclass
class PdfTable:
    """A table read back from a tagged PDF's structure tree: rows of cell texts, the header row(s) apart."""

    caption: str
    head: list[list[str]]
    body: list[list[str]]
    header_cells: int  # cells tagged TH, in the first page's part
    fragments: int = 1  # pages the table runs over


def _marked_text_by_mcid(pdf_page) -> dict[int, str]:
    """The text of each marked-content sequence (MCID) of a page, as pypdf decodes it."""
    stack: list[int | None] = []
    out: dict[int, str] = defaultdict(str)

    def before(op, args, cm, tm):
        if op == b"BDC":
            props = args[1] if len(args) > 1 else None
            stack.append(props.get("/MCID") if isinstance(props, dict) else None)
        elif op == b"BMC":
            stack.append(None)
        elif op == b"EMC" and stack:
            stack.pop()

    def text(t, cm, tm, font, size):
        current = next((m for m in reversed(stack) if m is not None), None)
        if current is not None:
            out[current] += t

    pdf_page.extract_text(visitor_operand_before=before, visitor_text=text)
    return out


def pdf_tables(data: bytes) -> list[PdfTable]:
    """Every table of a tagged PDF, read from its structure tree (Table > THead/TBody > TR > TH/TD).

    This checks a table row for row, as a screen reader meets it, whatever the cells' wrapping.
    WeasyPrint tags each page's part of a table that runs over pages as its own Table, each with the
    header row repeated in its THead; those parts (no caption, the same header) are joined here and
    counted in ``fragments``.
    """
    reader = PdfReader(io.BytesIO(data))
    page_index = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
    cache: dict[int, dict[int, str]] = {}

    def mcid_text(page_ref, mcid: int) -> str:
        i = page_index[page_ref.idnum]
        if i not in cache:
            cache[i] = _marked_text_by_mcid(reader.pages[i])
        return cache[i].get(mcid, "")

    def children(node) -> list:
        k = node.get("/K")
        return k if isinstance(k, list) else ([] if k is None else [k])

    def text_of(node, page_ref=None) -> str:
        if isinstance(node, IndirectObject):
            node = node.get_object()
        if isinstance(node, int):
            return mcid_text(page_ref, node)
        if not isinstance(node, dict):
            return ""
        page_ref = node.raw_get("/Pg") if "/Pg" in node else page_ref
        if "/MCID" in node:
            return mcid_text(page_ref, node["/MCID"])
        return "".join(text_of(child, page_ref) for child in children(node))

    def elements(node) -> list[dict]:
        out = []
        for child in children(node):
            child = child.get_object() if isinstance(child, IndirectObject) else child
            if isinstance(child, dict) and "/S" in child:
                out.append(child)
        return out

    def cell_texts(row) -> list[str]:
        return [" ".join(text_of(c).split()) for c in elements(row) if c["/S"] in ("/TH", "/TD")]

    tables: list[PdfTable] = []

    def walk(node) -> None:
        for element in elements(node):
            if element["/S"] != "/Table":
                walk(element)
                continue
            table = PdfTable(caption="", head=[], body=[], header_cells=0)
            for part in elements(element):
                if part["/S"] == "/Caption":
                    table.caption = " ".join(text_of(part).split())
                rows = [part] if part["/S"] == "/TR" else [r for r in elements(part) if r["/S"] == "/TR"]
                for row in rows:
                    (table.head if part["/S"] == "/THead" else table.body).append(cell_texts(row))
                    table.header_cells += sum(1 for c in elements(row) if c["/S"] == "/TH")
            previous = tables[-1] if tables else None
            if previous and not table.caption and table.head and table.head == previous.head:
                previous.body += table.body
                previous.fragments += 1
            else:
                tables.append(table)

    walk(reader.trailer["/Root"]["/StructTreeRoot"].get_object())
    return tables


def read_pdf(report: GeneratedReport) -> bytes:
    with report.file.open("rb") as fh:
        return fh.read()


@pytest.fixture
def live_data(tenant_a):
    """Tenant A with something in every data appendix: contract money and risks, two KPIs with accepted
    returns (March's accepted at version 2), a trust board, an open action and a reserved-matter decision."""
    from datetime import date

    from .factories import make_action, make_board, make_contract, make_kpi, make_reserved_matter_decision, make_return

    body = tenant_a.body
    make_contract(body)
    rr = make_kpi(body, "RR1", "Re-referral rate", target="22.00", tolerance="2.00", polarity="lower")
    a45 = make_kpi(
        body, "A45", "Assessments within 45 working days", target="86.00", tolerance="5.00", polarity="higher"
    )
    make_return(body, date(2026, 2, 1), {rr: "25.00", a45: "84.00"}, user=tenant_a.trust_exec)
    make_return(body, date(2026, 3, 1), {rr: "23.50", a45: "79.00"}, user=tenant_a.trust_exec, versions=2)
    make_board(
        body,
        [
            ("Pat Chair", "chair", "Former Director of Children's Services"),
            ("Sam Director", "executive_director", "Director of Resources"),
        ],
    )
    make_action(body, "Report back on the placement sufficiency plan")
    make_reserved_matter_decision(body, "Appoint Jo Bloggs to the Trust Board", user=tenant_a.officer)
    return tenant_a


@pytest.fixture
def generate(django_capture_on_commit_callbacks):
    """Generate a draft's documents through the service and the (eager) Celery task."""

    def run(draft, user):
        with django_capture_on_commit_callbacks(execute=True):
            reports = services.report_generate(draft=draft, user=user)
        return [GeneratedReport.objects.get(pk=r.pk) for r in reports]

    return run
