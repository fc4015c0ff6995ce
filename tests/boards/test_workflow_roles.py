"""Each appointment step per role, on the web pages and the API.

For a Chair and a Chief Executive (the DfE approves them where the rules say so) and a
council-appointed NED (it does not): who may propose, then at each step every other role is
refused (403), skipping ahead is refused with the field named (400) and nothing is saved, and
the right role moves it on, dated, by them, with the decision reference.
"""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from boards.models import Appointment, AppointmentStep, Membership, Seat

from .factories import PersonFactory, SeatFactory, trust_board

pytestmark = pytest.mark.django_db
S = Appointment.Status
ROLES = ("officer", "trust_exec", "scrutiny", "dfe")

WITH_DFE = [
    (S.COUNCIL_APPROVED, "officer"),
    (S.DFE_APPROVED, "dfe"),
    (S.RATIFIED, "officer"),
    (S.IN_OFFICE, "officer"),
    (S.ENDED, "officer"),
]
WITHOUT_DFE = [step for step in WITH_DFE if step[0] != S.DFE_APPROVED]
PATHS = {Seat.Role.CHAIR: WITH_DFE, Seat.Role.CHIEF_EXECUTIVE: WITH_DFE, Seat.Role.COUNCIL_NED: WITHOUT_DFE}


@pytest.fixture
def board(tenant_a):
    body = trust_board(tenant_a, chair_appointed_by_dfe=True, chief_executive_needs_dfe=True)
    SeatFactory(body=body, role=Seat.Role.COUNCIL_NED, title="Council NED", order=3)
    return body


def step_data(target: str) -> dict:
    today = timezone.localdate()
    data = {
        "decided_on_0": str(today.day),
        "decided_on_1": str(today.month),
        "decided_on_2": str(today.year),
        "decision_reference": f"Ref {target}",
    }
    if target == S.ENDED:
        data["ended_reason"] = Membership.EndReason.RESIGNATION
    return data


def snapshot(appointment: Appointment) -> tuple:
    appointment.refresh_from_db()
    return appointment.status, appointment.steps.count(), Membership.objects.filter(seat=appointment.seat).count()


@pytest.mark.parametrize("proposer", ["officer", "trust_exec"])
@pytest.mark.parametrize("role", list(PATHS))
def test_every_step_per_role_on_the_web(client, tenant_a, users, board, role, proposer):
    seat = board.seats.get(role=role)
    person = PersonFactory(council=tenant_a.council)
    create = reverse("boards:appointment-create", kwargs={"pk": board.pk})
    today = timezone.localdate()
    proposal = {
        "seat": seat.pk,
        "person": person.pk,
        "term_start_0": str(today.day),
        "term_start_1": str(today.month),
        "term_start_2": str(today.year),
    }
    for name in ("scrutiny", "dfe"):  # they read; they do not propose
        client.force_login(users[name])
        assert client.get(create).status_code == 403
        assert client.post(create, proposal).status_code == 403
    assert not Appointment.objects.filter(seat=seat).exists()
    client.force_login(users[proposer])
    assert client.get(create).status_code == 200
    response = client.post(create, proposal)
    assert response.status_code == 302, response.content.decode()
    appointment = Appointment.objects.get(seat=seat)
    assert appointment.needs_dfe_approval is (role != Seat.Role.COUNCIL_NED)
    assert (appointment.status, appointment.proposed_by) == (S.PROPOSED, users[proposer])

    path = PATHS[role]
    for index, (target, who) in enumerate(path):
        url = reverse("boards:appointment-step", kwargs={"pk": appointment.pk, "target": target})
        before = snapshot(appointment)
        for name in ROLES:
            if name == who:
                continue
            client.force_login(users[name])
            assert client.get(url).status_code == 403, (target, name)
            assert client.post(url, step_data(target)).status_code == 403, (target, name)
        if index + 1 < len(path):  # skipping the step is refused, naming the status
            skip, skipper = path[index + 1]
            client.force_login(users[skipper])
            skip_url = reverse("boards:appointment-step", kwargs={"pk": appointment.pk, "target": skip})
            assert client.get(skip_url).status_code == 403
            refused = client.post(skip_url, step_data(skip))
            assert refused.status_code == 400, (skip, refused.status_code)
            assert list(refused.context["form"].errors) == ["__all__"]  # "status" is not a form field
            assert "govuk-error-summary" in refused.content.decode()
        assert snapshot(appointment) == before
        client.force_login(users[who])
        assert client.get(url).status_code == 200
        response = client.post(url, step_data(target))
        assert response.status_code == 302, response.content.decode()
        appointment.refresh_from_db()
        assert appointment.status == target
        last = appointment.steps.order_by("-pk").first()
        assert (last.to_status, last.by, last.decided_on, last.decision_reference) == (
            target,
            users[who],
            timezone.localdate(),
            f"Ref {target}",
        )
    assert [s.to_status for s in appointment.steps.order_by("pk")] == [S.PROPOSED] + [t for t, _ in path]
    membership = appointment.membership
    assert (membership.person, membership.seat, membership.end_date, membership.ended_reason) == (
        person,
        seat,
        timezone.localdate(),
        Membership.EndReason.RESIGNATION,
    )


