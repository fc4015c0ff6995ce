from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    """Open data and public outputs: a consumer of the domain apps, like reports (no models)."""

    name = "opendata"
    label = "opendata"
    verbose_name = "Open data"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the OCDS_PREFIX system check)
