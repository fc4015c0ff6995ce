"""Sandwell's Cabinet paper of 19 September 2018, generated from the demo data."""

import pytest

from reports.models import GeneratedReport, ReportDraft
from tests.boards.sandwell_appendix3 import APPENDIX_3, HEADERS, rows_from_the_paper
from tests.boards.sandwell_appendix3 import sandwell_paper as seed_paper

from .conftest import pdf_body_text, pdf_tables, pdf_text, read_pdf

pytestmark = pytest.mark.django_db


def paper_appendix_3() -> list[list[str]]:
    """Appendix 3 as the seed paper prints it, header row first."""
    paper = seed_paper()
    if paper is None:
        pytest.skip("the Sandwell seed paper is not mounted: this test compares the PDF with the paper itself")
    return [list(HEADERS), *[list(row) for row in rows_from_the_paper(paper)]]


def sandwell_paper() -> GeneratedReport:
    draft = ReportDraft.objects.get(council__slug="sandwell", subject__startswith="Sandwell Children's Trust")
    return draft.generated.get(version=1, is_exempt=False)


def test_board_table_section_matches_appendix_3():
    from reports.sections import board_section

    draft = ReportDraft.objects.get(council__slug="sandwell", subject__startswith="Sandwell Children's Trust")
    section = board_section(draft)
    [table] = section.tables
    assert table.headers == ["Name", "Board Role", "Professional Capacity"]
    assert [tuple(c.text for c in row) for row in table.rows] == APPENDIX_3


def test_ratification_paper_pdf_has_appendix_3_in_order():
    report = sandwell_paper()
    assert report.status == GeneratedReport.Status.READY
    text = pdf_text(read_pdf(report))
    assert "Report to Cabinet Cabinet, 19 September 2018" in text
    assert "Forward Plan (28 day notice) Reference SMBC14/07/2018" in text
    assert "2. Ratify the appointments to the Sandwell Children's Trust Board as set out in Appendix 3." in text
    assert "16.3 Appendix 3 – Table of Trust Board members" in text
    appendix = text[text.index("Appendix 3 – Table of Trust Board members Members") :]
    assert "Name Board Role Professional Capacity" in appendix
    positions = [appendix.index(" ".join(row)) for row in APPENDIX_3]
    assert positions == sorted(positions)  # every member, one row each, in the paper's order


def test_ratification_paper_board_table_is_appendix_3_of_the_paper_row_for_row():
    """The generated PDF's board table, read from its tagged structure, is the paper's Appendix 3 exactly."""
    expected = paper_appendix_3()
    data = read_pdf(sandwell_paper())
    board_tables = [
        t for t in pdf_tables(data) if t.caption.startswith("Members of the Sandwell Children's Trust Board")
    ]
    assert len(board_tables) == 1
    [table] = board_tables
    assert table.caption == "Members of the Sandwell Children's Trust Board on 19 September 2018"
    assert [table.head[0], *table.body] == expected
    assert len(table.body) == 9
    text = pdf_body_text(data)
    assert "Appendix 3 – Table of Trust Board members Members of the Sandwell Children's Trust Board" in text


def test_ratification_paper_follows_the_papers_numbered_sections():
    """Sections 1 to 16 in the paper's order and words, with the paper's paragraph numbers."""
    text = pdf_body_text(read_pdf(sandwell_paper()))
    for heading in [
        "1 PURPOSE OF THE REPORT 1.1 The purpose of this report is to provide an update",
        "3 BACKGROUND AND MAIN CONSIDERATIONS 3.1 Ofsted re-inspected",
        "3.3 At its meeting of the 28 February 2018, Cabinet gave its approval",
        "7 STRATEGIC RESOURCE IMPLICATIONS 7.1 The overall contract sum",
        "8 LEGAL AND GOVERNANCE CONSIDERATIONS 8.1 In accordance with the Trust's Articles of Association",
        "15 BACKGROUND PAPERS 15.1 'Working Together to Safeguard Children' – Department for Education",
        "16 APPENDICES 16.1 Appendix 1 – Sandwell Improvement Plan "
        "16.2 Appendix 2 – Ofsted letter following monitoring visit 30/31 May 2018 "
        "16.3 Appendix 3 – Table of Trust Board members",
    ]:
        assert heading in text
