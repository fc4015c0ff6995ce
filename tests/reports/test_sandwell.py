"""Sandwell's Cabinet paper of 19 September 2018, generated from the demo data."""

from pathlib import Path

import pytest

from trustgov.reports.models import GeneratedReport, ReportDraft

from .conftest import pdf_body_text, pdf_tables, pdf_text, read_pdf

pytestmark = pytest.mark.django_db

# Appendix 3 of the paper: Name | Board Role | Professional Capacity.
APPENDIX_3 = [
    ("Rt Hon Jacqui Smith", "Chair", "Former Cabinet Minister"),
    ("Cllr Paul Sanders", "Council appointed Non-Executive Director", "Elected member"),
    ("Stuart Lackenby", "Council appointed Non-Executive Director", "Director of Prevention & Protection, SMBC"),
    ("Stephen Rimmer", "Non-Executive Director", "Director of Impact and Learning, Barnardos"),
    ("Linda Sanders", "Non-Executive Director", "Former Director of Children's Services"),
    ("Vineeta Manchanda", "Non-Executive Director", "Senior Finance Manager"),
    ("Frances Craven", "Executive Director", "Chief Executive, SCT"),
    ("Dan Mortiboys", "Executive Director", "Director of Resources, SCT"),
    ("Steven Gauntley", "Executive Director", "Director of Quality & Performance, SCT"),
]


# The source paper (shared/seeds beside the repository): Sandwell's Cabinet paper of 19 September 2018.
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def paper_appendix_3() -> list[list[str]]:
    """Appendix 3 as the paper prints it: the tab-separated table under its header row, up to the end."""
    paper = next(SEEDS.glob("002_*.txt"), None)
    if paper is None:
        pytest.skip(f"the Sandwell seed paper is not in {SEEDS}: this test compares the PDF with the paper itself")
    lines = paper.read_text().splitlines()
    header = lines.index("Name\tBoard Role\tProfessional Capacity")
    rows = []
    for line in lines[header:]:
        if "\t" not in line:
            break
        rows.append(line.split("\t"))
    return rows


def sandwell_paper() -> GeneratedReport:
    draft = ReportDraft.objects.get(council__slug="sandwell", subject__startswith="Sandwell Children's Trust")
    return draft.generated.get(version=1, is_exempt=False)


def test_board_table_section_matches_appendix_3():
    from trustgov.reports.sections import board_section

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
