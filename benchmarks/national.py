"""National-scale benchmark: every page, API list and sweep at 155 trusts x 100 KPIs x 10 years, each measured
against a floor in the same run. Run with ``make bench-national`` (PostgreSQL). Not a timed test: it prints a
table, says of each target whether it is met, and writes JSON (``benchmarks/results/national.json``).

The dataset is built in two steps, measured after each, so query counts can be compared at two scales:
first 5 trusts x 1 year, then 155 trusts x 10 years (1.86M figures). KPIs go through
``bulk_create_with_history``; targets, returns, versions and figures are written set-based, one
``INSERT ... SELECT`` per table, and each table's history rows by one more ``INSERT ... SELECT`` from the
rows just written (history_type "+", with a change reason), so the history tables hold what the app's own
writes would have left.

Floors, in the same run: a page that only checks the sign-in (its session and user look-ups are what every
page pays) for pages; for an API list, raw SQL of the same rows plus ``json.dumps``. Times are medians of
``--runs`` (at least 5) after one warm-up request.
"""

import argparse
import json
import os
import resource
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trustgov.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/trustgov_bench")

import django  # noqa: E402
import time_machine  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.urls import NoReverseMatch, reverse  # noqa: E402
from simple_history.utils import bulk_create_with_history  # noqa: E402

KPIS = 100
END = date(2025, 12, 1)  # the latest month of the dataset; nothing here reads today's date
SMALL, NATIONAL = (5, 1), (155, 10)
RESULTS = Path(__file__).resolve().parent / "results"
REASON = "Benchmark: national dataset"
_DAYS = iter(range(1, 10**6))  # the sweep runs on a new day each time, across both scales
_MONTHS_AHEAD = iter(range(1, 10**6))


# --- the dataset ------------------------------------------------------------------------------------------


def _history_insert(model, where: str, params=()) -> None:
    """Write the history rows of ``model``'s rows matching ``where`` in one INSERT ... SELECT."""
    main, hist = model._meta.db_table, model.history.model._meta.db_table
    columns = [f.column for f in model._meta.concrete_fields]
    cols = ", ".join(columns)
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {hist} ({cols}, history_date, history_change_reason, history_type, history_user_id) "  # noqa: S608
            f"SELECT {cols}, now(), %s, '+', NULL FROM {main} WHERE {where}",
            [REASON, *params],
        )


def _span(ids: list[int]) -> list[int]:
    """The first and last of the ids one INSERT ... RETURNING gave (a sequence's run in this one session, so
    contiguous): a range the planner uses an index for, where ``= ANY(array)`` of 18,000 ids is a scan per row."""
    if ids:
        assert max(ids) - min(ids) + 1 == len(ids), "the new rows' ids are not one contiguous run"
        return [min(ids), max(ids)]
    return [0, -1]


def _months(first: date, count: int) -> list[date]:
    from trustgov.core.dates import add_months

    return [add_months(first, i) for i in range(count)]


