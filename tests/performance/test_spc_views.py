"""Statistical process control where it shows (ADR 0305): the KPI page (chart, limits, each month's signal), each
dashboard tile (variation and assurance in words), the API series and the PDF's KPI appendix, all read from the
one positions read model, so they agree on every point's signal."""

import re
from datetime import date
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from performance.dashboard import tiles_for
from performance.models import KpiDefinition
from performance.positions import read_positions
from reports.sections import kpi_section
from tests.reports.factories import ReportDraftFactory, make_kpi, make_return
from trustgov.core.dates import add_months

pytestmark = pytest.mark.django_db

AUG_2024, MARCH_2026 = date(2024, 8, 1), date(2026, 3, 1)
# 20 months of a re-referral rate (%, lower is better): 19, 21 alternating for 19 months, then 30 in March 2026.
#   mean = (9 × 40 + 19 + 30) / 20 = 409 / 20 = 20.45
#   moving ranges: eighteen of 2, then 11 (19 to 30); mMR = 47 / 19; 2.66 × 47 / 19 = 125.02 / 19 = 6.58
#   limits 20.45 ± 6.58 = 13.87 and 27.03: March's 30 lies above the upper limit, a concerning special cause.
#   The 2025/26 target of 22% lies between the limits: hit and miss.
VALUES = ["19.00", "21.00"] * 9 + ["19.00", "30.00"]
MONTHS = [add_months(AUG_2024, i) for i in range(20)]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(date(2026, 4, 20), tick=False):
        yield


@pytest.fixture
def rr(tenant_a):
    kpi = make_kpi(tenant_a.body, "RR1", "Re-referral rate", target="22.00", tolerance="2.00", polarity="lower")
    for month, value in zip(MONTHS, VALUES, strict=True):
        make_return(tenant_a.body, month, {kpi: value}, user=tenant_a.trust_exec)
    return kpi


def text_of(html: str) -> str:
    """The text a reader gets: tags dropped, and the icons too (hidden from assistive technology)."""
    html = re.sub(r'<svg [^>]*aria-hidden="true".*?</svg>', " ", html, flags=re.DOTALL)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def by_testid(html: str, name: str) -> list[str]:
    return [text_of(m) for m in re.findall(rf'data-testid="{name}"[^>]*>(.*?)</(?:p|dd|table)>', html, re.DOTALL)]


