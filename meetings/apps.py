from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        # Imported here, not at the top: apps.py is loaded before the app registry is ready, and these
        # modules load models (Django's documented place for registrations).
        from trustgov.accounts.roles import register_governance_app
        from trustgov.core.demo import register_demo
        from trustgov.core.filters import register_period_field
        from trustgov.core.navigation import NavItem, register_attention, register_home_panel, register_nav
        from trustgov.core.reminders import register_delivery, register_reminder_rule

        from . import notifications, reminders, selectors  # noqa: F401  (selectors registers scoping functions)
        from .attention import meetings_attention
        from .home import scrutiny_meetings_panel

        register_governance_app(self.label)
        notifications.register()
        register_nav(NavItem("Meetings", "meetings:meeting-list", "meetings.view_meeting", 50))
        register_nav(NavItem("Notifications", "meetings:notification-list", None, 90))
        register_attention(meetings_attention)
        register_home_panel(scrutiny_meetings_panel)
        for rule, order in ((reminders.papers_deadline, 20), (reminders.minutes_due, 21), (reminders.actions_due, 22)):
            register_reminder_rule(rule, order=order)
        for model, field in (
            ("meeting", "date"),
            ("agendaitem", "meeting__date"),
            ("document", "agenda_item__meeting__date"),
            ("minutes", "meeting__date"),
            ("resolution", "meeting__date"),
            ("action", "due_date"),
        ):
            register_period_field(f"meetings.{model}", field)
        register_delivery(reminders.deliver)
        register_demo("meetings.demo", order=60)
        from trustgov.core.workflow import register_workflow

        from .models import Document, Meeting, Minutes
        from .workflows import MEETING_WORKFLOW, MINUTES_WORKFLOW, PAPER_WORKFLOW

        register_workflow(Meeting, MEETING_WORKFLOW)
        register_workflow(Minutes, MINUTES_WORKFLOW)
        register_workflow(Document, PAPER_WORKFLOW, field="publication")
