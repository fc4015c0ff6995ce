"""API building blocks shared by every app: permissions, pagination, errors, base viewsets.

Conventions every endpoint built on these classes gets (see docs/api.md):

- reads through the model's scoping function (another tenant's record is a 404);
- a stable default order (primary key) so pages do not shift; ``?ordering=`` on the
  viewset's ``ordering_fields``;
- ``?updated_since=`` for incremental sync (``trustgov.core.filters.UpdatedSinceFilter``,
  a default filter backend), and ``?trust=``, ``?council=``, ``?from=``/``?to=`` and ``?status=``
  on every list of the base viewsets (``trustgov.core.filters``);
- ``ETag`` on every successful read and ``304 Not Modified`` for a matching ``If-None-Match``;
- ``Idempotency-Key`` on POST: a retry returns the stored response and stores nothing twice;
- history rows written during an API request record the token's user;
- errors as RFC 9457 problem details (``problem_details_exception_handler``).
"""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, serializers, viewsets
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler
from simple_history.models import HistoricalRecords

from . import etag, idempotency, versioned_cache
from .filters import CouncilFilter, PeriodFilter, StatusFilter, TrustFilter
from .parsers import LimitedJSONParser, PayloadTooLarge
from .permissions import ActionPermissions, is_role_refusal
from .scoping import visible


class ApiConventionsMixin:
    """ETag/304 on reads, Idempotency-Key on POST, and the token's user on history rows.

    Mix into any DRF view or viewset (``ScopedReadOnlyViewSet`` and ``ScopedViewSet`` already have it).
    Request bodies are JSON only (anything else is a 415 problem), as the schema says.
    """

    parser_classes = [LimitedJSONParser]
    cached_actions: tuple[str, ...] = ()  # heavy reads served per data version (``trustgov.core.versioned_cache``)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authentication, permissions and throttles: every request
        self._cache_key = None
        if getattr(self, "action", None) in self.cached_actions:
            self._cache_key = versioned_cache.api_key(request)
            hit = versioned_cache.get_or_claim(self._cache_key) if self._cache_key else None
            if hit is not None:
                self._cache_key = None
                setattr(self, request.method.lower(), lambda *a, **kw: Response(hit))
        # Token authentication happens inside DRF, after HistoryRequestMiddleware ran: make sure the
        # history context sees the authenticated request, so API writes record the token's user.
        django_request = request._request
        django_request.user = request.user
        HistoricalRecords.context.request = django_request
        self._idempotency_key = idempotency.idempotency_key(request)
        if self._idempotency_key:
            replay = idempotency.find_replay(request, self._idempotency_key)
            if replay is not None:
                method = request.method.lower()
                setattr(self, method, lambda *a, **kw: replay)
                self._idempotent_replay = True

    def finalize_response(self, request, response, *args, **kwargs):
        key = getattr(self, "_idempotency_key", None)
        if key and not getattr(self, "_idempotent_replay", False) and not getattr(response, "exception", False):
            idempotency.store(request, key, response)
        cache_key = getattr(self, "_cache_key", None)
        if cache_key:
            if response.status_code == 200 and not getattr(response, "exception", False):
                cache.set(cache_key, response.data, timeout=versioned_cache.seconds())
            versioned_cache.release(cache_key)
        response = super().finalize_response(request, response, *args, **kwargs)
        return etag.add_conditional_get(request, response)


class ScopedQuerysetMixin:
    """The queryset is the model's scoping function for the user, in a stable order.

    Every list filters by ``trust``, ``council`` (where the model leads to one), ``from``/``to``
    (its period), ``status`` and ``updated_since``, and orders with ``ordering``.
    """

    model = None
    filter_backends = [*api_settings.DEFAULT_FILTER_BACKENDS, TrustFilter, CouncilFilter, PeriodFilter, StatusFilter]

    def get_queryset(self):
        qs = visible(self.model, self.request.user)
        if not qs.ordered:
            qs = qs.order_by("pk")
        return qs

    def paginate_queryset(self, queryset):
        # A view whose own get_queryset() has no order still pages in a stable order.
        if not getattr(queryset, "ordered", True):
            queryset = queryset.order_by("pk")
        return super().paginate_queryset(queryset)


