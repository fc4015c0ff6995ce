"""Factories for the performance app, and a small catalogue for a tenant's trust."""

from decimal import Decimal

import factory

from performance.models import Benchmark, Kpi, Target
from tests.factories import DeliveryBodyFactory

factory.Faker._DEFAULT_LOCALE = "en_GB"


class KpiFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kpi
        django_get_or_create = ["delivery_body", "code"]

    delivery_body = factory.SubFactory(DeliveryBodyFactory)
    code = factory.Sequence(lambda n: f"K{n}")
    title = factory.Sequence(lambda n: f"Indicator {n}")
    definition = "A test indicator."
    unit = Kpi.Unit.COUNT
    polarity = Kpi.Polarity.LOWER


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    kpi = factory.SubFactory(KpiFactory)
    financial_year = 2025
    value = Decimal("20")
    amber_tolerance = Decimal("2")


def small_catalogue(body, years=(2024, 2025)) -> dict[str, Kpi]:
    """Re-referral (% lower, fraction), assessments in 45 days (% higher, fraction), CIN count (typed)."""
    kpis = {
        "RR": KpiFactory(
            delivery_body=body,
            code="RR",
            title="Re-referral rate",
            unit=Kpi.Unit.PERCENTAGE,
            polarity=Kpi.Polarity.LOWER,
            numerator_definition="Re-referrals",
            denominator_definition="Referrals",
            display_order=1,
        ),
        "AS45": KpiFactory(
            delivery_body=body,
            code="AS45",
            title="Assessments within 45 working days",
            unit=Kpi.Unit.PERCENTAGE,
            polarity=Kpi.Polarity.HIGHER,
            numerator_definition="Assessments within 45 days",
            denominator_definition="Assessments completed",
            display_order=2,
        ),
        "CIN": KpiFactory(
            delivery_body=body, code="CIN", title="Children in need", unit=Kpi.Unit.COUNT, display_order=3
        ),
    }
    targets = {"RR": ("22", "2"), "AS45": ("85", "5"), "CIN": ("1700", "200")}
    for code, (value, tol) in targets.items():
        for year in years:
            TargetFactory(kpi=kpis[code], financial_year=year, value=Decimal(value), amber_tolerance=Decimal(tol))
    Benchmark.objects.create(
        kpi=kpis["RR"], kind=Benchmark.Kind.ENGLAND, year="2024-25", value=Decimal("22.6"), source="DfE"
    )
    return kpis


def bulk_series(body, user, *, kpis: int, months: int, end, accepted: bool = True) -> list[Kpi]:
    """``kpis`` KPIs for the trust with a submitted (and, with ``accepted``, accepted) return each month for the
    ``months`` months to ``end``, a figure of every KPI in each: written in bulk (a few queries, no history rows),
    for the tests that measure a page at scale."""
    from django.utils import timezone

    from performance.models import MonthlyReturn, ReturnValue, ReturnVersion
    from trustgov.core.dates import add_months

    made = Kpi.objects.bulk_create(
        Kpi(
            delivery_body=body,
            code=f"B{n:03d}",
            title=f"Bulk indicator {n}",
            definition="A test indicator.",
            unit=(Kpi.Unit.PERCENTAGE, Kpi.Unit.COUNT)[n % 2],
            polarity=(Kpi.Polarity.LOWER, Kpi.Polarity.HIGHER)[n % 2],
            display_order=n,
        )
        for n in range(kpis)
    )
    made = list(Kpi.objects.filter(delivery_body=body, code__startswith="B").order_by("code"))
    now = timezone.now()
    status = MonthlyReturn.Status.ACCEPTED if accepted else MonthlyReturn.Status.SUBMITTED
    periods = [add_months(end, -i) for i in range(months)]
    returns = MonthlyReturn.objects.bulk_create(
        MonthlyReturn(delivery_body=body, period=p, due_date=p, status=status, first_submitted_at=now) for p in periods
    )
    returns = list(MonthlyReturn.objects.filter(delivery_body=body, period__in=periods))
    versions = ReturnVersion.objects.bulk_create(
        ReturnVersion(monthly_return=r, number=1, created_by=user, submitted_at=now) for r in returns
    )
    versions = {v.monthly_return_id: v for v in ReturnVersion.objects.filter(monthly_return__in=returns)}
    if accepted:
        for r in returns:
            r.accepted_version, r.accepted_at = versions[r.pk], now
        MonthlyReturn.objects.bulk_update(returns, ["accepted_version", "accepted_at"])
    ReturnValue.objects.bulk_create(
        ReturnValue(version=versions[r.pk], kpi=k, value=Decimal(20 + (i * 7 + r.period.month * 3) % 11))
        for i, k in enumerate(made)
        for r in returns
    )
    return made
