from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "boards"
    verbose_name = "Boards"

    def ready(self) -> None:
        # Imported here, not at the top: apps.py is loaded before the app registry is ready, and these
        # modules load models (Django's documented place for registrations).
        from trustgov.accounts.roles import register_governance_app
        from trustgov.core.demo import register_demo
        from trustgov.core.filters import register_period_field
        from trustgov.core.navigation import NavItem, register_attention, register_nav
        from trustgov.core.publishing import register_bulk_resource
        from trustgov.core.reminders import register_reminder_rule

        from . import notifications, reminders, selectors  # noqa: F401  (selectors registers scoping functions)
        from .attention import appointments_awaiting_me, terms_ending_for_officers
        from .models import Body, Membership

        register_governance_app(self.label)
        notifications.register()
        register_nav(NavItem("Boards", "boards:body-list", "boards.view_body", order=30))
        register_attention(appointments_awaiting_me)
        register_attention(terms_ending_for_officers)
        register_reminder_rule(reminders.board_terms_ending, order=40)
        register_period_field("boards.membership", "start_date")
        register_period_field("boards.appointment", "term_start")
        register_period_field("boards.interestdeclaration", "declared_on")
        register_bulk_resource(
            "bodies",
            Body,
            ["id", "name", "kind", "min_members", "max_members", "updated_at"],
            for_trust=lambda body: {"council": body.council},
        )
        register_bulk_resource(
            "memberships",
            Membership,
            [
                "id",
                "person__name",
                "seat__body__name",
                "seat__role",
                "seat__title",
                "start_date",
                "end_date",
                "updated_at",
            ],
            for_trust=lambda body: {"seat__body__council": body.council},
        )
        register_demo("boards.demo", order=40)
