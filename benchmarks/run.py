"""Dashboard benchmark: render time and SQL query count for a trust with 60 KPIs and 10 years of returns.

Run with ``make bench`` (``python -m benchmarks.run``). Not a timed test: it prints a table.
It builds a throwaway test database, adds 1, then 5, then 10 years of monthly values
(60 KPIs x 12 months a year, history recorded), and renders the trust dashboard and one KPI
page after each step. The dashboard's query count must stay the same as years are added:
it reads a bounded window (13 months) with a fixed number of queries.
"""

import os
import statistics
import sys
import time
from datetime import date, datetime
from datetime import time as dtime
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trustgov.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from simple_history.utils import bulk_create_with_history  # noqa: E402

KPI_COUNT = 60
RUNS = 5


def build_trust():
    from performance.models import Kpi, Target
    from tests.conftest import build_tenant

    tenant = build_tenant("bench")
    kpis = []
    for i in range(KPI_COUNT):
        fraction = i % 2 == 0
        kpis.append(
            Kpi(
                delivery_body=tenant.body,
                code=f"K{i:02d}",
                title=f"Indicator {i:02d}",
                definition="Benchmark indicator",
                unit="percentage" if fraction else "count",
                polarity="higher" if i % 3 else "lower",
                numerator_definition="Numerator" if fraction else "",
                denominator_definition="Denominator" if fraction else "",
                display_order=i,
            )
        )
    kpis = bulk_create_with_history(kpis, Kpi)
    kpis = list(Kpi.objects.filter(delivery_body=tenant.body).order_by("display_order"))
    targets = [
        Target(kpi=k, financial_year=y, value=Decimal(50), amber_tolerance=Decimal(5))
        for k in kpis
        for y in range(2010, 2027)
    ]
    bulk_create_with_history(targets, Target)
    return tenant, kpis


def add_years(tenant, kpis, first_month: date, months: int):
    """Submitted returns (one version each) for ``months`` months from ``first_month``, history recorded."""
    from performance.models import MonthlyReturn, ReturnValue, ReturnVersion
    from trustgov.core.dates import add_months

    periods = [add_months(first_month, i) for i in range(months)]
    submitted = timezone.make_aware(datetime.combine(date(2026, 1, 1), dtime(12)))
    returns = bulk_create_with_history(
        [
            MonthlyReturn(
                delivery_body=tenant.body, period=p, status="accepted", due_date=p, first_submitted_at=submitted
            )
            for p in periods
        ],
        MonthlyReturn,
    )
    returns = list(MonthlyReturn.objects.filter(delivery_body=tenant.body, period__in=periods))
    bulk_create_with_history(
        [
            ReturnVersion(monthly_return=r, number=1, created_by=tenant.trust_exec, submitted_at=submitted)
            for r in returns
        ],
        ReturnVersion,
    )
    versions = list(ReturnVersion.objects.filter(monthly_return__in=returns))
    values = []
    for v_index, version in enumerate(versions):
        for k_index, kpi in enumerate(kpis):
            value = Decimal(40 + (v_index * 7 + k_index * 3) % 20)
            values.append(
                ReturnValue(
                    version=version,
                    kpi=kpi,
                    value=value,
                    numerator=value if kpi.is_fraction else None,
                    denominator=Decimal(100) if kpi.is_fraction else None,
                )
            )
    bulk_create_with_history(values, ReturnValue, batch_size=2000)
    return returns


def measure(client, url: str) -> tuple[int, float]:
    client.get(url)  # warm up
    timings = []
    queries = 0
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        queries = len(ctx.captured_queries)
    return queries, statistics.median(timings) * 1000


def main() -> int:
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        from performance.models import ReturnValue
        from trustgov.core.dates import add_months

        tenant, kpis = build_trust()
        client = Client()
        client.force_login(tenant.officer)
        dashboard = reverse("performance:dashboard")
        detail = reverse("performance:kpi-detail", kwargs={"pk": kpis[0].pk})
        end = date(2025, 12, 1)
        have = 0
        rows = []
        for years in (1, 5, 10):
            months = years * 12
            add_years(tenant, kpis, add_months(end, -(months - 1)), months - have)
            have = months
            values = ReturnValue.objects.filter(kpi__delivery_body=tenant.body).count()
            dq, dms = measure(client, dashboard)
            kq, kms = measure(client, detail)
            rows.append((years, values, dq, dms, kq, kms))
        print(f"Dashboard benchmark: {KPI_COUNT} KPIs, median of {RUNS} renders (database: {connection.vendor})")
        print(
            f"{'years':>5} {'values':>8} {'dashboard SQL':>14} {'dashboard ms':>13} "
            f"{'KPI page SQL':>13} {'KPI page ms':>12}"
        )
        for years, values, dq, dms, kq, kms in rows:
            print(f"{years:>5} {values:>8} {dq:>14} {dms:>13.1f} {kq:>13} {kms:>12.1f}")
        constant = len({r[2] for r in rows}) == 1
        print("Dashboard query count is constant as years are added." if constant else "Query count GREW with years!")
        return 0 if constant else 1
    finally:
        from django.test.utils import teardown_databases

        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
