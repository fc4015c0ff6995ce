from django.db.models import QuerySet

from trustgov.core.scoping import scope_for
from trustgov.organisations.selectors import delivery_bodies_visible_to

from .models import ApiToken
from .roles import Role, role_of


@scope_for(ApiToken)
def api_tokens_visible_to(user) -> QuerySet[ApiToken]:
    """A user's own tokens; a council officer also sees every token held in their organisation: the council's
    users' and those of the delivery bodies it owns (each owner of a jointly owned trust sees the trust's)."""
    qs = ApiToken.objects.select_related("user")
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    if role_of(user) == Role.COUNCIL_OFFICER and user.council_id:
        return qs.filter(user__council_id=user.council_id) | qs.filter(
            user__delivery_body__in=delivery_bodies_visible_to(user)
        )
    return qs.filter(user=user)


# --- administration ---------------------------------------------------------------------------


def users_administered_by(admin) -> QuerySet:
    """The users an administrator may see and manage: their own organisation's (404 for anyone else's).

    A council's administrator: the council's users and the executives of the council's delivery
    bodies. A trust's administrator: the trust's users. The DfE's administrator: DfE users.
    """
    from django.db.models import Q

    from trustgov.core.scoping import visible
    from trustgov.organisations.models import DeliveryBody

    from .models import User
    from .roles import ADMINISTER_USERS

    qs = User.objects.select_related("council", "delivery_body").filter(is_superuser=False)
    if not getattr(admin, "is_authenticated", False) or not admin.has_perm(ADMINISTER_USERS):
        return qs.none()
    if admin.is_superuser:
        return qs
    role = role_of(admin)
    if role == Role.COUNCIL_OFFICER and admin.council_id:
        return qs.filter(Q(council_id=admin.council_id) | Q(delivery_body__in=visible(DeliveryBody, admin)))
    if role == Role.TRUST_EXECUTIVE and admin.delivery_body_id:
        return qs.filter(delivery_body_id=admin.delivery_body_id)
    if role == Role.DFE_LIAISON and admin.is_dfe:
        return qs.filter(is_dfe=True)
    return qs.none()


def organisations_administered_by(admin) -> list:
    """The councils and delivery bodies an administrator may put users in (the DfE is None)."""
    from trustgov.core.scoping import visible
    from trustgov.organisations.models import Council, DeliveryBody

    if admin.is_superuser:
        return [*Council.objects.order_by("name"), *DeliveryBody.objects.order_by("name"), None]
    role = role_of(admin)
    if role == Role.COUNCIL_OFFICER and admin.council_id:
        return [admin.council, *visible(DeliveryBody, admin).order_by("name")]
    if role == Role.TRUST_EXECUTIVE and admin.delivery_body_id:
        return [admin.delivery_body]
    if role == Role.DFE_LIAISON:
        return [None]
    return []
