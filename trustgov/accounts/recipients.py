"""Who receives a reminder: the council's officers, the trust's executives, the council's DCS.

Unscoped reads for scheduled work (the reminder rules of every app), not for pages.
"""

from .models import User
from .roles import Role


def _users(role: Role, **filters):
    return list(User.objects.filter(is_active=True, groups__name=role.value, **filters).distinct().order_by("username"))


def council_officers(council_id: int) -> list[User]:
    return _users(Role.COUNCIL_OFFICER, council_id=council_id)


def trust_executives(delivery_body_id: int | None) -> list[User]:
    return _users(Role.TRUST_EXECUTIVE, delivery_body_id=delivery_body_id) if delivery_body_id else []


def dcs_for(council_id: int) -> list[User]:
    """The council's Director of Children's Services (by job title), else its officers."""
    officers = council_officers(council_id)
    dcs = [
        u
        for u in officers
        if "director of children" in u.job_title.lower() or u.job_title.strip().upper() in {"DCS", "DIRECTOR (DCS)"}
    ]
    return dcs or officers
