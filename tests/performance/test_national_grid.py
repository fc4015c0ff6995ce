"""The national grid (ADR 0308): every trust the user can see × every KPI for one month, on the page, in its
downloads and in the API; sorted, filtered, scoped, with bad input named and a bounded number of queries.

Nothing here names a month: the demo is seeded relative to the day the session starts, so the tests ask the data
which month is the latest, and every request runs with the clock moved far away to show the grid does not read
today's date.
"""

import csv
import io
from datetime import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from performance import grid, positions
from performance.models import Kpi, MonthlyReturn, ReturnValue, ReturnVersion
from trustgov.core.dates import add_months
from trustgov.core.scoping import visible
from trustgov.organisations.models import DeliveryBody

from ..factories import DeliveryBodyFactory
from .factories import small_catalogue

pytestmark = pytest.mark.django_db

URL = reverse("performance:national-grid")
API = "/api/v1/performance/national-grid/"
ELSEWHERE = datetime(2031, 7, 15, 9, 0, tzinfo=timezone.get_current_timezone())  # not the day the demo was seeded


def latest_month():
    return positions.latest_period(Kpi.objects.all())


def get(client, params=None):
    """A GET as the client's user, with the clock far from the day the demo was seeded (signed in then, too)."""
    with time_machine.travel(ELSEWHERE, tick=False):
        client.force_login(client.grid_user)
        return client.get(URL, params or {})


def signed_in(client, user):
    client.grid_user = user
    return client


def rows_of(response) -> list[str]:
    return [r.body.slug for r in response.context["grid"].rows]


def csv_rows(response) -> list[list[str]]:
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def dfe(client, demo_user):
    return signed_in(client, demo_user("dfe-liaison"))


def test_the_dfe_sees_every_demo_trust_for_the_latest_month_with_the_stale_ones_flagged(dfe):
    response = get(dfe)
    assert response.status_code == 200
    table = response.context["grid"]
    latest = latest_month()
    assert table.period == latest  # the latest month any trust has sent
    assert set(rows_of(response)) == set(DeliveryBody.objects.values_list("slug", flat=True))
    rows = {r.body.slug: r for r in table.rows}
    # Bradford has not sent the latest month (the demo's overdue trust); Doncaster stopped in March 2015.
    bradford, doncaster, sandwell = rows["bradford-trust"], rows["doncaster-trust"], rows["sandwell-trust"]
    assert bradford.stale and bradford.last_received == add_months(latest, -1)
    assert doncaster.stale and doncaster.last_received == datetime(2015, 3, 1).date()
    assert not sandwell.stale and sandwell.last_received == latest
    assert {c.state for c in bradford.cells} <= {"not-received", "not-reported"}
    assert all(c.position is None and c.quartile is None for c in bradford.cells)  # no figure of another month
    page = response.content.decode()
    assert page.count('data-testid="stale"') == sum(r.stale for r in table.rows) >= 2
    assert f"Not received for {latest:%B %Y}" in page
    # Sandwell's cells are the read model's positions for the month, with its SPC variation and a quartile.
    read = positions.read_positions(Kpi.objects.filter(delivery_body__slug="sandwell-trust"), start=latest,
                                    end=latest, spc=True)  # fmt: skip
    for cell in sandwell.cells:
        if cell.kpi is None:
            continue
        truth = read.at(cell.kpi, latest)
        assert (cell.value_label, cell.rag) == (truth.value_label, truth.rag)
        assert cell.variation == read.spc(cell.kpi).variation_label
        assert cell.quartile in (1, 2, 3, 4)
        assert truth.value_label in page


def test_quartiles_rank_the_trusts_with_a_figure_for_the_kpi_and_month(dfe):
    table = get(dfe).context["grid"]
    ranked = [(r.cell("RR").position.value, r.cell("RR").quartile) for r in table.rows if r.cell("RR").quartile]
    assert len(ranked) >= 2
    ranked.sort()  # RR: lower is better, so quartiles never fall as the value rises
    assert [q for _, q in ranked] == sorted(q for _, q in ranked)
    assert ranked[0][1] == 1


