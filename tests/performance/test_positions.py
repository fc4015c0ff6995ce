"""The performance read model: one position per KPI and month, shown alike on every screen, the API,
exports and the PDF; provisional figures marked wherever they show; a fixed number of queries."""

import csv
import io
import re
from datetime import date
from decimal import Decimal as D
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from performance.dashboard import tiles_for
from performance.positions import RAG, format_value, read_positions
from reports import services as report_services
from reports.models import GeneratedReport, ReportType
from tests.reports.conftest import pdf_text, read_pdf
from tests.reports.factories import ReportDraftFactory, make_kpi, make_return
from trustgov.core.dates import add_months

pytestmark = pytest.mark.django_db

FEB, MARCH = date(2026, 2, 1), date(2026, 3, 1)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def text_of(html: str) -> str:
    """A page's text, tags dropped and whitespace collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def by_testid(html: str, name: str) -> str:
    match = re.search(rf'data-testid="{name}"[^>]*>(.*?)</(?:p|dd|table)>', html, re.DOTALL)
    assert match, f"no {name} on the page"
    return text_of(match.group(1))


def export_rows(client, kpi, **params) -> list[dict]:
    url = reverse("performance:kpi-export", kwargs={"pk": kpi.pk})
    response = client.get(url, {"format": "csv", **params})
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def pdf_of(tenant, django_capture_on_commit_callbacks, report_type=ReportType.CABINET) -> str:
    draft = ReportDraftFactory(delivery_body=tenant.body, created_by=tenant.officer, report_type=report_type)
    with django_capture_on_commit_callbacks(execute=True):
        [report] = report_services.report_generate(draft=draft, user=tenant.officer)
    return pdf_text(read_pdf(GeneratedReport.objects.get(pk=report.pk)))


@pytest.fixture
def rr(tenant_a):
    """RR1 (a percentage, lower is better, target 22 within 2): February accepted at 25, March accepted at 23.5."""
    kpi = make_kpi(tenant_a.body, "RR1", "Re-referral rate", target="22.00", tolerance="2.00", polarity="lower")
    make_return(tenant_a.body, FEB, {kpi: "25.00"}, user=tenant_a.trust_exec)
    return kpi


# --- one formatter, one label map -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        ("23.50", "percentage", "23.5%"),
        ("22.00", "percentage", "22%"),
        ("0.00", "percentage", "0%"),
        ("412.25", "rate_per_10000", "412.25 per 10,000"),
        ("1234.00", "count", "1,234"),
        ("23.00", "days", "23 days"),
        ("1.50", "ratio", "1.5"),
    ],
)
def test_one_unit_formatter(value, unit, text):
    assert format_value(D(value), unit) == text
    assert format_value(None, unit) == ""


def test_one_rag_label_map():
    assert {k: (v.word, v.long()) for k, v in RAG.items()} == {
        "green": ("Green", "Green: on target"),
        "amber": ("Amber", "Amber: within tolerance"),
        "red": ("Red", "Red: off target"),
        "grey": ("Grey", "Grey: not rated"),
    }


# --- the position itself ----------------------------------------------------------------------


def test_a_position_carries_figure_target_rag_travel_benchmark_and_version(tenant_a, rr):
    make_return(tenant_a.body, MARCH, {rr: "23.50"}, user=tenant_a.trust_exec, versions=2)
    rr.benchmarks.create(kind="england", year="2024-25", value=D("21.40"), source="DfE CIN census")
    p = read_positions([rr], start=MARCH, end=MARCH).at(rr, MARCH)
    assert (p.value, p.value_text, p.target, p.tolerance, p.target_year_label) == (
        D("23.50"),
        "23.5%",
        D("22.00"),
        D("2.00"),
        "2025/26",
    )
    assert (p.rag, p.rag_word, p.rag_label, p.rag_tag) == ("amber", "Amber", "Amber: within tolerance", "yellow")
    assert (p.previous, p.previous_period, p.travel, p.vs_last_month) == (D("25.00"), FEB, "improving", "improving")
    assert (p.benchmark_text, p.benchmark_year) == ("21.4%", "2024-25")
    assert (p.version, p.status, p.accepted, p.provisional) == (2, "accepted", True, False)


def test_grey_says_why(tenant_a, rr):
    p = read_positions([rr], start=MARCH, end=MARCH).at(rr, MARCH)
    assert (p.rag, p.rag_label, p.value_label) == ("grey", "Grey: no value", "No value")
    april = date(2026, 4, 1)  # 2026/27 has no target
    make_return(tenant_a.body, april, {rr: "20.00"}, user=tenant_a.trust_exec)
    assert read_positions([rr], start=april, end=april).at(rr, april).rag_label == "Grey: no target for 2026/27"


def test_as_of_reads_the_figures_as_they_stood(tenant_a, rr):
    from django.utils import timezone

    ret = make_return(tenant_a.body, MARCH, {rr: "23.50"}, user=tenant_a.trust_exec, versions=2)
    v1, v2 = ret.versions.order_by("number")
    v1.submitted_at = timezone.make_aware(timezone.datetime(2026, 4, 10, 12))
    v1.save()
    v2.submitted_at = timezone.make_aware(timezone.datetime(2026, 4, 20, 12))
    v2.save()
    ret.accepted_at = timezone.make_aware(timezone.datetime(2026, 4, 25, 12))
    ret.save()
    then = read_positions([rr], start=MARCH, end=MARCH, as_of=timezone.make_aware(timezone.datetime(2026, 4, 15)))
    p = then.at(rr, MARCH)
    assert (p.version, p.value, p.provisional) == (1, D("18.50"), True)  # version 1, not yet accepted
    later = read_positions([rr], start=MARCH, end=MARCH, as_of=timezone.make_aware(timezone.datetime(2026, 4, 30)))
    assert (later.at(rr, MARCH).version, later.at(rr, MARCH).provisional) == (2, False)


def test_query_count_does_not_grow_with_trusts_kpis_or_months(tenant_a, tenant_b):
    def build(tenant, kpis: int, months: int):
        made = [
            make_kpi(tenant.body, f"K{i}", f"Indicator {i}", target="50.00", tolerance="5.00", polarity="higher")
            for i in range(kpis)
        ]
        for m in range(months):
            make_return(
                tenant.body, add_months(date(2024, 1, 1), m), {k: "48.00" for k in made}, user=tenant.trust_exec
            )
        return made

    small = build(tenant_a, 1, 2)
    with CaptureQueriesContext(connection) as few:
        read = read_positions(small, start=date(2024, 1, 1), end=date(2024, 2, 1))
        [p.rag for k in small for p in read.series(k)]
    many = small + build(tenant_b, 4, 24)
    with CaptureQueriesContext(connection) as lots:
        read = read_positions(many, start=date(2024, 1, 1), end=date(2025, 12, 1))
        rags = [p.rag for k in many for p in read.series(k)]
    assert len(few.captured_queries) == len(lots.captured_queries) == 3
    assert "amber" in rags
    with CaptureQueriesContext(connection) as dashboard:
        tiles, _ = tiles_for(tenant_b.body, charts_on=False)
    # 6: one of them the trust's data version its SPC readings are cached by (spc_cache)
    assert len(tiles) == 4 and len(dashboard.captured_queries) <= 6


# --- every place shows the same value, RAG and unit -------------------------------------------


def test_every_screen_the_api_the_export_and_the_pdf_agree(tenant_a, rr, client, django_capture_on_commit_callbacks):
    make_return(tenant_a.body, MARCH, {rr: "23.50"}, user=tenant_a.trust_exec, versions=2)
    truth = read_positions([rr], start=MARCH, end=MARCH).at(rr, MARCH)
    assert (truth.value_text, truth.rag_word, truth.unit) == ("23.5%", "Amber", "percentage")
    client.force_login(tenant_a.officer)

    dashboard = client.get(reverse("performance:dashboard"), {"body": tenant_a.body.slug}).content.decode()
    assert by_testid(dashboard, "kpi-value") == "23.5%"
    assert "Amber: within tolerance" in text_of(dashboard)

    kpi_page = client.get(rr.get_absolute_url()).content.decode()
    assert by_testid(kpi_page, "kpi-latest").startswith("March 2026: 23.5% Amber (target 22% for 2025/26)")

    comparison = text_of(client.get(reverse("performance:comparison"), {"kpi": "RR1"}).content.decode())
    assert f"{tenant_a.body.name} Mar 2026 23.5% 22% Amber" in comparison

    rag = api(tenant_a.officer).get("/api/v1/performance/kpis/rag/", {"period": "2026-03"}).json()["results"]
    [row] = [r for r in rag if r["kpi"] == "RR1"]
    assert (row["value"], row["display"], row["rag"], row["unit"], row["version"]) == (
        "23.50",
        "23.5%",
        "amber",
        "percentage",
        2,
    )
    series = api(tenant_a.officer).get(f"/api/v1/performance/kpis/{rr.pk}/series/", {"from": "2026-03"}).json()
    [point] = series["points"]
    assert (point["value"], point["display"], point["rag"], series["unit"]) == ("23.50", "23.5%", "amber", "percentage")

    [current] = [r for r in export_rows(client, rr) if r["Month"] == "2026-03" and r["Figures"] != "Superseded"]
    assert (current["Value"], current["Shown as"], current["RAG"], current["Version"]) == (
        "23.50",
        "23.5%",
        "amber",
        "2",
    )

    assert "RR1 Re-referral rate 23.5% 22% Amber Improving (from 25%)" in pdf_of(
        tenant_a, django_capture_on_commit_callbacks
    )


# --- provisional figures ----------------------------------------------------------------------


@pytest.fixture
def march_submitted(tenant_a, rr):
    """March is submitted (23.5), not yet accepted: a provisional figure. February (25) is accepted."""
    return make_return(tenant_a.body, MARCH, {rr: "23.50"}, user=tenant_a.trust_exec, accepted=False)


def test_the_dashboard_marks_a_provisional_figure_and_can_show_accepted_only(client, tenant_a, rr, march_submitted):
    client.force_login(tenant_a.officer)
    url = reverse("performance:dashboard")
    page = client.get(url).content.decode()
    assert by_testid(page, "kpi-value") == "23.5% (provisional)"
    assert by_testid(page, "kpi-source") == "Version 1, submitted: provisional until the council accepts it"
    assert "figures=accepted" in page  # the toggle
    accepted = client.get(url, {"figures": "accepted"}).content.decode()
    assert by_testid(accepted, "kpi-value") == "25%"
    assert "provisional)" not in accepted and "February 2026" in accepted


def test_the_kpi_page_marks_provisional_rows(client, tenant_a, rr, march_submitted):
    client.force_login(tenant_a.officer)
    page = client.get(rr.get_absolute_url()).content.decode()
    assert by_testid(page, "kpi-latest").startswith("March 2026: 23.5% (provisional) Amber Provisional")
    assert "23.5% (provisional)" in by_testid(page, "kpi-values")
    accepted = client.get(rr.get_absolute_url(), {"figures": "accepted"}).content.decode()
    assert "23.5%" not in accepted and "(provisional)" not in accepted
    assert by_testid(accepted, "kpi-latest").startswith("February 2026: 25% Red")


def test_the_comparison_marks_provisional_figures(client, tenant_a, rr, march_submitted):
    client.force_login(tenant_a.officer)
    url = reverse("performance:comparison")
    page = text_of(client.get(url, {"kpi": "RR1"}).content.decode())
    assert "Mar 2026 23.5% (provisional) 22% Amber Provisional" in page
    accepted = text_of(client.get(url, {"kpi": "RR1", "figures": "accepted"}).content.decode())
    assert "Feb 2026 25% 22% Red" in accepted and "provisional)" not in accepted


def test_the_api_says_provisional_and_can_give_accepted_only(tenant_a, rr, march_submitted):
    client = api(tenant_a.officer)
    [row] = client.get("/api/v1/performance/kpis/rag/", {"period": "2026-03"}).json()["results"]
    assert (row["value"], row["provisional"]) == ("23.50", True)
    [row] = client.get("/api/v1/performance/kpis/rag/", {"period": "2026-03", "figures": "accepted"}).json()["results"]
    assert (row["value"], row["rag"], row["provisional"]) == (None, "grey", False)
    points = client.get(f"/api/v1/performance/kpis/{rr.pk}/series/").json()["points"]
    assert [(p["period"], p["provisional"]) for p in points] == [("2026-02", False), ("2026-03", True)]
    accepted = client.get(f"/api/v1/performance/kpis/{rr.pk}/series/", {"figures": "accepted"}).json()["points"]
    assert [p["period"] for p in accepted] == ["2026-02"]
    refused = client.get("/api/v1/performance/kpis/rag/", {"period": "2026-03", "figures": "some"})
    assert refused.status_code == 400 and "figures" in refused.json()["errors"]


def test_the_export_has_a_figures_column(client, tenant_a, rr, march_submitted):
    client.force_login(tenant_a.officer)
    rows = {r["Month"]: r["Figures"] for r in export_rows(client, rr)}
    assert rows == {"2026-02": "Accepted", "2026-03": "Provisional"}
    assert {r["Month"] for r in export_rows(client, rr, figures="accepted")} == {"2026-02"}


def test_the_pdf_carries_accepted_figures_only(tenant_a, rr, march_submitted, django_capture_on_commit_callbacks):
    text = pdf_of(tenant_a, django_capture_on_commit_callbacks, ReportType.SCRUTINY)
    assert "RR1 Re-referral rate 25% 22% Red" in text
    assert "23.5%" not in text and "provisional" not in text.lower()


def test_the_return_page_marks_the_version_provisional(client, tenant_a, march_submitted):
    client.force_login(tenant_a.scrutiny)
    page = client.get(march_submitted.get_absolute_url()).content.decode()
    assert "Version 1 <strong" in page and "Provisional</strong>" in page


def test_scrutiny_sees_no_unmarked_provisional_figure(client, tenant_a, rr, march_submitted):
    client.force_login(tenant_a.scrutiny)
    pages = [
        client.get(reverse("performance:dashboard")).content.decode(),
        client.get(rr.get_absolute_url()).content.decode(),
        client.get(reverse("performance:comparison"), {"kpi": "RR1"}).content.decode(),
    ]
    for page in pages:
        shown = text_of(page)
        assert shown.count("23.5%") == shown.count("23.5% (provisional)") >= 1


def test_the_council_can_set_scrutiny_to_accepted_figures_only(client, tenant_a, rr, march_submitted, settings):
    settings.PERFORMANCE_SCRUTINY_FIGURES = "accepted"
    client.force_login(tenant_a.scrutiny)
    pages = [
        client.get(reverse("performance:dashboard"), {"figures": "all"}).content.decode(),
        client.get(rr.get_absolute_url()).content.decode(),
        client.get(reverse("performance:comparison"), {"kpi": "RR1"}).content.decode(),
    ]
    for page in pages:
        assert "23.5%" not in page and "(provisional)" not in page
        assert "Showing figures the council has accepted only." in page
        assert "Show every submitted figure" not in page  # no way round it
    assert {r["Month"] for r in export_rows(client, rr)} == {"2026-02"}
    [row] = api(tenant_a.scrutiny).get("/api/v1/performance/kpis/rag/", {"period": "2026-03"}).json()["results"]
    assert row["value"] is None
    client.force_login(tenant_a.officer)  # officers still see the provisional figure, marked
    assert "23.5% (provisional)" in text_of(client.get(reverse("performance:dashboard")).content.decode())


def test_an_unknown_figures_choice_is_refused(client, tenant_a, rr):
    client.force_login(tenant_a.officer)
    assert client.get(reverse("performance:dashboard"), {"figures": "some"}).status_code == 404
