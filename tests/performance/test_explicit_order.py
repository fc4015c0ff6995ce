"""Returns, versions, figures and targets have no default order: each list that shows them in one asks for it."""

from datetime import date
from decimal import Decimal as D

import pytest
import time_machine
from rest_framework.test import APIClient

from performance import services
from performance.services import Figures

from .factories import small_catalogue


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(date(2025, 7, 10), tick=False):
        yield


def api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_the_returns_api_lists_versions_by_number_and_figures_in_catalogue_order(tenant_a):
    small_catalogue(tenant_a.body)
    # Entered in the reverse of the catalogue's order, then corrected: the rows are written in that order.
    figures = {
        "CIN": Figures(value=D("1650")),
        "AS45": Figures(numerator=D("170"), denominator=D("200")),
        "RR": Figures(numerator=D("40"), denominator=D("200")),
    }
    for reason in ("", "A late referral"):
        services.return_record(
            delivery_body=tenant_a.body,
            period=date(2025, 6, 1),
            user=tenant_a.trust_exec,
            figures=figures,
            submit=True,
            reason=reason,
        )
    response = api(tenant_a.officer).get("/api/v1/performance/returns/")
    assert response.status_code == 200
    (ret,) = response.json()["results"]
    assert [v["number"] for v in ret["versions"]] == [1, 2]
    for version in ret["versions"]:
        assert [v["kpi"] for v in version["values"]] == ["RR", "AS45", "CIN"]


def test_the_targets_api_pages_by_kpi_then_year(tenant_a):
    kpis = small_catalogue(tenant_a.body, years=(2025, 2024))  # created newest year first
    response = api(tenant_a.officer).get("/api/v1/performance/targets/")
    assert response.status_code == 200
    rows = [(r["kpi"], r["financial_year"]) for r in response.json()["results"]]
    by_kpi = sorted(kpis, key=lambda code: kpis[code].pk)
    assert rows == [(code, year) for code in by_kpi for year in (2024, 2025)]
