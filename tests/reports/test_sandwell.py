"""Sandwell's Cabinet paper of 19 September 2018, generated from the demo data."""

import pytest

from trustgov.reports.models import GeneratedReport, ReportDraft

from .conftest import pdf_text, read_pdf

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
