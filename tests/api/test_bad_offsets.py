"""``updated_since`` with an offset no place uses (+20:21) is a 400 naming the parameter on every
list, not a server error (PostgreSQL refuses offsets past ±15:59); real offsets still work."""

import pytest
from django.db import connection

from .helpers import assert_problem, client_with, token_for
from .test_coverage import api_lists

pytestmark = pytest.mark.django_db


@pytest.fixture
def dfe():
    return client_with(token_for("dfe-liaison"))


def list_paths(client) -> list[str]:
    return sorted({url.split("/api/v1", 1)[1] for url in api_lists().values()})


@pytest.mark.parametrize("offset", ["%2B20:21", "-15:00", "%2B99:00", "%2B14:01"])
def test_an_impossible_offset_is_a_400_on_every_list(dfe, offset):
    paths = list_paths(dfe)
    assert len(paths) > 20
    for path in paths:
        response = dfe.get(f"/api/v1{path}?updated_since=2026-01-01T00:00:00{offset}")
        body = assert_problem(response, 400)
        assert "updated_since" in body["errors"], path


@pytest.mark.parametrize(
    "value", ["2026-01-01T00:00:00%2B14:00", "2026-01-01T00:00:00-12:00", "2026-01-01T00:00:00%2B05:30", "2026-01-01"]
)
def test_real_offsets_still_filter_every_list(dfe, value):
    for path in list_paths(dfe):
        assert dfe.get(f"/api/v1{path}?updated_since={value}").status_code == 200, path


def test_the_first_and_last_moments_are_a_400_not_an_overflow(dfe):
    for value in ("0001-01-01T00:00:00%2B01:00", "9999-12-31T23:59:59-01:00"):
        assert_problem(dfe.get(f"/api/v1/directions/?updated_since={value}"), 400)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the offset error is PostgreSQL's: set DATABASE_URL")
def test_on_postgresql_every_offset_between_the_limits_reaches_the_database(dfe):
    for offset in ("%2B14:00", "-12:00", "%2B13:45"):
        response = dfe.get(f"/api/v1/meetings/?updated_since=2000-01-01T00:00:00{offset}")
        assert response.status_code == 200 and response.json()["count"] > 0