class ScopedReadOnlyViewSet(ApiConventionsMixin, ScopedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """A read-only endpoint over one model, always through the model's scoping function.

    Writes belong in ``@action`` methods (or a ``ScopedViewSet``) that call the app's services.
    """

    permission_classes = [ActionPermissions]
    model = None


class ScopedViewSet(ApiConventionsMixin, ScopedQuerysetMixin, viewsets.GenericViewSet):
    """A scoped viewset with no actions of its own: add ``list``/``retrieve`` mixins or ``@action`` writes."""

    permission_classes = [ActionPermissions]
    model = None


class FigureField(serializers.DecimalField):
    """A decimal as people and systems write it: ASCII digits only. ``Decimal()`` would read '٤٣' (Arabic-Indic
    digits) as 43; a figure sent like that is refused, as the forms and uploads refuse it (trustgov.core.numbers)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and not data.isascii():
            self.fail("invalid")
        return super().to_internal_value(data)


class RejectUnknownFieldsMixin:
    """For write serializers: a field the serializer does not know is a 400 naming it, not silently ignored."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                raise serializers.ValidationError(
                    {name: [f"'{name}' is not a field you can set here."] for name in unknown}
                )
        return super().to_internal_value(data)


PROBLEM_TYPES = {
    400: "validation-error",
    401: "not-authenticated",
    403: "permission-denied",
    404: "not-found",
    405: "method-not-allowed",
    406: "not-acceptable",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "unprocessable",
    429: "throttled",
    500: "server-error",
}
# What each problem type means, shown in the API guide (/api/docs/#problem-<type>), where every
# problem's ``type`` URI points.
PROBLEM_TYPE_DESCRIPTIONS = {
    "validation-error": "The request is invalid: malformed JSON, a wrong type, an unknown field or a bad "
    "filter. 'errors' names each field (or 'non_field_errors') with its messages. Correct them and retry.",
    "not-authenticated": "No token was sent, or the token is unknown, expired or revoked. Send "
    "'Authorization: Token <key>' with a current token.",
    "permission-denied": "Your role may not do this, or your token is read-only for a write. 'detail' says which.",
    "not-found": "No such address or record, or the record belongs to an organisation you cannot see.",
    "method-not-allowed": "The address does not take this HTTP method: the Allow header lists those it takes.",
    "not-acceptable": "The API cannot answer in the media type named in Accept: ask for application/json.",
    "conflict": "A request with the same Idempotency-Key is still being processed: retry shortly.",
    "payload-too-large": "The request body is larger than the limit named in 'detail'.",
    "unsupported-media-type": "The request body is not JSON: send it with Content-Type: application/json.",
    "unprocessable": "The Idempotency-Key was already used for a different request: use a new key for a new request.",
    "throttled": "Too many requests for this token: retry after the number of seconds in Retry-After.",
    "server-error": "Something went wrong on our side. Nothing was saved; try again later.",
    "error": "Any other error: 'title' and 'detail' say what happened.",
}


def problem_type(status: int) -> str:
    """The ``type`` URI of a problem: its section of the API guide this site serves."""
    return f"{settings.SITE_URL}/api/docs/#problem-{PROBLEM_TYPES.get(status, 'error')}"


def problem_details_exception_handler(exc, context):
    """Render every API error as RFC 9457 problem details with field messages."""
    if isinstance(exc, DjangoValidationError) and is_role_refusal(exc):
        exc = exceptions.PermissionDenied(" ".join(exc.messages))  # the wrong role: 403 (ADR 0008)
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge(
            f"The request body is larger than the limit of {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes."
        )
    response = exception_handler(exc, context)
    if response is None:
        return None
    status = response.status_code
    body = {
        "type": problem_type(status),
        "title": response.status_text,
        "status": status,
    }
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"}:
        body["detail"] = str(data["detail"])
    elif isinstance(data, dict):
        body["detail"] = "The request has errors: see 'errors' for each field."
        body["errors"] = data
    elif isinstance(data, list):
        body["detail"] = "; ".join(str(d) for d in data)
        body["errors"] = {"non_field_errors": data}
    response.data = body
    response.content_type = "application/problem+json"
    return response
