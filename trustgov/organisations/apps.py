from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "trustgov.organisations"
    label = "organisations"
    verbose_name = "Organisations and directions"

    def ready(self) -> None:
        from . import selectors  # noqa: F401  (registers scoping functions)
