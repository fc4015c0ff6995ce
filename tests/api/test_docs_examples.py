"""The DfE's common questions in docs/api.md, asked through the API as the DfE liaison would."""

import pytest

from .helpers import client_with, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def dfe():
    return client_with(token_for("dfe-liaison"))


def test_all_trusts_rag_for_a_month(dfe):
    kpis = dfe.get("/api/v1/performance/kpis/?page_size=200").json()["results"]
    assert len({k.get("delivery_body") or k.get("trust") for k in kpis}) >= 2, "KPIs of several trusts"
    ratings = []
    for kpi in kpis[:40]:
        series = dfe.get(f"/api/v1/performance/kpis/{kpi['id']}/series/").json()
        ratings += [(series["trust"], p["period"], p["rag"]) for p in series["points"]]
    assert ratings, "the demo has submitted returns with RAG ratings"
    month = ratings[-1][1]
    one_month = dfe.get(f"/api/v1/performance/kpis/{kpis[0]['id']}/series/?from={month}&to={month}").json()
    assert all(p["period"] == month for p in one_month["points"])
    returns = dfe.get(f"/api/v1/performance/returns/?from={month}&to={month}&page_size=200")
    assert returns.status_code == 200


def test_a_kpis_series_for_one_trust(dfe):
    kpis = dfe.get("/api/v1/performance/kpis/?trust=sandwell-trust").json()["results"]
    assert kpis
    series = dfe.get(f"/api/v1/performance/kpis/{kpis[0]['id']}/series/?from=2000-01&to=2999-12").json()
    assert series["trust"] == "sandwell-trust"
    assert {"period", "value", "rag"} <= set(series["points"][0]) if series["points"] else True


def test_open_reserved_matters_awaiting_dfe_consent(dfe):
    body = dfe.get("/api/v1/reserved-matter-requests/?status=awaiting_dfe_consent&ordering=decision_due").json()
    assert body["results"], "the demo has a request awaiting DfE consent"
    assert {r["status"] for r in body["results"]} == {"awaiting_dfe_consent"}
    since = dfe.get("/api/v1/reserved-matter-requests/?updated_since=2000-01-01T00:00:00Z&ordering=updated_at")
    assert since.status_code == 200 and since.json()["count"] >= len(body["results"])
