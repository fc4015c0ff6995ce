"""The filters every list shares (trust, council, period, status) and the schema's own quality:
generated without a warning, every operation documented with its errors and an example that
matches its schema."""

import copy

import jsonschema
import pytest
from django.conf import settings
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from openapi_spec_validator import OpenAPIV30SpecValidator

from contracts.models import ReservedMatterRequest
from meetings.models import Meeting
from performance.models import Kpi, MonthlyReturn
from trustgov.core.dates import add_months
from trustgov.core.schema import _accepts

from .helpers import assert_problem, client_with, token_for

pytestmark = pytest.mark.django_db
METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture
def dfe():
    return client_with(token_for("dfe-liaison"))


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_trust_filter_keeps_one_trusts_records(dfe):
    sandwell = ids(dfe.get("/api/v1/performance/returns/", {"trust": "sandwell-trust", "page_size": 200}))
    assert sandwell
    assert (
        sandwell == set(MonthlyReturn.objects.filter(delivery_body__slug="sandwell-trust").values_list("pk", flat=True))
        or len(sandwell) == 200
    )
    # Records that reach the trust through another record: KPI -> trust, target -> KPI -> trust.
    targets = dfe.get("/api/v1/performance/targets/", {"trust": "sandwell-trust", "page_size": 200}).json()["results"]
    sandwell_kpis = set(Kpi.objects.filter(delivery_body__slug="sandwell-trust").values_list("code", flat=True))
    assert targets and {t["kpi"] for t in targets} <= sandwell_kpis
    assert ids(dfe.get("/api/v1/contracts/", {"trust": "no-such-trust"})) == set()


def test_council_filter(dfe):
    meetings = ids(dfe.get("/api/v1/meetings/", {"council": "torbay", "page_size": 200}))
    assert meetings
    assert meetings <= set(Meeting.objects.filter(council__slug="torbay").values_list("pk", flat=True))


def test_period_filter_takes_months_and_dates_both_ends_included(dfe):
    month = ids(dfe.get("/api/v1/performance/returns/", {"from": "2026-09", "to": "2026-09", "page_size": 200}))
    expected = set(MonthlyReturn.objects.filter(period__year=2026, period__month=9).values_list("pk", flat=True))
    assert month and month == expected
    raised = ReservedMatterRequest.objects.order_by("raised_on").first().raised_on
    by_day = dfe.get("/api/v1/reserved-matter-requests/", {"from": raised.isoformat(), "to": raised.isoformat()})
    assert ReservedMatterRequest.objects.order_by("raised_on").first().pk in ids(by_day)


@pytest.mark.parametrize("value", ["2026-13", "last month", "2026-02-30"])
def test_a_bad_period_is_a_400_naming_the_parameter(dfe, value):
    body = assert_problem(dfe.get("/api/v1/meetings/", {"from": value}), 400)
    assert "from" in body["errors"]


def test_status_filter_on_every_list_with_a_status(dfe):
    submitted = dfe.get("/api/v1/performance/returns/", {"status": "submitted", "page_size": 200}).json()["results"]
    assert submitted and {r["status"] for r in submitted} == {"submitted"}
    body = assert_problem(dfe.get("/api/v1/performance/returns/", {"status": "lost"}), 400)
    assert "status" in body["errors"]


def test_filters_are_scoped_another_trusts_slug_finds_nothing():
    officer = client_with(token_for("sandwell-officer"))
    assert ids(officer.get("/api/v1/performance/returns/", {"trust": "torbay-partnership"})) == set()


# --- the schema -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    GENERATOR_STATS.reset()
    with django_db_blocker.unblock():
        generated = SchemaGenerator().get_schema(request=None, public=True)
    warnings = dict(GENERATOR_STATS._warn_cache)
    errors = dict(GENERATOR_STATS._error_cache)
    return generated, warnings, errors


def test_generating_the_schema_gives_no_warning_or_error_and_it_is_valid_openapi(schema):
    generated, warnings, errors = schema
    assert not errors, errors
    assert not warnings, "\n".join(warnings)
    validate_schema(generated)


def test_every_list_documents_the_shared_filters(schema):
    generated = schema[0]
    returns = {p["name"] for p in generated["paths"]["/api/v1/performance/returns/"]["get"]["parameters"]}
    assert {"trust", "council", "from", "to", "status", "updated_since", "ordering", "page", "page_size"} <= returns
    for path, item in generated["paths"].items():
        if path.endswith("/") and "{" not in path and "get" in item:
            names = {p["name"] for p in item["get"].get("parameters", [])}
            assert {"page", "page_size", "ordering"} <= names, path


def _list_paths(generated) -> list[str]:
    """Every list the API has: a GET on a collection (no path parameter, no required query parameter)."""
    paths = []
    for path, item in generated["paths"].items():
        get = item.get("get")
        if not path.endswith("/") or "{" in path or get is None:
            continue
        params = get.get("parameters", [])
        if any(p.get("required") for p in params) or "page" not in {p["name"] for p in params}:
            continue
        paths.append(path)
    return sorted(paths)


def test_from_and_to_mean_the_same_on_every_list(schema, dfe):
    """A month or a date in ?from=/?to= is accepted by every list that has a period, and a non-date is a 400 naming
    it; /performance/returns/ once parsed them by hand and refused a date."""
    generated = schema[0]
    with_period = [
        path
        for path in _list_paths(generated)
        if {"from", "to"} <= {p["name"] for p in generated["paths"][path]["get"]["parameters"]}
    ]
    assert "/api/v1/performance/returns/" in with_period and len(with_period) >= 15, with_period
    for path in with_period:
        for query in ({"from": "2025-01-15"}, {"to": "2025-01-15"}, {"from": "2025-01", "to": "2025-12"}):
            response = dfe.get(path, query)
            assert response.status_code == 200, (path, query, response.content)
        for param in ("from", "to"):
            body = assert_problem(dfe.get(path, {param: "2025-13"}), 400)
            assert param in body["errors"], (path, body)


