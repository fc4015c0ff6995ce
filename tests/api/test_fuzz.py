"""Schemathesis against the live schema (through the WSGI app, in the test database).

Every operation of the schema is fuzzed with authenticated tokens: every read as the DfE liaison
(who sees most) and as a trust executive; every write with a write token of each role that acts
from another system (trust executive, council officer, DfE liaison). Path parameters are the ids
of real records the role can see (random ids would only ever meet a 404), so the fuzzer reaches
the serializers and services. Checks: no server error, and status codes, content types, headers
and bodies as the schema says. Failures are collected per operation and reported together; the
operations exercised are counted against the schema, and every read must have answered 2xx at
least once.
"""

import copy
import os
import re

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ensure_resource_availability,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
    use_after_free,
)

from trustgov.accounts.models import User
from trustgov.accounts.services import api_token_issue

pytestmark = pytest.mark.django_db

# Examples per operation (and scenarios of the stateful phase): a quick 6 by default; the CI PostgreSQL pass sets
# TRUSTGOV_FUZZ_EXAMPLES=50, the full strength.
MAX_EXAMPLES = int(os.environ.get("TRUSTGOV_FUZZ_EXAMPLES", "6"))
# Every check Schemathesis has for an OpenAPI schema but one: no server error; status codes, content types,
# headers and bodies as the schema says; invalid input refused; a missing required header, a method the path does
# not take and a request without (or with a wrong) token all refused; a deleted record gone, a created one there.
# "Positive data acceptance" is left out: a filter naming a record that does not exist (or the caller cannot see)
# is a 400 naming the filter, by design (ADR 0600), and no schema can say "the id of a record you can see".
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    missing_required_header,
    unsupported_method,
    ignored_auth,
    use_after_free,
    ensure_resource_availability,
]
METHODS = ("get", "post", "put", "patch", "delete")
# A path parameter's values come from this list endpoint when it is not the path's own collection.
COLLECTION_FOR = {"/api/v1/open-data/trusts/": "/api/v1/delivery-bodies/"}


@pytest.fixture(scope="module")
def live_schema(django_db_blocker) -> dict:
    """The schema exactly as /api/schema/ serves it (fetched once for the module)."""
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def _operations(raw: dict, methods) -> set[tuple[str, str]]:
    return {(m.upper(), path) for path, item in raw["paths"].items() for m in item if m in methods}


@pytest.fixture
def unthrottled(db, settings):
    # The fuzzer makes many requests with one token: lift the per-token limit for it.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "1000000/hour"}}
    cache.clear()


def _keep_the_test_connection() -> None:
    """The WSGI handler closes the database connection after each request (CONN_MAX_AGE 0), which on
    PostgreSQL would end the test's transaction. Django's test client disconnects the same handler
    for its own requests but connects it again after each one, so this runs before every fuzzed call."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)


@pytest.fixture(autouse=True)
def restore_connection_handling():
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _load(raw: dict):
    from trustgov.wsgi import application

    schema = schemathesis.openapi.from_dict(raw)
    schema.app = application  # requests go through the WSGI app, inside the test's transaction
    return schema


def _headers(username: str, scope: str = "read") -> dict:
    key = api_token_issue(user=User.objects.get(username=username), name="fuzz", scope=scope).key
    return {"Authorization": f"Token {key}"}


def _spare_token_id(headers: dict) -> str:
    """Another token of the fuzzing user: revoking it must not revoke the token the fuzzer runs with."""
    from trustgov.accounts.authentication import ApiTokenAuthentication

    user, _ = ApiTokenAuthentication().authenticate_credentials(headers["Authorization"].split()[1])
    return str(api_token_issue(user=user, name="spare", scope="read").token.pk)


def _real_values(path: str, method: str, headers: dict) -> dict[str, str]:
    """Values for the path's parameters taken from records the caller can see ({} when there are none)."""
    from rest_framework.test import APIClient

    match = re.match(r"^(.*?/)\{(\w+)\}", path)
    if not match:
        return {}
    collection, name = COLLECTION_FOR.get(match[1], match[1]), match[2]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=headers["Authorization"])
    response = client.get(collection, {"page_size": 200})
    if response.status_code != 200:
        return {}
    rows = response.json()
    rows = rows.get("results", []) if isinstance(rows, dict) else rows
    key = "slug" if name == "slug" else "id"
    values = [row[key] for row in rows if isinstance(row, dict) and key in row]
    if not values:
        return {}
    # For a write, the most recent record is likelier to be in a state that allows it.
    return {name: str(values[0] if method == "GET" else values[-1])}


def _fuzz_operation(operation, headers: dict, values: dict) -> tuple[list[int], str | None]:
    statuses: list[int] = []

    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        if values:
            case.path_parameters = {**(case.path_parameters or {}), **values}
        _keep_the_test_connection()
        response = case.call(headers=headers)
        statuses.append(response.status_code)
        case.validate_response(response, checks=CHECKS, headers=headers)

    try:
        run()
    except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collect every failure, then report
        return statuses, str(exc)
    return statuses, None


NO_RECORDS: set[tuple[str, str]] = set()


