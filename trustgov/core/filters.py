"""Filters every API list shares: trust, council, period, status and ``updated_since`` (incremental sync)."""

from datetime import UTC, date, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db.models import DateTimeField
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from rest_framework import exceptions
from rest_framework.filters import BaseFilterBackend

from .dates import parse_period


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


MAX_UTC_OFFSET = timedelta(hours=14)


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
        try:
            moment = timezone.make_aware(moment)
        except (ValueError, OverflowError):
            return None
    elif abs(moment.utcoffset()) > MAX_UTC_OFFSET:
        # Real offsets run from -12:00 to +14:00; PostgreSQL refuses anything past ±15:59.
        return None
    try:
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):  # 0001-01-01T00:00:00+01:00 is before the first moment there is
        return None


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
                {
                    self.param: "Enter updated_since as an ISO 8601 date-time with an offset between -12:00 and "
                    "+14:00, for example 2026-11-01T09:00:00Z."
                }
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


# --- trust, council, period and status: the same filters on every list --------------------------------

# Where a model's period lives when it is not found by name (a model label -> a field path).
# Each app registers its own models with ``register_period_field`` from its AppConfig.ready().
PERIOD_FIELDS: dict[str, str] = {}


def register_period_field(model_label: str, field_path: str) -> None:
    """``register_period_field("contracts.contract", "start_date")``: ``?from=``/``?to=`` filter on it."""
    PERIOD_FIELDS[model_label.lower()] = field_path


# The tenancy roots the ``?trust=`` and ``?council=`` filters follow, registered by the app that
# owns them (trustgov.organisations) with ``register_tenancy_models``.
_TENANCY: dict[str, type] = {}


def register_tenancy_models(*, council: type, delivery_body: type) -> None:
    _TENANCY.update(council=council, delivery_body=delivery_body)


MAX_DEPTH = 4


def _view_model(view):
    model = getattr(view, "model", None)
    if model is None:
        model = getattr(getattr(view, "queryset", None), "model", None)
    return model


def relation_path(model, target) -> str | None:
    """The shortest chain of foreign keys from ``model`` to ``target`` ("" for the target itself).

    Links to users are not followed (a record raised by a trust's user does not belong to that
    trust because of it), nor links back to the same model (renewals, versions).
    """
    if model is None:
        return None
    if model is target:
        return ""
    user_model = get_user_model()
    frontier = [(model, "")]
    for _ in range(MAX_DEPTH):
        following = []
        for current, path in frontier:
            for field in current._meta.concrete_fields:
                related = field.related_model if field.is_relation else None
                if related is None or related is user_model or related is current or related is model:
                    continue
                step = f"{path}__{field.name}" if path else field.name
                if related is target:
                    return step
                following.append((related, step))
        frontier = following
    return None


