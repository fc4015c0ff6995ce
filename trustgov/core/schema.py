"""OpenAPI schema: every operation documents its errors (problem details) and the shared headers.

``ProblemAutoSchema`` is the default schema class (settings REST_FRAMEWORK). On top of what
drf-spectacular infers it adds, to every operation:

- the error responses an API client can meet, as ``application/problem+json`` (RFC 9457);
- ``If-None-Match`` (request) and ``ETag`` (response) plus ``304`` on reads;
- ``Idempotency-Key`` (request) on POST, and ``Idempotent-Replayed`` on a replayed response;
- an example for every request body and every response (an operation's own examples are kept;
  otherwise one is built from the schema, so it always matches it).
"""

import re

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .api import problem_type

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "An error, as RFC 9457 problem details. 'errors' names each field that was wrong.",
    "properties": {
        "type": {
            "type": "string",
            "format": "uri",
            "description": "What kind of problem this is: a link to its section of the API guide (/api/docs/).",
            "example": problem_type(400),
        },
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
ERROR_EXAMPLES = {
    "400": {
        "errors": {"period": ["Enter the month as YYYY-MM"]},
        "detail": "The request has errors: see 'errors' for each field.",
    },
    "401": {"detail": "This token has expired or been revoked."},
    "403": {"detail": "This token is read-only: create a token with the write scope to make changes."},
    "404": {"detail": "Not found."},
    "405": {"detail": 'Method "DELETE" not allowed.'},
    "409": {"detail": "A request with this Idempotency-Key is still being processed. Retry shortly."},
    "413": {"detail": "The request body is larger than the limit of 10485760 bytes."},
    "415": {"detail": 'Unsupported media type "text/plain" in request.'},
    "422": {
        "detail": "This Idempotency-Key was already used for a different request. Use a new key for a new request."
    },
    "429": {"detail": "Request was throttled. Expected available in 120 seconds."},
}
STATUS_TITLES = {
    "400": "Bad Request",
    "401": "Unauthorized",
    "403": "Forbidden",
    "404": "Not Found",
    "405": "Method Not Allowed",
    "409": "Conflict",
    "413": "Request Entity Too Large",
    "415": "Unsupported Media Type",
    "422": "Unprocessable Entity",
    "429": "Too Many Requests",
}


def problem_example(code: str) -> dict:
    return {
        "type": problem_type(int(code)),
        "title": STATUS_TITLES[code],
        "status": int(code),
        **ERROR_EXAMPLES[code],
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
                    "content": {"application/problem+json": {"schema": problem.ref, "example": problem_example(code)}},
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
        self._add_examples(operation)
        return operation

    # --- examples built from the schema ------------------------------------------------------------------

    def _add_examples(self, operation: dict) -> None:
        media = list(operation.get("requestBody", {}).get("content", {}).values())
        for response in operation.get("responses", {}).values():
            media += list(response.get("content", {}).values())
        for content in media:
            if "example" in content or "examples" in content or "schema" not in content:
                continue
            example = example_for(content["schema"], self._component_schema)
            if example is not None:
                content["example"] = example

    def _component_schema(self, ref: str) -> dict | None:
        name = ref.rsplit("/", 1)[-1]
        for (component_name, component_type), component in self.registry._components.items():
            if component_name == name and component_type == ResolvedComponent.SCHEMA:
                return component.schema
        return None


SAMPLE_STRINGS = (
    "sandwell-trust",
    "2026-09",
    "2026-09-30",
    "1234.50",
    "17:30:00",
    "RR1",
    "2026-09-30T09:30:00Z",
    "0",
    "example",
)
FORMAT_SAMPLES = {
    "date": "2026-09-30",
    "date-time": "2026-09-30T09:30:00Z",
    "uri": "https://trustgov.example/api/v1/councils/sandwell/",
    "email": "officer@sandwell.gov.uk",
    "uuid": "8d3f3d3e-5b7a-4c59-9a43-2d1f2b6f9c11",
    "binary": None,
    "decimal": "1234.50",
}


def _string_example(schema: dict):
    if "format" in schema and schema["format"] in FORMAT_SAMPLES:
        return FORMAT_SAMPLES[schema["format"]]
    pattern = schema.get("pattern")
    candidates = SAMPLE_STRINGS if pattern else ("example",)
    for candidate in candidates:
        if pattern and not re.search(pattern, candidate):
            continue
        max_length = schema.get("maxLength")
        if max_length is not None and len(candidate) > max_length:
            candidate = candidate[:max_length]
        if len(candidate) < schema.get("minLength", 0):
            continue
        return candidate
    return None


def example_for(schema: dict, resolve, depth: int = 0):
    """A value that matches ``schema`` (an OpenAPI 3.0 schema, with ``$ref`` resolved by ``resolve``)."""
    if depth > 6 or not isinstance(schema, dict):
        return None
    if "$ref" in schema:
        target = resolve(schema["$ref"])
        return example_for(target, resolve, depth + 1) if target is not None else None
    if "example" in schema:
        return schema["example"]
    for combinator in ("allOf", "oneOf", "anyOf"):
        if schema.get(combinator):
            return example_for(schema[combinator][0], resolve, depth + 1)
    if "enum" in schema:
        values = [v for v in schema["enum"] if v is not None]
        return values[0] if values else None
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        result = {}
        for name, prop in schema.get("properties", {}).items():
            if prop.get("writeOnly") and "readOnly" in prop:
                continue
            value = example_for(prop, resolve, depth + 1)
            if value is None and not prop.get("nullable") and name not in schema.get("required", []):
                continue
            result[name] = value
        return result
    if kind == "array":
        item = example_for(schema.get("items", {}), resolve, depth + 1)
        return [] if item is None else [item]
    if kind == "integer":
        return max(1, schema.get("minimum", 1)) if schema.get("maximum", 1) >= 1 else schema.get("maximum")
    if kind == "number":
        return 1.5 if schema.get("maximum", 2) >= 1.5 else schema.get("maximum")
    if kind == "boolean":
        return True
    if kind == "string":
        return _string_example(schema)
    return None


# --- the whole document ------------------------------------------------------------------------------

SUCCESS_DESCRIPTIONS = {
    "200": "OK: the record (or page of records) in the body.",
    "201": "Created: the new record in the body.",
    "202": "Accepted: the work is queued; the body says where to follow it.",
    "204": "Done: no body.",
    "304": "Not modified since the ETag you sent.",
}
TAG_DESCRIPTIONS = {
    "open-data": "Published figures and records anyone may read, with no token.",
}


def _resolve_ref(ref: str, components: dict) -> dict:
    return components.get(ref.rsplit("/", 1)[-1], {})


def _accepts(schema: dict, value, components: dict, depth: int = 0) -> bool:
    """Whether ``value`` is allowed by ``schema`` for the parts a default can break (enum, format, combinators)."""
    if depth > 8 or not isinstance(schema, dict):
        return True
    if "$ref" in schema:
        return _accepts(_resolve_ref(schema["$ref"], components), value, components, depth + 1)
    if value is None:
        return bool(schema.get("nullable")) or any(
            _accepts(s, value, components, depth + 1) for s in schema.get("oneOf", []) + schema.get("anyOf", [])
        )
    if "enum" in schema and value not in schema["enum"]:
        return False
    if schema.get("format") in ("uri", "email", "date", "date-time", "uuid") and value == "":
        return False
    if any(not _accepts(s, value, components, depth + 1) for s in schema.get("allOf", [])):
        return False
    for combinator in ("oneOf", "anyOf"):
        if schema.get(combinator) and not any(_accepts(s, value, components, depth + 1) for s in schema[combinator]):
            return False
    return True


def _drop_impossible_defaults(node, components: dict) -> None:
    """A default the schema itself refuses (``''`` for a URI or outside an enum) is removed, not shown.

    A model field with ``blank=True, default=''`` gives such defaults: the API stores '' when the field
    is left out, which its own schema (format ``uri``, an enum of choices) calls invalid.
    """
    if isinstance(node, list):
        for item in node:
            _drop_impossible_defaults(item, components)
        return
    if not isinstance(node, dict):
        return
    if "default" in node:
        rest = {k: v for k, v in node.items() if k != "default"}
        if not _accepts(rest, node["default"], components):
            del node["default"]
    for value in node.values():
        _drop_impossible_defaults(value, components)


def postprocess_schema(result, generator, request, public):
    """Whole-document fixes (settings SPECTACULAR_SETTINGS POSTPROCESSING_HOOKS).

    Every operation is tagged by its resource (``/api/v1/<resource>/...``) and every tag is declared;
    every response has a description; no default contradicts its own schema.
    """
    components = result.get("components", {}).get("schemas", {})
    _drop_impossible_defaults(components, components)
    _drop_impossible_defaults(result.get("paths", {}), components)
    tags = set()
    for path, item in result.get("paths", {}).items():
        resource = path.removeprefix("/api/v1/").split("/", 1)[0] or "api"
        for operation in item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            operation_tags = [t for t in operation.get("tags", []) if t != "v1"] or [resource]
            operation["tags"] = operation_tags
            tags.update(operation_tags)
            for code, response in operation["responses"].items():
                if not response.get("description"):
                    response["description"] = SUCCESS_DESCRIPTIONS.get(code, STATUS_TITLES.get(code, "A response."))
    result["tags"] = [
        {"name": tag, "description": TAG_DESCRIPTIONS.get(tag, f"The {tag.replace('-', ' ')} resource.")}
        for tag in sorted(tags)
    ]
    return result


def choice_field(choices, **kwargs) -> serializers.ChoiceField:
    """A read-only choice field whose enum is written inline in the schema.

    drf-spectacular names enum components after the field ("StatusEnum"), and two models with a
    ``status`` of different choices then collide (a warning, and a hash-suffixed name). An inline
    enum says the same to a client without a shared name.
    """
    values = [value for value, _ in choices]

    @extend_schema_field({"type": "string", "enum": values})
    class InlineChoiceField(serializers.ChoiceField):
        pass

    return InlineChoiceField(choices=choices, read_only=True, **kwargs)
