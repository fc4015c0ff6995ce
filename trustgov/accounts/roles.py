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
    "ADMINISTER_USERS",
    "ASSIGNABLE_ROLES",
    "GOVERNANCE_APPS",
    "AdministratorBackend",
    "Role",
    "assignable_roles",
    "may_administer",
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


# --- administration ---------------------------------------------------------------------------
# Not a fifth role: a permission an officer, a trust executive or a DfE user holds on top of their
# role when their account is marked as an administrator. It lets them invite, deactivate and
# reactivate the users of their own organisation, into the roles below and never above their own.

ADMINISTER_USERS = "accounts.administer_users"

ASSIGNABLE_ROLES: dict[Role, tuple[Role, ...]] = {
    # A council's administrator sets up the council's officers and scrutiny members and the
    # executives of the council's trusts.
    Role.COUNCIL_OFFICER: (Role.COUNCIL_OFFICER, Role.SCRUTINY_MEMBER, Role.TRUST_EXECUTIVE),
    # A trust's administrator sets up the trust's own executives.
    Role.TRUST_EXECUTIVE: (Role.TRUST_EXECUTIVE,),
    Role.DFE_LIAISON: (Role.DFE_LIAISON,),
    # Scrutiny members never administer.
    Role.SCRUTINY_MEMBER: (),
}


def may_administer(user) -> bool:
    """The account is marked as an administrator and its role is one that may administer."""
    return bool(
        getattr(user, "is_active", False)
        and getattr(user, "is_administrator", False)
        and ASSIGNABLE_ROLES.get(role_of(user))
    )


def assignable_roles(user) -> tuple[Role, ...]:
    if getattr(user, "is_superuser", False):
        return tuple(Role)
    return ASSIGNABLE_ROLES.get(role_of(user), ()) if may_administer(user) else ()


class AdministratorBackend:
    """Grants ``accounts.administer_users`` to administrators (an authentication backend that authenticates nobody)."""

    def authenticate(self, request, **credentials):
        return None

    def get_user_permissions(self, user_obj, obj=None) -> set[str]:
        return {ADMINISTER_USERS} if may_administer(user_obj) else set()

    def get_group_permissions(self, user_obj, obj=None) -> set[str]:
        return set()

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        return self.get_user_permissions(user_obj, obj)

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return perm in self.get_user_permissions(user_obj, obj)