def test_sort_by_trust_value_and_rag(dfe):
    names = sorted(DeliveryBody.objects.values_list("name", flat=True), key=str.casefold)
    by_trust = get(dfe, {"sort": "trust", "order": "desc"}).context["grid"].rows
    assert [r.body.name for r in by_trust] == names[::-1]
    rows = get(dfe, {"sort": "value", "sort_kpi": "RR"}).context["grid"].rows
    values = [r.cell("RR").position.value for r in rows if r.cell("RR").position]
    assert values == sorted(values) and len(values) >= 2
    assert all(r.cell("RR").position is None for r in rows[len(values) :])  # trusts without a figure go last
    rows = get(dfe, {"sort": "value", "sort_kpi": "RR", "order": "desc"}).context["grid"].rows
    assert [r.cell("RR").position.value for r in rows if r.cell("RR").position] == sorted(values, reverse=True)
    rows = get(dfe, {"sort": "rag", "sort_kpi": "RR"}).context["grid"].rows
    severity = [grid.RAG_SEVERITY[r.cell("RR").rag] for r in rows if r.cell("RR").rag]
    assert severity == sorted(severity)  # red first


def test_filters_by_received_rag_and_kpi(dfe):
    stale = get(dfe, {"received": "stale"}).context["grid"]
    assert {r.body.slug for r in stale.rows} >= {"bradford-trust", "doncaster-trust"}
    assert all(r.stale for r in stale.rows)
    current = get(dfe, {"received": "current"}).context["grid"]
    assert current.rows and not any(r.stale for r in current.rows)
    only_rr = get(dfe, {"kpi": ["RR", "AS45"]}).context["grid"]
    assert [c.code for c in only_rr.columns] == ["RR", "AS45"]
    assert all(len(r.cells) == 2 for r in only_rr.rows)
    for rag in ("green", "amber", "red"):
        rows = get(dfe, {"rag": rag, "kpi": "RR"}).context["grid"].rows
        assert all(r.cell("RR").rag == rag for r in rows)


def test_the_downloads_are_what_the_page_shows(dfe):
    params = {"sort": "value", "sort_kpi": "RR", "order": "desc", "kpi": ["RR", "CL"], "received": "current"}
    page = get(dfe, params).context["grid"]
    rows = csv_rows(get(dfe, {**params, "format": "csv"}))
    assert rows[0] == [*grid.HEADER_FIXED, "RR value", "RR RAG", "RR variation", "RR quartile",
                       "CL value", "CL RAG", "CL variation", "CL quartile"]  # fmt: skip
    assert [r[0] for r in rows[1:]] == [r.body.name for r in page.rows]
    first = page.rows[0]
    assert rows[1][4:8] == [first.cell("RR").value_label, first.cell("RR").rag_word,
                            first.cell("RR").variation_word, first.cell("RR").quartile_label]  # fmt: skip
    response = get(dfe, {**params, "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [[c or "" for c in row] for row in sheet.iter_rows(values_only=True)] == rows


def test_a_formula_in_a_cell_is_neutralised_in_both_downloads(dfe):
    DeliveryBodyFactory(slug="formula-trust", name='=HYPERLINK("http://example.com","Click")')
    rows = csv_rows(get(dfe, {"format": "csv"}))
    names = [r[0] for r in rows[1:]]
    assert '\'=HYPERLINK("http://example.com","Click")' in names
    sheet = load_workbook(io.BytesIO(get(dfe, {"format": "xlsx"}).content)).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    cell = next(c for c in cells if "HYPERLINK" in str(c.value))
    assert cell.value.startswith("'=") and cell.data_type == "s"


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"period": "2026-13"}, "period", "Month (period): Enter the month as YYYY-MM"),
        ({"period": "last month"}, "period", "Month (period)"),
        ({"sort": "colour"}, "sort", "Sort by (sort)"),
        ({"sort": "value"}, "sort_kpi", "Choose the KPI to sort by"),
        ({"kpi": "NOPE"}, "kpi", "No KPI with the code NOPE"),
        ({"rag": "purple"}, "rag", "RAG (rag)"),
        ({"received": "soon"}, "received", "Returns (received)"),
        ({"format": "pdf"}, "format", "Download format (format)"),
        ({"figures": "some"}, "figures", "Figures (figures)"),
    ],
)
def test_bad_input_gets_a_message_naming_the_field(dfe, params, field, words):
    response = get(dfe, params)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and words in page
    assert f'href="#grid-{field}"' in page and f'id="grid-{field}"' in page


