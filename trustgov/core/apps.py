from django.apps import AppConfig

from .navigation import NavItem, register_nav


class CoreConfig(AppConfig):
    name = "trustgov.core"
    label = "core"
    verbose_name = "TrustGov platform"

    def ready(self) -> None:
        register_nav(NavItem("Home", "home", order=0))
