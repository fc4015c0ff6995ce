from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings"

    def ready(self) -> None:
        from trustgov.core.navigation import NavItem, register_attention, register_nav

        from . import selectors  # noqa: F401  (registers scoping functions)
        from .attention import meetings_attention

        register_nav(NavItem("Meetings", "meetings:meeting-list", "meetings.view_meeting", 50))
        register_nav(NavItem("Notifications", "meetings:notification-list", None, 90))
        register_attention(meetings_attention)
