"""Scoped reads of contracts and everything that hangs off them.

Every contract record is scoped through its contract (and so by delivery body); the
reserved-matter catalogue and requests are scoped by the trust they belong to.
"""

from django.db.models import Q, QuerySet

from trustgov.core.exempt import without_exempt
from trustgov.core.scoping import scope_for
from trustgov.organisations.models import Direction
from trustgov.organisations.selectors import public_delivery_bodies, scope_by_delivery_body, scope_by_party

from . import models


@scope_for(models.Contract)
def contracts_visible_to(user) -> QuerySet[models.Contract]:
    return scope_by_party(models.Contract.objects.select_related("council", "delivery_body"), user)


@scope_for(models.Obligation)
def obligations_visible_to(user) -> QuerySet[models.Obligation]:
    return models.Obligation.objects.select_related("contract").filter(contract__in=contracts_visible_to(user))


@scope_for(models.EndOfTermDecision)
def end_of_term_decisions_visible_to(user) -> QuerySet[models.EndOfTermDecision]:
    return models.EndOfTermDecision.objects.select_related("contract").filter(contract__in=contracts_visible_to(user))


@scope_for(models.ContractYearFinance)
def finance_years_visible_to(user) -> QuerySet[models.ContractYearFinance]:
    return models.ContractYearFinance.objects.select_related("contract").filter(contract__in=contracts_visible_to(user))


@scope_for(models.BudgetMonth)
def budget_months_visible_to(user) -> QuerySet[models.BudgetMonth]:
    return models.BudgetMonth.objects.select_related("contract").filter(contract__in=contracts_visible_to(user))


@scope_for(models.SupportServiceLine)
def support_services_visible_to(user) -> QuerySet[models.SupportServiceLine]:
    return models.SupportServiceLine.objects.select_related("contract").filter(contract__in=contracts_visible_to(user))


@scope_for(models.Variation)
def variations_visible_to(user) -> QuerySet[models.Variation]:
    return without_exempt(
        models.Variation.objects.select_related("contract").filter(contract__in=contracts_visible_to(user)), user
    )


@scope_for(models.EscalationStep)
def escalation_steps_visible_to(user) -> QuerySet[models.EscalationStep]:
    return without_exempt(
        models.EscalationStep.objects.select_related("contract").filter(contract__in=contracts_visible_to(user)), user
    )


@scope_for(models.Risk)
def risks_visible_to(user) -> QuerySet[models.Risk]:
    return without_exempt(
        models.Risk.objects.select_related("contract").filter(contract__in=contracts_visible_to(user)), user
    )


@scope_for(models.ReservedMatter)
def reserved_matters_visible_to(user) -> QuerySet[models.ReservedMatter]:
    return scope_by_delivery_body(models.ReservedMatter.objects.select_related("delivery_body__council"), user)


@scope_for(models.ReservedMatterRequest)
def reserved_matter_requests_visible_to(user) -> QuerySet[models.ReservedMatterRequest]:
    return without_exempt(
        scope_by_delivery_body(
            models.ReservedMatterRequest.objects.select_related(
                "reserved_matter", "delivery_body__council", "raised_by"
            ),
            user,
        ),
        user,
    )


def direction_in_force(council) -> bool:
    """Whether a statutory direction is in force for the council (DfE consents then apply)."""
    return Direction.objects.filter(council=council, status=Direction.Status.IN_FORCE).exists()


def current_escalation_stage(contract, *, steps=None) -> models.EscalationStep | None:
    """The furthest stage reached (the latest step at that stage), or None when nothing is escalated."""
    steps = list(contract.escalation_steps.all()) if steps is None else list(steps)
    if not steps:
        return None
    order = models.EscalationStep.STAGE_ORDER
    return max(steps, key=lambda s: (order.index(s.stage), s.taken_on, s.pk))


def public_reserved_matter_decisions(delivery_bodies) -> QuerySet[models.ReservedMatterRequest]:
    """Reserved-matter requests the council has decided, as anyone may read them: never an exempt one."""
    from django.contrib.auth.models import AnonymousUser

    qs = (
        models.ReservedMatterRequest.objects.select_related("reserved_matter", "delivery_body")
        .filter(delivery_body__in=delivery_bodies, council_decided_on__isnull=False)
        .exclude(council_decision="")
    )
    return without_exempt(qs, AnonymousUser()).order_by("-council_decided_on", "-pk")


def public_contracts(council) -> QuerySet[models.Contract]:
    """The contracts of the council's public trusts that the council is party to (its own, or a joint contract of
    a trust it owns), once signed: a draft contract is not yet an agreement and is not published. The public
    contract pages, datasets and OCDS read these (ADR 0603, 0608)."""
    return (
        models.Contract.objects.filter(delivery_body__in=public_delivery_bodies(council))
        .filter(Q(council=council) | Q(is_joint=True))
        .exclude(status=models.Contract.Status.DRAFT)
        .select_related("council", "delivery_body")
        .prefetch_related("finance_years")
        .order_by("start_date", "reference")
    )
