"""Scoped reads of organisations. These define the tenancy every other app builds on.

- DfE users and superusers see every council and delivery body;
- council users (officers, scrutiny members) see their council and the delivery bodies it owns, alone
  or jointly (a jointly owned trust is seen by each of its owning councils);
- trust users see their delivery body and the councils that own it;
- an ownership that has ended (``Ownership.until`` before today) gives no sight of anything;
- anyone else sees nothing.
"""

from django.db.models import Q, QuerySet
from django.utils import timezone

from trustgov.core.scoping import is_dfe_or_admin, scope_for

from .models import Council, DeliveryBody, Direction, MemorandumOfUnderstanding, OfficeHolding, Ownership


def _owning_today() -> Q:
    """The ownership row joined in the same ``filter()`` call has not ended (one row per body and council)."""
    today = timezone.localdate()
    return Q(ownerships__until__isnull=True) | Q(ownerships__until__gte=today)


@scope_for(Council)
def councils_visible_to(user) -> QuerySet[Council]:
    qs = Council.objects.all()
    if is_dfe_or_admin(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    if user.delivery_body_id:
        return qs.filter(_owning_today(), ownerships__delivery_body_id=user.delivery_body_id)
    if user.council_id:
        return qs.filter(pk=user.council_id)
    return qs.none()


@scope_for(DeliveryBody)
def delivery_bodies_visible_to(user) -> QuerySet[DeliveryBody]:
    qs = DeliveryBody.objects.select_related("council")
    if is_dfe_or_admin(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    if user.delivery_body_id:
        return qs.filter(pk=user.delivery_body_id)
    if user.council_id:
        return qs.filter(_owning_today(), ownerships__council_id=user.council_id)
    return qs.none()


@scope_for(Ownership)
def ownerships_visible_to(user) -> QuerySet[Ownership]:
    """Who owns the delivery bodies the user sees (a jointly owned trust's owners are no secret to either)."""
    return Ownership.objects.select_related("council", "delivery_body").filter(
        delivery_body__in=delivery_bodies_visible_to(user)
    )


@scope_for(Direction)
def directions_visible_to(user) -> QuerySet[Direction]:
    return Direction.objects.select_related("council").filter(council__in=councils_visible_to(user))


@scope_for(MemorandumOfUnderstanding)
def memoranda_visible_to(user) -> QuerySet[MemorandumOfUnderstanding]:
    return MemorandumOfUnderstanding.objects.select_related("council", "delivery_body").filter(
        delivery_body__in=delivery_bodies_visible_to(user)
    )


@scope_for(OfficeHolding)
def office_holdings_visible_to(user) -> QuerySet[OfficeHolding]:
    """The offices of the councils the user sees, and the offices of the trusts the user sees (each owner of a
    jointly owned trust sees who chairs and leads it, whichever owner recorded the holding)."""
    return OfficeHolding.objects.select_related("council", "delivery_body", "user").filter(
        Q(delivery_body__isnull=True, council__in=councils_visible_to(user))
        | Q(delivery_body__in=delivery_bodies_visible_to(user))
    )


def office_holder(*, office: str, council=None, delivery_body=None, on=None) -> OfficeHolding | None:
    """Who holds ``office`` of the council (or of the trust) on the day (today by default), or None."""
    day = on or timezone.localdate()
    qs = OfficeHolding.objects.select_related("user").filter(office=office)
    qs = qs.filter(delivery_body=delivery_body) if delivery_body else qs.filter(council=council, delivery_body=None)
    qs = qs.filter(Q(start_date__isnull=True) | Q(start_date__lte=day), Q(end_date__isnull=True) | Q(end_date__gte=day))
    return qs.order_by("-start_date", "-pk").first()


def delivery_bodies_owned_today(council) -> QuerySet[DeliveryBody]:
    """The delivery bodies ``council`` owns today, alone or jointly (not one whose ownership has ended)."""
    return DeliveryBody.objects.filter(_owning_today(), ownerships__council=council)


def public_delivery_bodies(council) -> QuerySet[DeliveryBody]:
    """The delivery bodies ``council`` owns today, alone or jointly, that have taken operational control: the
    trusts of its public pages (ADR 0603)."""
    return (
        delivery_bodies_owned_today(council)
        .filter(operational_from__isnull=False, operational_from__lte=timezone.localdate())
        .select_related("council")
        .distinct()
        .order_by("name")
    )


def live_councils() -> QuerySet[Council]:
    """Councils live on the service: owning today a delivery body that has taken operational control. Only they
    have public pages (ADR 0603)."""
    today = timezone.localdate()
    return Council.objects.filter(
        _owning_today(),
        ownerships__delivery_body__operational_from__isnull=False,
        ownerships__delivery_body__operational_from__lte=today,
    ).distinct()


def scope_by_delivery_body(qs: QuerySet, user, field: str = "delivery_body") -> QuerySet:
    """Restrict any queryset with a delivery-body foreign key to the user's tenancy."""
    return qs.filter(**{f"{field}__in": delivery_bodies_visible_to(user)})


def scope_by_party(qs: QuerySet, user, *, council: str = "council", delivery_body: str = "delivery_body") -> QuerySet:
    """Restrict records between a council and a delivery body (a contract, a meeting, a report) to the user's
    tenancy: a trust's users see their trust's; a council's users see those the council is party to. A record
    that marks itself joint (``is_joint``) is one every owning council is party to."""
    qs = scope_by_delivery_body(qs, user, delivery_body) if delivery_body else qs
    if user.is_authenticated and user.council_id and not is_dfe_or_admin(user):
        return qs.filter(Q(**{f"{council}_id": user.council_id}) | Q(is_joint=True))
    return qs


def scope_by_council(qs: QuerySet, user, field: str = "council") -> QuerySet:
    """Restrict any queryset with a council foreign key to the user's tenancy."""
    return qs.filter(**{f"{field}__in": councils_visible_to(user)})