def table_rows(html: str, name: str) -> list[list[str]]:
    table = re.search(rf'data-testid="{name}".*?</table>', html, re.DOTALL)[0]
    return [
        [text_of(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.DOTALL)
        if "<td" in row
    ]


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


CONCERNING = "Special cause: concerning March 2026: above the upper process limit"
HIT_AND_MISS = "Hit and miss The target lies between the process limits: some months will meet it, some will not"
LIMITS = "Mean 20.45%, process limits 13.87% to 27.03% (baseline from August 2024)"


def test_the_kpi_page_shows_variation_assurance_limits_and_each_months_signal(client, rr, tenant_a):
    client.force_login(tenant_a.officer)
    page = client.get(rr.get_absolute_url()).content.decode()
    assert by_testid(page, "spc-variation") == [CONCERNING]
    assert by_testid(page, "spc-assurance") == [HIT_AND_MISS]
    assert by_testid(page, "spc-limits") == [LIMITS]
    rows = table_rows(page, "spc-table")
    assert len(rows) == 20
    assert rows[0] == ["Aug 2024", "19%", "Common cause"]
    assert rows[-1] == ["Mar 2026", "30%", "Special cause: concerning (above the upper process limit)"]
    # the chart draws the mean and process limits and names the special cause in its legend and its label
    chart = re.search(r"<svg [^>]*aria-label=\"([^\"]*)\"", page)
    assert "1 special cause: concerning" in unescape(chart[1])
    assert "Process limits" in page and "Special cause: concerning" in page
    # icons are decoration: hidden, with the words beside them
    assert 'data-testid="spc-icon"' in page and 'aria-hidden="true" focusable="false" data-testid="spc-icon"' in page


def test_each_dashboard_tile_shows_variation_and_assurance_in_words(client, rr, tenant_a):
    client.force_login(tenant_a.officer)
    page = client.get(reverse("performance:dashboard"), {"body": tenant_a.body.slug}).content.decode()
    assert by_testid(page, "spc-variation") == [CONCERNING]
    assert by_testid(page, "spc-assurance") == [HIT_AND_MISS]
    assert "Special cause: concerning (above the upper process limit)" in text_of(page)  # the tile's table


def test_the_api_series_gives_limits_variation_assurance_and_each_points_signal(rr, tenant_a):
    body = api(tenant_a.officer).get(f"/api/v1/performance/kpis/{rr.pk}/series/").json()
    assert {k: body[k] for k in ("mean", "upper_limit", "lower_limit", "baseline_from", "variation", "assurance")} == {
        "mean": "20.45",
        "upper_limit": "27.03",
        "lower_limit": "13.87",
        "baseline_from": "2024-08",
        "variation": "special_cause_concerning",
        "assurance": "hit_and_miss",
    }
    assert body["baselines"] == [
        {
            "baseline_from": "2024-08",
            "points": 20,
            "recalculated": False,
            "mean": "20.45",
            "upper_limit": "27.03",
            "lower_limit": "13.87",
        }
    ]
    assert [p["signal"] for p in body["points"]] == ["common_cause"] * 19 + ["special_cause_concerning"]
    assert body["points"][-1]["rule"] == "outside_limits" and body["points"][0]["rule"] is None
    # ?from= lists fewer months; the signals still come from the whole series up to ?to=
    recent = api(tenant_a.officer).get(f"/api/v1/performance/kpis/{rr.pk}/series/", {"from": "2026-02"}).json()
    assert [p["signal"] for p in recent["points"]] == ["common_cause", "special_cause_concerning"]
    assert recent["mean"] == "20.45"
    # to a month before March: 19 points, every one common cause, different limits
    earlier = api(tenant_a.officer).get(f"/api/v1/performance/kpis/{rr.pk}/series/", {"to": "2026-02"}).json()
    assert (earlier["mean"], earlier["variation"]) == ("19.95", "common_cause")


def test_the_openapi_schema_documents_the_spc_fields(client, tenant_a):
    client.force_login(tenant_a.officer)
    schemas = client.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]

    def enum(prop: dict) -> list[str]:
        return schemas[prop["allOf"][0]["$ref"].rsplit("/", 1)[1]]["enum"]

    series = schemas["KpiSeries"]["properties"]
    assert {"mean", "upper_limit", "lower_limit", "baseline_from", "variation", "assurance", "baselines"} <= set(series)
    assert "2.66" in series["upper_limit"]["description"]
    assert enum(series["variation"]) == [
        "common_cause",
        "special_cause_improving",
        "special_cause_concerning",
        "no_limits",
    ]
    assert "hit_and_miss" in enum(series["assurance"])
    point = schemas["KpiSeriesPoint"]["properties"]
    assert enum(point["signal"]) == enum(series["variation"])  # one set, one name
    assert enum(point["rule"]) == ["outside_limits", "two_of_three", "shift", "trend"] and point["rule"]["nullable"]


def test_the_pdf_kpi_appendix_says_variation_and_assurance(rr, tenant_a):
    draft = ReportDraftFactory(delivery_body=tenant_a.body, created_by=tenant_a.officer)
    section = kpi_section(draft, with_charts=False)
    [spc_table] = [t for t in section.tables if t.caption.startswith("Statistical process control")]
    assert [c.text for c in spc_table.rows[0]] == [
        "RR1 Re-referral rate",
        "Special cause: concerning (March 2026: above the upper process limit)",
        "Hit and miss (the target lies between the process limits: some months will meet it, some will not)",
        LIMITS,
    ]


