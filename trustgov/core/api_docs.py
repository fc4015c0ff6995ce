"""/api/docs/: the OpenAPI schema rendered as a GOV.UK page, server-side (no JavaScript, no CDN)."""

import json
from functools import lru_cache

from django.shortcuts import render
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator

from .api import PROBLEM_TYPE_DESCRIPTIONS, PROBLEM_TYPES

METHODS = ("get", "post", "put", "patch", "delete")


@lru_cache(maxsize=1)
def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _resolve(schema: dict, ref_or_obj: dict) -> dict:
    ref = ref_or_obj.get("$ref") if isinstance(ref_or_obj, dict) else None
    if not ref:
        return ref_or_obj
    node = schema
    for part in ref.lstrip("#/").split("/"):
        node = node[part]
    return node


def _example(content: dict) -> str | None:
    for media in content.values():
        if "example" in media:
            return json.dumps(media["example"], indent=2)
    return None


def _success_example(responses: dict) -> tuple[str, str] | None:
    for code, response in sorted(responses.items()):
        if code.startswith("2"):
            example = _example(response.get("content", {}))
            if example is not None:
                return code, example
    return None


@require_GET
def api_docs(request):
    schema = _schema()
    groups: dict[str, list[dict]] = {}
    for path, item in schema.get("paths", {}).items():
        for method in METHODS:
            op = item.get(method)
            if not op:
                continue
            params = [_resolve(schema, p) for p in op.get("parameters", [])]
            body = op.get("requestBody", {}).get("content", {})
            request_example = _example(body)
            body_schema = None
            for content in body.values():
                body_schema = _resolve(schema, content.get("schema", {}))
                break
            fields = []
            if body_schema:
                required = set(body_schema.get("required", []))
                for name, prop in body_schema.get("properties", {}).items():
                    prop = _resolve(schema, prop)
                    fields.append(
                        {
                            "name": name,
                            "type": prop.get("type", "object"),
                            "required": name in required,
                            "description": prop.get("description", ""),
                        }
                    )
            tag = (op.get("tags") or ["other"])[0]
            groups.setdefault(tag, []).append(
                {
                    "method": method.upper(),
                    "path": path,
                    "id": op.get("operationId", ""),
                    "summary": op.get("summary") or op.get("description", ""),
                    "parameters": params,
                    "fields": fields,
                    "responses": sorted(op.get("responses", {}).items()),
                    "request_example": request_example,
                    "response_example": _success_example(op.get("responses", {})),
                }
            )
    return render(
        request,
        "core/api_docs.html",
        {
            "info": schema.get("info", {}),
            "groups": sorted(groups.items()),
            "problems": [
                {
                    "slug": slug,
                    "status": next((code for code, name in PROBLEM_TYPES.items() if name == slug), None),
                    "description": description,
                }
                for slug, description in PROBLEM_TYPE_DESCRIPTIONS.items()
            ],
        },
    )
