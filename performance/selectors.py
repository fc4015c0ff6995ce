"""Scoped reads of the performance app (the figures, targets and RAG every screen shows are in positions.py).

Drafts are the trust's own: council, scrutiny and DfE users see a return once it is submitted.
Query threads are between the council and the trust: scrutiny members do not see them.
"""

from datetime import date

from django.db.models import Q, QuerySet

from trustgov.accounts.roles import Role, role_of
from trustgov.core.scoping import scope_for
from trustgov.organisations.selectors import scope_by_delivery_body

from .models import (
    Benchmark,
    ImprovementAction,
    ImprovementPriority,
    Kpi,
    KpiDefinition,
    MonthlyReturn,
    OfstedEvent,
    QueryMessage,
    ReturnQuery,
    ReturnValue,
    ReturnVersion,
    Target,
    TrajectoryMilestone,
)


def kpis_reported(delivery_body, period: date) -> QuerySet[Kpi]:
    """The KPIs a return for ``period`` reports: every KPI of the trust not retired by that month."""
    return Kpi.objects.filter(delivery_body=delivery_body).filter(
        Q(retired_from__isnull=True) | Q(retired_from__gt=period)
    )


@scope_for(Kpi)
def kpis_visible_to(user) -> QuerySet[Kpi]:
    return scope_by_delivery_body(Kpi.objects.select_related("delivery_body", "priority"), user)


@scope_for(Target)
def targets_visible_to(user) -> QuerySet[Target]:
    return Target.objects.select_related("kpi").filter(kpi__in=kpis_visible_to(user))


@scope_for(Benchmark)
def benchmarks_visible_to(user) -> QuerySet[Benchmark]:
    return Benchmark.objects.select_related("kpi").filter(kpi__in=kpis_visible_to(user))


@scope_for(MonthlyReturn)
def returns_visible_to(user) -> QuerySet[MonthlyReturn]:
    qs = scope_by_delivery_body(MonthlyReturn.objects.select_related("delivery_body", "delivery_body__council"), user)
    if not getattr(user, "delivery_body_id", None) and not user.is_superuser:
        qs = qs.exclude(status=MonthlyReturn.Status.DRAFT)
    return qs


@scope_for(ReturnVersion)
def versions_visible_to(user) -> QuerySet[ReturnVersion]:
    qs = ReturnVersion.objects.select_related("monthly_return", "created_by", "signed_off_by").filter(
        monthly_return__in=returns_visible_to(user)
    )
    if not getattr(user, "delivery_body_id", None) and not user.is_superuser:
        qs = qs.filter(submitted_at__isnull=False)
    return qs


@scope_for(ReturnValue)
def values_visible_to(user) -> QuerySet[ReturnValue]:
    return ReturnValue.objects.select_related("kpi", "version").filter(version__in=versions_visible_to(user))


@scope_for(ReturnQuery)
def queries_visible_to(user) -> QuerySet[ReturnQuery]:
    if role_of(user) == Role.SCRUTINY_MEMBER:
        return ReturnQuery.objects.none()
    return ReturnQuery.objects.select_related("kpi", "raised_by", "monthly_return").filter(
        monthly_return__in=returns_visible_to(user)
    )


@scope_for(QueryMessage)
def query_messages_visible_to(user) -> QuerySet[QueryMessage]:
    return QueryMessage.objects.select_related("author").filter(query__in=queries_visible_to(user))


@scope_for(ImprovementPriority)
def priorities_visible_to(user) -> QuerySet[ImprovementPriority]:
    return scope_by_delivery_body(ImprovementPriority.objects.select_related("delivery_body"), user)


@scope_for(ImprovementAction)
def actions_visible_to(user) -> QuerySet[ImprovementAction]:
    return ImprovementAction.objects.select_related("priority").filter(priority__in=priorities_visible_to(user))


@scope_for(OfstedEvent)
def ofsted_events_visible_to(user) -> QuerySet[OfstedEvent]:
    return scope_by_delivery_body(OfstedEvent.objects.select_related("delivery_body"), user)


@scope_for(TrajectoryMilestone)
def milestones_visible_to(user) -> QuerySet[TrajectoryMilestone]:
    return scope_by_delivery_body(TrajectoryMilestone.objects.select_related("delivery_body"), user)


@scope_for(KpiDefinition)
def kpi_definitions_visible_to(user) -> QuerySet[KpiDefinition]:
    return KpiDefinition.objects.select_related("kpi").filter(kpi__in=kpis_visible_to(user))


def definition_for(kpi: Kpi, period: date):
    """The definition a return for ``period`` was made under (the KPI's own fields when it has no versions)."""
    versions = [d for d in kpi.definitions.all() if d.effective_from is None or d.effective_from <= period]
    return versions[-1] if versions else kpi
