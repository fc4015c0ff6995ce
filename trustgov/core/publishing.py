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
