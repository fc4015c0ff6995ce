from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "trustgov.accounts"
    label = "accounts"
    verbose_name = "Accounts, roles and API tokens"

    def ready(self) -> None:
        # Imported here, not at the top: apps.py is loaded before the app registry is ready, and these
        # modules load models (Django's documented place for registrations).
        from trustgov.core import idempotency
        from trustgov.core.demo import register_demo

        from .models import IdempotencyRecord
        from .roles import sync_role_groups_after_migrate

        idempotency.register_record_model(IdempotencyRecord)
        register_demo("trustgov.accounts.demo", order=20)
        # Groups are derived from code (roles.py); keep them in step after every migrate.
        post_migrate.connect(sync_role_groups_after_migrate, dispatch_uid="trustgov.sync_role_groups")
