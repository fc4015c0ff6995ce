"""Filters every API list shares: ``updated_since`` for incremental sync."""

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def parse_since(value: str):
    """An ISO 8601 date-time (with or without offset) or date; naive values are UK local time."""
    value = value.strip().replace(" ", "+")  # a '+' in a query string arrives as a space
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        try:
            day = parse_date(value)
        except ValueError:
            day = None
        if day is None:
            return None
        moment = timezone.datetime(day.year, day.month, day.day)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class UpdatedSinceFilter(BaseFilterBackend):
    """``?updated_since=2026-11-01T09:00:00Z``: records changed at or after that moment.

    Applies to any model with an ``updated_at`` field (every governance model, from
    TimeStampedModel). With ``ordering=updated_at`` a client can page through changes and
    keep the last ``updated_at`` it saw for the next sync.
    """

    param = "updated_since"

    def _applies(self, view) -> bool:
        model = getattr(getattr(view, "queryset", None), "model", None) or getattr(view, "model", None)
        if model is None:
            try:
                model = view.get_queryset().model
            except Exception:  # noqa: BLE001 - schema generation without a request
                return False
        return _has_field(model, "updated_at")

    def filter_queryset(self, request, queryset, view):
        raw = request.query_params.get(self.param)
        if raw is None or not _has_field(queryset.model, "updated_at"):
            return queryset
        moment = parse_since(raw)
        if moment is None:
            raise exceptions.ValidationError(
                {self.param: "Enter updated_since as an ISO 8601 date-time, for example 2026-11-01T09:00:00Z."}
            )
        return queryset.filter(updated_at__gte=moment)

    def get_schema_operation_parameters(self, view):
        if not self._applies(view):
            return []
        return [
            {
                "name": self.param,
                "required": False,
                "in": "query",
                "description": "Only records created or changed at or after this moment (ISO 8601 date-time or "
                "date; without an offset, UK local time). Use with ordering=updated_at for incremental sync.",
                "schema": {"type": "string", "format": "date-time"},
                "example": "2026-11-01T09:00:00Z",
            }
        ]
