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


def test_bulk_readers_take_the_month_in_pages_of_up_to_5000_and_other_lists_stay_at_200(demo_user):
    """The RAG list's rows are small and the DfE pulls the month whole: its pages go up to 5,000 (a national month
    is four requests), cut in the database as every page; more is served as 5,000. Every other list stays at 200."""
    body = Kpi.objects.filter(delivery_body__slug="sandwell-trust").first().delivery_body
    Kpi.objects.bulk_create(
        Kpi(delivery_body=body, code=f"BULK{n:03d}", title=f"Bulk {n}", definition="d", unit="count", polarity="higher")
        for n in range(400)
    )
    total = Kpi.objects.count()
    assert total > 400
    period = a_month_with_submitted_figures()
    dfe = client_for(demo_user, "dfe-liaison")
    whole = dfe.get(URL, {"period": period, "page_size": 5000}).json()
    assert len(whole["results"]) == whole["count"] == total and whole["next"] is None
    second = dfe.get(URL, {"period": period, "page_size": 250, "page": 2}).json()
    assert second["results"] == whole["results"][250:500]
    # Every other list stays at 200 a page, the KPI catalogue included.
    catalogue = dfe.get("/api/v1/performance/kpis/", {"page_size": 5000}).json()
    assert catalogue["count"] == total and len(catalogue["results"]) == 200
    refused = dfe.get(URL, {"period": period, "page_size": "0"})
    assert refused.status_code == 400
    assert refused.json()["errors"]["page_size"] == "Enter page_size as a whole number from 1 to 5000."
    other = dfe.get("/api/v1/directions/", {"page_size": "x"}).json()
    assert other["errors"]["page_size"] == "Enter page_size as a whole number from 1 to 200."


def test_a_page_size_past_the_bulk_limit_is_served_as_5000():
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from trustgov.core.pagination import BulkPagination, StandardPagination

    request = Request(APIRequestFactory().get("/", {"page_size": "99999"}))
    assert BulkPagination().get_page_size(request) == 5000
    assert StandardPagination().get_page_size(request) == 200
