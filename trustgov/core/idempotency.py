"""Idempotency keys on POST: a retried submission is not stored twice.

A client sends ``Idempotency-Key: <unique value>`` with a POST. The first successful response
is stored against (user, key) with a hash of the request; a retry with the same key and the
same request gets the stored response again (header ``Idempotent-Replayed: true``) and
nothing is written; the same key with a different request is a 422 problem. Keys are kept
for ``IDEMPOTENCY_KEY_HOURS`` (default 24) and may be reused after that.

The stored responses are rows of a model that belongs to the user's app: ``trustgov.accounts``
registers ``IdempotencyRecord`` with ``register_record_model`` from its AppConfig.ready(), so the
platform's lowest layer never imports accounts.
"""

import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
IDEMPOTENT_METHODS = ("POST",)
KEPT_HEADERS = ("Location",)

_RECORD_MODEL: list = []  # the one registered model: fields user, key, method, path, request_hash, ...


def register_record_model(model) -> None:
    _RECORD_MODEL[:] = [model]


def _records():
    if not _RECORD_MODEL:  # pragma: no cover - a programming error, caught by every API test
        raise LookupError("No idempotency record model registered (trustgov.accounts registers it).")
    return _RECORD_MODEL[0].objects


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "This Idempotency-Key was already used for a different request. Use a new key for a new request."
    default_code = "idempotency_key_reused"


class IdempotencyKeyInProgress(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "A request with this Idempotency-Key is still being processed. Retry shortly."
    default_code = "idempotency_key_in_progress"


def key_hours() -> int:
    return getattr(settings, "IDEMPOTENCY_KEY_HOURS", 24)


def request_fingerprint(request) -> str:
    """A hash of what the request asks for: method, path, query and body (parsed, key order ignored)."""
    try:
        data = request.data
        body = json.dumps(data, cls=JSONEncoder, sort_keys=True, default=str)
    except AttributeError:
        body = ""
    raw = "\n".join([request.method, request.path, request.META.get("QUERY_STRING", ""), body])
    return hashlib.sha256(raw.encode()).hexdigest()


def idempotency_key(request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None or request.method not in IDEMPOTENT_METHODS:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise exceptions.ValidationError(
            {HEADER: f"An Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable characters, for example a UUID."}
        )
    return key


def find_replay(request, key: str) -> Response | None:
    """The stored response for this key, or None when the request is new. Raises 422 on a changed request."""
    record = _records().filter(user=request.user, key=key).first()
    if record is None:
        return None
    if record.created_at < timezone.now() - timedelta(hours=key_hours()):
        record.delete()  # expired: the key may be used again
        return None
    if record.request_hash != request_fingerprint(request):
        raise IdempotencyKeyReused()
    response = Response(record.response_body, status=record.status_code)
    for name, value in (record.response_headers or {}).items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


def store(request, key: str, response) -> None:
    """Keep a successful response for later retries (inside the request's transaction)."""
    if not 200 <= response.status_code < 300:
        return
    body = json.loads(json.dumps(getattr(response, "data", None), cls=JSONEncoder))
    headers = {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}
    try:
        with transaction.atomic():
            _records().create(
                user=request.user,
                key=key,
                method=request.method,
                path=request.path[:500],
                request_hash=request_fingerprint(request),
                status_code=response.status_code,
                response_body=body,
                response_headers=headers,
            )
    except IntegrityError as exc:
        # Another request with the same key got there first: this one must not be kept.
        raise IdempotencyKeyInProgress() from exc
