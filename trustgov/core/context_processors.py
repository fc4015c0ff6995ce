from django.conf import settings

from .navigation import nav_for
from .roles import role_of


def service(request) -> dict:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    role = role_of(user) if signed_in else None
    return {
        "service_name": settings.SERVICE_NAME,
        "phase": settings.PHASE,
        "current_role": role.value if role else ("Administrator" if signed_in and user.is_superuser else ""),
        "navigation": nav_for(user, request.path) if signed_in else [],
        # The header names the council (or trust, or the DfE) the signed-in user works for.
        "organisation_name": user.organisation_name if signed_in else "",
    }
