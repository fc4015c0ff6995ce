"""Each of the five report types, generated through the task and read back from the PDF (pypdf):
headings, numbering, every data table row for row, and the protective marking on every page."""

import io
import re

import pytest
from pypdf import PdfReader

from reports.forms import DEFAULT_MEETING
from reports.models import NARRATIVE_SECTIONS, GeneratedReport, ReportType
from reports.sections import APPENDICES_BY_TYPE, PROVIDERS, SCORECARD_HEADERS

from .conftest import pdf_body_text, pdf_tables, read_pdf
from .factories import ReportDraftFactory

# The header row of each data appendix's tables, as the PDF must carry them.
TABLE_HEADERS = {
    "kpis": [
        SCORECARD_HEADERS,  # the scorecard leads, grouped by improvement-plan priority
        ["Indicator", "Value", "Target", "RAG", "Direction of travel", "Better", "Source"],
        ["Indicator", "Variation", "Assurance", "Mean and process limits"],  # statistical process control
    ],
    "board": [["Name", "Board Role", "Professional Capacity"]],
    "money": [
        [
            "Financial year",
            "Contract sum",
            "Support services income",
            "Accommodation income",
            "Grants and partner contributions",
            "DfE funding for irrecoverable VAT",
        ],
        ["Month", "Budget", "Forecast outturn", "Variance (overspend positive)", "Commentary"],
    ],
    "risks": [["Risk", "Owner", "Likelihood", "Impact", "Score", "Rating", "Mitigations", "Review date"]],
    "actions": [["Action", "Owner", "Due", "Status", "Raised at"]],
    "reserved_matters": [["Reserved matter", "Request", "Decided by", "Council decision", "DfE consent", "Reference"]],
}

# The live_data rows each table must hold, whole.
TABLE_ROWS = {
    "kpis": [
        [  # the scorecard: neither KPI has an improvement-plan priority
            "Other measures",
            "RR1 Re-referral rate",
            "23.5%",
            "22%",
            "Amber",
            "Fewer than 15 points: no limits yet",
            "No assurance",
            "Improving",
        ],
        [
            "RR1 Re-referral rate",
            "23.5%",
            "22%",
            "Amber",
            "Improving (from 25%)",
            "Lower",
            "March 2026 return, version 2",
        ],
        [
            "A45 Assessments within 45 working days",
            "79%",
            "86%",
            "Red",
            "Worsening (from 84%)",
            "Higher",
            "March 2026 return, version 2",
        ],
        [
            "RR1 Re-referral rate",
            "Fewer than 15 points: no limits yet (variation is not judged yet)",
            "No assurance (fewer than 15 points: no limits yet)",
            "Fewer than 15 points: no limits yet",
        ],
    ],
    "board": [
        ["Pat Chair", "Chair", "Former Director of Children's Services"],
        ["Sam Director", "Executive Director", "Director of Resources"],
    ],
    "money": [
        [
            "2025/26",
            "£58,330,000.00",
            "£2,150,000.00",
            "£630,000.00",
            "£5,140,000.00",
            "£1,660,000.00",
        ],
        ["February 2026", "£4,860,000.00", "£5,010,000.00", "£150,000.00", "Placement costs above budget"],
    ],
    "risks": [
        [
            "Recruitment and retention of social workers",
            "Trust Chief Executive",
            "4",
            "4",
            "16",
            "Red",
            "Recruitment campaign",
        ]
    ],
    "actions": [
        [
            "Report back on the placement sufficiency plan",
            "Trust Chief Executive",
            "27 February 2026",
            "Open, overdue",
        ]
    ],
    "reserved_matters": [
        [
            "Appointment of Board members",
            "Appoint Jo Bloggs to the Trust Board",
            "Cabinet",
            "Approved 10 February 2026",
            "Not needed",
            "CAB-2026-07",
        ]
    ],
}

CASES = [(t.value, marking) for t in ReportType for marking in ("OFFICIAL", "OFFICIAL-SENSITIVE")]