def test_a_date_in_from_counts_from_that_day_on_returns_as_on_every_list(dfe):
    month = MonthlyReturn.objects.latest("period").period  # the demo data's latest month, whatever today is
    before = add_months(month, -1).replace(day=15)
    query = {"from": before.isoformat(), "to": f"{month:%Y-%m}", "page_size": 200}
    after = ids(dfe.get("/api/v1/performance/returns/", query))
    expected = set(MonthlyReturn.objects.filter(period=month).values_list("pk", flat=True))
    assert after and after == expected


def _to_json_schema(node):
    """OpenAPI 3.0 schema objects to JSON Schema: 'nullable' becomes a null alternative."""
    if isinstance(node, list):
        return [_to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _to_json_schema(v) for k, v in node.items() if k not in ("nullable", "example", "examples")}
    if node.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


def test_every_operation_has_errors_as_problems_and_examples_that_match_its_schema(schema):
    generated = schema[0]
    components = {"components": _to_json_schema(copy.deepcopy(generated["components"]))}
    checked = 0
    for path, item in generated["paths"].items():
        for method in (m for m in METHODS if m in item):
            op = item[method]
            assert op.get("summary") or op.get("description"), f"{method} {path} says what it does"
            responses = op["responses"]
            assert {"400", "401", "403", "404", "429"} <= set(responses), f"{method} {path}"
            for code, response in responses.items():
                for media, content in response.get("content", {}).items():
                    if code[0] in "45":
                        assert media == "application/problem+json", f"{method} {path} {code}"
                    if content.get("schema", {}).get("format") == "binary":
                        continue
                    assert "example" in content, f"{method} {path} {code} {media} has an example"
                    validator = jsonschema.Draft4Validator({**components, **_to_json_schema(content["schema"])})
                    errors = [e.message for e in validator.iter_errors(content["example"])]
                    assert not errors, f"{method} {path} {code}: {errors}"
                    checked += 1
            for media, content in op.get("requestBody", {}).get("content", {}).items():
                assert media == "application/json", f"{method} {path}: bodies are JSON only"
                validator = jsonschema.Draft4Validator({**components, **_to_json_schema(content["schema"])})
                assert not list(validator.iter_errors(content["example"])), f"{method} {path} request example"
                checked += 1
    assert checked > 200


def test_the_docs_page_renders_every_operation(client, schema):
    generated = schema[0]
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    for item in generated["paths"].values():
        for method in (m for m in METHODS if m in item):
            assert f'id="{item[method]["operationId"]}"' in page
    assert page.count("Example response (") >= 80 and "Example request body" in page


# --- the document against the OpenAPI specification ----------------------------------------------


def test_the_schema_passes_openapi_spec_validator_with_no_error(schema):
    generated = schema[0]
    errors = [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in OpenAPIV30SpecValidator(generated).iter_errors()
    ]
    assert errors == []


def test_no_default_contradicts_its_own_schema(schema):
    """decision_url had default '' with format uri, decided_by a default outside its enum."""
    generated = schema[0]
    components = generated["components"]["schemas"]
    for name in ("CouncilDecisionInputRequest", "AppointmentTransitionRequest"):
        props = components[name]["properties"]
        assert "default" not in props["decision_url"] and all(
            "default" not in s for s in props["decision_url"].get("oneOf", [])
        )
    assert "default" not in components["CouncilDecisionInputRequest"]["properties"]["decided_by"]

    def walk(node, path):
        if isinstance(node, dict):
            if "default" in node:
                assert _accepts({k: v for k, v in node.items() if k != "default"}, node["default"], components), path
            for key, value in node.items():
                walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}/{i}")

    walk(generated, "")


def test_servers_license_tags_and_every_response_described(schema):
    generated = schema[0]
    assert generated["servers"] and generated["servers"][0]["url"].startswith("http")
    assert generated["info"]["license"]["name"]
    declared = {tag["name"] for tag in generated["tags"]}
    assert {"contracts", "meetings", "performance", "open-data"} <= declared
    assert all(tag.get("description") for tag in generated["tags"])
    for path, item in generated["paths"].items():
        for method in (m for m in METHODS if m in item):
            op = item[method]
            assert op["tags"] and set(op["tags"]) <= declared, f"{method} {path}"
            assert "v1" not in op["tags"]
            for code, response in op["responses"].items():
                assert response.get("description"), f"{method} {path} {code} has a description"


def test_problem_types_point_at_sections_of_the_api_guide(client, dfe):
    guide = client.get("/api/docs/").content.decode()
    body = assert_problem(dfe.get("/api/v1/performance/returns/", {"from": "2025-13"}), 400)
    unknown = client.get("/api/v1/no-such-resource/")
    assert unknown.status_code == 404 and unknown["Content-Type"] == "application/problem+json"
    not_found = unknown.json()
    for problem in (body, not_found, dfe.get("/api/v1/no-such-thing/7/").json()):
        assert problem["type"].startswith(f"{settings.SITE_URL}/api/docs/#problem-"), problem
        anchor = problem["type"].split("#", 1)[1]
        assert f'id="{anchor}"' in guide, anchor
    assert not_found["status"] == 404 and not_found["type"].endswith("#problem-not-found")
