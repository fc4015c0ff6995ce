"""Who receives a reminder or notification: the council's officers, the trust's executives, the council's DCS
(the office holder) and the DfE's liaison users.

Unscoped reads for scheduled work (the reminder rules of every app), not for pages.

Inside ``directory()`` (the reminder sweep), every look-up answers from one read of the active users with their
roles, today's ownerships and today's DCS holdings, so a sweep's queries do not grow with the number of
councils, trusts or items due.
"""

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Q
from django.utils import timezone

from trustgov.organisations.models import OfficeHolding, Ownership
from trustgov.organisations.selectors import office_holder

from .models import User
from .roles import Role


class _Directory:
    """Who is who, read once: active users by role and organisation, owners by trust, DCS by council."""

    def __init__(self):
        self._loaded = False

    def _load(self) -> None:
        if self._loaded:
            return
        self.by_council: dict[tuple[str, int], list[User]] = defaultdict(list)
        self.by_body: dict[tuple[str, int], list[User]] = defaultdict(list)
        self.dfe: list[User] = []
        for user in User.objects.filter(is_active=True).prefetch_related("groups").order_by("username"):
            for group in user.groups.all():
                if user.council_id:
                    self.by_council[(group.name, user.council_id)].append(user)
                if user.delivery_body_id:
                    self.by_body[(group.name, user.delivery_body_id)].append(user)
                if group.name == Role.DFE_LIAISON.value and user.is_dfe:
                    self.dfe.append(user)
        self.owners: dict[int, list[int]] = defaultdict(list)
        for body_id, council_id in Ownership.objects.current().values_list("delivery_body_id", "council_id"):
            self.owners[body_id].append(council_id)
        day = timezone.localdate()
        self.dcs: dict[int, OfficeHolding] = {}
        holdings = (
            OfficeHolding.objects.select_related("user")
            .filter(office=OfficeHolding.Office.DCS, delivery_body=None)
            .filter(
                Q(start_date__isnull=True) | Q(start_date__lte=day), Q(end_date__isnull=True) | Q(end_date__gte=day)
            )
            .order_by("council_id", "-start_date", "-pk")
        )
        for holding in holdings:  # as office_holder chooses: the latest start first
            self.dcs.setdefault(holding.council_id, holding)
        self._loaded = True


_DIRECTORY: ContextVar[_Directory | None] = ContextVar("recipients_directory", default=None)


@contextmanager
def directory() -> Iterator[None]:
    """Answer every look-up inside from one read (four queries, on first use) instead of one per item."""
    token = _DIRECTORY.set(_Directory())
    try:
        yield
    finally:
        _DIRECTORY.reset(token)


def _held() -> _Directory | None:
    held = _DIRECTORY.get()
    if held is not None:
        held._load()
    return held


def _users(role: Role, **filters):
    return list(User.objects.filter(is_active=True, groups__name=role.value, **filters).distinct().order_by("username"))


def _merged(lists) -> list[User]:
    return sorted({u.pk: u for users in lists for u in users}.values(), key=lambda u: u.username)


def council_officers(council_id: int) -> list[User]:
    if held := _held():
        return list(held.by_council.get((Role.COUNCIL_OFFICER.value, council_id), ()))
    return _users(Role.COUNCIL_OFFICER, council_id=council_id)


def owners_officers(delivery_body_id: int | None) -> list[User]:
    """The officers of every council that owns the delivery body today (each owner of a joint trust is told)."""
    if not delivery_body_id:
        return []
    if held := _held():
        return _merged(held.by_council.get((Role.COUNCIL_OFFICER.value, c), ()) for c in held.owners[delivery_body_id])
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
    if held := _held():
        return [user for council_id in held.owners[delivery_body_id] for user in dcs_for(council_id)]
    owners = Ownership.objects.current().filter(delivery_body_id=delivery_body_id).values_list("council_id", flat=True)
    return [user for council_id in owners for user in dcs_for(council_id)]


def trust_executives(delivery_body_id: int | None) -> list[User]:
    if (held := _held()) and delivery_body_id:
        return list(held.by_body.get((Role.TRUST_EXECUTIVE.value, delivery_body_id), ()))
    return _users(Role.TRUST_EXECUTIVE, delivery_body_id=delivery_body_id) if delivery_body_id else []


def dcs_for(council_id: int) -> list[User]:
    """The council's Director of Children's Services: the holder of the office today, through their account.

    When no holder with an active account is recorded, the council's officers (so nothing escalated is lost).
    """
    if held := _held():
        holding = held.dcs.get(council_id)
    else:
        holding = office_holder(office=OfficeHolding.Office.DCS, council=council_id)
    if holding and holding.user and holding.user.is_active:
        return [holding.user]
    return council_officers(council_id)


def dfe_users() -> list[User]:
    """The DfE's liaison users (they consent, for the Department, to every council's directed matters)."""
    if held := _held():
        return list(held.dfe)
    return _users(Role.DFE_LIAISON, is_dfe=True)
