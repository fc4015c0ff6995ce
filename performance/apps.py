from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = "Performance"

    def ready(self) -> None:
        # Imported here, not at the top: apps.py is loaded before the app registry is ready, and these
        # modules load models (Django's documented place for registrations).
        from trustgov.accounts.roles import register_governance_app
        from trustgov.core.demo import register_demo
        from trustgov.core.filters import register_period_field
        from trustgov.core.navigation import NavItem, register_attention, register_home_panel, register_nav
        from trustgov.core.reminders import register_reminder_rule

        from . import notifications, reminders, selectors  # noqa: F401  (selectors registers scoping functions)
        from .attention import performance_attention
        from .home import officer_returns_panel, trust_return_panel

        register_governance_app(self.label)
        notifications.register()
        register_nav(NavItem("Performance", "performance:dashboard", "performance.view_kpi", order=40))
        register_attention(performance_attention)
        register_home_panel(trust_return_panel)
        register_home_panel(officer_returns_panel)
        register_reminder_rule(reminders.monthly_returns, order=10)
        register_period_field("performance.monthlyreturn", "period")
        register_demo("performance.demo", order=50)
        from trustgov.core.workflow import register_workflow

        from .models import ImprovementAction, MonthlyReturn, ReturnQuery
        from .workflows import IMPROVEMENT_ACTION_STATES, QUERY_STATES, RETURN_WORKFLOW

        register_workflow(MonthlyReturn, RETURN_WORKFLOW)
        register_workflow(ReturnQuery, QUERY_STATES)
        register_workflow(ImprovementAction, IMPROVEMENT_ACTION_STATES)
