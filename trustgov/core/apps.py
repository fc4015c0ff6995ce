from django.apps import AppConfig

from .navigation import NavItem, register_nav


class CoreConfig(AppConfig):
    name = "trustgov.core"
    label = "core"
    verbose_name = "TrustGov platform"

    def ready(self) -> None:
        register_nav(NavItem("Home", "home", order=0))
        from django.db.models.signals import post_migrate

        from .versioned_cache import install_function

        post_migrate.connect(install_function, sender=self, dispatch_uid="trustgov-data-version")
        # Every model serializer's decimal fields (money, figures) read ASCII digits only: one rule for the API.
        from django.db import models
        from rest_framework.serializers import ModelSerializer

        from .api import FigureField

        ModelSerializer.serializer_field_mapping[models.DecimalField] = FigureField
