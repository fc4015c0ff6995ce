from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = "Performance"

    def ready(self) -> None:
        from trustgov.core.navigation import NavItem, register_attention, register_home_panel, register_nav

        from . import selectors  # noqa: F401  (registers scoping functions)
        from .attention import performance_attention
        from .home import officer_returns_panel, trust_return_panel

        register_nav(NavItem("Performance", "performance:dashboard", "performance.view_kpi", order=40))
        register_attention(performance_attention)
        register_home_panel(trust_return_panel)
        register_home_panel(officer_returns_panel)
