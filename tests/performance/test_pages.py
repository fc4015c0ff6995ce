"""Dashboards, KPI detail, exports, comparison, improvement plan, Ofsted and attention, on the demo data."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from performance.dashboard import tiles_for
from performance.models import Kpi, MonthlyReturn, ReturnValue
from trustgov.core.exports import neutralise
from trustgov.core.navigation import attention_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def sandwell(demo_user):
    return {r: demo_user(f"sandwell-{r}") for r in ("officer", "trust-exec", "scrutiny")}


def test_dashboard_shows_a_tile_per_kpi_with_rag_text_chart_and_benchmark(client, sandwell):
    client.force_login(sandwell["scrutiny"])
    page = client.get(reverse("performance:dashboard")).content.decode()
    kpis = Kpi.objects.filter(delivery_body__slug="sandwell-trust")
    assert page.count('data-testid="kpi-tile"') == kpis.count()
    assert "<svg" in page and 'role="img"' in page
    assert all("<script" not in svg.split("</svg>")[0] for svg in page.split("<svg")[1:])  # no JavaScript needed
    assert "England" in page and "22.6%" in page  # the one unit formatter, as the PDF writes it
    assert any(label in page for label in ("Green: on target", "Amber: within tolerance", "Red: off target"))


def test_dashboard_query_count_does_not_depend_on_history():
    body = Kpi.objects.filter(delivery_body__slug="sandwell-trust").first().delivery_body
    with CaptureQueriesContext(connection) as ctx:
        tiles, _ = tiles_for(body, charts_on=False)
    assert tiles and len(ctx.captured_queries) <= 6


def test_kpi_detail_lists_every_version_and_the_chart(client, sandwell):
    ret = (
        MonthlyReturn.objects.filter(delivery_body__slug="sandwell-trust", versions__number=2)
        .exclude(status="draft")
        .first()
    )
    kpi = ret.versions.first().values.first().kpi
    client.force_login(sandwell["officer"])
    page = client.get(kpi.get_absolute_url()).content.decode()
    assert "(current)" in page and "<svg" in page
    assert page.count(f"{ret.period:%b %Y}</a>") == 2  # version 1 and version 2 both listed


def test_export_neutralises_formula_cells(client, sandwell):
    value = ReturnValue.objects.filter(version__monthly_return__delivery_body__slug="sandwell-trust").first()
    value.commentary = '=HYPERLINK("http://evil")'
    value.save()
    client.force_login(sandwell["officer"])
    url = reverse("performance:kpi-export", kwargs={"pk": value.kpi_id})
    rows = list(csv.reader(io.StringIO(client.get(url + "?format=csv").content.decode())))
    assert any(r[-1] == '\'=HYPERLINK("http://evil")' for r in rows)
    ws = load_workbook(io.BytesIO(client.get(url + "?format=xlsx").content)).active
    cells = [c for row in ws.iter_rows() for c in row]
    assert all(c.data_type != "f" and not str(c.value or "").startswith("=") for c in cells)
    assert '\'=HYPERLINK("http://evil")' in [c.value for c in cells]
    assert [neutralise(v) for v in ["+1", "-1", "@A", "ok", 5]] == ["'+1", "'-1", "'@A", "ok", 5]


def test_export_filters_by_period(client, sandwell):
    kpi = Kpi.objects.get(delivery_body__slug="sandwell-trust", code="RR")
    client.force_login(sandwell["officer"])
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    reverse("performance:kpi-export", kwargs={"pk": kpi.pk}) + "?format=csv&from=2018-04&to=2018-06"
                ).content.decode()
            )
        )
    )
    assert {r[3] for r in rows[1:]} == {"2018-04", "2018-05", "2018-06"}


def test_grace_period_months_are_grey(client, sandwell):
    kpi = Kpi.objects.get(delivery_body__slug="sandwell-trust", code="RR")
    assert kpi.formal_reporting_start.year == 2018 and kpi.formal_reporting_start.month == 10
    client.force_login(sandwell["officer"])
    rows = client.get(
        reverse("performance:kpi-export", kwargs={"pk": kpi.pk}) + "?format=csv&from=2018-04&to=2018-09"
    ).content.decode()
    assert {r[9] for r in list(csv.reader(io.StringIO(rows)))[1:]} == {"grey"}


def test_comparison_for_the_dfe_lists_every_trust(client, demo_user):
    client.force_login(demo_user("dfe-liaison"))
    page = client.get(reverse("performance:comparison") + "?kpi=RR").content.decode()
    for name in ("Sandwell", "Doncaster", "West Sussex", "Bradford"):
        assert name in page


def test_improvement_plan_and_ofsted_trajectory(client, sandwell):
    client.force_login(sandwell["scrutiny"])
    plan = client.get(reverse("performance:improvement-plan")).content.decode()
    for title in ("Leadership", "Workforce", "Voice and Experience of the Child"):
        assert title in plan
    ofsted = client.get(reverse("performance:ofsted")).content.decode()
    assert "Requires improvement to be good" in ofsted and "Inadequate" in ofsted and "Monitoring visit" in ofsted


def test_trust_sees_open_queries_and_officer_sees_returns_to_review(client, sandwell):
    trust_items = [i.title for i in attention_for(sandwell["trust-exec"])]
    assert any(t.startswith("Council query on") for t in trust_items)
    client.force_login(sandwell["officer"])
    page = client.get(reverse("home")).content.decode()
    reviews = page[page.index('data-testid="reviews-waiting"') :]
    assert "Sandwell Children&#x27;s Trust: " in reviews.split("</table>")[0]


def test_scrutiny_does_not_see_query_threads(client, sandwell):
    ret = MonthlyReturn.objects.filter(delivery_body__slug="sandwell-trust", status="queried").first()
    client.force_login(sandwell["scrutiny"])
    page = client.get(ret.get_absolute_url()).content.decode()
    assert 'data-testid="query"' not in page
    client.force_login(sandwell["officer"])
    assert 'data-testid="query"' in client.get(ret.get_absolute_url()).content.decode()


def test_history_page_shows_a_return(client, sandwell):
    ret = MonthlyReturn.objects.filter(delivery_body__slug="sandwell-trust", status="accepted").first()
    client.force_login(sandwell["officer"])
    url = reverse("history", kwargs={"app_label": "performance", "model_name": "monthlyreturn", "pk": ret.pk})
    assert client.get(url).status_code == 200
