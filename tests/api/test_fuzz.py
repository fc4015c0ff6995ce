"""Schemathesis against the live schema (through the WSGI app, in the test database).

Every GET operation is fuzzed with an authenticated DfE token (the role that sees most) and a
trust executive's token; every write operation with a council officer's write token. No server
error, and status codes, content types, headers and bodies as the schema says. Failures are
collected per operation and reported together.
"""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from trustgov.accounts.models import User
from trustgov.accounts.services import api_token_issue

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 6
# No server error, and every response as the schema says. (Schemathesis' "positive data acceptance"
# is left out: a filter naming a record that does not exist is a 400 naming the filter, by design.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def live_schema(django_db_blocker) -> dict:
    """The schema exactly as /api/schema/ serves it (fetched once for the module)."""
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def api_schema(db, settings, live_schema):
    from trustgov.wsgi import application

    # The fuzzer makes many requests with one token: lift the per-token limit for it.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"token": "1000000/hour"}}
    cache.clear()
    schema = schemathesis.openapi.from_dict(live_schema)
    schema.app = application  # requests go through the WSGI app, inside the test's transaction
    # The WSGI handler closes the database connection after each request (CONN_MAX_AGE 0), which
    # on PostgreSQL would end the test's transaction; Django's test client disconnects it the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schema
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _headers(username: str, scope: str = "read") -> dict:
    key = api_token_issue(user=User.objects.get(username=username), name="fuzz", scope=scope).key
    return {"Authorization": f"Token {key}"}


def _fuzz(schema, headers: dict) -> tuple[int, list[str]]:
    failures, count = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        count += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
    return count, failures


def test_every_read_operation_as_the_dfe(api_schema):
    count, failures = _fuzz(api_schema.include(method="GET"), _headers("dfe-liaison"))
    assert count >= 5
    assert not failures, "\n\n".join(failures)


def test_every_read_operation_as_a_trust_executive(api_schema):
    count, failures = _fuzz(api_schema.include(method="GET"), _headers("sandwell-trust-exec"))
    assert not failures, "\n\n".join(failures)


def test_every_write_operation_with_a_write_token(api_schema):
    _, failures = _fuzz(api_schema.exclude(method="GET"), _headers("sandwell-officer", scope="write"))
    assert not failures, "\n\n".join(failures)
