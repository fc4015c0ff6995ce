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
