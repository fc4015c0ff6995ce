"""GET /api/v1/performance/kpis/rag/?period=YYYY-MM: every trust's RAG for a month in one request."""

import pytest
from rest_framework.test import APIClient

from performance.models import Kpi, MonthlyReturn

pytestmark = pytest.mark.django_db

URL = "/api/v1/performance/kpis/rag/"


def client_for(demo_user, username) -> APIClient:
    client = APIClient()
    client.force_authenticate(demo_user(username))
    return client


def a_month_with_submitted_figures() -> str:
    ret = MonthlyReturn.objects.filter(versions__submitted_at__isnull=False).order_by("-period").first()
    return f"{ret.period:%Y-%m}"


def test_the_dfe_reads_every_trusts_kpis_for_a_month_matching_each_series(demo_user):
    period = a_month_with_submitted_figures()
    dfe = client_for(demo_user, "dfe-liaison")
    response = dfe.get(URL, {"period": period, "page_size": 200})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert response.json()["count"] == Kpi.objects.count() == len(rows)
    assert {r["trust"] for r in rows} == set(Kpi.objects.values_list("delivery_body__slug", flat=True))
    assert {r["period"] for r in rows} == {period}
    # Each row says what the KPI's own series says for that month.
    with_values = [r for r in rows if r["value"] is not None]
    assert with_values, "the demo data has submitted figures that month"
    for row in with_values[:5]:
        kpi = Kpi.objects.get(delivery_body__slug=row["trust"], code=row["kpi"])
        series = dfe.get(f"/api/v1/performance/kpis/{kpi.pk}/series/", {"from": period, "to": period}).json()
        point = series["points"][0]
        assert (row["value"], row["rag"], row["version"]) == (point["value"], point["rag"], point["version"])
    assert all(r["rag"] == "grey" for r in rows if r["value"] is None)


def test_a_trust_sees_only_its_own_kpis(demo_user):
    rows = client_for(demo_user, "sandwell-trust-exec").get(URL, {"period": "2026-07", "page_size": 200}).json()
    assert {r["trust"] for r in rows["results"]} == {"sandwell-trust"}
    dfe_rows = client_for(demo_user, "dfe-liaison").get(URL, {"period": "2026-07", "trust": "sandwell-trust"})
    assert dfe_rows.json()["count"] == rows["count"]


@pytest.mark.parametrize("params", [{}, {"period": "2026-13"}, {"period": "July"}])
def test_the_month_is_required_and_must_be_real(demo_user, params):
    response = client_for(demo_user, "dfe-liaison").get(URL, params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "period" in response.json()["errors"]


def test_ordering_by_rag_puts_red_first_and_unknown_orderings_are_refused(demo_user):
    dfe = client_for(demo_user, "dfe-liaison")
    period = a_month_with_submitted_figures()
    rows = dfe.get(URL, {"period": period, "ordering": "rag", "page_size": 200}).json()["results"]
    order = ["red", "amber", "green", "grey"]
    assert [order.index(r["rag"]) for r in rows] == sorted(order.index(r["rag"]) for r in rows)
    refused = dfe.get(URL, {"period": period, "ordering": "value"})
    assert refused.status_code == 400 and "ordering" in refused.json()["errors"]


@pytest.mark.parametrize("ordering", ["trust", "-trust", "kpi", "-kpi"])
def test_pages_are_ordered_and_cut_in_the_database_and_join_up_to_the_whole_month(demo_user, ordering):
    """By trust or by KPI the database orders and pages the KPIs, so a page reads only its own KPIs: the page of 3
    takes as many queries as the page of 30, and pages of 3 join up to the same rows as one page of everything."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    period = a_month_with_submitted_figures()
    dfe = client_for(demo_user, "dfe-liaison")
    whole = dfe.get(URL, {"period": period, "ordering": ordering, "page_size": 200}).json()
    joined, page = [], 1
    while True:
        body = dfe.get(URL, {"period": period, "ordering": ordering, "page_size": 3, "page": page}).json()
        joined += body["results"]
        if not body["next"]:
            break
        page += 1
    assert joined == whole["results"] and len(joined) == whole["count"] == Kpi.objects.count()
    counts = {}
    for size in (3, 30):
        with CaptureQueriesContext(connection) as queries:
            assert dfe.get(URL, {"period": period, "ordering": ordering, "page_size": size}).status_code == 200
        counts[size] = len(queries)
        # The KPIs are cut to the page by the database, not in Python after reading them all.
        assert any(f"LIMIT {size}" in q["sql"] for q in queries.captured_queries), f"no LIMIT {size}"
    assert counts[3] == counts[30], counts