def build(trusts: int, years: int, built: list) -> list:
    """Grow the dataset to ``trusts`` trusts with ``years`` years of accepted monthly returns to END."""
    from contracts.models import Contract
    from performance.models import Kpi, MonthlyReturn, ReturnValue, ReturnVersion, Target
    from tests.conftest import build_tenant
    from trustgov.core.dates import add_months

    for i in range(len(built), trusts):
        tenant = build_tenant(f"nat{i:03d}")
        Contract.objects.create(
            council=tenant.council,
            delivery_body=tenant.body,
            title=f"{tenant.body.name} service contract",
            reference=f"NAT-{i:03d}",
            status=Contract.Status.LIVE,
            start_date=date(2015, 4, 1),
            end_date=date(2030, 3, 31),
            returns_expected_from=date(2015, 4, 1),
        )
        kpis = [
            Kpi(
                delivery_body=tenant.body,
                code=f"K{k:03d}",
                title=f"Indicator {k:03d}",
                definition="Benchmark indicator",
                unit="percentage" if k % 2 == 0 else "count",
                polarity="lower" if k % 3 == 0 else "higher",
                numerator_definition="Numerator" if k % 2 == 0 else "",
                denominator_definition="Denominator" if k % 2 == 0 else "",
                display_order=k,
            )
            for k in range(KPIS)
        ]
        bulk_create_with_history(kpis, Kpi, batch_size=1000)
        built.append(tenant)
    bodies = [t.body.pk for t in built]
    months = _months(add_months(END, -(12 * years - 1)), 12 * years)
    with connection.cursor() as cur:
        # Targets for every financial year the span touches (a KPI's targets are written once).
        cur.execute(
            f"INSERT INTO {Target._meta.db_table} "  # noqa: S608
            "(created_at, updated_at, kpi_id, financial_year, value, amber_tolerance) "
            "SELECT now(), now(), k.id, fy, 50, 5 FROM performance_kpi k CROSS JOIN generate_series(%s, %s) fy "
            "WHERE k.delivery_body_id = ANY(%s) AND NOT EXISTS "
            "(SELECT 1 FROM performance_target t WHERE t.kpi_id = k.id AND t.financial_year = fy) RETURNING id",
            [months[0].year - 1, END.year + 1, bodies],
        )
        new_targets = [r[0] for r in cur.fetchall()]
        # One accepted return per trust per month not yet held, each with one submitted version.
        cur.execute(
            f"INSERT INTO {MonthlyReturn._meta.db_table} (created_at, updated_at, delivery_body_id, period, status, "  # noqa: S608
            "due_date, first_submitted_at, accepted_at) "
            "SELECT now(), now(), b, m::date, 'accepted', (m + interval '1 month 14 days')::date, "
            "m + interval '1 month 10 days', m + interval '1 month 20 days' "
            "FROM unnest(%s::int[]) b CROSS JOIN unnest(%s::date[]) m WHERE NOT EXISTS "
            "(SELECT 1 FROM performance_monthlyreturn r WHERE r.delivery_body_id = b AND r.period = m) RETURNING id",
            [bodies, months],
        )
        new_returns = [r[0] for r in cur.fetchall()]
        execs = {t.body.pk: t.trust_exec.pk for t in built}
        cur.execute(
            f"INSERT INTO {ReturnVersion._meta.db_table} (created_at, updated_at, monthly_return_id, number, reason, "  # noqa: S608
            "created_by_id, channel, submitted_at, signed_off_name) "
            "SELECT now(), now(), r.id, 1, '', e.exec, 'api', r.first_submitted_at, '' "
            "FROM performance_monthlyreturn r "
            "JOIN unnest(%s::int[], %s::int[]) AS e(body, exec) ON e.body = r.delivery_body_id "
            "WHERE r.id BETWEEN %s AND %s RETURNING id",
            [list(execs), list(execs.values()), *_span(new_returns)],
        )
        new_versions = [r[0] for r in cur.fetchall()]
        cur.execute(
            "UPDATE performance_monthlyreturn r SET accepted_version_id = v.id FROM performance_returnversion v "
            "WHERE v.monthly_return_id = r.id AND r.id BETWEEN %s AND %s",
            _span(new_returns),
        )
        # The figures: deterministic, around the target, every KPI of the trust in every new version.
        cur.execute(
            f"INSERT INTO {ReturnValue._meta.db_table} (created_at, updated_at, version_id, kpi_id, value, numerator, "  # noqa: S608
            "denominator, commentary) "
            "SELECT now(), now(), v.id, k.id, 40 + (v.id * 7 + k.id * 3) %% 20, "
            "CASE WHEN k.numerator_definition <> '' THEN 40 + (v.id * 7 + k.id * 3) %% 20 END, "
            "CASE WHEN k.numerator_definition <> '' THEN 100 END, '' "
            "FROM performance_returnversion v JOIN performance_monthlyreturn r ON r.id = v.monthly_return_id "
            "JOIN performance_kpi k ON k.delivery_body_id = r.delivery_body_id WHERE v.id BETWEEN %s AND %s",
            _span(new_versions),
        )
    _history_insert(Target, "id BETWEEN %s AND %s", _span(new_targets))
    _history_insert(MonthlyReturn, "id BETWEEN %s AND %s", _span(new_returns))
    _history_insert(ReturnVersion, "id BETWEEN %s AND %s", _span(new_versions))
    _history_insert(ReturnValue, "version_id BETWEEN %s AND %s", _span(new_versions))
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return built