def test_page_tile_api_and_pdf_agree_on_every_signal(client, rr, tenant_a):
    client.force_login(tenant_a.officer)
    page_rows = table_rows(client.get(rr.get_absolute_url()).content.decode(), "spc-table")
    [tile], _ = tiles_for(tenant_a.body, charts_on=False)
    api_points = api(tenant_a.officer).get(f"/api/v1/performance/kpis/{rr.pk}/series/").json()["points"]
    truth = read_positions([rr], start=AUG_2024, end=MARCH_2026, spc=True).spc(rr)
    for row, point, month in zip(page_rows, api_points, MONTHS, strict=True):
        assert point["signal"] == truth.point(month).signal
        assert row[2] == truth.signal_text(month)
    assert [t[2] for t in tile.table] == [truth.signal_text(m) for m in MONTHS[-13:]]
    draft = ReportDraftFactory(delivery_body=tenant_a.body, created_by=tenant_a.officer)
    [spc_table] = [t for t in kpi_section(draft, with_charts=False).tables if "process control" in t.caption]
    assert spc_table.rows[0][1].text == truth.variation_text


def test_fewer_than_fifteen_points_are_labelled_on_the_page_and_the_tile(client, tenant_a):
    kpi = make_kpi(tenant_a.body, "RR1", "Re-referral rate", polarity="lower")
    for month, value in zip(MONTHS[-10:], VALUES[-10:], strict=True):
        make_return(tenant_a.body, month, {kpi: value}, user=tenant_a.trust_exec)
    client.force_login(tenant_a.officer)
    page = client.get(kpi.get_absolute_url()).content.decode()
    assert by_testid(page, "spc-limits") == ["Fewer than 15 points: no limits yet"]
    assert by_testid(page, "spc-variation") == ["Fewer than 15 points: no limits yet Variation is not judged yet"]
    assert by_testid(page, "spc-assurance") == ["No assurance Fewer than 15 points: no limits yet"]
    assert "Process limits" not in page
    dashboard = client.get(reverse("performance:dashboard"), {"body": tenant_a.body.slug}).content.decode()
    assert "Fewer than 15 points: no limits yet" in by_testid(dashboard, "spc-variation")[0]
    body = api(tenant_a.officer).get(f"/api/v1/performance/kpis/{kpi.pk}/series/").json()
    assert (body["mean"], body["upper_limit"], body["variation"], body["assurance"]) == (
        None,
        None,
        "no_limits",
        "no_limits",
    )
    assert {p["signal"] for p in body["points"]} == {"no_limits"}


def test_a_definition_change_recalculates_the_baseline_and_the_page_shows_the_break(client, rr, tenant_a):
    KpiDefinition.objects.create(kpi=rr, effective_from=None, definition="Re-referrals within 12 months")
    KpiDefinition.objects.create(
        kpi=rr, effective_from=MONTHS[5], definition="Re-referrals within 12 months (new)", reason="DfE guidance"
    )
    client.force_login(tenant_a.officer)
    page = client.get(rr.get_absolute_url()).content.decode()
    assert by_testid(page, "spc-recalculated") == [
        "Baseline recalculated from January 2025 (definition changed: DfE guidance): the mean and process limits "
        "are computed afresh from that month."
    ]
    rows = table_rows(page, "spc-table")
    assert rows[5][0] == "Jan 2025 New baseline"
    assert [r[2] for r in rows[:5]] == ["No limits yet"] * 5  # five months before the change: too few
    body = api(tenant_a.officer).get(f"/api/v1/performance/kpis/{rr.pk}/series/").json()
    assert [(b["baseline_from"], b["points"], b["recalculated"]) for b in body["baselines"]] == [
        ("2024-08", 5, False),
        ("2025-01", 15, True),
    ]
    assert body["baseline_from"] == "2025-01"


def test_spc_adds_no_query_to_the_dashboard_or_the_kpi_page(client, rr, tenant_a):
    with CaptureQueriesContext(connection) as dashboard:
        tiles, _ = tiles_for(tenant_a.body, charts_on=False)
        [t.spc.variation_text for t in tiles]
    # 6: one of them the trust's data version its SPC readings are cached by (spc_cache)
    assert len(dashboard.captured_queries) <= 6
    with CaptureQueriesContext(connection) as read:
        positions = read_positions([rr], start=MARCH_2026, end=MARCH_2026, spc=True)
        assert positions.spc(rr).variation_text.startswith("Special cause: concerning")
    # figures (the whole series), targets, benchmarks, definition changes, recorded recalculations: whatever the
    # number of KPIs or months
    assert len(read.captured_queries) == 5


