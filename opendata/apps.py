from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    """Open data and public outputs: a consumer of the domain apps, like reports (no models)."""

    name = "opendata"
    label = "opendata"
    verbose_name = "Open data"
