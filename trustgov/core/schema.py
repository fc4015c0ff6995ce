"""OpenAPI schema: every operation documents its errors (problem details) and the shared headers.

``ProblemAutoSchema`` is the default schema class (settings REST_FRAMEWORK). On top of what
drf-spectacular infers it adds, to every operation:

- the error responses an API client can meet, as ``application/problem+json`` (RFC 9457);
- ``If-None-Match`` (request) and ``ETag`` (response) plus ``304`` on reads;
- ``Idempotency-Key`` (request) on POST, and ``Idempotent-Replayed`` on a replayed response.
"""

import re

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An error, as RFC 9457 problem details. 'errors' names each field that was wrong.",
    "properties": {
        "type": {"type": "string", "format": "uri", "example": "https://trustgov.local/problems/validation-error"},
        "title": {"type": "string", "example": "Bad Request"},
        "status": {"type": "integer", "example": 400},
        "detail": {"type": "string", "example": "The request has errors: see 'errors' for each field."},
        "errors": {
            "type": "object",
            "description": "Messages for each field (or 'non_field_errors').",
            "additionalProperties": True,
            "example": {"period": ["Enter the period as YYYY-MM."]},
        },
    },
    "required": ["type", "title", "status"],
}

ERROR_DESCRIPTIONS = {
    "400": "The request is invalid: malformed JSON, a wrong type, an unknown field or a bad filter.",
    "401": "No token, or the token is unknown, expired or revoked.",
    "403": "Your role (or a read-only token) may not do this.",
    "404": "No such record, or it belongs to an organisation you cannot see.",
    "405": "This method is not allowed here.",
    "409": "A request with the same Idempotency-Key is still being processed.",
    "413": "The request body is larger than the limit.",
    "415": "The request body is not JSON.",
    "422": "The Idempotency-Key was already used for a different request.",
    "429": "Too many requests for this token; retry after the number of seconds in Retry-After.",
}
READ_ERRORS = ("400", "401", "403", "404", "405", "429")
WRITE_ERRORS = READ_ERRORS + ("409", "413", "415", "422")

IF_NONE_MATCH = {
    "name": "If-None-Match",
    "in": "header",
    "required": False,
    "description": "The ETag of the copy you hold: if nothing changed the answer is 304 with no body.",
    "schema": {"type": "string"},
}
IDEMPOTENCY_KEY = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": "A unique value (for example a UUID) for this submission. A retry with the same key "
    "returns the first response and stores nothing twice; the same key with a different body is a 422.",
    "schema": {"type": "string", "maxLength": 255},
}


STRFTIME_PATTERNS = {"%Y": r"\d{4}", "%m": r"\d{2}", "%d": r"\d{2}", "%H": r"\d{2}", "%M": r"\d{2}", "%S": r"\d{2}"}


def _custom_strftime(field) -> str | None:
    fmt = getattr(field, "format", None)
    if isinstance(field, serializers.DateField | serializers.DateTimeField) and isinstance(fmt, str):
        return None if fmt.lower() == "iso-8601" else fmt
    return None


def _strftime_pattern(fmt: str) -> str:
    out, i = "", 0
    while i < len(fmt):
        token = fmt[i : i + 2]
        if token in STRFTIME_PATTERNS:
            out += STRFTIME_PATTERNS[token]
            i += 2
        else:
            out += re.escape(fmt[i])
            i += 1
    return f"^{out}$"


def _computed_may_be_none(model, attr: str) -> bool:
    """A property or method of the model: null unless its return annotation rules None out."""
    member = getattr(model, attr, None)
    func = member.fget if isinstance(member, property) else getattr(member, "func", member)
    if not callable(func):
        return False
    annotation = getattr(func, "__annotations__", {}).get("return", "")
    if annotation == "":
        return True  # not annotated: it may well answer None
    return "None" in str(annotation) or "Optional" in str(annotation)


def source_is_nullable(field) -> bool:
    """True when a serializer field reads a model field (or follows a relation) that may be null.

    drf-spectacular cannot know this for a declared read-only field (``SlugRelatedField(read_only=True)``
    over a nullable foreign key, ``CharField(source="body.name")``...), so the schema would say
    "string" where the API answers null.
    """
    model = getattr(getattr(getattr(field, "parent", None), "Meta", None), "model", None)
    attrs = getattr(field, "source_attrs", None)
    if model is None or not attrs:
        return False
    for attr in attrs:
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return _computed_may_be_none(model, attr)
        if getattr(model_field, "null", False):
            return True
        if not model_field.is_relation or model_field.related_model is None:
            return False
        model = model_field.related_model
    return False


class ProblemAutoSchema(AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        custom = _custom_strftime(field)
        if custom and isinstance(schema, dict) and schema.get("format") in ("date", "date-time"):
            # A date written with its own format (for example a month as "%Y-%m") is not an RFC 3339 date.
            schema = {k: v for k, v in schema.items() if k != "format"}
            schema["pattern"] = _strftime_pattern(custom)
        if isinstance(field, serializers.TimeField) and isinstance(schema, dict) and schema.get("format") == "time":
            # OpenAPI's "time" is RFC 3339 full-time (with an offset); the API answers local "HH:MM:SS".
            schema = {k: v for k, v in schema.items() if k != "format"}
            schema["pattern"] = r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"
            schema.setdefault("example", "17:30:00")
        if (
            isinstance(schema, dict)
            and field.read_only
            and not schema.get("nullable")
            and not getattr(field, "many", False)
            and source_is_nullable(field)
        ):
            schema = {"allOf": [schema], "nullable": True} if "$ref" in schema else {**schema, "nullable": True}
        return schema

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        problem = ResolvedComponent(
            name="Problem", type=ResolvedComponent.SCHEMA, schema=PROBLEM_SCHEMA, object="trustgov.Problem"
        )
        self.registry.register_on_missing(problem)
        responses = operation.setdefault("responses", {})
        is_read = self.method in ("GET", "HEAD")
        for code in READ_ERRORS if is_read else WRITE_ERRORS:
            responses.setdefault(
                code,
                {
                    "description": ERROR_DESCRIPTIONS[code],
                    "content": {"application/problem+json": {"schema": problem.ref}},
                },
            )
        parameters = operation.setdefault("parameters", [])
        names = {(p.get("name"), p.get("in")) for p in parameters}
        if is_read:
            if ("If-None-Match", "header") not in names:
                parameters.append(IF_NONE_MATCH)
            responses.setdefault("304", {"description": "Not modified since the ETag you sent."})
            ok = responses.get("200")
            if ok is not None:
                ok.setdefault("headers", {})["ETag"] = {
                    "description": "A validator for this response: send it back in If-None-Match.",
                    "schema": {"type": "string"},
                }
        elif self.method == "POST" and ("Idempotency-Key", "header") not in names:
            parameters.append(IDEMPOTENCY_KEY)
        if not parameters:
            operation.pop("parameters")
        return operation
