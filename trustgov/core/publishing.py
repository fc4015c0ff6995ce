"""What each app publishes as open data, registered from its AppConfig.ready().

``register_bulk_resource`` names one resource of a trust's bulk open data (``records.json`` and
``<resource>.csv``, served by the ``opendata`` app): the model, its non-exempt, non-personal fields,
and how to find one trust's records. The platform keeps the list; it never names a domain model.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.db import transaction


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


# --- Papers published: who else is told -----------------------------------------------------------------------
# The app that publishes papers (meetings) announces each publication here; a consumer it may not import (``public``
# emails the members of the public who asked, ADR 0609) listens. Each listener is called once the change commits,
# with the meeting's id, the ids of the papers published together and a key naming the publication.

PapersPublishedListener = Callable[[int, list[int], str], None]
_PAPERS_PUBLISHED: dict[str, PapersPublishedListener] = {}


def register_papers_published_listener(name: str, listener: PapersPublishedListener) -> None:
    _PAPERS_PUBLISHED[name] = listener


def announce_papers_published(*, meeting_pk: int, document_pks: list[int], subject_key: str) -> None:
    """Tell every listener, once the transaction commits, that these papers of the meeting are published."""
    if not document_pks:
        return
    pks = list(document_pks)
    for listener in list(_PAPERS_PUBLISHED.values()):
        transaction.on_commit(partial(listener, meeting_pk, pks, subject_key))
