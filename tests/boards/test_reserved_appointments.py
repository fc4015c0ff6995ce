"""Appointments to a trust's board are reserved matters: one record of the decisions, no way round the workflow."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from boards import services
from boards.models import Appointment, Body, Membership, Seat
from contracts import services as contract_services
from contracts.models import ReservedMatter, ReservedMatterRequest
from tests.contracts.factories import RequestFactory, ReservedMatterFactory
from trustgov.accounts.models import User

from .factories import PersonFactory, SeatFactory, trust_board

pytestmark = pytest.mark.django_db
S = Appointment.Status
R = ReservedMatterRequest.Status
TODAY = date(2025, 6, 2)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(date(2025, 6, 2), tick=False):
        yield


@pytest.fixture
def board(tenant_a) -> Body:
    """A trust board whose Articles reserve appointments: the Chair's with DfE consent, other members' without."""
    for title, kind, dfe in (
        ("Appointment of board members", ReservedMatter.AppointmentsTo.BOARD_MEMBER, False),
        ("Appointment of the Chair", ReservedMatter.AppointmentsTo.CHAIR, True),
    ):
        ReservedMatterFactory(delivery_body=tenant_a.body, title=title, appointments_to=kind, requires_dfe_consent=dfe)
    body = trust_board(tenant_a, chair_appointed_by_dfe=True)
    SeatFactory(body=body, role=Seat.Role.COUNCIL_NED, title="Council NED", order=3)
    return body


def propose(tenant, body, *, role="chair", user=None, **kw) -> Appointment:
    return services.appointment_propose(
        user=user or tenant.trust_exec,
        body=body,
        seat=body.seats.get(role=role),
        person=kw.pop("person", None) or PersonFactory(council=tenant.council),
        term_start=date(2025, 7, 1),
        term_end=date(2028, 6, 30),
        **kw,
    )


def step(appointment, target, user, **kw):
    kw.setdefault("decided_on", TODAY)
    return services.appointment_advance(appointment=appointment, target=target, user=user, **kw)


def errors(exc_info) -> dict:
    return exc_info.value.message_dict


def test_proposing_raises_the_request_for_the_seats_own_matter(tenant_a, board):
    a = propose(tenant_a, board, person=PersonFactory(council=tenant_a.council, name="Dana Example"))
    req = a.request
    assert req is not None and req.status == R.RAISED
    assert req.reserved_matter.title == "Appointment of the Chair"
    assert req.title == "Appointment of Dana Example as Chair"
    assert (req.delivery_body, req.raised_by, req.decision_due) == (
        tenant_a.body,
        tenant_a.trust_exec,
        date(2025, 7, 1),
    )
    assert req.needs_dfe_consent is True
    assert req.decided_through == a.get_absolute_url()
    ned = propose(tenant_a, board, role="council_ned", person=PersonFactory(council=tenant_a.council))
    assert ned.request.reserved_matter.title == "Appointment of board members"
    assert ned.request.needs_dfe_consent is False


def test_each_step_records_the_requests_decision_once(tenant_a, board, dfe_user):
    a = propose(tenant_a, board)
    step(a, S.COUNCIL_APPROVED, tenant_a.officer, decision_reference="Cabinet, 11 June 2025, minute 12")
    req = ReservedMatterRequest.objects.get(pk=a.request_id)
    assert (req.status, req.council_decision, req.council_decided_on) == (R.AWAITING_DFE, "approved", TODAY)
    assert req.decision_reference == "Cabinet, 11 June 2025, minute 12"
    step(a, S.DFE_APPROVED, dfe_user, decision_reference="DfE letter 2 June 2025")
    req.refresh_from_db()
    assert (req.status, req.dfe_decision, req.dfe_decided_by, req.dfe_reference) == (
        R.APPROVED,
        "approved",
        dfe_user,
        "DfE letter 2 June 2025",
    )
    step(a, S.RATIFIED, tenant_a.officer, decision_reference="Cabinet minute 42")
    a = step(a, S.IN_OFFICE, tenant_a.officer)
    assert a.membership.decision_reference == "Cabinet minute 42"


def test_council_approval_of_a_reserved_appointment_needs_its_decision_record(tenant_a, board):
    a = propose(tenant_a, board)
    with pytest.raises(ValidationError) as exc:
        step(a, S.COUNCIL_APPROVED, tenant_a.officer)
    assert list(errors(exc)) == ["decision_reference"]
    a.refresh_from_db()
    assert a.status == S.PROPOSED and a.steps.count() == 1
    assert ReservedMatterRequest.objects.get(pk=a.request_id).status == R.RAISED


def test_the_request_cannot_be_decided_around_its_appointment(tenant_a, board, dfe_user):
    a = propose(tenant_a, board)
    with pytest.raises(ValidationError) as exc:
        contract_services.request_record_council_decision(
            request=a.request,
            user=tenant_a.officer,
            decision="approved",
            decided_on=TODAY,
            decision_reference="Cabinet minute 1",
        )
    assert "is decided through its appointment" in errors(exc)["decision"][0]
    with pytest.raises(ValidationError) as exc:
        contract_services.request_withdraw(request=a.request, user=tenant_a.trust_exec, reason="No longer needed")
    assert "reason" in errors(exc)
    assert ReservedMatterRequest.objects.get(pk=a.request_id).status == R.RAISED


def test_the_request_page_points_to_the_appointment_and_offers_no_decision(client, tenant_a, board):
    a = propose(tenant_a, board)
    client.force_login(tenant_a.officer)
    page = client.get(a.request.get_absolute_url()).content.decode()
    assert 'data-testid="decided-through"' in page and a.get_absolute_url() in page
    assert reverse("contracts:request-decide", args=[a.request_id]) not in page
    response = client.post(
        reverse("contracts:request-decide", args=[a.request_id]),
        {
            "decision": "approved",
            "decided_on_0": "2",
            "decided_on_1": "6",
            "decided_on_2": "2025",
            "decision_reference": "Cabinet minute 1",
            "decided_by": "cabinet",
        },
    )
    assert response.status_code == 400
    assert ReservedMatterRequest.objects.get(pk=a.request_id).status == R.RAISED
    detail = client.get(a.get_absolute_url()).content.decode()
    assert 'data-testid="reserved-request"' in detail and "Appointment of the Chair" in detail


def test_an_appointment_takes_over_the_request_the_trust_raised_before_it_had_a_candidate(tenant_a, board, tenant_b):
    matter = ReservedMatter.objects.get(delivery_body=tenant_a.body, appointments_to="board_member")
    earlier = RequestFactory(
        reserved_matter=matter, title="Appoint a NED with finance experience", raised_by=tenant_a.trust_exec
    )
    before = ReservedMatterRequest.objects.count()
    a = propose(tenant_a, board, role="council_ned", request=earlier)
    assert a.request == earlier and ReservedMatterRequest.objects.count() == before
    earlier.refresh_from_db()
    assert earlier.decided_through == a.get_absolute_url()
    assert "Decided through" in earlier.history.first().history_change_reason
    # Taken over once only; another trust's request is not this board's.
    with pytest.raises(ValidationError) as exc:
        propose(tenant_a, board, role="chief_executive", request=earlier)
    assert "request" in errors(exc)
    other = RequestFactory(
        reserved_matter=ReservedMatterFactory(delivery_body=tenant_b.body, appointments_to="chair"),
        raised_by=tenant_b.trust_exec,
    )
    with pytest.raises(ValidationError) as exc:
        propose(tenant_a, board, role="chief_executive", request=other)
    assert "request" in errors(exc)
    assert Appointment.objects.filter(seat__role="chief_executive").count() == 0


def test_rejection_and_withdrawal_decide_the_request_too(tenant_a, board):
    rejected = propose(tenant_a, board)
    step(rejected, S.REJECTED, tenant_a.officer, note="Not independent of the council")
    req = ReservedMatterRequest.objects.get(pk=rejected.request_id)
    assert (req.status, req.council_decision) == (R.REFUSED, "refused")
    assert "Not independent of the council" in req.decision_reference
    withdrawn = propose(tenant_a, board)
    step(withdrawn, S.WITHDRAWN, tenant_a.trust_exec, note="The candidate withdrew")
    req = ReservedMatterRequest.objects.get(pk=withdrawn.request_id)
    assert (req.status, req.withdrawn_reason) == (R.WITHDRAWN, "The candidate withdrew")


def test_once_the_councils_approval_is_final_the_proposal_cannot_be_dropped(tenant_a, board):
    a = propose(tenant_a, board, role="council_ned")
    a = step(a, S.COUNCIL_APPROVED, tenant_a.officer, decision_reference="Delegated decision DD/7")
    assert ReservedMatterRequest.objects.get(pk=a.request_id).status == R.APPROVED
    from boards.workflows import APPOINTMENT_WORKFLOW

    offered = APPOINTMENT_WORKFLOW.allowed_targets(a.status, user=tenant_a.officer, obj=a)
    assert S.RATIFIED in offered and S.WITHDRAWN not in offered and S.REJECTED not in offered
    with pytest.raises(ValidationError) as exc:
        step(a, S.WITHDRAWN, tenant_a.trust_exec, note="Changed our mind")
    assert "is final" in str(exc.value)


def test_a_term_cannot_be_recorded_around_the_workflow(tenant_a, board):
    chair = board.seats.get(role="chair")
    person = PersonFactory(council=tenant_a.council)
    with pytest.raises(ValidationError) as exc:
        services.membership_create(user=tenant_a.officer, person=person, seat=chair, start_date=TODAY)
    assert "reserved matters" in errors(exc)["start_date"][0]
    assert not Membership.objects.filter(seat=chair).exists()
    # A member in office before the board came to TrustGov is recorded as a fact; renewing is a reappointment.
    earlier = services.membership_create(
        user=tenant_a.officer, person=person, seat=chair, start_date=date(2022, 7, 1), end_date=date(2025, 6, 30)
    )
    with pytest.raises(ValidationError) as exc:
        services.membership_renew(user=tenant_a.officer, membership=earlier, end_date=date(2028, 6, 30))
    assert "propose" in errors(exc)["end_date"][0]
    assert Membership.objects.filter(seat=chair).count() == 1


def test_the_board_page_shows_the_ratification_and_offers_reappointment_not_renewal(client, tenant_a, board):
    chair = board.seats.get(role="chair")
    m = services.membership_create(
        user=tenant_a.officer,
        person=PersonFactory(council=tenant_a.council, name="Sam Chair"),
        seat=chair,
        start_date=date(2022, 7, 1),
        end_date=date(2025, 12, 31),
        appointed_by="Council (Cabinet)",
        decision_reference="Cabinet 19 September 2022",
    )
    client.force_login(tenant_a.officer)
    page = client.get(board.get_absolute_url()).content.decode()
    assert "Cabinet 19 September 2022" in page
    assert reverse("boards:membership-renew", args=[m.pk]) not in page
    propose_url = f"{reverse('boards:appointment-create', args=[board.pk])}?seat={chair.pk}&amp;person={m.person_id}"
    assert propose_url in page
    form = client.get(propose_url.replace("&amp;", "&")).context["form"]
    assert (form.initial["seat"], form.initial["person"]) == (chair, m.person)


def test_the_api_proposes_with_the_trusts_open_request(tenant_a, board):
    matter = ReservedMatter.objects.get(delivery_body=tenant_a.body, appointments_to="board_member")
    earlier = RequestFactory(reserved_matter=matter, raised_by=tenant_a.trust_exec)
    client = APIClient()
    client.force_authenticate(tenant_a.trust_exec)
    payload = {
        "body": board.pk,
        "seat": board.seats.get(role="council_ned").pk,
        "person": PersonFactory(council=tenant_a.council).pk,
        "term_start": "2025-07-01",
        "request": earlier.pk,
    }
    response = client.post("/api/v1/appointments/", payload, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["request"] == earlier.pk
    earlier.refresh_from_db()
    assert earlier.decided_through == f"/boards/appointments/{response.json()['id']}/"


def test_the_demo_chairs_reappointment_and_its_request_are_one_record(dfe_user):
    request = ReservedMatterRequest.objects.get(title="Reappoint the Trust Chair for a further term")
    appointment = request.appointment
    assert appointment.person.name == "Jacqui Smith" and appointment.status == S.COUNCIL_APPROVED
    assert request.decided_through == appointment.get_absolute_url()
    assert (request.status, request.decision_reference) == (R.AWAITING_DFE, "Cabinet, 11 November 2026")
    with time_machine.travel(date(2026, 12, 3), tick=False):
        step(appointment, S.DFE_APPROVED, dfe_user, decided_on=date(2026, 12, 3), decision_reference="DfE letter")
    request.refresh_from_db()
    assert (request.status, request.dfe_decision) == (R.APPROVED, "approved")


def test_a_successor_is_proposed_while_the_term_runs_and_taking_office_ends_it(tenant_a, board, dfe_user):
    chair = board.seats.get(role="chair")
    holder = services.membership_create(
        user=tenant_a.officer, person=PersonFactory(council=tenant_a.council), seat=chair, start_date=date(2020, 1, 1)
    )
    a = propose(tenant_a, board, person=holder.person)  # the holder, reappointed from 1 July 2025
    step(a, S.COUNCIL_APPROVED, tenant_a.officer, decision_reference="Cabinet minute 7")
    step(a, S.DFE_APPROVED, dfe_user)
    step(a, S.RATIFIED, tenant_a.officer, decision_reference="Cabinet minute 9")
    a = step(a, S.IN_OFFICE, tenant_a.officer)
    holder.refresh_from_db()
    assert (holder.end_date, holder.ended_reason) == (date(2025, 6, 30), Membership.EndReason.TERM_END)
    assert "Succeeded by" in holder.history.first().history_change_reason
    assert (a.membership.start_date, a.membership.renewal_of) == (date(2025, 7, 1), holder)
    # A term that starts later than the proposed one is still a clash, never ended by a proposal.
    later = services.membership_create(
        user=tenant_a.officer,
        person=PersonFactory(council=tenant_a.council),
        seat=board.seats.get(role="council_ned"),
        start_date=date(2024, 1, 1),
    )
    with pytest.raises(ValidationError) as exc:
        services.appointment_propose(
            user=tenant_a.officer,
            body=board,
            seat=later.seat,
            person=PersonFactory(council=tenant_a.council),
            term_start=date(2023, 1, 1),
        )
    assert "cannot overlap" in errors(exc)["term_start"][0]


def test_the_trust_sees_propose_reappointment_for_an_open_ended_member(client, tenant_a, board):
    chair = board.seats.get(role="chair")
    m = services.membership_create(
        user=tenant_a.officer, person=PersonFactory(council=tenant_a.council), seat=chair, start_date=date(2020, 1, 1)
    )
    client.force_login(tenant_a.trust_exec)
    page = client.get(board.get_absolute_url()).content.decode()
    assert f"?seat={chair.pk}&amp;person={m.person_id}" in page and "Propose reappointment" in page
    assert reverse("boards:membership-end", args=[m.pk]) not in page


def test_the_demo_chairs_reappointment_runs_to_taking_office(dfe_user):
    request = ReservedMatterRequest.objects.get(title="Reappoint the Trust Chair for a further term")
    appointment, officer = request.appointment, User.objects.get(username="sandwell-officer")
    current = Membership.objects.get(seat=appointment.seat, person=appointment.person, end_date__isnull=True)
    with time_machine.travel(date(2027, 4, 1), tick=False):
        step(appointment, S.DFE_APPROVED, dfe_user, decided_on=date(2026, 12, 3), decision_reference="DfE letter")
        step(appointment, S.RATIFIED, officer, decided_on=date(2027, 1, 20), decision_reference="Cabinet 20 Jan 2027")
        appointment = step(appointment, S.IN_OFFICE, officer, decided_on=date(2027, 4, 1))
    current.refresh_from_db()
    assert current.end_date == date(2027, 3, 31)
    assert (appointment.membership.start_date, appointment.membership.end_date) == (date(2027, 4, 1), date(2030, 3, 31))
    assert appointment.membership.decision_reference == "Cabinet 20 Jan 2027"
