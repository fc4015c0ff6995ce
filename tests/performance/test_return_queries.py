"""Recording a monthly return reads and writes set-based: the queries do not grow with the number of KPIs, and
every figure written still has its history row (who, when, why)."""

from datetime import date
from decimal import Decimal as D

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from performance import services
from performance.models import Kpi, ReturnValue
from performance.services import Figures

from .factories import KpiFactory, TargetFactory

JUNE = date(2025, 6, 1)
LIMIT = 20  # the target for a 100-KPI return


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(date(2025, 7, 10), tick=False):
        yield


@pytest.fixture(autouse=True)
def sqlite_batches(db, monkeypatch):
    """Django 5.2 splits a bulk insert on SQLite at 999 parameters (its old compile-time default), so 100 history
    rows of 13 columns go in two statements there. The SQLite linked here allows far more, as PostgreSQL
    does: the test uses the library's real limit, so it counts the statements the service asks for."""
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        monkeypatch.setattr(type(connection.features), "max_query_params", limit)


def catalogue(body, n: int) -> list[Kpi]:
    """n KPIs, every other one a fraction, each with a target for 2024/25 and 2025/26, one with a grace period."""
    kpis = []
    for i in range(n):
        kpi = KpiFactory(
            delivery_body=body,
            code=f"Q{i:03}",
            title=f"Indicator {i}",
            unit=Kpi.Unit.PERCENTAGE if i % 2 else Kpi.Unit.COUNT,
            polarity=Kpi.Polarity.LOWER,
            numerator_definition="Counted" if i % 2 else "",
            denominator_definition="Of" if i % 2 else "",
            display_order=i,
            formal_reporting_start=date(2025, 9, 1) if i == 0 else None,
        )
        for year in (2024, 2025):
            TargetFactory(kpi=kpi, financial_year=year, value=D("50"), amber_tolerance=D("5"))
        kpis.append(kpi)
    return kpis


def figures(kpis, value="40") -> dict[str, Figures]:
    return {
        k.code: Figures(numerator=D(value), denominator=D("100")) if k.is_fraction else Figures(value=D(value))
        for k in kpis
    }


def counted(func) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        result = func()
    return len(ctx.captured_queries), result


def record(tenant, kpis, period, **kwargs):
    return lambda: services.return_record(
        delivery_body=tenant.body, period=period, user=tenant.trust_exec, figures=figures(kpis), **kwargs
    )


def counts(tenant, n: int, period: date) -> dict[str, int]:
    """Queries of each kind of save for a trust with n KPIs: a new draft, a change to it, its submission, and
    a correction (a new version) after it."""
    kpis = catalogue(tenant.body, n)
    out = {}
    out["new draft"], ret = counted(record(tenant, kpis, period))
    out["draft changed"], _ = counted(
        lambda: services.return_record(
            delivery_body=tenant.body, period=period, user=tenant.trust_exec, figures=figures(kpis, "41")
        )
    )
    out["submitted with figures"], _ = counted(record(tenant, kpis, period, submit=True))
    out["correction"], _ = counted(record(tenant, kpis, period, submit=True, reason="A late referral was found"))
    assert ret.versions.count() == 2
    return out


def test_a_100_kpi_return_takes_no_more_queries_than_a_5_kpi_one(tenant_a, tenant_b, django_assert_max_num_queries):
    small = counts(tenant_b, 5, JUNE)
    kpis = catalogue(tenant_a.body, 100)
    with django_assert_max_num_queries(LIMIT):
        ret = services.return_record(
            delivery_body=tenant_a.body, period=JUNE, user=tenant_a.trust_exec, figures=figures(kpis), submit=True
        )
    version = ret.versions.get()
    assert version.submitted_at is not None and version.values.count() == 100
    for kind, n in small.items():
        assert n <= LIMIT, f"{kind}: {n} queries"


def test_query_count_does_not_grow_with_kpis(tenant_a, tenant_b):
    small = counts(tenant_b, 5, JUNE)
    big = counts(tenant_a, 100, JUNE)
    assert big == small
    assert max(big.values()) <= LIMIT, big


def test_every_figure_written_has_its_history(tenant_a):
    kpis = catalogue(tenant_a.body, 100)
    ret = services.return_record(
        delivery_body=tenant_a.body, period=JUNE, user=tenant_a.trust_exec, figures=figures(kpis), submit=True
    )
    first = ret.versions.get()
    services.return_record(
        delivery_body=tenant_a.body,
        period=JUNE,
        user=tenant_a.trust_exec,
        figures=figures(kpis[:10], "45"),
        reason="Ten figures were revised",
    )
    second = ret.versions.get(number=2)
    # The submitted figures stand as they were; the correction is a new version holding every figure.
    assert set(first.values.values_list("value", flat=True)) == {D("40")}
    assert first.values.count() == second.values.count() == 100
    assert second.values.filter(value=D("45")).count() == 10
    history = ReturnValue.history.filter(version_id__in=[first.pk, second.pk])
    assert history.count() == 200
    assert set(history.values_list("history_type", flat=True)) == {"+"}
    assert set(history.values_list("history_user", flat=True)) == {tenant_a.trust_exec.pk}
    assert set(history.filter(version_id=second.pk).values_list("history_change_reason", flat=True)) == {
        "Ten figures were revised"
    }


def historic_queries(tenant, n: int) -> tuple[int, object]:
    kpis = catalogue(tenant.body, n)
    return counted(
        lambda: services.historic_return_record(
            user=tenant.officer, delivery_body=tenant.body, period=JUNE, figures=figures(kpis), reason="Onboarding"
        )
    )


def test_a_historic_month_takes_the_same_queries_for_5_and_100_kpis_each_with_its_history(tenant_a, tenant_b):
    small, _ = historic_queries(tenant_b, 5)
    big, ret = historic_queries(tenant_a, 100)
    assert big == small <= LIMIT, (small, big)  # before: 25 and 215
    version = ret.accepted_version
    assert version.values.count() == 100
    history = ReturnValue.history.filter(version_id=version.pk)
    assert history.count() == 100
    assert set(history.values_list("history_user", "history_change_reason")) == {(tenant_a.officer.pk, "Onboarding")}
