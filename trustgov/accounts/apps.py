from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "trustgov.accounts"
    label = "accounts"
    verbose_name = "Accounts, roles and API tokens"

    def ready(self) -> None:
        from .roles import sync_role_groups_after_migrate

        # Groups are derived from code (roles.py); keep them in step after every migrate.
        post_migrate.connect(sync_role_groups_after_migrate, dispatch_uid="trustgov.sync_role_groups")
