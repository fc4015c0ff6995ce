"""What each app publishes as open data, registered from its AppConfig.ready().

``register_bulk_resource`` names one resource of a trust's bulk open data (``records.json`` and
``<resource>.csv``, served by the ``opendata`` app): the model, its non-exempt, non-personal fields,
and how to find one trust's records. The platform keeps the list; it never names a domain model.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class BulkResource:
    name: str
    model: type
    fields: tuple[str, ...]
    for_trust: Callable[..., dict]  # delivery_body -> filter kwargs, e.g. {"delivery_body": body}


_RESOURCES: dict[str, BulkResource] = {}


def register_bulk_resource(name: str, model: type, fields: list[str], *, for_trust: Callable[..., dict]) -> None:
    _RESOURCES[name] = BulkResource(name, model, tuple(fields), for_trust)


def bulk_resources() -> dict[str, BulkResource]:
    """Every registered resource, in registration (INSTALLED_APPS) order."""
    return dict(_RESOURCES)


# --- Public pages served by a consumer other than ``public`` -------------------------------------------------
# The public pages are one URL namespace (``public``: open before two-factor sign-in, ADR 0603). A consumer that may
# not import ``public`` (the consumers are independent) registers a page of its own there, for example the agenda
# pack that ``reports`` renders through its one PDF path (ADR 0605); ``public.urls`` mounts what is registered.


@dataclass(frozen=True)
class PublicPath:
    route: str  # under /public/, for example "<slug:slug>/meetings/<int:pk>/agenda-pack.pdf"
    view: Callable
    name: str  # reversed as "public:<name>"


_PUBLIC_PATHS: dict[str, PublicPath] = {}


def register_public_path(route: str, view: Callable, name: str) -> None:
    _PUBLIC_PATHS[name] = PublicPath(route, view, name)


def public_paths() -> list[PublicPath]:
    """Every registered public page, in registration (INSTALLED_APPS) order."""
    return list(_PUBLIC_PATHS.values())
