from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = "Public pages"

    def ready(self) -> None:
        from trustgov.core.navigation import register_home_panel

        from .home import public_pages_panel

        register_home_panel(public_pages_panel)