# --- a baseline recalculated from a month for a new contract or a service change -------------------------------


def test_an_officer_recalculates_the_baseline_from_a_month_and_every_place_shows_the_break(client, rr, tenant_a):
    client.force_login(tenant_a.officer)
    url = reverse("performance:baseline-add", kwargs={"pk": rr.pk})
    assert url in client.get(rr.get_absolute_url()).content.decode()  # the KPI page links to it
    response = client.post(
        url,
        {
            "effective_from_0": "1",
            "effective_from_1": "1",
            "effective_from_2": "2025",
            "reason": "new_contract",
            "note": "Second contract with the trust",
        },
    )
    assert response.status_code == 302 and response["Location"] == rr.get_absolute_url()
    page = client.get(rr.get_absolute_url()).content.decode()
    assert by_testid(page, "spc-recalculated") == [
        "Baseline recalculated from January 2025 (a new contract: Second contract with the trust): the mean and "
        "process limits are computed afresh from that month."
    ]
    dashboard = client.get(reverse("performance:dashboard"), {"body": tenant_a.body.slug}).content.decode()
    series = api(tenant_a.officer).get(f"/api/v1/performance/kpis/{rr.pk}/series/").json()
    assert [(b["baseline_from"], b["points"]) for b in series["baselines"]] == [("2024-08", 5), ("2025-01", 15)]
    # From January 2025: 21, 19, ... 19, 30 (15 points): 30 still lies above the new baseline's upper limit.
    assert series["variation"] == "special_cause_concerning" and series["baseline_from"] == "2025-01"
    assert by_testid(dashboard, "spc-variation") == [CONCERNING]
    kpi = api(tenant_a.officer).get(f"/api/v1/performance/kpis/{rr.pk}/").json()
    assert kpi["baseline_recalculations"] == [
        {"effective_from": "2025-01", "reason": "new_contract", "note": "Second contract with the trust"}
    ]


def test_recalculating_a_baseline_is_checked_and_recorded_in_history(client, rr, tenant_a):
    from performance import services
    from performance.models import KpiBaseline

    officer = api(tenant_a.officer)
    url = f"/api/v1/performance/kpis/{rr.pk}/recalculate-baseline/"
    ok = officer.post(url, {"effective_from": "2025-06", "reason": "service_change", "note": "Front door"}, "json")
    assert ok.status_code == 201 and ok.json()["baseline_recalculations"][0]["effective_from"] == "2025-06"
    again = officer.post(url, {"effective_from": "2025-06", "reason": "service_change", "note": "Again"}, "json")
    assert again.status_code == 400 and "effective_from" in str(again.json())
    no_note = officer.post(url, {"effective_from": "2025-07", "reason": "new_contract", "note": " "}, "json")
    assert no_note.status_code == 400
    bad = officer.post(url, {"effective_from": "2025-07", "reason": "whim", "note": "x"}, "json")
    assert bad.status_code == 400 and "reason" in str(bad.json())
    KpiDefinition.objects.create(kpi=rr, effective_from=date(2025, 9, 1), definition="New")
    with pytest.raises(Exception, match="definition changed from September 2025"):
        services.kpi_baseline_recalculate(
            user=tenant_a.officer, kpi=rr, effective_from=date(2025, 9, 1), reason="new_contract", note="x"
        )
    # only a council officer: the trust cannot move its own limits
    refused = api(tenant_a.trust_exec).post(
        url, {"effective_from": "2025-08", "reason": "new_contract", "note": "x"}, "json"
    )
    assert refused.status_code == 403
    client.force_login(tenant_a.trust_exec)
    assert client.get(reverse("performance:baseline-add", kwargs={"pk": rr.pk})).status_code == 403
    [baseline] = KpiBaseline.objects.filter(kpi=rr)
    assert baseline.history.get().history_type == "+"
