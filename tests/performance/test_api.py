"""The API: a trust's system posts a return (same service as the form), reads are scoped, series filter by period."""

from datetime import date

import pytest
import time_machine
from rest_framework.test import APIClient

from performance.models import MonthlyReturn

from .factories import small_catalogue

RETURNS = "/api/v1/performance/returns/"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(date(2025, 7, 10), tick=False):
        yield


def api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def payload(body, **extra):
    return {
        "delivery_body": body.slug,
        "period": "2025-06",
        "submit": True,
        "values": [
            {"kpi": "RR", "numerator": "40", "denominator": "200"},
            {"kpi": "AS45", "numerator": "170", "denominator": "200"},
            {"kpi": "CIN", "value": "1650"},
        ],
        **extra,
    }


@pytest.fixture
def cat(tenant_a):
    return small_catalogue(tenant_a.body)


def test_trust_posts_a_return_and_reads_it_with_versions(tenant_a, cat):
    response = api(tenant_a.trust_exec).post(RETURNS, payload(tenant_a.body), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "submitted" and body["period"] == "2025-06"
    assert body["versions"][0]["values"][0] == {
        "kpi": "RR",
        "value": "20.00",
        "numerator": "40.00",
        "denominator": "200.00",
        "commentary": "",
        "provisional": True,
    }
    again = api(tenant_a.trust_exec).post(RETURNS, payload(tenant_a.body), format="json")
    assert again.status_code == 400 and "already been submitted" in again.json()["errors"]["reason"][0]
    fixed = api(tenant_a.trust_exec).post(RETURNS, payload(tenant_a.body, reason="Recount"), format="json")
    assert fixed.status_code == 201 and [v["number"] for v in fixed.json()["versions"]] == [1, 2]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"values": [{"kpi": "RR", "numerator": "300", "denominator": "200"}]}, "RR-numerator"),
        ({"period": "2025-13"}, "period"),
        ({"period": "2025-08"}, "period"),
        ({"values": [{"kpi": "RR", "numerator": "40", "denominator": "200"}]}, "CIN-value"),  # missing, on submit
        ({"values": [{"kpi": "CIN", "value": "1"}, {"kpi": "CIN", "value": "2"}]}, "values"),  # KPI twice
        ({"values": [{"kpi": "CIN", "value": "lots"}]}, "values"),
        ({"values": [{"kpi": "ZZ", "value": "1"}]}, "kpi"),
    ],
)
def test_bad_posts_are_400_and_save_nothing(tenant_a, cat, change, field):
    response = api(tenant_a.trust_exec).post(RETURNS, {**payload(tenant_a.body), **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not MonthlyReturn.objects.filter(delivery_body=tenant_a.body).exists()


def test_post_for_another_trust_is_refused(tenant_a, tenant_b, cat):
    small_catalogue(tenant_b.body)
    response = api(tenant_a.trust_exec).post(RETURNS, payload(tenant_b.body), format="json")
    assert response.status_code == 404  # not even visible
    assert not MonthlyReturn.objects.filter(delivery_body=tenant_b.body).exists()


def test_scrutiny_cannot_post(tenant_a, cat):
    assert api(tenant_a.scrutiny).post(RETURNS, payload(tenant_a.body), format="json").status_code == 403


def test_reads_are_scoped_and_series_filter_by_period(tenant_a, tenant_b, cat):
    api(tenant_a.trust_exec).post(RETURNS, payload(tenant_a.body), format="json")
    api(tenant_a.trust_exec).post(RETURNS, payload(tenant_a.body, period="2025-05"), format="json")
    kpis = api(tenant_b.officer).get("/api/v1/performance/kpis/").json()
    assert all(k["delivery_body"] != tenant_a.body.slug for k in kpis.get("results", kpis))
    assert api(tenant_b.officer).get(f"/api/v1/performance/kpis/{cat['RR'].pk}/series/").status_code == 404
    series = api(tenant_a.officer).get(f"/api/v1/performance/kpis/{cat['RR'].pk}/series/?from=2025-06").json()
    assert [p["period"] for p in series["points"]] == ["2025-06"]
    assert series["points"][0]["rag"] == "green"
    full = api(tenant_a.officer).get(f"/api/v1/performance/kpis/{cat['RR'].pk}/series/").json()
    assert len(full["points"]) == 2
    targets = api(tenant_a.officer).get("/api/v1/performance/targets/").json()
    assert any(t["kpi"] == "RR" for t in targets.get("results", targets))
    benchmarks = api(tenant_a.officer).get("/api/v1/performance/benchmarks/").json()
    assert any(b["value"] == "22.60" for b in benchmarks.get("results", benchmarks))
    returns = api(tenant_a.officer).get(RETURNS + f"?trust={tenant_a.body.slug}&from=2025-06").json()
    assert [r["period"] for r in returns.get("results", returns)] == ["2025-06"]


def test_each_returned_figure_is_provisional_until_the_council_accepts_the_return(tenant_a, cat):
    from performance import services

    def flags(user) -> list[bool]:
        body = api(user).get(RETURNS).json()["results"][0]
        return [value["provisional"] for version in body["versions"] for value in version["values"]]

    assert api(tenant_a.trust_exec).post(RETURNS, payload(tenant_a.body), format="json").status_code == 201
    ret = MonthlyReturn.objects.get(delivery_body=tenant_a.body)
    assert flags(tenant_a.officer) == [True, True, True]  # submitted
    query = services.return_query(monthly_return=ret, user=tenant_a.officer, kpi=cat["RR"], question="Why?")
    assert flags(tenant_a.officer) == [True, True, True]  # queried
    services.query_reply(query=query, user=tenant_a.trust_exec, text="Duplicates removed.")
    ret.refresh_from_db()
    services.return_accept(monthly_return=ret, user=tenant_a.officer, closing_notes={query.pk: "Thank you."})
    assert flags(tenant_a.officer) == flags(tenant_a.trust_exec) == [False, False, False]


def test_the_schema_documents_the_provisional_flag_as_read_only():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    field = schema["components"]["schemas"]["ReturnValue"]["properties"]["provisional"]
    assert field["type"] == "boolean" and field["readOnly"] is True
    assert "accepted" in field["description"]


def test_on_one_page_each_return_says_provisional_by_its_own_accepted_version(tenant_a, cat):
    # The page writes every return's versions with one serializer; the accepted version that says which figures
    # are provisional is the return's own, never the one written before it.
    from performance import services

    client = api(tenant_a.trust_exec)
    for period in ("2025-05", "2025-06"):
        assert client.post(RETURNS, payload(tenant_a.body, period=period), format="json").status_code == 201
    may = MonthlyReturn.objects.get(delivery_body=tenant_a.body, period=date(2025, 5, 1))
    services.return_accept(monthly_return=may, user=tenant_a.officer, closing_notes={})
    rows = api(tenant_a.officer).get(RETURNS + "?page_size=10").json()["results"]
    flags = {r["period"]: [v["provisional"] for ver in r["versions"] for v in ver["values"]] for r in rows}
    assert flags == {"2025-05": [False, False, False], "2025-06": [True, True, True]}
    assert [v["kpi"] for v in rows[0]["versions"][0]["values"]] == ["RR", "AS45", "CIN"]