# --- measuring ------------------------------------------------------------------------------------------


def timed(func, runs: int) -> tuple[float, int, object, float]:
    """Median milliseconds of ``func`` over ``runs`` calls after one warm-up, its query count, its last result and
    the warm-up's milliseconds, timed on an empty cache (a page's first request after its data changed: nothing
    computed per data version, no SPC reading or chart kept)."""
    from django.core.cache import cache

    cache.clear()  # sessions are in the database: the clients stay signed in
    start = time.perf_counter()
    func()
    cold = (time.perf_counter() - start) * 1000
    timings, queries, result = [], 0, None
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            result = func()
            timings.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
    return statistics.median(timings), queries, result, cold


def get(client, url: str):
    def run():
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        return response

    return run


def raw_json(sql: str, params) -> callable:
    def run():
        with connection.cursor() as cur:
            cur.execute(sql, params)
            names = [c[0] for c in cur.description]
            return json.dumps([dict(zip(names, row, strict=True)) for row in cur.fetchall()], default=str)

    return run


def url_or_none(name: str, **kwargs) -> str | None:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return None


def measure(built: list, dfe, runs: int) -> dict:
    from meetings.reminders import send_due_reminders
    from performance.models import Kpi
    from performance.services import Figures, return_record

    tenant = built[0]
    kpi = Kpi.objects.filter(delivery_body=tenant.body).order_by("display_order").first()
    clients = {}
    for role, user in (
        ("officer", tenant.officer),
        ("trust", tenant.trust_exec),
        ("scrutiny", tenant.scrutiny),
        ("dfe", dfe),
    ):
        clients[role] = Client()
        clients[role].force_login(user)
    out: dict[str, dict] = {}

    def row(name, func, floor_name, **extra):
        ms, queries, result, cold = timed(func, runs)
        out[name] = {
            "ms": round(ms, 1),
            "exact_ms": ms,  # the ratio is of the unrounded medians: a target is never met by rounding
            "cold_ms": round(cold, 1),
            "queries": queries,
            "floor": floor_name,
            **extra,
        }
        if hasattr(result, "content"):
            out[name]["bytes"] = len(result.content)
        return result

    row("floor: signed in", get(clients["officer"], "/bench/floor/"), None)
    row("trust dashboard", get(clients["officer"], reverse("performance:dashboard")), "floor: signed in")
    row(
        "KPI page",
        get(clients["officer"], reverse("performance:kpi-detail", kwargs={"pk": kpi.pk})),
        "floor: signed in",
    )
    row(
        "DfE comparison, one KPI",
        get(clients["dfe"], reverse("performance:comparison") + f"?kpi={kpi.code}"),
        "floor: signed in",
    )
    grid = url_or_none("performance:national-grid")
    if grid:
        row("DfE national grid, one month", get(clients["dfe"], f"{grid}?period={END:%Y-%m}"), "floor: signed in")
    for role in clients:
        row(f"home: {role}", get(clients[role], "/"), "floor: signed in")

    period = f"{END:%Y-%m}"
    rag_sql = (
        "SELECT b.slug AS trust, k.code AS kpi, k.title, k.unit, v.value, t.value AS target, rv.number AS version "
        "FROM performance_returnvalue v JOIN performance_returnversion rv ON rv.id = v.version_id "
        "JOIN performance_monthlyreturn r ON r.id = rv.monthly_return_id JOIN performance_kpi k ON k.id = v.kpi_id "
        "JOIN organisations_deliverybody b ON b.id = k.delivery_body_id "
        "LEFT JOIN performance_target t ON t.kpi_id = k.id AND t.financial_year = %s "
        "WHERE r.period = %s ORDER BY b.slug, k.code LIMIT %s"
    )
    fy = END.year if END.month >= 4 else END.year - 1
    row("raw: RAG page of 200", raw_json(rag_sql, [fy, END, 200]), None)
    row(
        "RAG API, page of 200",
        get(clients["dfe"], f"/api/v1/performance/kpis/rag/?period={period}&page_size=200"),
        "raw: RAG page of 200",
    )
    row("raw: RAG whole month", raw_json(rag_sql, [fy, END, 10**9]), None)

    def whole_month():
        url, pages = f"/api/v1/performance/kpis/rag/?period={period}&page_size=5000", 0
        while url:
            response = clients["dfe"].get(url)
            assert response.status_code == 200, response.status_code
            url, pages = response.json().get("next"), pages + 1
        return pages

    row("RAG API, whole month", whole_month, "raw: RAG whole month")
    returns_sql = (
        "SELECT r.id, b.slug AS trust, r.period, r.status, r.due_date, r.first_submitted_at, r.accepted_at, "
        "rv.number AS version, k.code AS kpi, v.value, v.numerator, v.denominator, v.commentary "
        "FROM (SELECT * FROM performance_monthlyreturn ORDER BY delivery_body_id, period DESC LIMIT 200) r "
        "JOIN organisations_deliverybody b ON b.id = r.delivery_body_id "
        "JOIN performance_returnversion rv ON rv.id = r.accepted_version_id "
        "JOIN performance_returnvalue v ON v.version_id = rv.id JOIN performance_kpi k ON k.id = v.kpi_id"
    )
    row("raw: returns page of 200", raw_json(returns_sql, []), None)
    row(
        "returns API, page of 200",
        get(clients["dfe"], "/api/v1/performance/returns/?page_size=200"),
        "raw: returns page of 200",
    )
    series_sql = (
        "SELECT r.period, v.value, v.numerator, v.denominator, rv.number AS version FROM performance_returnvalue v "
        "JOIN performance_returnversion rv ON rv.id = v.version_id "
        "JOIN performance_monthlyreturn r ON r.id = rv.monthly_return_id WHERE v.kpi_id = %s ORDER BY r.period"
    )
    row("raw: KPI series", raw_json(series_sql, [kpi.pk]), None)
    row(
        "KPI series API, all months",
        get(clients["dfe"], f"/api/v1/performance/kpis/{kpi.pk}/series/"),
        "raw: KPI series",
    )

    day = _DAYS
    send_due_reminders(END + timedelta(days=40 + next(day)))  # the first day sends what is due; then the steady state

    def sweep():
        return send_due_reminders(END + timedelta(days=40 + next(day)))

    row("daily reminder sweep", sweep, None)
    months = _MONTHS_AHEAD  # a new month each time, across both scales: each call records a new return
    kpis = list(Kpi.objects.filter(delivery_body=tenant.body))

    def one_return():
        from trustgov.core.dates import add_months

        figures = {
            k.code: Figures(
                value=50, numerator=50 if k.is_fraction else None, denominator=100 if k.is_fraction else None
            )
            for k in kpis
        }
        with time_machine.travel(date(END.year + 3, 6, 1), tick=True):  # every month recorded here has ended
            return return_record(
                delivery_body=tenant.body, period=add_months(END, next(months)), user=tenant.trust_exec, figures=figures
            )

    row(f"one {KPIS}-KPI return through return_record", one_return, None)
    for data in out.values():
        if data["floor"]:
            data["ratio"] = round(data["exact_ms"] / out[data["floor"]]["exact_ms"], 2)
    return out


