"""Who receives a reminder or notification: the council's officers, the trust's executives, the council's DCS
(the office holder) and the DfE's liaison users.

Unscoped reads for scheduled work (the reminder rules of every app), not for pages.
"""

from trustgov.organisations.models import OfficeHolding, Ownership
from trustgov.organisations.selectors import office_holder

from .models import User
from .roles import Role


def _users(role: Role, **filters):
    return list(User.objects.filter(is_active=True, groups__name=role.value, **filters).distinct().order_by("username"))


def council_officers(council_id: int) -> list[User]:
    return _users(Role.COUNCIL_OFFICER, council_id=council_id)


def owners_officers(delivery_body_id: int | None) -> list[User]:
    """The officers of every council that owns the delivery body today (each owner of a joint trust is told)."""
    if not delivery_body_id:
        return []
    owners = Ownership.objects.current().filter(delivery_body_id=delivery_body_id).values("council_id")
    return _users(Role.COUNCIL_OFFICER, council_id__in=owners)


def party_officers(record) -> list[User]:
    """The officers of the councils party to a record between a council and a delivery body (a contract, a
    meeting): the council's own, or every owner's for a joint record (``is_joint``), as ``scope_by_party`` reads."""
    if getattr(record, "is_joint", False):
        return owners_officers(record.delivery_body_id)
    return council_officers(record.council_id)


def owners_dcs(delivery_body_id: int | None) -> list[User]:
    """Each owning council's Director of Children's Services (see ``dcs_for``)."""
    if not delivery_body_id:
        return []
    owners = Ownership.objects.current().filter(delivery_body_id=delivery_body_id).values_list("council_id", flat=True)
    return [user for council_id in owners for user in dcs_for(council_id)]


def trust_executives(delivery_body_id: int | None) -> list[User]:
    return _users(Role.TRUST_EXECUTIVE, delivery_body_id=delivery_body_id) if delivery_body_id else []


def dcs_for(council_id: int) -> list[User]:
    """The council's Director of Children's Services: the holder of the office today, through their account.

    When no holder with an active account is recorded, the council's officers (so nothing escalated is lost).
    """
    holding = office_holder(office=OfficeHolding.Office.DCS, council=council_id)
    if holding and holding.user and holding.user.is_active:
        return [holding.user]
    return council_officers(council_id)


def dfe_users() -> list[User]:
    """The DfE's liaison users (they consent, for the Department, to every council's directed matters)."""
    return _users(Role.DFE_LIAISON, is_dfe=True)
