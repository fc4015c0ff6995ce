"""Helpers for idempotent demo data: running seed_demo twice leaves the same data (and history)."""

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
