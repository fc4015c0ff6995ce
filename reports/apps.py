from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from trustgov.core.navigation import NavItem, register_nav

        from . import selectors  # noqa: F401  (registers scoping functions)

        register_nav(NavItem("Reports", "reports:index", "reports.view_generatedreport", order=60))
