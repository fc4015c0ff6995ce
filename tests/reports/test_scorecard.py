"""The KPI appendix's scorecard: the dashboard's rows (performance.scorecard), grouped by improvement-plan priority,
with each KPI's RAG and SPC variation as the dashboard says them, and its benchmarks (England's, a suppression code
with its meaning, the statistical neighbours' quartile band and median) in the same words."""

from decimal import Decimal

from performance import scorecard
from performance.dashboard import tiles_for
from performance.models import Benchmark, ImprovementPriority, Kpi
from reports.documents import TEMPLATE, build_context
from reports.rendering import render_pdf
from reports.sections import SCORECARD_HEADERS, kpi_section

from .conftest import pdf_tables
from .factories import ReportDraftFactory


def test_the_scorecard_leads_the_kpi_appendix_grouped_by_priority_as_the_dashboard_says(live_data):
    body = live_data.body
    priority = ImprovementPriority.objects.create(delivery_body=body, number=2, title="Timely assessments")
    Kpi.objects.filter(code="A45").update(priority=priority)
    draft = ReportDraftFactory(delivery_body=body, created_by=live_data.officer)

    table = kpi_section(draft).tables[0]

    assert table.caption == "Scorecard, March 2026, grouped by improvement-plan priority"
    assert table.headers == SCORECARD_HEADERS
    rows = [[c.text for c in row] for row in table.rows]
    assert [r[:2] for r in rows] == [
        ["Priority 2: Timely assessments", "A45 Assessments within 45 working days"],
        ["Other measures", "RR1 Re-referral rate"],
    ]
    # The dashboard (accepted figures, as the paper) says the same RAG and variation of each KPI.
    tiles, period = tiles_for(body, accepted_only=True, charts_on=False)
    page = {r.kpi.code: r for g in scorecard.from_tiles(tiles) for r in g.rows}
    for row in table.rows:
        code = row[1].text.split()[0]
        assert (row[4].text, row[4].rag, row[5].text) == (
            page[code].rag_word,
            page[code].position.rag,
            page[code].variation.word,
        )

    # The PDF carries it tagged as the other report tables (THead/TH, TBody/TD), row for row.
    [tagged] = [t for t in pdf_tables(render_pdf(TEMPLATE, build_context(draft))) if t.caption == table.caption]
    assert tagged.head == [SCORECARD_HEADERS]
    assert tagged.header_cells == len(SCORECARD_HEADERS)
    assert tagged.body == rows


def test_the_pdf_scorecard_names_the_neighbours_quartile_and_a_suppressed_england_code(live_data):
    body = live_data.body
    rr, a45 = Kpi.objects.get(code="RR1"), Kpi.objects.get(code="A45")
    # RR1, March 23.5% (lower is better), between the neighbours' median 21.5% and upper quartile 24%: the 3rd quarter.
    Benchmark.objects.create(
        kpi=rr,
        kind=Benchmark.Kind.STATISTICAL_NEIGHBOURS,
        year="2023-24",
        value=Decimal("21.5"),
        lower_quartile=Decimal("19"),
        upper_quartile=Decimal("24"),
    )
    Benchmark.objects.create(kpi=a45, kind=Benchmark.Kind.ENGLAND, year="2024-25", code=Benchmark.Code.CONFIDENTIAL)
    draft = ReportDraftFactory(delivery_body=body, created_by=live_data.officer)

    table = kpi_section(draft).tables[0]
    column = SCORECARD_HEADERS.index("Benchmark")
    benchmark = {row[1].text.split()[0]: row[column].text for row in table.rows}
    assert benchmark == {
        "RR1": "Neighbours: 3rd quartile (median 21.5%)",
        "A45": "England: c (confidential: a small number, withheld), 2024-25",
    }
    # The dashboard's cell says the same words (to assistive technology; the screen shows them short).
    tiles, _ = tiles_for(body, accepted_only=True, charts_on=False)
    page = {r.kpi.code: r.benchmark_text for g in scorecard.from_tiles(tiles) for r in g.rows}
    assert page == benchmark
    # And the PDF carries them.
    [tagged] = [t for t in pdf_tables(render_pdf(TEMPLATE, build_context(draft))) if t.caption == table.caption]
    assert {row[1].split()[0]: row[column] for row in tagged.body} == benchmark