def test_a_council_officer_sees_only_their_councils_trusts_and_never_another_council(client, demo_user):
    officer = demo_user("sandwell-officer")
    response = get(signed_in(client, officer))
    mine = set(visible(DeliveryBody, officer).values_list("slug", flat=True))
    assert set(rows_of(response)) == mine and "sandwell-trust" in mine
    assert "bradford-trust" not in mine
    page = response.content.decode()
    assert "Bradford" not in page and "Doncaster" not in page
    # the other councils' trusts are not in the downloads or the API either
    assert not any("Bradford" in r[0] for r in csv_rows(get(client, {"format": "csv"})))
    api = APIClient()
    api.force_authenticate(officer)
    assert {r["trust"] for r in api.get(API, {"page_size": 200}).json()["results"]} == mine


def test_scrutiny_follows_the_dashboards_rule_and_never_sees_a_draft(client, demo_user, settings):
    settings.PERFORMANCE_SCRUTINY_FIGURES = "accepted"
    scrutiny = demo_user("sandwell-scrutiny")
    table = get(signed_in(client, scrutiny)).context["grid"]
    assert table.accepted_only
    assert {r.body.slug for r in table.rows} == set(visible(DeliveryBody, scrutiny).values_list("slug", flat=True))
    cells = [c for r in table.rows for c in r.cells if c.position]
    assert cells and not any(c.position.provisional for c in cells)
    theirs = Kpi.objects.filter(delivery_body__in=visible(DeliveryBody, scrutiny))
    assert table.period == positions.latest_period(theirs, accepted_only=True)
    # A draft (never submitted) for the month after the latest reaches nobody's grid.
    body = DeliveryBody.objects.get(slug="sandwell-trust")
    month = add_months(latest_month(), 1)
    ret = MonthlyReturn(delivery_body=body, period=month, due_date=month)
    ret.save()
    version = ReturnVersion(monthly_return=ret, number=1, created_by=demo_user("sandwell-trust-exec"))
    version.save()
    ReturnValue(version=version, kpi=Kpi.objects.get(delivery_body=body, code="RR"), value=Decimal("1")).save()
    for username in ("sandwell-scrutiny", "dfe-liaison", "sandwell-officer"):
        signed_in(client, demo_user(username))
        assert get(client).context["grid"].period < month
        row = next(r for r in get(client, {"period": f"{month:%Y-%m}"}).context["grid"].rows if r.body == body)
        assert row.stale and all(c.position is None for c in row.cells)


