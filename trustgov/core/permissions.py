"""API permission classes. Kept apart from api.py: DRF imports the default class at start-up."""

from rest_framework import permissions


class DenyAll(permissions.BasePermission):
    """The default: a view that names no permission is closed."""

    def has_permission(self, request, view) -> bool:
        return False


def token_allows_write(request) -> bool:
    """False only for a request that came with a read-only API token.

    ``request.auth`` is the API token (``trustgov.accounts.models.ApiToken``) when the request came
    with one, and None for a browser session; the token says itself whether it may write.
    """
    token = getattr(request, "auth", None)
    return token is None or token.allows_write


class RoleModelPermissions(permissions.DjangoModelPermissions):
    """Model permissions from the user's role (group), reads included.

    A write also needs a token with the write scope when the request came with a token.
    """

    perms_map = {
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": [],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.add_%(model_name)s"],
        "PUT": ["%(app_label)s.change_%(model_name)s"],
        "PATCH": ["%(app_label)s.change_%(model_name)s"],
        "DELETE": ["%(app_label)s.delete_%(model_name)s"],
    }

    message = "Your role may not do this, or this token is read-only."

    def has_permission(self, request, view) -> bool:
        if request.method not in permissions.SAFE_METHODS and not token_allows_write(request):
            self.message = WriteScopeRequired.message
            return False
        return super().has_permission(request, view)


class WriteScopeRequired(permissions.BasePermission):
    """Any unsafe method needs a write-scoped token (when the request came with a token)."""

    message = "This token is read-only: create a token with the write scope to make changes."

    def has_permission(self, request, view) -> bool:
        return request.method in permissions.SAFE_METHODS or token_allows_write(request)