class _SlugFilter(BaseFilterBackend):
    param = ""
    description = ""
    example = ""

    def target(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def _path(self, view):
        path = getattr(view, f"{self.target()._meta.model_name}_field", None)
        return path if path is not None else relation_path(_view_model(view), self.target())

    def filter_queryset(self, request, queryset, view):
        raw = request.query_params.get(self.param)
        if not raw or not raw.strip():
            return queryset
        path = self._path(view)
        if path is None:
            return queryset
        return queryset.filter(**{f"{path}__slug" if path else "slug": raw.strip()})

    def get_schema_operation_parameters(self, view):
        if self._path(view) is None:
            return []
        return [
            {
                "name": self.param,
                "required": False,
                "in": "query",
                "description": self.description,
                "schema": {"type": "string"},
                "example": self.example,
            }
        ]


class TrustFilter(_SlugFilter):
    """``?trust=<slug>``: only the records of one delivery body (trust, CIC or partnership)."""

    param = "trust"
    description = "Only records of this delivery body (its slug, as in /api/v1/delivery-bodies/)."
    example = "sandwell-trust"

    def target(self):
        return _TENANCY["delivery_body"]


class CouncilFilter(_SlugFilter):
    """``?council=<slug>``: only the records of one council (and its delivery body)."""

    param = "council"
    description = "Only records of this council (its slug, as in /api/v1/councils/)."
    example = "sandwell"

    def target(self):
        return _TENANCY["council"]


PERIOD_PATTERN = r"^\d{4}-\d{2}(-\d{2})?$"  # a month or a date, as ?from= and ?to= take them


def period_range(params) -> tuple[date | None, date | None]:
    """``?from=`` and ``?to=`` (each a month or a date, both ends included), or a 400 naming the one that is neither.

    Every list (``PeriodFilter``) and every series read them here, so they mean the same everywhere.
    """
    bounds = []
    for param, end in (("from", False), ("to", True)):
        raw = params.get(param)
        if raw is None or raw == "":
            bounds.append(None)
            continue
        day = parse_period(raw, end=end)
        if day is None:
            raise exceptions.ValidationError({param: f"Enter '{param}' as a month (YYYY-MM) or a date (YYYY-MM-DD)."})
        bounds.append(day)
    return bounds[0], bounds[1]


class PeriodFilter(BaseFilterBackend):
    """``?from=YYYY-MM[-DD]&to=YYYY-MM[-DD]``: records whose period (a month, a date) falls in the range.

    Each model's period field is in ``PERIOD_FIELDS`` (or a view's ``period_field``): a return's
    month, a meeting's date, a request's raised date... Both ends are included; a month means the
    whole month.
    """

    def _field(self, view) -> str | None:
        explicit = getattr(view, "period_field", None)
        if explicit:
            return explicit
        model = _view_model(view)
        return PERIOD_FIELDS.get(model._meta.label_lower) if model is not None else None

    def filter_queryset(self, request, queryset, view):
        field = self._field(view)
        if field is None:
            return queryset
        model = queryset.model
        *hops, last = field.split("__")
        for hop in hops:
            model = model._meta.get_field(hop).related_model
        is_datetime = isinstance(model._meta.get_field(last), DateTimeField)
        lookup = f"{field}__date" if is_datetime else field
        start, end = period_range(request.query_params)
        if start is not None:
            queryset = queryset.filter(**{f"{lookup}__gte": start})
        if end is not None:
            queryset = queryset.filter(**{f"{lookup}__lte": end})
        return queryset

    def get_schema_operation_parameters(self, view):
        field = self._field(view)
        if field is None:
            return []
        what = field.replace("__", " ").replace("_", " ")
        return [
            {
                "name": name,
                "required": False,
                "in": "query",
                "description": f"Only records whose {what} is {word} this month (YYYY-MM, the whole month "
                "included) or date (YYYY-MM-DD).",
                "schema": {"type": "string", "pattern": PERIOD_PATTERN},
                "example": example,
            }
            for name, word, example in (("from", "on or after", "2026-04"), ("to", "on or before", "2027-03"))
        ]


class StatusFilter(BaseFilterBackend):
    """``?status=<value>`` on every model with a status, unless the view already filters by it."""

    param = "status"

    def _choices(self, view):
        if "status" in (getattr(view, "filterset_fields", None) or []):
            return None
        model = _view_model(view)
        if model is None or not _has_field(model, "status"):
            return None
        choices = model._meta.get_field("status").choices
        return [str(value) for value, _ in choices] if choices else None

    def filter_queryset(self, request, queryset, view):
        raw = request.query_params.get(self.param)
        choices = self._choices(view)
        if raw is None or choices is None:
            return queryset
        if raw not in choices:
            raise exceptions.ValidationError({self.param: f"Choose one of: {', '.join(choices)}."})
        return queryset.filter(status=raw)

    def get_schema_operation_parameters(self, view):
        choices = self._choices(view)
        if choices is None:
            return []
        return [
            {
                "name": self.param,
                "required": False,
                "in": "query",
                "description": "Only records in this status.",
                "schema": {"type": "string", "enum": choices},
            }
        ]
