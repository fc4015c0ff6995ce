from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        # Imported here, not at the top: apps.py is loaded before the app registry is ready, and these
        # modules load models (Django's documented place for registrations).
        from trustgov.accounts.roles import register_governance_app
        from trustgov.core.demo import register_demo
        from trustgov.core.filters import register_period_field
        from trustgov.core.navigation import NavItem, register_home_panel, register_nav
        from trustgov.core.publishing import register_public_path

        from . import selectors  # noqa: F401  (registers scoping functions)
        from .home import scrutiny_reports_panel
        from .pack_views import public_agenda_pack

        register_governance_app(self.label)
        register_nav(NavItem("Reports", "reports:index", "reports.view_generatedreport", order=60))
        register_home_panel(scrutiny_reports_panel)
        register_period_field("reports.generatedreport", "created_at")
        register_demo("reports.demo", order=70)
        # The agenda pack among a council's public pages (ADR 0605): "public" may not import reports.
        register_public_path("<slug:slug>/meetings/<int:pk>/agenda-pack.pdf", public_agenda_pack, "agenda-pack")