def test_dfe_step_not_offered_or_accepted_where_the_rules_do_not_need_it(client, tenant_a, users, board):
    from boards import services

    appointment = services.appointment_propose(
        user=tenant_a.officer,
        body=board,
        seat=board.seats.get(role=Seat.Role.COUNCIL_NED),
        person=PersonFactory(council=tenant_a.council),
        term_start=timezone.localdate(),
    )
    services.appointment_advance(
        appointment=appointment, target=S.COUNCIL_APPROVED, user=tenant_a.officer, decided_on=timezone.localdate()
    )
    url = reverse("boards:appointment-step", kwargs={"pk": appointment.pk, "target": S.DFE_APPROVED})
    client.force_login(users["dfe"])
    assert "Record DfE approval" not in client.get(appointment.get_absolute_url()).content.decode()
    assert client.get(url).status_code == 403
    refused = client.post(url, step_data(S.DFE_APPROVED))
    assert refused.status_code == 400
    assert "The DfE does not approve appointments of a Council appointed Non-Executive Director" in (
        refused.content.decode()
    )
    assert snapshot(appointment) == (S.COUNCIL_APPROVED, 2, 0)


# --- The API --------------------------------------------------------------------------------


def api(user) -> APIClient:
    client = APIClient()
    client.default_format = "json"  # the API takes JSON bodies only
    client.force_authenticate(user)
    return client


def api_step(user, appointment, target):
    body = {"decided_on": timezone.localdate().isoformat(), "decision_reference": f"Ref {target}"}
    if target == S.ENDED:
        body["ended_reason"] = Membership.EndReason.REMOVAL
    if target == S.DFE_APPROVED:
        return api(user).post(f"/api/v1/appointments/{appointment.pk}/dfe-approval/", body)
    return api(user).post(f"/api/v1/appointments/{appointment.pk}/transition/", {**body, "target": target})


@pytest.mark.parametrize("role", list(PATHS))
def test_every_step_per_role_through_the_api(tenant_a, users, board, role):
    seat = board.seats.get(role=role)
    person = PersonFactory(council=tenant_a.council)
    proposal = {"body": board.pk, "seat": seat.pk, "person": person.pk, "term_start": timezone.localdate().isoformat()}
    for name in ("scrutiny", "dfe"):
        assert api(users[name]).post("/api/v1/appointments/", proposal).status_code == 403
    created = api(users["trust_exec"]).post("/api/v1/appointments/", proposal)
    assert created.status_code == 201, created.content
    appointment = Appointment.objects.get(pk=created.json()["id"])

    path = PATHS[role]
    for index, (target, who) in enumerate(path):
        before = snapshot(appointment)
        for name in ROLES:
            if name != who:
                response = api_step(users[name], appointment, target)
                assert response.status_code == 403, (target, name, response.content)
        if target == S.DFE_APPROVED:  # the general transition endpoint is no way round the DfE's own
            generic = api(users["officer"]).post(
                f"/api/v1/appointments/{appointment.pk}/transition/",
                {"target": target, "decided_on": timezone.localdate().isoformat()},
            )
            assert generic.status_code == 403
        if index + 1 < len(path):
            skip, skipper = path[index + 1]
            refused = api_step(users[skipper], appointment, skip)
            assert refused.status_code == 400, (skip, refused.content)
            assert "status" in refused.json()["errors"]
        assert snapshot(appointment) == before
        response = api_step(users[who], appointment, target)
        assert response.status_code == 200, response.content
        assert response.json()["status"] == target
        assert response.json()["steps"][-1]["by"] == users[who].username
        assert response.json()["steps"][-1]["decision_reference"] == f"Ref {target}"
    appointment.refresh_from_db()
    assert appointment.membership.ended_reason == Membership.EndReason.REMOVAL
    assert AppointmentStep.objects.filter(appointment=appointment).count() == len(path) + 1


def test_dfe_approval_refused_through_the_api_where_not_needed(tenant_a, users, board):
    seat = board.seats.get(role=Seat.Role.COUNCIL_NED)
    created = api(users["officer"]).post(
        "/api/v1/appointments/",
        {
            "body": board.pk,
            "seat": seat.pk,
            "person": PersonFactory(council=tenant_a.council).pk,
            "term_start": timezone.localdate().isoformat(),
        },
    )
    appointment = Appointment.objects.get(pk=created.json()["id"])
    assert api_step(users["officer"], appointment, S.COUNCIL_APPROVED).status_code == 200
    refused = api_step(users["dfe"], appointment, S.DFE_APPROVED)
    assert refused.status_code == 400
    assert refused.json()["errors"]["status"] == [
        "The DfE does not approve appointments of a Council appointed Non-Executive Director on this body."
    ]
    assert snapshot(appointment) == (S.COUNCIL_APPROVED, 2, 0)
