from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        # Imported here, not at the top: apps.py is loaded before the app registry is ready.
        from trustgov.core.navigation import NavItem, register_nav

        register_nav(NavItem("Search", "search:search", order=90))
