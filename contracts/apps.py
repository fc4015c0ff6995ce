from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = "Contracts"

    def ready(self) -> None:
        # Imported here, not at the top: apps.py is loaded before the app registry is ready, and these
        # modules load models (Django's documented place for registrations).
        from trustgov.accounts.roles import register_governance_app
        from trustgov.core.demo import register_demo
        from trustgov.core.filters import register_period_field
        from trustgov.core.navigation import NavItem, register_attention, register_nav
        from trustgov.core.publishing import register_bulk_resource
        from trustgov.core.reminders import register_reminder_rule
        from trustgov.core.workflow import register_workflow

        from . import notifications, reminders, selectors  # noqa: F401  (selectors registers scoping functions)
        from .attention import contract_clock_attention, reserved_matter_attention
        from .models import Contract, Obligation, ReservedMatterRequest, Variation
        from .workflows import CONTRACT_WORKFLOW, REQUEST_WORKFLOW, VARIATION_WORKFLOW

        register_governance_app(self.label)
        notifications.register()
        register_nav(NavItem("Contracts", "contracts:contract-list", "contracts.view_contract", order=20))
        register_nav(
            NavItem("Reserved matters", "contracts:request-list", "contracts.view_reservedmatterrequest", order=25)
        )
        register_attention(reserved_matter_attention)
        register_attention(contract_clock_attention)
        for order, rule in enumerate(reminders.RULES, start=50):
            register_reminder_rule(rule, order=order)
        for model, field in (
            ("contract", "start_date"),
            ("obligation", "due_date"),
            ("budgetmonth", "month"),
            ("supportserviceline", "term_start"),
            ("variation", "proposed_on"),
            ("escalationstep", "taken_on"),
            ("risk", "review_date"),
            ("reservedmatterrequest", "raised_on"),
        ):
            register_period_field(f"contracts.{model}", field)
        register_bulk_resource(
            "contracts",
            Contract,
            ["id", "reference", "title", "status", "start_date", "end_date", "break_clause_date", "updated_at"],
            for_trust=lambda body: {"delivery_body": body},
        )
        register_bulk_resource(
            "obligations",
            Obligation,
            ["id", "contract_id", "kind", "title", "owner", "recurrence", "due_date", "updated_at"],
            for_trust=lambda body: {"contract__delivery_body": body},
        )
        register_demo("contracts.demo", order=30)
        for model, workflow in (
            (Contract, CONTRACT_WORKFLOW),
            (Variation, VARIATION_WORKFLOW),
            (ReservedMatterRequest, REQUEST_WORKFLOW),
        ):
            register_workflow(model, workflow)