TARGETS = [
    # (row, what is checked, test on the row's data)
    ("trust dashboard", "<= 20x the signed-in floor", lambda d: d["ratio"] <= 20),
    ("trust dashboard", "<= 300 KB of HTML", lambda d: d["bytes"] <= 300 * 1024),
    ("KPI page", "<= 10x the signed-in floor", lambda d: d["ratio"] <= 10),
    ("DfE national grid, one month", "<= 50x the signed-in floor", lambda d: d["ratio"] <= 50),
    ("DfE comparison, one KPI", "<= 10x the signed-in floor", lambda d: d["ratio"] <= 10),
    ("RAG API, page of 200", "<= 3x raw SQL + JSON", lambda d: d["ratio"] <= 3),
    ("RAG API, whole month", "<= 3x raw SQL + JSON", lambda d: d["ratio"] <= 3),
    ("returns API, page of 200", "<= 3x raw SQL + JSON", lambda d: d["ratio"] <= 3),
    ("KPI series API, all months", "<= 3x raw SQL + JSON", lambda d: d["ratio"] <= 3),
    ("daily reminder sweep", "<= 200 queries", lambda d: d["queries"] <= 200),
    (f"one {KPIS}-KPI return through return_record", "<= 20 queries", lambda d: d["queries"] <= 20),
]


