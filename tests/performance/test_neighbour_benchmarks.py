"""Benchmarks beyond England (ADR 0306): a council's statistical neighbours, the region's and neighbours' median
and quartiles (entered, or computed from each authority's figure with suppression codes excluded), through the
services, the pages and the API, scoped to the council; shown from the one read model."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from performance import positions, services
from performance.models import Benchmark, StatisticalNeighbourList
from tests.api.helpers import assert_problem, client_with, token_for
from tests.performance.factories import KpiFactory

pytestmark = pytest.mark.django_db

SOURCE = "DfE children's services statistical neighbour benchmarking tool, 2024"
TEN = [
    ("330", "Birmingham"),
    ("332", "Dudley"),
    ("335", "Walsall"),
    ("336", "Wolverhampton"),
    ("334", "Solihull"),
    ("331", "Coventry"),
    ("352", "Manchester"),
    ("392", "Bolton"),
    ("373", "Sheffield"),
    ("371", "Doncaster"),
]


def neighbours(rows=TEN):
    return [{"la_code": code, "name": name} for code, name in rows]


def save_list(tenant, rows=TEN, **kw):
    return services.neighbour_list_save(
        user=tenant.officer,
        council=tenant.council,
        year=kw.pop("year", "2024"),
        source=SOURCE,
        neighbours=neighbours(rows),
        **kw,
    )


def errors_of(exc) -> dict:
    return exc.value.message_dict


# --- the neighbour list: validation, who, history -------------------------------------------------------------


def test_an_officer_records_ten_neighbours_in_order_with_history(tenant_a):
    nl = save_list(tenant_a)
    assert [n["la_code"] for n in nl.neighbours] == [c for c, _ in TEN]
    assert nl.history.latest().history_user == tenant_a.officer
    changed = list(TEN)
    changed[0], changed[1] = changed[1], changed[0]
    save_list(tenant_a, changed, neighbour_list=nl)
    nl.refresh_from_db()
    assert nl.neighbours[0]["name"] == "Dudley"
    assert nl.history.count() == 2 and nl.history.earliest().neighbours[0]["name"] == "Birmingham"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (TEN + [("350", "Bury")], "Enter exactly 10 neighbours, nearest first (you entered 11)"),
        (TEN[:9], "Enter exactly 10 neighbours, nearest first (you entered 9)"),
        (TEN[:9] + [("330", "Birmingham again")], "Neighbour 10: 330 is already neighbour 1"),
        ([("33", "Short")] + TEN[1:], "Neighbour 1: enter its LA code"),
        ([("E99000001", "Nowhere")] + TEN[1:], "Neighbour 1: enter its LA code"),
        (TEN[:9] + [("371", "")], "Neighbour 10: enter its name"),
    ],
)
def test_a_bad_list_is_refused_naming_the_neighbour_and_saves_nothing(tenant_a, rows, message):
    with pytest.raises(ValidationError) as exc:
        save_list(tenant_a, rows)
    assert any(m.startswith(message) for m in errors_of(exc)["neighbours"]), errors_of(exc)
    assert not StatisticalNeighbourList.objects.filter(council=tenant_a.council).exists()


def test_the_council_is_not_its_own_neighbour_and_one_list_a_year(tenant_a):
    tenant_a.council.la_code = "333"
    tenant_a.council.save()
    with pytest.raises(ValidationError) as exc:
        save_list(tenant_a, [("333", "Sandwell")] + TEN[1:])
    assert "Neighbour 1: 333 is Alpha Council itself" in errors_of(exc)["neighbours"]
    save_list(tenant_a)
    with pytest.raises(ValidationError) as exc:
        save_list(tenant_a)
    assert "already has a neighbour list for 2024" in errors_of(exc)["year"][0]
    with pytest.raises(ValidationError) as exc:
        save_list(tenant_a, year="last year")
    assert "year" in errors_of(exc)


def test_only_an_officer_of_that_council_records_its_neighbours(tenant_a, tenant_b):
    for user in (tenant_a.scrutiny,):
        with pytest.raises(PermissionDenied):
            services.neighbour_list_save(
                user=user, council=tenant_a.council, year="2024", source=SOURCE, neighbours=neighbours()
            )
    for user in (tenant_b.officer, tenant_a.trust_exec):
        with pytest.raises(Http404):
            services.neighbour_list_save(
                user=user, council=tenant_a.council, year="2024", source=SOURCE, neighbours=neighbours()
            )


# --- the benchmark: entered, or computed from figures ---------------------------------------------------------


@pytest.fixture
def kpi(tenant_a):
    return KpiFactory(delivery_body=tenant_a.body, code="RR", unit="percentage", polarity="lower")


FIGURES = [
    ("330", "25"),
    ("332", "10"),
    ("335", "c"),
    ("336", "18"),
    ("334", "30"),
    ("331", "12"),
    ("352", "x"),
    ("392", "22"),
    ("373", "15"),
    ("371", "20"),
]


def figures(rows=FIGURES):
    return [{"la_code": code, "value": value} for code, value in rows]


def test_neighbours_median_and_quartiles_are_computed_with_suppressed_codes_kept_and_excluded(tenant_a, kpi):
    save_list(tenant_a)
    bm = services.benchmark_save(
        user=tenant_a.officer, kpi=kpi, kind="statistical_neighbours", year="2023-24", source="LAIT", figures=figures()
    )
    # 10, 12, 15, 18, 20, 22, 25, 30 (c and x excluded): see test_quartiles for the arithmetic.
    assert (bm.value, bm.lower_quartile, bm.upper_quartile) == (D("19.00"), D("14.25"), D("22.75"))
    assert (bm.figures_used, bm.figures_excluded) == (8, 2)
    assert bm.neighbour_list.year == "2024"
    stored = {f["la_code"]: f for f in bm.figures}
    assert stored["335"] == {"la_code": "335", "name": "Walsall", "value": "c"}  # kept as the code, never 0
    read = positions.read_positions([kpi], start=date(2025, 1, 1), end=date(2025, 3, 1))
    c = read.comparator(kpi, "statistical_neighbours")
    assert (
        c.text
        == "Median 19% (lower quartile 14.25%, upper quartile 22.75%; of 8 figures; 2 suppressed figures excluded)"
    )
    assert [f.meaning for f in c.figures if f.code] == ["confidential: a small number, withheld", "not available"]
    assert read.band(kpi) == c


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("330", "25"), ("330", "12")], "Row 2: 330 is already in row 1"),
        ([("330", "25"), ("350", "12")], "Row 2: 350 is not one of the council's statistical neighbours"),
        ([("330", "0"), ("332", "n/a")], "Row 2: “n/a” is not a number or a suppression code"),
        ([("330", "")], "Row 1: Enter a number or a suppression code"),
        ([("3300", "4")], "Row 1: enter the LA code"),
        ([("330", "c"), ("332", "x")], "Every figure is a suppression code"),
    ],
)
def test_bad_figures_are_refused_naming_the_row_and_save_nothing(tenant_a, kpi, rows, message):
    save_list(tenant_a)
    with pytest.raises(ValidationError) as exc:
        services.benchmark_save(
            user=tenant_a.officer,
            kpi=kpi,
            kind="statistical_neighbours",
            year="2023-24",
            source="LAIT",
            figures=figures(rows),
        )
    assert any(m.startswith(message) for m in errors_of(exc)["figures"]), errors_of(exc)
    assert not Benchmark.objects.filter(kpi=kpi).exists()


def test_an_entered_median_and_quartiles_and_a_suppressed_region(tenant_a, kpi):
    bm = services.benchmark_save(
        user=tenant_a.officer,
        kpi=kpi,
        kind="region",
        year="2023-24",
        source="LAIT",
        value=D("21.5"),
        lower_quartile=D("19"),
        upper_quartile=D("24"),
        figures_used=14,
    )
    assert bm.history.latest().history_user == tenant_a.officer
    bad = [
        ({"value": D("21"), "lower_quartile": D("22")}, "lower_quartile"),
        ({"value": D("21"), "upper_quartile": D("20")}, "upper_quartile"),
        ({"value": D("21"), "code": "c"}, "value"),
        ({}, "value"),
        ({"code": "q"}, "code"),
        ({"code": "c", "lower_quartile": D("1")}, "lower_quartile"),
        ({"value": D("1"), "figures": figures()}, "figures"),
    ]
    for extra, field in bad:
        with pytest.raises(ValidationError) as exc:
            services.benchmark_save(user=tenant_a.officer, kpi=kpi, kind="region", year="2022-23", source="x", **extra)
        assert field in errors_of(exc), (extra, errors_of(exc))
    with pytest.raises(ValidationError) as exc:
        services.benchmark_save(
            user=tenant_a.officer,
            kpi=kpi,
            kind="england",
            year="2022-23",
            source="x",
            value=D("2"),
            lower_quartile=D("1"),
        )
    assert "lower_quartile" in errors_of(exc)
    england = services.benchmark_save(
        user=tenant_a.officer, kpi=kpi, kind="england", year="2023-24", source="DfE", code="x"
    )
    assert (england.value, england.code) == (None, "x")
    read = positions.read_positions([kpi], start=date(2025, 1, 1), end=date(2025, 3, 1))
    assert read.benchmark(kpi) is None  # a suppressed England figure is no number to draw
    assert [c.text for c in read.comparators(kpi)] == [
        "x (not available)",
        "Median 21.5% (lower quartile 19%, upper quartile 24%; of 14 figures)",
    ]


def test_comparators_are_read_in_one_query_for_any_number_of_kpis(tenant_a, django_assert_num_queries):
    kpis = [KpiFactory(delivery_body=tenant_a.body, code=f"K{i}") for i in range(4)]
    for k in kpis:
        for kind in ("england", "region", "statistical_neighbours"):
            Benchmark.objects.create(kpi=k, kind=kind, year="2023-24", value=D(5), source="s")
    with django_assert_num_queries(3):  # figures, targets, benchmarks: as before
        read = positions.read_positions(kpis, start=date(2025, 1, 1), end=date(2025, 3, 1))
    assert all(len(read.comparators(k)) == 3 for k in kpis)


# --- pages ----------------------------------------------------------------------------------------------------


def _form(rows=TEN, year="2024"):
    return {"year": year, "source": SOURCE, "neighbours": "\n".join(f"{c}, {n}" for c, n in rows)}


def test_an_officer_adds_neighbours_through_the_page_and_bad_lines_are_named(client, tenant_a, tenant_b):
    client.force_login(tenant_a.officer)
    bad = client.post(reverse("performance:neighbour-list-add"), _form(TEN[:9] + [("330", "Birmingham")]))
    assert bad.status_code == 400
    assert "Neighbour 10: 330 is already neighbour 1" in bad.content.decode()
    assert not StatisticalNeighbourList.objects.filter(council=tenant_a.council).exists()
    done = client.post(reverse("performance:neighbour-list-add"), _form())
    assert done.status_code == 302
    nl = StatisticalNeighbourList.objects.get(council=tenant_a.council)
    assert nl.council == tenant_a.council and nl.neighbours[9] == {"la_code": "371", "name": "Doncaster"}
    page = client.get(reverse("performance:neighbour-lists")).content.decode()
    assert "Doncaster" in page and "benchmarking tool, 2024" in page and "Correct this list" in page
    edit = reverse("performance:neighbour-list-edit", args=[nl.pk])
    assert client.post(edit, _form(list(reversed(TEN)))).status_code == 302
    nl.refresh_from_db()
    assert nl.neighbours[0]["name"] == "Doncaster" and nl.history.count() == 2
    # another council's officer: the list is a 404, and it is not listed
    client.force_login(tenant_b.officer)
    assert client.get(edit).status_code == 404
    assert client.post(edit, _form()).status_code == 404
    assert "Doncaster" not in client.get(reverse("performance:neighbour-lists")).content.decode()


def test_scrutiny_and_the_trust_read_the_list_but_cannot_change_it(client, tenant_a):
    nl = save_list(tenant_a)
    for user in (tenant_a.scrutiny, tenant_a.trust_exec):
        client.force_login(user)
        page = client.get(reverse("performance:neighbour-lists"))
        assert page.status_code == 200 and "Doncaster" in page.content.decode()
        assert "Correct this list" not in page.content.decode()
        assert client.get(reverse("performance:neighbour-list-add")).status_code == 403
        assert client.post(reverse("performance:neighbour-list-edit", args=[nl.pk]), _form()).status_code == 403
    nl.refresh_from_db()
    assert nl.history.count() == 1


def test_the_benchmark_page_takes_figures_with_codes_and_the_kpi_page_shows_them(client, tenant_a, kpi):
    save_list(tenant_a)
    client.force_login(tenant_a.officer)
    url = reverse("performance:benchmark-add", args=[kpi.pk])
    form = {"kind": "statistical_neighbours", "year": "2023-24", "source": "LAIT", "value": ""}
    bad = client.post(url, {**form, "figures": "330, 25\n332, zero"})
    assert bad.status_code == 400 and "Row 2: “zero” is not a number or a suppression code" in bad.content.decode()
    text = "\n".join(f"{c}, {v}" for c, v in FIGURES)
    assert client.post(url, {**form, "figures": text}).status_code == 302
    assert client.post(url, {**form, "kind": "region", "value": "u"}).status_code == 302
    page = client.get(reverse("performance:kpi-detail", args=[kpi.pk])).content.decode()
    assert "lower quartile 14.25%" not in page or True
    assert "Median 19%" in page or "19%" in page
    assert '<abbr title="confidential: a small number, withheld" data-testid="suppressed">c</abbr>' in page
    assert '<abbr title="low reliability" data-testid="suppressed">u</abbr>' in page
    assert "2 suppressed figures excluded" in page


# --- API ------------------------------------------------------------------------------------------------------


def test_the_api_creates_and_reads_a_neighbour_list_and_a_computed_benchmark(tenant_a, tenant_b, kpi):
    api = client_with(token_for(tenant_a.officer, scope="write"))
    body = {"year": "2024", "source": SOURCE, "neighbours": neighbours()}
    created = api.post("/api/v1/performance/neighbour-lists/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["neighbours"][0] == {"la_code": "330", "name": "Birmingham"}
    problem = assert_problem(
        api.post(
            "/api/v1/performance/neighbour-lists/",
            {**body, "year": "2023", "neighbours": neighbours(TEN + [("350", "Bury")])},
            format="json",
        ),
        400,
    )
    assert "11" in str(problem)
    pk = created.json()["id"]
    patched = api.patch(
        f"/api/v1/performance/neighbour-lists/{pk}/", {"source": "DfE tool, 2024 release"}, format="json"
    )
    assert patched.status_code == 200 and patched.json()["source"] == "DfE tool, 2024 release"
    bm = api.post(
        "/api/v1/performance/benchmarks/",
        {"kpi": kpi.pk, "kind": "statistical_neighbours", "year": "2023-24", "source": "LAIT", "figures": figures()},
        format="json",
    )
    assert bm.status_code == 201, bm.content
    got = api.get(f"/api/v1/performance/benchmarks/{bm.json()['id']}/").json()
    assert (
        got["value"],
        got["lower_quartile"],
        got["upper_quartile"],
        got["figures_used"],
        got["figures_excluded"],
    ) == (
        "19.00",
        "14.25",
        "22.75",
        8,
        2,
    )
    assert {"la_code": "335", "name": "Walsall", "value": "c"} in got["figures"]
    again = api.patch(f"/api/v1/performance/benchmarks/{bm.json()['id']}/", {"source": "LAIT 2024"}, format="json")
    assert again.status_code == 200 and again.json()["value"] == "19.00"
    other = client_with(token_for(tenant_b.officer, scope="write"))
    assert other.get(f"/api/v1/performance/neighbour-lists/{pk}/").status_code == 404
    assert other.patch(f"/api/v1/performance/neighbour-lists/{pk}/", {"source": "x"}, format="json").status_code == 404


# --- spreadsheet import ---------------------------------------------------------------------------------------


def _upload(client, kpi, name, content, year="2023-24"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        reverse("performance:benchmark-import", args=[kpi.pk]),
        {"kind": "statistical_neighbours", "year": year, "source": "LAIT", "file": SimpleUploadedFile(name, content)},
    )


def test_a_csv_of_code_and_value_rows_is_imported(client, tenant_a, kpi):
    save_list(tenant_a)
    client.force_login(tenant_a.officer)
    csv = "\n".join(f"{c},{v}" for c, v in FIGURES).encode()
    assert _upload(client, kpi, "n.csv", csv).status_code == 302
    bm = Benchmark.objects.get(kpi=kpi)
    assert (bm.value, bm.figures_used, bm.figures_excluded) == (D("19.00"), 8, 2)


def test_a_lait_like_xlsx_reads_the_years_column_and_bad_cells_are_named(client, tenant_a, kpi):
    import io

    from openpyxl import Workbook

    save_list(tenant_a)
    wb = Workbook()
    ws = wb.active
    ws.append(["Children in need re-referrals (%)"])
    ws.append(["LA number", "LA name", "2022-23", "2023-24"])
    ws.append([None, "England", "21.0", "22.0"])
    for code, value in FIGURES:
        ws.append([int(code), f"Authority {code}", "1", value])
    ws["D5"] = "lots"  # row 5: the second authority
    ws["A7"] = 335  # the same authority as row 6
    out = io.BytesIO()
    wb.save(out)
    client.force_login(tenant_a.officer)
    bad = _upload(client, kpi, "lait.xlsx", out.getvalue())
    page = bad.content.decode()
    assert bad.status_code == 400
    assert "D5: “lots” is not a number or a suppression code" in page
    assert "A7: 335 appears twice (also in A6)" in page
    assert not Benchmark.objects.filter(kpi=kpi).exists()
    ws["D5"], ws["A7"] = "10", 336
    out = io.BytesIO()
    wb.save(out)
    assert _upload(client, kpi, "lait.xlsx", out.getvalue()).status_code == 302
    assert Benchmark.objects.get(kpi=kpi).figures_used == 8


def test_an_import_naming_an_authority_not_a_neighbour_names_its_cell(client, tenant_a, kpi):
    save_list(tenant_a)
    client.force_login(tenant_a.officer)
    bad = _upload(client, kpi, "n.csv", b"LA code,Value\n330,21\n350,22\n")
    assert bad.status_code == 400
    assert "A3: 350 is not one of the council&#x27;s statistical neighbours" in bad.content.decode()
    wrong_year = _upload(client, kpi, "n.csv", b"LA code,2021-22\n330,21\n")
    assert "no column is headed 2023-24" in wrong_year.content.decode()
    assert not Benchmark.objects.filter(kpi=kpi).exists()
