from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = "Public pages"

    def ready(self) -> None:
        from trustgov.core.navigation import register_home_panel
        from trustgov.core.publishing import register_papers_published_listener

        from . import selectors  # noqa: F401  (registers the subscriptions' scoping function)
        from .home import public_pages_panel
        from .subscriptions import papers_published

        register_home_panel(public_pages_panel)
        register_papers_published_listener("public-email-subscriptions", papers_published)