def report(small: dict, national: dict, scale_note: str) -> tuple[list, list]:
    print(f"\nNational benchmark ({connection.vendor}, {scale_note}); medians, ms; queries at 5x1 and 155x10")
    print("(ms: median after a warm-up; cold: the first request on an empty cache, before anything is kept)")
    print(f"{'measurement':<44} {'ms':>9} {'ratio':>7} {'cold ms':>9} {'KB':>7} {'q small':>8} {'q nat':>6}")
    for name, data in national.items():
        ratio = f"x{data['ratio']}" if "ratio" in data else ""
        kb = f"{data['bytes'] / 1024:.0f}" if "bytes" in data else ""
        q_small = small.get(name, {}).get("queries", "")
        cold = data.get("cold_ms", "")
        print(f"{name:<44} {data['ms']:>9.1f} {ratio:>7} {cold!s:>9} {kb:>7} {q_small!s:>8} {data['queries']:>6}")
    results, grew = [], []
    print("\nTargets:")
    for name, what, check in TARGETS:
        if name not in national:
            results.append({"row": name, "target": what, "met": None})
            print(f"  NOT MEASURED  {name}: {what} (the page does not exist yet)")
            continue
        met = bool(check(national[name]))
        results.append({"row": name, "target": what, "met": met})
        print(f"  {'met    ' if met else 'NOT MET'}       {name}: {what}")
    skip = {"daily reminder sweep", f"one {KPIS}-KPI return through return_record"}
    for name, data in national.items():
        if name in small and name not in skip and not name.startswith("raw:") and "whole month" not in name:
            if data["queries"] != small[name]["queries"]:
                grew.append(name)
    print(
        "\nQuery counts equal at both scales for every page and list."
        if not grew
        else f"\nQuery counts GREW with scale: {', '.join(grew)}"
    )
    return results, grew


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measurement (median; at least 5)")
    parser.add_argument("--trusts", type=int, default=NATIONAL[0])
    parser.add_argument("--years", type=int, default=NATIONAL[1])
    args = parser.parse_args()
    if args.runs < 5:
        parser.error("--runs must be at least 5")
    if connection.vendor != "postgresql":
        print("make bench-national measures PostgreSQL: set DATABASE_URL to a PostgreSQL server", file=sys.stderr)
        return 2
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from tests.factories import make_user
        from trustgov.accounts.roles import Role

        with override_settings(ROOT_URLCONF="benchmarks.urls", DEBUG=False):
            dfe = make_user(Role.DFE_LIAISON, username="nat-dfe")
            built: list = []
            start = time.perf_counter()
            build(*SMALL, built)
            small = measure(built, dfe, args.runs)
            build(args.trusts, args.years, built)
            build_s = time.perf_counter() - start
            national = measure(built, dfe, args.runs)
            with connection.cursor() as cur:
                cur.execute("SELECT count(*) FROM performance_returnvalue")
                values = cur.fetchone()[0]
                cur.execute("SELECT count(*) FROM performance_historicalreturnvalue")
                history = cur.fetchone()[0]
            note = f"{args.trusts} trusts x {KPIS} KPIs x {args.years} years = {values:,} figures"
            note += f", {history:,} history rows"
            results, grew = report(small, national, note)
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
            print(f"Dataset built (with history) and measured in {build_s:.0f} s; this process's peak RSS {peak} MB.")
            RESULTS.mkdir(exist_ok=True)
            out = RESULTS / "national.json"
            out.write_text(
                json.dumps(
                    {
                        "database": connection.vendor,
                        "scale": {"trusts": args.trusts, "kpis": KPIS, "years": args.years, "figures": values},
                        "small": small,
                        "national": national,
                        "targets": results,
                        "query_counts_grew": grew,
                        "peak_rss_mb": peak,
                    },
                    indent=2,
                )
            )
            print(f"Wrote {out}")
        return 0
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
