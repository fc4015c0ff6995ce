from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "trustgov.organisations"
    label = "organisations"
    verbose_name = "Organisations and directions"

    def ready(self) -> None:
        # Imported here, not at the top: apps.py is loaded before the app registry is ready, and these
        # modules load models (Django's documented place for registrations).
        from trustgov.core.demo import register_demo
        from trustgov.core.filters import register_period_field, register_tenancy_models
        from trustgov.core.navigation import NavItem, register_nav

        from . import selectors  # noqa: F401  (registers scoping functions)
        from .models import Council, DeliveryBody

        register_nav(NavItem("Organisations", "organisations:council-list", "organisations.view_council", order=10))
        register_tenancy_models(council=Council, delivery_body=DeliveryBody)
        register_period_field("organisations.direction", "issued_on")
        register_demo("trustgov.organisations.demo", order=10)