def _fuzz(schema, headers: dict) -> tuple[dict, list[str]]:
    """Fuzz each operation; answers {(METHOD, path): [status codes seen]} and the failures.

    An operation on a record whose collection is empty for the caller goes into NO_RECORDS.
    """
    seen, failures = {}, []
    for result in schema.get_all_operations():
        operation = result.ok()
        key = (operation.method.upper(), operation.path)
        if operation.path.startswith("/api/v1/api-tokens/{id}"):
            values = {"id": _spare_token_id(headers)}
        else:
            values = _real_values(operation.path, key[0], headers)
        if "{" in operation.path and not values:
            NO_RECORDS.add(key)
        seen[key], failure = _fuzz_operation(operation, headers, values)
        if failure:
            failures.append(f"{key[0]} {key[1]}: {failure}")
    return seen, failures


def test_every_read_operation_as_the_dfe(unthrottled, live_schema):
    seen, failures = _fuzz(_load(live_schema).include(method="GET"), _headers("dfe-liaison"))
    assert set(seen) == _operations(live_schema, ("get",)), "every read operation was fuzzed"
    assert len(seen) >= 40
    assert all(seen.values()), "each operation made requests"
    assert not failures, "\n\n".join(failures)
    never_ok = sorted(
        f"{m} {p}"
        for (m, p), codes in seen.items()
        if (m, p) not in NO_RECORDS and not any(200 <= c < 300 for c in codes)
    )
    assert not never_ok, f"reads that never answered 2xx (the fuzzer did not reach them): {never_ok}"


def test_every_read_operation_as_a_trust_executive(unthrottled, live_schema):
    seen, failures = _fuzz(_load(live_schema).include(method="GET"), _headers("sandwell-trust-exec"))
    assert set(seen) == _operations(live_schema, ("get",))
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("username", ["sandwell-trust-exec", "sandwell-officer", "dfe-liaison"])
def test_every_write_operation_with_a_write_token(unthrottled, live_schema, username):
    seen, failures = _fuzz(_load(live_schema).exclude(method="GET"), _headers(username, scope="write"))
    writes = _operations(live_schema, ("post", "put", "patch", "delete"))
    assert set(seen) == writes, "every write operation was fuzzed"
    assert len(writes) >= 15
    assert all(seen.values()), "each operation made requests"
    assert not any(401 in codes for codes in seen.values()), "the token stayed valid for the whole run"
    assert not failures, "\n\n".join(failures)


def test_the_fuzzer_fails_when_a_response_breaks_the_schema(unthrottled, live_schema):
    """The harness is not a no-op: a schema that promises a field the API never sends is caught."""
    broken = copy.deepcopy(live_schema)
    council = broken["components"]["schemas"]["Council"]
    council["properties"]["never_sent"] = {"type": "string"}
    council["required"] = [*council.get("required", []), "never_sent"]
    schema = _load(broken).include(path_regex=r"^/api/v1/councils/$", method="GET")
    seen, failures = _fuzz(schema, _headers("dfe-liaison"))
    assert list(seen) == [("GET", "/api/v1/councils/")]
    assert failures and "never_sent" in failures[0]


@pytest.mark.parametrize("username", ["dfe-liaison", "sandwell-trust-exec"])
def test_the_stateful_phase_chains_operations_and_finds_nothing(unthrottled, live_schema, username):
    """Schemathesis' stateful phase: sequences of calls where one answer's ids feed the next call (links inferred
    by its dependency analysis: a created or listed record is then read, changed or acted on), with every check.
    The token's own routes are left out: a sequence could revoke the token it runs with. Negative-data rejection is
    the one check left out here: its mutations send empty filters (`?from=`, `?kind=`), which every list takes as
    not given, as an HTML form sends them (ADR 0600); the per-operation phase above keeps the check."""
    checks = [check for check in CHECKS if check is not negative_data_rejection]
    # The national grid and the neighbour lists are left to the per-operation phase (every check, both users): in
    # scenarios with them Hypothesis stopped on its own FlakyStrategyDefinition (a draw forced on replay but not on
    # the first run) and named no failing call; their 403/404/400 answers were checked by hand and by their tests.
    schema = _load(live_schema).exclude(
        path_regex=r"^/api/v1/(api-tokens|performance/national-grid|performance/neighbour-lists)/"
    )
    headers = _headers(username, scope="write")
    calls: list[tuple[str, str, int]] = []

    class Machine(schema.as_state_machine()):
        def before_call(self, case):
            _keep_the_test_connection()

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def after_call(self, response, case):
            calls.append((case.method.upper(), case.operation.path, response.status_code))

        def validate_response(self, response, case, **kwargs):
            case.validate_response(response, checks=checks, headers=headers)

    Machine.run(
        settings=settings(
            max_examples=max(MAX_EXAMPLES, 30),  # scenarios of up to 8 linked calls
            stateful_step_count=8,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    chained = {(m, p) for m, p, _ in calls if "{" in p}
    assert len({(m, p) for m, p, _ in calls}) >= 20, "the scenarios reached many operations"
    assert chained, "some calls used an id an earlier answer gave"
    assert 401 not in {status for *_, status in calls}, "the token stayed valid"
