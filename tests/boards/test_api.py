"""Boards API: scoped reads, writes through the services, 4xx on bad input."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from boards.models import Appointment, Body, Person
from trustgov.accounts.models import User

pytestmark = pytest.mark.django_db


def api(username: str) -> APIClient:
    client = APIClient()
    client.default_format = "json"  # the API takes JSON bodies only
    client.force_authenticate(User.objects.get(username=username))
    return client


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_reads_are_scoped():
    sandwell = {b["name"] for b in results(api("sandwell-officer").get("/api/v1/bodies/"))}
    assert "Sandwell Children's Trust Board" in sandwell and "West Sussex Children's Trust Board" not in sandwell
    dfe = {b["name"] for b in results(api("dfe-liaison").get("/api/v1/bodies/"))}
    assert {"Sandwell Children's Trust Board", "Doncaster Children's Services Trust Board"} <= dfe
    people = {p["name"] for p in results(api("west-sussex-trust-exec").get("/api/v1/people/"))}
    assert "Jacqui Smith" not in people
    other = Body.objects.get(name="West Sussex Children's Trust Board")
    assert api("sandwell-officer").get(f"/api/v1/bodies/{other.pk}/").status_code == 404
    board = Body.objects.get(name="Doncaster Children's Services Trust Board")
    body = api("dfe-liaison").get(f"/api/v1/bodies/{board.pk}/").json()
    assert {"code": "no_chair", "message": "No chair is in office."} in body["warnings"]
    assert len(results(api("sandwell-scrutiny").get("/api/v1/memberships/"))) >= 9
    assert results(api("sandwell-scrutiny").get("/api/v1/interests/"))[0]["kind"] == "employment"


def test_person_create_and_duplicate_is_400():
    client = api("sandwell-trust-exec")
    response = client.post("/api/v1/people/", {"name": "Api Person", "professional_capacity": "Accountant"})
    assert response.status_code == 201, response.content
    assert response.json()["council"] == "sandwell"
    duplicate = client.post("/api/v1/people/", {"name": "API PERSON", "professional_capacity": "Accountant"})
    assert duplicate.status_code == 400
    assert "already in" in duplicate.json()["errors"]["name"][0]
    assert (
        api("sandwell-scrutiny").post("/api/v1/people/", {"name": "X", "professional_capacity": "Y"}).status_code == 403
    )


def test_chair_appointment_through_the_api():
    board = Body.objects.get(name="West Sussex Children's Trust Board")
    chair = board.seats.get(role="chair")
    exec_client = api("west-sussex-trust-exec")
    person = exec_client.post("/api/v1/people/", {"name": "Candidate Chair", "professional_capacity": "Former DCS"})
    proposal = exec_client.post(
        "/api/v1/appointments/",
        {"body": board.pk, "seat": chair.pk, "person": person.json()["id"], "term_start": "2025-01-01"},
    )
    assert proposal.status_code == 201, proposal.content
    pk = proposal.json()["id"]
    assert proposal.json()["needs_dfe_approval"] is True
    officer = api("west-sussex-officer")
    step = {"decided_on": timezone.localdate().isoformat(), "decision_reference": "OD 1"}
    # Out of order: 400 with the field named.
    bad = officer.post(f"/api/v1/appointments/{pk}/transition/", {**step, "target": "ratified"})
    assert bad.status_code == 400 and "status" in bad.json()["errors"]
    assert (
        officer.post(f"/api/v1/appointments/{pk}/transition/", {**step, "target": "council_approved"}).status_code
        == 200
    )
    # Only the DfE records its approval.
    assert officer.post(f"/api/v1/appointments/{pk}/dfe-approval/", step).status_code == 403
    dfe = api("dfe-liaison").post(f"/api/v1/appointments/{pk}/dfe-approval/", {**step, "decision_reference": "DfE"})
    assert dfe.status_code == 200, dfe.content
    assert dfe.json()["status"] == "dfe_approved"
    assert [s["to_status"] for s in dfe.json()["steps"]] == ["proposed", "council_approved", "dfe_approved"]
    # Another tenant cannot see it at all.
    assert api("sandwell-officer").post(f"/api/v1/appointments/{pk}/transition/", step).status_code == 404


def test_proposal_to_another_tenants_body_is_400_and_nothing_saved():
    board = Body.objects.get(name="West Sussex Children's Trust Board")
    person = Person.objects.get(name="Jacqui Smith")
    before = Appointment.objects.count()
    response = api("sandwell-trust-exec").post(
        "/api/v1/appointments/",
        {"body": board.pk, "seat": board.seats.first().pk, "person": person.pk, "term_start": "2025-01-01"},
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"body", "seat"}
    assert Appointment.objects.count() == before


def test_interest_declared_through_the_api():
    board = Body.objects.get(name="Sandwell Children's Trust Board")
    person = Person.objects.get(name="Linda Sanders")
    client = api("sandwell-officer")
    ok = client.post(
        "/api/v1/interests/",
        {"person": person.pk, "body": board.pk, "kind": "membership", "detail": "Trustee", "declared_on": "2024-04-01"},
    )
    assert ok.status_code == 201, ok.content
    bad = client.post(
        "/api/v1/interests/",
        {"person": person.pk, "body": board.pk, "kind": "gift", "detail": "", "declared_on": "2024-04-01"},
    )
    # A lone "detail" field error is folded into the problem's "detail" by the platform's handler.
    assert bad.status_code == 400 and "Describe the interest." in str(bad.json())
