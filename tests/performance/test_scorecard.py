"""The dashboard's scorecard (performance/scorecard.py): a row per KPI grouped by improvement-plan priority, every
cell from the read model, in a number of queries that does not grow with the KPIs; and the performance pages'
sub-navigation marks the page it is on."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from performance import scorecard
from performance.dashboard import tiles_for
from performance.models import Benchmark, ImprovementPriority
from tests.reports.factories import make_kpi, make_return

pytestmark = pytest.mark.django_db


def _tenant_with_kpis(tenant, count: int = 3):
    """``count`` KPIs: the first under priority 2, the second under priority 1, the rest without a priority;
    January and February 2026 accepted, March submitted only (provisional)."""
    body = tenant.body
    second = ImprovementPriority.objects.create(delivery_body=body, number=2, title="Stable workforce")
    first = ImprovementPriority.objects.create(delivery_body=body, number=1, title="Timely help")
    kpis = []
    for n in range(count):
        kpi = make_kpi(body, f"K{n}", f"Indicator {n}", target="22.00", tolerance="2.00", polarity="lower")
        kpi.display_order = n
        kpi.priority = {0: second, 1: first}.get(n)
        kpi.save()
        kpis.append(kpi)
    Benchmark.objects.create(kpi=kpis[0], kind=Benchmark.Kind.ENGLAND, year="2024-25", value=Decimal("22.6"))
    user = tenant.trust_exec
    make_return(body, date(2026, 1, 1), {k: "25.00" for k in kpis}, user=user)
    make_return(body, date(2026, 2, 1), {k: "23.00" for k in kpis}, user=user)
    make_return(body, date(2026, 3, 1), {k: "21.00" for k in kpis}, user=user, accepted=False)
    return kpis


def _rows(page: str) -> list[tuple[str, list[str]]]:
    """(group title, [KPI codes]) per group of the scorecard, in order."""
    table = page.split('data-testid="scorecard"')[1].split("</table>")[0]
    out = []
    for chunk in table.split('data-testid="scorecard-group"')[1:]:
        title = re.search(r'scope="rowgroup"[^>]*>([^<]+)<', chunk).group(1).strip()
        out.append((title, re.findall(r'data-kpi="([^"]+)"', chunk)))
    return out


def _cell(page: str, code: str, name: str, *, shown: bool = False) -> str:
    """A scorecard cell's words as assistive technology reads them (what is hidden from it left out), or with
    ``shown`` as the screen shows them (what is visually hidden left out)."""
    row = page.split(f'data-kpi="{code}"')[1].split("</tr>")[0]
    cell = row.split(f'data-testid="scorecard-{name}"')[1].split("</td>")[0].split(">", 1)[1]
    hidden = r'<span class="govuk-visually-hidden">[^<]*</span>' if shown else r'<span aria-hidden="true">[^<]*</span>'
    return " ".join(re.sub(r"<[^>]+>", " ", re.sub(hidden, "", cell)).split())


def test_scorecard_groups_by_priority_number_then_other_measures_with_every_cell(client, tenant_a):
    kpis = _tenant_with_kpis(tenant_a)
    client.force_login(tenant_a.officer)
    page = client.get(reverse("performance:dashboard")).content.decode()

    assert _rows(page) == [
        ("Priority 1: Timely help", ["K1"]),
        ("Priority 2: Stable workforce", ["K0"]),
        ("Other measures", ["K2"]),
    ]
    # March: 21% against a 22% target (lower is better), submitted but not accepted.
    assert _cell(page, "K0", "value") == "21% (provisional)"  # in words, as every figure not yet accepted
    assert _cell(page, "K0", "value", shown=True) == "21% (prov.)"  # on screen, short (the key says it)
    assert _cell(page, "K0", "rag") == "Green"
    assert _cell(page, "K0", "variation") == "Fewer than 15 points: No limits yet"
    assert _cell(page, "K0", "variation", shown=True) == "No limits yet"
    assert _cell(page, "K0", "assurance") == "No assurance"
    assert _cell(page, "K0", "benchmark") == "England 22.6% (2024-25)"
    assert _cell(page, "K0", "benchmark", shown=True) == "Eng 22.6%"
    assert _cell(page, "K2", "benchmark") == "No benchmark"
    # each KPI links to its page; the trend is a small SVG whose text alternative states each month
    assert f'href="{kpis[0].get_absolute_url()}"' in page
    label = re.search(r'<svg role="img" aria-label="([^"]+)"[^>]*data-testid="scorecard-trend"', page).group(1)
    assert (
        "Indicator 1, last 12 months:" in label
    )  # the first row: priority 1 and "Feb 2026 23%, Mar 2026 21%" in label
    assert "1 month provisional: not yet accepted" in label

    # Accepted figures only: February (23%, within the 2-point tolerance), and no provisional mark.
    page = client.get(reverse("performance:dashboard") + "?figures=accepted").content.decode()
    assert _cell(page, "K0", "value") == "23%"
    assert _cell(page, "K0", "rag") == "Amber"


def test_scorecard_rows_are_the_tiles_read_model(tenant_a):
    _tenant_with_kpis(tenant_a)
    tiles, _ = tiles_for(tenant_a.body, charts_on=False)
    groups = scorecard.from_tiles(tiles)
    rows = {r.kpi.code: r for g in groups for r in g.rows}
    for tile in tiles:
        row = rows[tile.kpi.code]
        assert (row.rag_word, row.variation.word) == (tile.position.rag_word, tile.spc.variation_label.word)
        assert len(row.series) == scorecard.TREND_MONTHS and row.series[-1] == tile.position


def test_dashboard_queries_do_not_grow_with_the_number_of_kpis(
    client, tenant_a, tenant_b, django_assert_max_num_queries
):
    _tenant_with_kpis(tenant_a, count=3)
    _tenant_with_kpis(tenant_b, count=9)
    client.force_login(tenant_a.officer)
    url = reverse("performance:dashboard")
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).content.decode().count('data-testid="scorecard-row"') == 3
    count = len(few.captured_queries)  # now: the next request empties the query log
    assert count
    client.force_login(tenant_b.officer)
    client.get(url)
    with django_assert_max_num_queries(count):
        assert client.get(url).content.decode().count('data-testid="scorecard-row"') == 9


@pytest.mark.parametrize(
    "name",
    [
        "performance:dashboard",
        "performance:return-list",
        "performance:improvement-plan",
        "performance:kpi-catalogue",
        "performance:ofsted",
    ],
)
def test_sub_navigation_marks_the_current_page(client, tenant_a, name):
    _tenant_with_kpis(tenant_a, count=1)
    client.force_login(tenant_a.officer)
    page = client.get(reverse(name)).content.decode()
    nav = page.split('data-testid="performance-subnav"')[1].split("</nav>")[0]
    current = re.findall(r'<a class="govuk-service-navigation__link"\s+href="([^"]+)"\s+aria-current="page"', nav)
    assert [href.split("?")[0] for href in current] == [reverse(name)]
    assert nav.count("govuk-service-navigation__item--active") == 1
    assert nav.count("<a ") == 7  # six pages of the trust and the national grid


def test_the_benchmark_cell_shows_the_statistical_neighbours_quartile_and_median(client, tenant_a):
    kpis = _tenant_with_kpis(tenant_a)  # March: 21%, lower is better
    Benchmark.objects.create(
        kpi=kpis[0],
        kind=Benchmark.Kind.STATISTICAL_NEIGHBOURS,
        year="2023-24",
        value=Decimal("21.5"),
        lower_quartile=Decimal("19"),
        upper_quartile=Decimal("24"),
        figures_used=9,
        figures_excluded=1,
    )
    # A median without quartiles: no band to name, the median alone.
    Benchmark.objects.create(
        kpi=kpis[1], kind=Benchmark.Kind.STATISTICAL_NEIGHBOURS, year="2023-24", value=Decimal("20")
    )
    client.force_login(tenant_a.officer)
    page = client.get(reverse("performance:dashboard")).content.decode()

    # 21% is above the lower quartile (19%) and at most the median (21.5%): lower is better, so the 2nd quarter.
    assert _cell(page, "K0", "benchmark") == "England 22.6% (2024-25); Neighbours: 2nd quartile (median 21.5%)"
    assert _cell(page, "K0", "benchmark", shown=True) == "Eng 22.6% · SN Q2 (21.5%)"
    assert _cell(page, "K1", "benchmark") == "Neighbours: median 20%"
    assert _cell(page, "K2", "benchmark") == "No benchmark"
    assert "SN: the quartile of the statistical neighbours" in page  # the key under the table

    rows = {r.kpi.code: r for g in scorecard.from_tiles(tiles_for(tenant_a.body, charts_on=False)[0]) for r in g.rows}
    assert rows["K0"].neighbour_quartile == 2


def test_a_suppressed_england_benchmark_shows_its_code_and_meaning_never_no_benchmark(client, tenant_a):
    kpis = _tenant_with_kpis(tenant_a)
    Benchmark.objects.create(kpi=kpis[2], kind=Benchmark.Kind.ENGLAND, year="2024-25", code=Benchmark.Code.CONFIDENTIAL)
    # An older England figure and a newer code: the latest publication (the code) is the one shown.
    Benchmark.objects.create(kpi=kpis[1], kind=Benchmark.Kind.ENGLAND, year="2023-24", value=Decimal("19"))
    Benchmark.objects.create(
        kpi=kpis[1], kind=Benchmark.Kind.ENGLAND, year="2024-25", code=Benchmark.Code.NOT_AVAILABLE
    )
    client.force_login(tenant_a.officer)
    page = client.get(reverse("performance:dashboard")).content.decode()

    assert _cell(page, "K2", "benchmark") == "England: c (confidential: a small number, withheld), 2024-25"
    assert _cell(page, "K2", "benchmark", shown=True) == "Eng c (confidential: a small number, withheld)"
    assert _cell(page, "K1", "benchmark") == "England: x (not available), 2024-25"
    # The tile below says the same: the code and its meaning, never "No benchmark" and never a zero.
    tiles = page.split('data-testid="kpi-england">')[1:]
    england = {t.split("</dd>")[0] for t in tiles}
    texts = sorted(" ".join(re.sub(r"<[^>]+>", " ", e).split()) for e in england)
    assert texts == [
        "22.6% (2024-25)",
        "c (confidential: a small number, withheld) (2024-25)",
        "x (not available) (2024-25)",
    ]
    assert "No benchmark" not in page


@pytest.mark.parametrize(
    ("value", "higher", "band"),
    [
        ("25", True, 1),  # at or above the upper quartile, higher is better: the best quarter
        ("24", True, 1),  # on a boundary: the better quarter
        ("22", True, 2),
        ("21.5", True, 2),
        ("20", True, 3),
        ("18", True, 4),
        ("18", False, 1),  # lower is better turns it round
        ("19", False, 1),
        ("21.5", False, 2),
        ("23", False, 3),
        ("25", False, 4),
    ],
)
def test_quartile_band_follows_the_polarity(value, higher, band):
    from performance.quartiles import quartile_band

    assert quartile_band(Decimal(value), Decimal("19"), Decimal("21.5"), Decimal("24"), higher=higher) == band
    assert quartile_band(None, Decimal("19"), Decimal("21.5"), Decimal("24"), higher=higher) is None
