"""API permission classes. Kept apart from api.py: DRF imports the default class at start-up.

Who may act is said once (ADR 0008): a view's ``action_permissions`` maps each action to the model
permission it needs, or to ``WORKFLOW`` when the step's workflow decides by role. The rule for the
answer is the same on the web and the API: the wrong role is a 403, the wrong step a 400.
"""

from django.core.exceptions import ValidationError
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


# An action whose workflow decides who may take it: the caller needs only to see the record here, and the
# workflow's transition names the roles (a wrong role is then refused with a 403 by ``role_refusal_to_403``).
WORKFLOW = "workflow"


class ActionPermissions(RoleModelPermissions):
    """The one DRF permission class: model permissions by method, or what ``view.action_permissions`` names.

    ``action_permissions = {"transition": WORKFLOW, "dfe_consent": "contracts.record_dfe_consent_variation"}``:
    an action mapped to a permission codename needs it; an action mapped to ``WORKFLOW`` needs the model's view
    permission and leaves the role to the workflow; any other action (list, create, ...) needs the model
    permission for its method. A write always needs a write-scoped token when it came with a token.
    """

    def has_permission(self, request, view) -> bool:
        needed = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        if needed is None:
            return super().has_permission(request, view)
        if not request.user or not request.user.is_authenticated:
            return False
        if request.method not in permissions.SAFE_METHODS and not token_allows_write(request):
            self.message = WriteScopeRequired.message
            return False
        if needed == WORKFLOW:
            model = self._queryset(view).model
            return request.user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")
        return request.user.has_perm(needed)


def is_role_refusal(exc) -> bool:
    """True when a service's ValidationError refuses the user's role (``code="permission"``), not their input."""
    errors = [e for group in exc.error_dict.values() for e in group] if hasattr(exc, "error_dict") else exc.error_list
    return bool(errors) and all(e.code == "permission" for e in errors)


def role_refused(field: str, message: str) -> ValidationError:
    """The ValidationError a service raises when the user's role may not act (a 403 on web and API, ADR 0008).

    Only for the role: a step that is not open, or a record outside the user's organisation, is bad input (400).
    """
    return ValidationError({field: ValidationError(message, code="permission")})
