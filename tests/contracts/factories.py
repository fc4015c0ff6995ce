"""factory_boy factories for the contracts app."""

from datetime import date
from decimal import Decimal

import factory

from contracts.models import (
    Contract,
    ContractYearFinance,
    EscalationStep,
    Obligation,
    ReservedMatter,
    ReservedMatterRequest,
    Risk,
    SupportServiceLine,
    Variation,
)

from ..factories import DeliveryBodyFactory


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    delivery_body = factory.SubFactory(DeliveryBodyFactory)
    council = factory.SelfAttribute("delivery_body.council")
    title = factory.LazyAttribute(lambda c: f"{c.delivery_body.name} service contract")
    reference = factory.Sequence(lambda n: f"TEST-{n:04d}")
    status = Contract.Status.LIVE
    start_date = date(2020, 4, 1)
    end_date = date(2030, 3, 31)
    break_clause_date = date(2023, 3, 31)
    break_notice_months = 6
    annual_review_date = date(2027, 4, 1)


class ObligationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Obligation

    contract = factory.SubFactory(ContractFactory)
    kind = Obligation.Kind.MONTHLY_MONITORING
    title = "Monthly monitoring information"
    owner = "Trust Chief Executive"
    recurrence = Obligation.Recurrence.MONTHLY
    original_due_date = date(2026, 12, 14)
    due_date = date(2026, 12, 14)


class FinanceYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContractYearFinance

    contract = factory.SubFactory(ContractFactory)
    financial_year = 2024
    contract_sum = Decimal("1000000.00")


class SupportServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportServiceLine

    contract = factory.SubFactory(ContractFactory)
    service = "Payroll"
    term_start = date(2024, 4, 1)
    term_end = date(2025, 3, 31)
    annual_charge = Decimal("50000.00")


class VariationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Variation

    contract = factory.SubFactory(ContractFactory)
    title = "Move the edge of care service to the trust"
    is_major = True
    proposed_on = date(2026, 1, 1)


class EscalationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EscalationStep

    contract = factory.SubFactory(ContractFactory)
    stage = EscalationStep.Stage.CONCERN
    taken_on = date(2026, 1, 10)
    summary = "Timeliness of assessments fell for three months"


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    contract = factory.SubFactory(ContractFactory)
    title = "Slippage of timetable"
    owner = "Director"
    likelihood = 3
    impact = 4


class ReservedMatterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReservedMatter

    delivery_body = factory.SubFactory(DeliveryBodyFactory)
    title = factory.Sequence(lambda n: f"Reserved matter {n}")
    decided_by = ReservedMatter.DecidedBy.CABINET
    requires_dfe_consent = False


class RequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReservedMatterRequest

    reserved_matter = factory.SubFactory(ReservedMatterFactory)
    delivery_body = factory.SelfAttribute("reserved_matter.delivery_body")
    title = "Approve the annual business plan"
    details = "Please approve"
    raised_on = date(2026, 11, 1)
    decision_due = date(2026, 12, 31)