def test_the_api_gives_the_same_grid_paged(dfe, demo_user):
    api = APIClient()
    api.force_authenticate(demo_user("dfe-liaison"))
    latest = latest_month()
    period = f"{latest:%Y-%m}"
    params = {"period": period, "sort": "value", "sort_kpi": "RR", "kpi": "RR"}
    api_params = {"period": period, "ordering": "value", "sort_kpi": "RR", "kpi": "RR"}
    page = get(dfe, params).context["grid"]
    with time_machine.travel(ELSEWHERE, tick=False):
        body = api.get(API, {**api_params, "page_size": 200}).json()
    assert [r["trust"] for r in body["results"]] == [r.body.slug for r in page.rows]
    for row, shown in zip(body["results"], page.rows, strict=True):
        assert row["period"] == period and row["stale"] == shown.stale
        cell, truth = row["cells"][0], shown.cell("RR")
        assert (cell["kpi"], cell["display"], cell["rag"], cell["quartile"]) == (
            "RR", truth.value_label, truth.rag, truth.quartile
        )  # fmt: skip
        assert cell["variation"] == (truth.signal.value if truth.signal else None)
    # Sorted by trust: paged in the database, the pages join up to the whole grid, quartiles unchanged.
    whole = api.get(API, {"period": period, "page_size": 200}).json()["results"]
    first = api.get(API, {"period": period, "page_size": 2}).json()
    second = api.get(first["next"]).json()
    assert first["count"] == len(whole) == DeliveryBody.objects.count()
    assert first["results"] + second["results"] == whole[:4]
    assert [r["trust"] for r in whole] == [b.slug for b in grid.grid_bodies(demo_user("dfe-liaison"))]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"period": "2026-13"}, "period"),
        ({"ordering": "x"}, "ordering"),
        ({"kpi": "NOPE"}, "kpi"),
        ({"figures": "x"}, "figures"),
    ],
)
def test_the_api_refuses_bad_input_naming_the_parameter(demo_user, params, field):
    api = APIClient()
    api.force_authenticate(demo_user("dfe-liaison"))
    response = api.get(API, params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def _trust_with_a_return(n: int, month, user) -> None:
    body = DeliveryBodyFactory(slug=f"grid-extra-{n}", name=f"Grid Extra Trust {n}")
    kpis = small_catalogue(body)
    ret = MonthlyReturn(delivery_body=body, period=month, due_date=month, status=MonthlyReturn.Status.SUBMITTED)
    ret.save()
    version = ReturnVersion(monthly_return=ret, number=1, created_by=user, submitted_at=timezone.now())
    version.save()
    for i, kpi in enumerate(kpis.values()):
        ReturnValue(version=version, kpi=kpi, value=Decimal(10 + n + i)).save()


def test_the_grid_is_read_in_a_fixed_number_of_queries_whatever_the_number_of_trusts(
    demo_user, django_assert_max_num_queries
):
    dfe = demo_user("dfe-liaison")
    month = latest_month()
    counts = []
    for size, extra in ((1, range(1)), (6, range(1, 6))):
        for n in extra:
            _trust_with_a_return(n, month, dfe)
        # 11: the trusts' data versions the SPC readings are cached by (spc_cache) are one query
        with django_assert_max_num_queries(11) as counted:
            table = grid.read_grid(dfe, grid.GridQuery(), accepted_only=False)
            [(c.value_label, c.variation_word, c.quartile_label) for r in table.rows for c in r.cells]
        counts.append(len(counted))
        assert len(table.rows) == DeliveryBody.objects.count()
        assert sum(1 for r in table.rows if r.body.slug.startswith("grid-extra") and not r.stale) == size
    assert counts[0] == counts[1], counts  # one more trust or six: the same queries


# --- pages of trusts (issue 14: at national scale the grid is read a page of trusts at a time) ----------------


def _page_queries(client, params) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as counted:
        response = get(client, params)
    assert response.status_code == 200
    return len(counted), response


def test_the_page_issues_the_same_queries_for_n_trusts_and_for_3n(dfe, demo_user, monkeypatch):
    monkeypatch.setattr(grid, "PAGE_SIZE", 4)
    month, user = latest_month(), demo_user("dfe-liaison")
    get(dfe)  # the first request's one-off reads (the session, the content types) out of the count
    counts = []
    for extra in (range(3), range(3, 9)):  # 3 more trusts, then 9 more in all
        for n in extra:
            _trust_with_a_return(n, month, user)
        for params in ({}, {"sort": "value", "sort_kpi": "RR", "page": "2"}, {"rag": "red", "received": "current"}):
            queries, response = _page_queries(dfe, params)
            counts.append((str(params), queries))
            assert len(response.context["grid"].rows) <= 4
    assert counts[:3] == counts[3:], counts


def test_page_two_shows_the_next_trusts_with_sort_and_filters_kept(dfe, monkeypatch):
    monkeypatch.setattr(grid, "PAGE_SIZE", 3)
    whole = grid.read_grid(dfe.grid_user, grid.GridQuery(), accepted_only=False)
    names = [r.body.slug for r in whole.rows]
    first, second = get(dfe).context["grid"], get(dfe, {"page": "2"}).context["grid"]
    assert [r.body.slug for r in first.rows] == names[:3] and [r.body.slug for r in second.rows] == names[3:6]
    assert (first.total, second.number, second.pages) == (len(names), 2, -(-len(names) // 3))
    page = get(dfe, {"page": "2"}).content.decode()
    assert 'data-testid="grid-pagination"' in page and 'aria-current="page">2</a>' in page
    assert 'rel="prev"' in page and f"trusts 4 to {min(6, len(names))} of {len(names)}" in page
    # Sorted by value, the pages follow the whole grid's order, and a sort link starts again at page 1.
    params = {"sort": "value", "sort_kpi": "RR", "order": "desc"}
    ordered = [r.body.slug for r in get(dfe, {**params, "page": "1"}).context["grid"].rows]
    ordered += [r.body.slug for r in get(dfe, {**params, "page": "2"}).context["grid"].rows]
    query = grid.GridQuery(sort="value", sort_kpi="RR", order="desc")
    assert ordered == [r.body.slug for r in grid.read_grid(dfe.grid_user, query, accepted_only=False).rows][:6]
    links = get(dfe, {**params, "page": "2"}).context["links"]
    assert "page=" not in links["trust"] and "page=2" in links["csv"]
    # A filter keeps to the filtered trusts on every page.
    stale = get(dfe, {"received": "stale", "page": "1"}).context["grid"]
    assert all(r.stale for r in stale.rows) and stale.total == sum(r.stale for r in whole.rows)


def test_the_downloads_are_the_page_shown(dfe, monkeypatch):
    monkeypatch.setattr(grid, "PAGE_SIZE", 2)
    shown = get(dfe, {"page": "2"}).context["grid"]
    response = get(dfe, {"page": "2", "format": "csv"})
    assert [r[0] for r in csv_rows(response)[1:]] == [r.body.name for r in shown.rows]
    assert f"page-2-of-{shown.pages}" in response["Content-Disposition"]
    assert "this page's 2 trusts" in get(dfe, {"page": "2"}).content.decode()


@pytest.mark.parametrize(("value", "words"), [("0", "Enter the page as a whole number"),
                                              ("two", "Enter the page as a whole number"),
                                              ("999", "There is no page 999")])  # fmt: skip
def test_a_bad_page_is_named(dfe, value, words):
    response = get(dfe, {"page": value})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"Page (page): {words}" in page and 'href="#grid-page"' in page


def test_only_the_page_shown_has_its_series_read(dfe, monkeypatch):
    """The SPC variation (every figure of a KPI's series) is read only for the trusts on the page; the other
    trusts' figures are of the month only."""
    monkeypatch.setattr(grid, "PAGE_SIZE", 2)
    calls = []
    real = positions.read_positions

    def spy(kpis, **kwargs):
        kpis = list(kpis)
        calls.append(({k.delivery_body_id for k in kpis}, kwargs.get("spc", False)))
        return real(kpis, **kwargs)

    monkeypatch.setattr(positions, "read_positions", spy)
    shown = get(dfe, {"received": "current"}).context["grid"]
    assert shown.total > len(shown.rows) == 2
    series = [bodies for bodies, whole in calls if whole]
    assert len(series) == 1 and series[0] <= {r.body.pk for r in shown.rows}
    assert any(c.variation for r in shown.rows for c in r.cells)
