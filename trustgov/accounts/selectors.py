from django.db.models import QuerySet

from trustgov.core.scoping import scope_for

from .models import ApiToken
from .roles import Role, role_of


@scope_for(ApiToken)
def api_tokens_visible_to(user) -> QuerySet[ApiToken]:
    """A user's own tokens; a council officer also sees every token held in their organisation."""
    qs = ApiToken.objects.select_related("user")
    if not user.is_authenticated:
        return qs.none()
    if user.is_superuser:
        return qs
    if role_of(user) == Role.COUNCIL_OFFICER and user.council_id:
        return qs.filter(user__council_id=user.council_id) | qs.filter(user__delivery_body__council_id=user.council_id)
    return qs.filter(user=user)
