"""A KPI's definition change is marked wherever figures either side of it are shown together: the KPI page, the
dashboard tile whose 13 months cross it, and the report's KPI appendix. All read it from one place, the
positions read model (``Positions.breaks``), and the dashboard's query count does not grow.

Alpha's trust reports two KPIs every month from April 2025 to March 2026. RR1's definition changed from
October 2025 (inside the window); CIN1's changed from April 2023 (long before it).
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from performance.dashboard import tiles_for
from performance.models import KpiDefinition
from performance.positions import read_positions
from reports.sections import kpi_section
from tests.reports.factories import ReportDraftFactory, make_kpi, make_return
from trustgov.core.dates import add_months

from .test_positions import pdf_of, text_of

pytestmark = pytest.mark.django_db

APRIL_2025, OCTOBER_2025, MARCH_2026 = date(2025, 4, 1), date(2025, 10, 1), date(2026, 3, 1)
NOTE = "Definition changed October 2025: figures before and after are not directly comparable"


@pytest.fixture
def kpis(tenant_a):
    rr = make_kpi(tenant_a.body, "RR1", "Re-referral rate")
    cin = make_kpi(tenant_a.body, "CIN1", "Children in need", polarity="higher")
    for kpi, start, reason in ((rr, OCTOBER_2025, "Counts accepted referrals only"), (cin, date(2023, 4, 1), "")):
        KpiDefinition.objects.create(kpi=kpi, effective_from=None, definition="As first agreed")
        KpiDefinition.objects.create(kpi=kpi, effective_from=start, definition=kpi.definition, reason=reason)
    month = APRIL_2025
    while month <= MARCH_2026:
        make_return(tenant_a.body, month, {rr: "21.00", cin: "48.00"}, user=tenant_a.trust_exec)
        month = add_months(month, 1)
    return {"rr": rr, "cin": cin}


def test_the_read_model_finds_a_break_only_inside_the_months_it_reads(kpis):
    rr, cin = kpis["rr"], kpis["cin"]
    window = read_positions([rr, cin], start=add_months(MARCH_2026, -12), end=MARCH_2026)
    [brk] = window.breaks(rr)
    assert (brk.effective_from, brk.reason, brk.note) == (OCTOBER_2025, "Counts accepted referrals only", NOTE)
    assert window.breaks(cin) == []
    # A span that starts on the change, or ends before it, shows one definition only.
    assert read_positions([rr], start=OCTOBER_2025, end=MARCH_2026).breaks(rr) == []
    assert read_positions([rr], start=APRIL_2025, end=date(2025, 9, 1)).breaks(rr) == []


def test_the_tile_marks_a_kpi_whose_13_months_cross_a_definition_change_and_not_one_without(client, tenant_a, kpis):
    client.force_login(tenant_a.officer)
    page = client.get(reverse("performance:dashboard"), {"body": tenant_a.body.slug}).content.decode()
    tiles = page.split('data-testid="kpi-tile"')[1:]
    [rr_tile] = [t for t in tiles if "Re-referral rate" in t.split("</h2>")[0]]
    [cin_tile] = [t for t in tiles if "Children in need" in t.split("</h2>")[0]]
    assert 'data-testid="definition-break"' in rr_tile
    assert f"New definition {NOTE}." in text_of(rr_tile)  # in words, not only a colour
    assert "Oct 2025 (new definition)" in text_of(rr_tile)  # the chart's table marks the month
    assert 'data-testid="definition-break"' not in cin_tile and "new definition" not in text_of(cin_tile).lower()


def test_the_kpi_page_and_the_tile_read_the_same_break(client, tenant_a, kpis):
    client.force_login(tenant_a.officer)
    page = client.get(reverse("performance:kpi-detail", args=[kpis["rr"].pk])).content.decode()
    assert "The definition changed from October 2025: Counts accepted referrals only." in page
    assert page.count("New definition</strong>") == 1
    tiles, _ = tiles_for(tenant_a.body, charts_on=False)
    [rr_tile] = [t for t in tiles if t.kpi == kpis["rr"]]
    assert [b.effective_from for b in rr_tile.breaks] == [OCTOBER_2025]


def test_the_dashboard_reads_the_breaks_without_another_query(tenant_a, kpis):
    with CaptureQueriesContext(connection) as ctx:
        tiles, _ = tiles_for(tenant_a.body, charts_on=False)
    assert len(tiles) == 2 and len(ctx.captured_queries) <= 6  # 6: the data version SPC is cached by
    assert {t.kpi.code: len(t.breaks) for t in tiles} == {"RR1": 1, "CIN1": 0}


def test_the_report_notes_the_break_by_the_kpi_and_its_chart(tenant_a, kpis, django_capture_on_commit_callbacks):
    draft = ReportDraftFactory(delivery_body=tenant_a.body, created_by=tenant_a.officer)
    section = kpi_section(draft)
    assert f"RR1 Re-referral rate: {NOTE}." in section.notes
    assert not any("CIN1" in note for note in section.notes)
    [rr_chart] = [c for c in section.charts if c.title.startswith("RR1")]
    [cin_chart] = [c for c in section.charts if c.title.startswith("CIN1")]
    assert rr_chart.notes == [f"{NOTE}."] and NOTE in rr_chart.alt
    assert cin_chart.notes == [] and "Definition changed" not in cin_chart.alt
    text = " ".join(pdf_of(tenant_a, django_capture_on_commit_callbacks).split())
    assert f"RR1 Re-referral rate: {NOTE}." in text
    assert f"New definition: {NOTE}." in text
