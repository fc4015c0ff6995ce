"""History as people read it: field labels and human values, and why a change was made.

Every audited model keeps simple-history rows. ``changes(model, newer, older)`` turns the difference between two
rows into ``Change(label, old, new)`` with values as the pages show them: a choice's label ("In effect", not
"in_effect"), a related record's name (the user's name, not "16"), "Yes"/"No", dates as "1 April 2026".
``with_reason(obj, reason)`` records why on the row the next save writes.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format

BLANK = "(blank)"
# Field names made into labels lose their capitals ("dfe decided by"): the acronyms are put back.
ACRONYMS = {a.lower(): a for a in ("DfE", "DCS", "KPI", "KPIs", "SSA", "RAG", "MoU", "LA", "GSS", "URL", "ID")}


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


def with_reason(obj, reason: str):
    """Record ``reason`` as the change reason of the next save of ``obj`` (simple-history's change reason)."""
    obj._change_reason = (reason or "").strip()
    return obj


def human_value(field: models.Field, value, *, names: dict | None = None) -> str:
    """A stored value as a person reads it."""
    if value is None or value == "":
        return BLANK
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        if names is not None and (field.related_model, value) in names:
            return names[(field.related_model, value)]
        return _related_name(field, value)
    if isinstance(field, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "j F Y H:i")
    if isinstance(value, date):
        return date_format(value, "j F Y")
    if isinstance(value, Decimal):
        return f"{value:,}"
    return str(value)


def _related_name(field: models.ForeignKey, pk) -> str:
    related = field.related_model._default_manager.filter(pk=pk).first()
    if related is None:
        return f"{field.related_model._meta.verbose_name} (no longer held)"
    if hasattr(related, "get_full_name"):
        return related.get_full_name() or related.get_username()
    return str(related)


def label(field: models.Field) -> str:
    words = [ACRONYMS.get(w.lower(), w) for w in str(field.verbose_name).split(" ")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def rows(model: type[models.Model], records: list) -> list[dict]:
    """History rows newest first, each with what changed since the row before it."""
    return [
        {"record": newer, "changes": changes(model, newer, older)}
        for newer, older in zip(records, records[1:] + [None], strict=True)
    ]


def changes(model: type[models.Model], newer, older) -> list[Change]:
    """What changed from ``older`` to ``newer`` (two history rows of ``model``), labelled and in human values."""
    if older is None:
        return []
    out = []
    for delta in newer.diff_against(older).changes:
        field = model._meta.get_field(delta.field)
        out.append(
            Change(
                label=label(field),
                old=human_value(field, delta.old),
                new=human_value(field, delta.new),
            )
        )
    return out
