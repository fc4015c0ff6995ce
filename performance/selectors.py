"""Scoped reads of the performance app (the figures, targets and RAG every screen shows are in positions.py).

Drafts are the trust's own: council, scrutiny and DfE users see a return once it is submitted.
Query threads are between the council and the trust: scrutiny members do not see them.
"""

from datetime import date

from django.db.models import Q, QuerySet

from trustgov.accounts.roles import Role, role_of
from trustgov.core.scoping import scope_for
from trustgov.organisations.selectors import scope_by_council, scope_by_delivery_body

from . import models
from .positions import latest_period


def kpis_reported(delivery_body, period: date) -> QuerySet[models.Kpi]:
    """The KPIs a return for ``period`` reports: every KPI of the trust not retired by that month."""
    return models.Kpi.objects.filter(delivery_body=delivery_body).filter(
        Q(retired_from__isnull=True) | Q(retired_from__gt=period)
    )


def trust_kpis(delivery_body) -> list[models.Kpi]:
    """Every KPI of the trust, retired or not, in the scorecard's order."""
    return list(
        models.Kpi.objects.filter(delivery_body=delivery_body)
        .select_related("priority")
        .order_by("display_order", "code", "pk")
    )


def in_force(kpi: models.Kpi, period: date) -> bool:
    return kpi.retired_from is None or kpi.retired_from > period


def public_scorecard(delivery_body) -> tuple[date | None, list[models.Kpi]]:
    """The month a trust's public scorecard shows (the latest with a figure the council accepted, or None) and
    the KPIs it lists: those in force that month (ADR 0603)."""
    kpis = trust_kpis(delivery_body)
    period = latest_period(kpis, accepted_only=True) if kpis else None
    if period is None:
        return None, []
    return period, [kpi for kpi in kpis if in_force(kpi, period)]


def public_scorecard_kpis(delivery_bodies) -> QuerySet[models.Kpi]:
    """The KPIs the public scorecards of ``delivery_bodies`` list, as rows (the public search reads them)."""
    listed = [kpi.pk for body in delivery_bodies for kpi in public_scorecard(body)[1]]
    return models.Kpi.objects.filter(pk__in=listed).select_related("delivery_body", "priority")


@scope_for(models.Kpi)
def kpis_visible_to(user) -> QuerySet[models.Kpi]:
    return scope_by_delivery_body(models.Kpi.objects.select_related("delivery_body", "priority"), user)


@scope_for(models.Target)
def targets_visible_to(user) -> QuerySet[models.Target]:
    return models.Target.objects.select_related("kpi").filter(kpi__in=kpis_visible_to(user))


@scope_for(models.Benchmark)
def benchmarks_visible_to(user) -> QuerySet[models.Benchmark]:
    return models.Benchmark.objects.select_related("kpi").filter(kpi__in=kpis_visible_to(user))


@scope_for(models.StatisticalNeighbourList)
def neighbour_lists_visible_to(user) -> QuerySet[models.StatisticalNeighbourList]:
    """A council's statistical neighbours: its own users and the trusts it owns see them."""
    return scope_by_council(models.StatisticalNeighbourList.objects.select_related("council"), user)


@scope_for(models.MonthlyReturn)
def returns_visible_to(user) -> QuerySet[models.MonthlyReturn]:
    qs = scope_by_delivery_body(
        models.MonthlyReturn.objects.select_related("delivery_body", "delivery_body__council"), user
    )
    if not getattr(user, "delivery_body_id", None) and not user.is_superuser:
        qs = qs.exclude(status=models.MonthlyReturn.Status.DRAFT)
    return qs


@scope_for(models.ReturnVersion)
def versions_visible_to(user) -> QuerySet[models.ReturnVersion]:
    qs = models.ReturnVersion.objects.select_related("monthly_return", "created_by", "signed_off_by").filter(
        monthly_return__in=returns_visible_to(user)
    )
    if not getattr(user, "delivery_body_id", None) and not user.is_superuser:
        qs = qs.filter(submitted_at__isnull=False)
    return qs


@scope_for(models.ReturnValue)
def values_visible_to(user) -> QuerySet[models.ReturnValue]:
    return models.ReturnValue.objects.select_related("kpi", "version").filter(version__in=versions_visible_to(user))


def sees_query_threads(user) -> bool:
    """Queries on returns are the council's and the trust's working threads: scrutiny never reads them."""
    return role_of(user) != Role.SCRUTINY_MEMBER


@scope_for(models.ReturnQuery)
def queries_visible_to(user) -> QuerySet[models.ReturnQuery]:
    if not sees_query_threads(user):
        return models.ReturnQuery.objects.none()
    return models.ReturnQuery.objects.select_related("kpi", "raised_by", "monthly_return").filter(
        monthly_return__in=returns_visible_to(user)
    )


@scope_for(models.QueryMessage)
def query_messages_visible_to(user) -> QuerySet[models.QueryMessage]:
    return models.QueryMessage.objects.select_related("author").filter(query__in=queries_visible_to(user))


@scope_for(models.ImprovementPriority)
def priorities_visible_to(user) -> QuerySet[models.ImprovementPriority]:
    return scope_by_delivery_body(models.ImprovementPriority.objects.select_related("delivery_body"), user)


@scope_for(models.ImprovementAction)
def actions_visible_to(user) -> QuerySet[models.ImprovementAction]:
    return models.ImprovementAction.objects.select_related("priority").filter(priority__in=priorities_visible_to(user))


@scope_for(models.OfstedEvent)
def ofsted_events_visible_to(user) -> QuerySet[models.OfstedEvent]:
    return scope_by_delivery_body(models.OfstedEvent.objects.select_related("delivery_body"), user)


@scope_for(models.TrajectoryMilestone)
def milestones_visible_to(user) -> QuerySet[models.TrajectoryMilestone]:
    return scope_by_delivery_body(models.TrajectoryMilestone.objects.select_related("delivery_body"), user)


@scope_for(models.KpiDefinition)
def kpi_definitions_visible_to(user) -> QuerySet[models.KpiDefinition]:
    return models.KpiDefinition.objects.select_related("kpi").filter(kpi__in=kpis_visible_to(user))


@scope_for(models.KpiBaseline)
def kpi_baselines_visible_to(user) -> QuerySet[models.KpiBaseline]:
    return models.KpiBaseline.objects.select_related("kpi").filter(kpi__in=kpis_visible_to(user))


def definition_for(kpi: models.Kpi, period: date):
    """The definition a return for ``period`` was made under (the KPI's own fields when it has no versions)."""
    versions = [d for d in kpi.definitions.all() if d.effective_from is None or d.effective_from <= period]
    return versions[-1] if versions else kpi