@pytest.mark.parametrize(("report_type", "marking"), CASES)
def test_report_type_pdf_headings_numbering_tables_and_marking(live_data, generate, report_type, marking):
    tenant = live_data
    title, meeting, intro = DEFAULT_MEETING[report_type]
    draft = ReportDraftFactory(
        delivery_body=tenant.body,
        created_by=tenant.officer,
        report_type=report_type,
        protective_marking=marking,
        title=title,
        meeting_name=meeting,
        recommendations_intro=intro,
        subject=f"Trust update ({report_type})",
    )
    [report] = generate(draft, tenant.officer)
    assert report.status == GeneratedReport.Status.READY and report.protective_marking == marking
    data = read_pdf(report)
    reader = PdfReader(io.BytesIO(data))
    text = pdf_body_text(data)

    # Protective marking in the running header and footer of every page, with page X of Y.
    total = len(reader.pages)
    assert total == report.page_count
    for number, page in enumerate(reader.pages, start=1):
        page_text = page.extract_text()
        assert page_text.count(marking) >= 2, f"page {number} lacks the marking in its header and footer"
        assert f"Page {number} of {total}" in page_text
        if marking == "OFFICIAL":
            assert "OFFICIAL-SENSITIVE" not in page_text
    assert reader.metadata.title == f"Trust update ({report_type}) (version 1)"

    # Headings: the report's title, meeting, recommendations, then every numbered section in order.
    assert text.startswith(f"{title} {meeting}, 20 May 2026 · Alpha Council Report details")
    assert f"DECISION RECOMMENDATIONS {intro} 1. Note the trust's performance. 2. Approve the revised targets." in text
    headings = [f"{n} {heading.upper()}" for n, (_, heading) in enumerate(NARRATIVE_SECTIONS, start=1)]
    headings.append(f"{len(NARRATIVE_SECTIONS) + 1} APPENDICES")
    positions = [text.find(h) for h in headings]
    assert -1 not in positions, [h for h, p in zip(headings, positions, strict=True) if p == -1]
    assert positions == sorted(positions)

    # Paragraph numbering: 1.1, 1.2 ... restarting in each section; a blank section still has its x.1.
    assert "1 PURPOSE OF THE REPORT 1.1 The purpose of this report" in text
    assert "1.2 It also seeks a decision." in text
    assert (
        "3.1 Ofsted rated the service Inadequate. 3.2 The council set up a trust. 3.3 The contract went live." in text
    )
    assert "5 CONSULTATION (CUSTOMERS AND OTHER STAKEHOLDERS) 5.1 Not applicable to this report." in text
    keys = APPENDICES_BY_TYPE[report_type]
    listed = [f"16.{i} Appendix {i} – {PROVIDERS[key][0]}" for i, key in enumerate(keys, start=1)]
    assert " ".join(listed) in text
    assert re.findall(r"\b16\.(\d+) Appendix", text) == [str(i) for i in range(1, len(keys) + 1)]

    # Tables: the header block, then each appendix's tables in order, with their header rows tagged as
    # repeating headers (THead/TH) and every live row whole.
    tables = pdf_tables(data)
    details = tables[0]
    assert details.caption == "Report details"
    assert ["Subject", f"Trust update ({report_type})"] in details.body
    assert ["Forward Plan (28 day notice) Reference", "TEST01/2026"] in details.body
    appendix_tables = tables[1:]
    assert [t.head for t in appendix_tables] == [[h] for key in keys for h in TABLE_HEADERS[key]]
    for table in appendix_tables:
        assert table.header_cells == len(table.head[0])
    by_key = {}
    for key in keys:
        for _ in TABLE_HEADERS[key]:
            by_key.setdefault(key, []).append(appendix_tables.pop(0))
    for key, expected_rows in TABLE_ROWS.items():
        if key not in keys:
            assert PROVIDERS[key][0] not in text.split("16 APPENDICES")[1]
            continue
        body_rows = [row for table in by_key[key] for row in table.body]
        for expected in expected_rows:
            assert any(row[: len(expected)] == expected for row in body_rows), (key, expected, body_rows)
    if "board" in keys:
        assert [row for t in by_key["board"] for row in t.body] == TABLE_ROWS["board"]  # row for row
