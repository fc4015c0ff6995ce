"""What each of the four roles may do, as Django groups and the permissions each holds.

This is the one place that says what a role may do. Groups are rebuilt from it
after every migrate, so a new model's permissions reach the right roles
without a data migration. Which *records* a role sees is decided separately
by the scoping functions in each app's selectors.py. The roles themselves (and
``role_of``) are defined in ``trustgov.core.roles`` and re-exported here.

Each governance app adds its label with ``register_governance_app`` from its
AppConfig.ready(); organisations, the tenancy roots, is the platform's own.
"""

from fnmatch import fnmatch

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from trustgov.core.roles import Role, role_of

__all__ = [
    "GOVERNANCE_APPS",
    "Role",
    "register_governance_app",
    "role_grants",
    "role_of",
    "role_permissions",
    "sync_role_groups",
    "sync_role_groups_after_migrate",
]

# App labels whose records are governance data, in registration order.
GOVERNANCE_APPS: list[str] = ["organisations"]


def register_governance_app(label: str) -> None:
    if label not in GOVERNANCE_APPS:
        GOVERNANCE_APPS.append(label)


def role_permissions(role: Role) -> dict[str, list[str]]:
    """Patterns over "app_label.codename". A role holds a permission when it matches
    an entry in "grant" and none in "deny"."""
    if role is Role.COUNCIL_OFFICER:
        return {
            "grant": [f"{app}.*" for app in GOVERNANCE_APPS if app != "organisations"]
            + ["organisations.view_*", "organisations.add_officeholding", "accounts.view_apitoken"],
            # Nothing a trust submitted is ever deleted; consents are the DfE's to record.
            "deny": ["*.delete_*", "*.record_dfe_*", "performance.submit_monthlyreturn"],
        }
    if role is Role.TRUST_EXECUTIVE:
        return {
            "grant": [f"{app}.view_*" for app in GOVERNANCE_APPS]
            + [
                "contracts.add_reservedmatterrequest",
                "boards.add_appointment",
                "boards.add_person",
                "boards.add_interestdeclaration",
                "performance.add_monthlyreturn",
                "performance.change_monthlyreturn",
                "performance.add_returnvalue",
                "performance.submit_monthlyreturn",
                "performance.change_improvementaction",
                "meetings.change_action",
            ],
            "deny": ["*.view_exempt*"],
        }
    if role is Role.SCRUTINY_MEMBER:
        return {
            "grant": [f"{app}.view_*" for app in GOVERNANCE_APPS],
            # Scrutiny never sees exempt material or internal query threads.
            "deny": ["*.view_exempt*"],
        }
    return {"grant": [f"{app}.view_*" for app in GOVERNANCE_APPS] + ["*.record_dfe_*"], "deny": []}


def role_grants(role: Role, permission: str) -> bool:
    rules = role_permissions(role)
    return any(fnmatch(permission, p) for p in rules["grant"]) and not any(
        fnmatch(permission, p) for p in rules["deny"]
    )


@transaction.atomic
def sync_role_groups() -> None:
    permissions = list(Permission.objects.select_related("content_type"))
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = [p for p in permissions if role_grants(role, f"{p.content_type.app_label}.{p.codename}")]
        group.permissions.set(wanted)


def sync_role_groups_after_migrate(sender, **kwargs) -> None:
    # Run once, after the last app with models has migrated, when every permission exists (Django
    # sends post_migrate only for apps with a models module).
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender.label == with_models[-1].label:
        sync_role_groups()
