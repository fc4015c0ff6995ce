from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "boards"
    verbose_name = "Boards"

    def ready(self) -> None:
        from trustgov.core.navigation import NavItem, register_attention, register_nav

        from . import selectors  # noqa: F401  (registers scoping functions)
        from .attention import appointments_awaiting_me, terms_ending_for_officers

        register_nav(NavItem("Boards", "boards:body-list", "boards.view_body", order=30))
        register_attention(appointments_awaiting_me)
        register_attention(terms_ending_for_officers)
