from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = "Contracts"

    def ready(self) -> None:
        from trustgov.core.navigation import NavItem, register_attention, register_nav

        from . import selectors  # noqa: F401  (registers scoping functions)
        from .attention import contract_clock_attention, reserved_matter_attention

        register_nav(NavItem("Contracts", "contracts:contract-list", "contracts.view_contract", order=20))
        register_nav(
            NavItem("Reserved matters", "contracts:request-list", "contracts.view_reservedmatterrequest", order=25)
        )
        register_attention(reserved_matter_attention)
        register_attention(contract_clock_attention)
