from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = "Performance"

    def ready(self) -> None:
        from trustgov.core.navigation import NavItem, register_attention, register_nav

        from . import selectors  # noqa: F401  (registers scoping functions)
        from .attention import performance_attention

        register_nav(NavItem("Performance", "performance:dashboard", "performance.view_kpi", order=40))
        register_attention(performance_attention)
