from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "onboarding"
    verbose_name = "Onboarding"

    def ready(self) -> None:
        # Imported here: these modules load models (the history signal receiver lives in plan.py).
        from trustgov.core.navigation import register_home_panel

        from . import plan  # noqa: F401  (connects the history receiver)
        from .home import onboarding_panel

        register_home_panel(onboarding_panel)
