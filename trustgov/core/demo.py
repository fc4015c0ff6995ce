"""Helpers for idempotent demo data: running seed_demo twice leaves the same data (and history)."""

from dataclasses import dataclass

from django.db.models import Model


def upsert(model: type[Model], lookup: dict, defaults: dict | None = None) -> Model:
    """Create the record, or update it only where a value differs, so reruns write nothing."""
    defaults = defaults or {}
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **defaults)
        obj.full_clean()
        obj.save()
        return obj
    changed = [k for k, v in defaults.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, defaults[k])
        obj.full_clean()
        obj.save()
    return obj


# --- The demo loaders, registered by each app ------------------------------------------------------------


@dataclass(frozen=True)
class DemoLoader:
    module: str  # a module with ``seed()``; imported only when seed_demo runs
    order: int  # organisations and users first, then the domain apps, then their consumers


_LOADERS: list[DemoLoader] = []


def register_demo(module: str, *, order: int) -> None:
    """Called from an app's AppConfig.ready(): ``seed_demo`` runs ``module.seed()`` in ``order``."""
    loader = DemoLoader(module, order)
    if loader not in _LOADERS:
        _LOADERS.append(loader)


def demo_modules() -> list[str]:
    return [loader.module for loader in sorted(_LOADERS, key=lambda loader: loader.order)]
