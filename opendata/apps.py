from django.apps import AppConfig


class OpenDataConfig(AppConfig):
    """Open data and public outputs: a consumer of the domain apps, like reports (no models)."""

    name = "opendata"
    label = "opendata"
    verbose_name = "Open data"

    def ready(self) -> None:
        from trustgov.core.publishing import register_public_path

        from . import checks  # noqa: F401  (registers the OCDS_PREFIX system check)
        from .public_views import ocds_records, ocds_releases, popolo

        # A council's contracts and boards among its public pages (ADR 0608): "public" may not import opendata.
        register_public_path("<slug:slug>/data/ocds/releases.json", ocds_releases, "ocds-releases")
        register_public_path("<slug:slug>/data/ocds/records.json", ocds_records, "ocds-records")
        register_public_path("<slug:slug>/data/popolo/boards.json", popolo, "popolo")
