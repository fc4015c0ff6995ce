from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "trustgov.core"
    label = "core"
    verbose_name = "TrustGov platform"

    def ready(self) -> None:
        from .navigation import NavItem, register_nav

        register_nav(NavItem("Home", "home", order=0))
        register_nav(NavItem("Organisations", "organisations:council-list", "organisations.view_council", order=10))
