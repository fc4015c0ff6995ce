"""People, terms of office and the appointment workflow: each step per role, and bad input."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from boards import services
from boards.models import Appointment, AppointmentStep, Body, Membership, Person, Seat
from boards.selectors import terms_ending_between

from .factories import BodyFactory, MembershipFactory, PersonFactory, SeatFactory, trust_board

pytestmark = pytest.mark.django_db
S = Appointment.Status
TODAY = date(2025, 6, 2)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(date(2025, 6, 2), tick=False):
        yield


def errors(exc_info) -> dict:
    return exc_info.value.message_dict


# --- People ---------------------------------------------------------------------------------


def test_person_created_by_officer_and_trust_exec(tenant_a):
    for user in (tenant_a.officer, tenant_a.trust_exec):
        person = services.person_create(
            user=user, council=tenant_a.council, name=f"Ann Other {user.pk}", professional_capacity="Solicitor"
        )
        assert person.council == tenant_a.council


def test_duplicate_person_is_a_clear_error_and_nothing_saved(tenant_a):
    services.person_create(user=tenant_a.officer, council=tenant_a.council, name="Jo Bloggs", professional_capacity="X")
    with pytest.raises(ValidationError) as exc:
        services.person_create(
            user=tenant_a.trust_exec, council=tenant_a.council, name="  jo   BLOGGS ", professional_capacity="Y"
        )
    assert errors(exc) == {"name": [f"Jo Bloggs is already in {tenant_a.council.name}'s register of people."]}
    assert Person.objects.filter(council=tenant_a.council).count() == 1


def test_person_for_another_council_or_by_scrutiny_refused(tenant_a, tenant_b):
    with pytest.raises(ValidationError, match="another council"):
        services.person_create(user=tenant_a.officer, council=tenant_b.council, name="A", professional_capacity="B")
    with pytest.raises(ValidationError, match="Only a council officer or trust executive"):
        services.person_create(user=tenant_a.scrutiny, council=tenant_a.council, name="A", professional_capacity="B")


# --- Bodies, seats and terms ----------------------------------------------------------------


def test_body_created_by_officer_with_rules(tenant_a, tenant_b):
    body = services.body_create(
        user=tenant_a.officer,
        council=tenant_a.council,
        delivery_body=tenant_a.body,
        name="Alpha Trust Board",
        kind="trust_board",
        min_members=7,
        max_members=10,
        elected_members_allowed=False,
    )
    assert body.size_rule == "7 to 10"
    with pytest.raises(ValidationError) as exc:
        services.body_create(
            user=tenant_a.officer, council=tenant_a.council, name="X", kind="trust_board", min_members=5, max_members=3
        )
    assert "max_members" in errors(exc)
    with pytest.raises(ValidationError) as exc:
        services.body_create(
            user=tenant_a.officer, council=tenant_a.council, delivery_body=tenant_b.body, name="Y", kind="trust_board"
        )
    assert "delivery_body" in errors(exc)
    with pytest.raises(ValidationError, match="Only a council officer"):
        services.body_create(user=tenant_a.trust_exec, council=tenant_a.council, name="Z", kind="trust_board")


def test_second_chair_seat_refused(tenant_a):
    body = trust_board(tenant_a)
    with pytest.raises(ValidationError) as exc:
        services.seat_create(user=tenant_a.officer, body=body, role=Seat.Role.CHAIR, title="Co-chair")
    assert "role" in errors(exc)


def test_term_ending_before_it_starts_refused(tenant_a):
    body = trust_board(tenant_a)
    person = PersonFactory(council=tenant_a.council)
    with pytest.raises(ValidationError) as exc:
        services.membership_create(
            user=tenant_a.officer,
            person=person,
            seat=body.seats.get(role="chair"),
            start_date=date(2025, 1, 1),
            end_date=date(2024, 12, 31),
        )
    assert errors(exc) == {"end_date": ["The term must end on or after it starts (1 January 2025)."]}
    assert not Membership.objects.filter(person=person).exists()


def test_overlapping_tenures_in_one_seat_refused(tenant_a):
    # An improvement board: its terms are recorded directly (a trust board's are reserved matters).
    body = trust_board(tenant_a, kind=Body.Kind.IMPROVEMENT_BOARD)
    chair = body.seats.get(role="chair")
    first = PersonFactory(council=tenant_a.council, name="First Chair")
    services.membership_create(
        user=tenant_a.officer, person=first, seat=chair, start_date=date(2022, 1, 1), end_date=date(2025, 12, 31)
    )
    with pytest.raises(ValidationError) as exc:
        services.membership_create(
            user=tenant_a.officer,
            person=PersonFactory(council=tenant_a.council),
            seat=chair,
            start_date=date(2025, 6, 1),
        )
    assert errors(exc)["start_date"] == [
        "First Chair holds the seat 'Chair' from 1 January 2022 to 31 December 2025; terms in one seat cannot overlap."
    ]
    # The day after is fine.
    services.membership_create(
        user=tenant_a.officer, person=PersonFactory(council=tenant_a.council), seat=chair, start_date=date(2026, 1, 1)
    )


def test_person_from_another_council_cannot_take_a_seat(tenant_a, tenant_b):
    body = trust_board(tenant_a)
    with pytest.raises(ValidationError) as exc:
        services.membership_create(
            user=tenant_a.officer,
            person=PersonFactory(council=tenant_b.council),
            seat=body.seats.get(role="chair"),
            start_date=date(2025, 1, 1),
        )
    assert "person" in errors(exc)


def test_renewal_creates_the_next_term_and_clears_terms_ending(tenant_a):
    # An improvement board: its terms are recorded directly (a trust board's are reserved matters).
    body = trust_board(tenant_a, kind=Body.Kind.IMPROVEMENT_BOARD)
    m = MembershipFactory(seat=body.seats.get(role="chair"), start_date=date(2022, 8, 1), end_date=date(2025, 7, 31))
    assert list(terms_ending_between(date(2025, 6, 1), date(2025, 8, 31))) == [m]
    assert list(terms_ending_between(date(2025, 6, 1), date(2025, 8, 31), user=tenant_a.officer)) == [m]
    with pytest.raises(ValidationError) as exc:
        services.membership_renew(user=tenant_a.officer, membership=m, end_date=date(2025, 7, 1))
    assert "end_date" in errors(exc)
    renewed = services.membership_renew(user=tenant_a.officer, membership=m, end_date=date(2028, 7, 31))
    assert (renewed.start_date, renewed.renewal_of) == (date(2025, 8, 1), m)
    assert list(terms_ending_between(date(2025, 6, 1), date(2025, 8, 31))) == []
    with pytest.raises(ValidationError, match="already been renewed"):
        services.membership_renew(user=tenant_a.officer, membership=m, end_date=None)


def test_terms_ending_between_is_scoped_when_given_a_user(tenant_a, tenant_b):
    m = MembershipFactory(seat__body=trust_board(tenant_b), end_date=date(2025, 7, 1))
    assert m in terms_ending_between(date(2025, 6, 1), date(2025, 8, 1))
    assert m not in terms_ending_between(date(2025, 6, 1), date(2025, 8, 1), user=tenant_a.officer)


# --- The appointment workflow ---------------------------------------------------------------


def propose(tenant, body, *, role="chair", user=None, **kw) -> Appointment:
    person = kw.pop("person", None) or PersonFactory(council=tenant.council)
    return services.appointment_propose(
        user=user or tenant.trust_exec,
        body=body,
        seat=body.seats.get(role=role),
        person=person,
        term_start=kw.pop("term_start", date(2025, 7, 1)),
        term_end=kw.pop("term_end", date(2028, 6, 30)),
        **kw,
    )


def step(appointment, target, user, **kw):
    kw.setdefault("decided_on", TODAY)
    return services.appointment_advance(appointment=appointment, target=target, user=user, **kw)


def test_chair_appointment_goes_through_every_step_with_the_right_roles(tenant_a, dfe_user):
    body = trust_board(tenant_a, chair_appointed_by_dfe=True)
    a = propose(tenant_a, body)
    assert a.needs_dfe_approval and a.status == S.PROPOSED
    step(a, S.COUNCIL_APPROVED, tenant_a.officer, decision_reference="Officer decision OD/1")
    step(
        a,
        S.DFE_APPROVED,
        dfe_user,
        decision_reference="DfE letter 2 June 2025",
        decision_url="https://example.gov.uk/l",
    )
    step(a, S.RATIFIED, tenant_a.officer, decision_reference="Cabinet minute 42")
    a = step(a, S.IN_OFFICE, tenant_a.officer)
    m = a.membership
    assert (m.person, m.seat.role, m.start_date, m.end_date) == (a.person, "chair", date(2025, 7, 1), date(2028, 6, 30))
    assert m.decision_reference == "Cabinet minute 42"
    log = list(a.steps.values_list("to_status", "by__username", "decision_reference"))
    assert log == [
        (S.PROPOSED, tenant_a.trust_exec.username, ""),
        (S.COUNCIL_APPROVED, tenant_a.officer.username, "Officer decision OD/1"),
        (S.DFE_APPROVED, dfe_user.username, "DfE letter 2 June 2025"),
        (S.RATIFIED, tenant_a.officer.username, "Cabinet minute 42"),
        (S.IN_OFFICE, tenant_a.officer.username, ""),
    ]
    with pytest.raises(ValidationError) as exc:  # cannot end before the term started
        step(a, S.ENDED, tenant_a.officer, ended_reason=Membership.EndReason.RESIGNATION)
    assert "decided_on" in errors(exc)
    with time_machine.travel(date(2026, 1, 5), tick=False):
        step(a, S.ENDED, tenant_a.officer, decided_on=date(2026, 1, 5), ended_reason=Membership.EndReason.RESIGNATION)
    m.refresh_from_db()
    assert (m.end_date, m.ended_reason) == (date(2026, 1, 5), "resignation")


def test_ned_appointment_skips_dfe_and_dfe_step_is_refused(tenant_a, dfe_user):
    body = trust_board(tenant_a, chair_appointed_by_dfe=True)
    SeatFactory(body=body, role=Seat.Role.COUNCIL_NED, title="Council NED")
    a = propose(tenant_a, body, role="council_ned", user=tenant_a.officer)
    assert not a.needs_dfe_approval
    step(a, S.COUNCIL_APPROVED, tenant_a.officer)
    with pytest.raises(ValidationError, match="The DfE does not approve"):
        step(a, S.DFE_APPROVED, dfe_user)
    step(a, S.RATIFIED, tenant_a.officer, decision_reference="Cabinet minute 7")
    assert Appointment.objects.get(pk=a.pk).status == S.RATIFIED


def test_approval_out_of_order_is_refused_and_nothing_saved(tenant_a, dfe_user):
    body = trust_board(tenant_a, chair_appointed_by_dfe=True)
    a = propose(tenant_a, body)
    with pytest.raises(ValidationError) as exc:
        step(a, S.RATIFIED, tenant_a.officer, decision_reference="Cabinet")
    assert "cannot move from 'Proposed' to 'Ratified by Cabinet'" in errors(exc)["status"][0]
    with pytest.raises(ValidationError, match="cannot move from 'Proposed' to 'Approved by the DfE'"):
        step(a, S.DFE_APPROVED, dfe_user)
    step(a, S.COUNCIL_APPROVED, tenant_a.officer)
    with pytest.raises(ValidationError, match="The DfE must approve the appointment of a Chair before Cabinet"):
        step(a, S.RATIFIED, tenant_a.officer, decision_reference="Cabinet")
    with pytest.raises(ValidationError, match="cannot move from 'Approved by the council' to 'In office'"):
        step(a, S.IN_OFFICE, tenant_a.officer)
    a.refresh_from_db()
    assert a.status == S.COUNCIL_APPROVED and a.steps.count() == 2 and a.membership is None


@pytest.mark.parametrize(
    ("status", "target", "wrong_roles"),
    [
        (S.PROPOSED, S.COUNCIL_APPROVED, ["trust_exec", "scrutiny", "dfe"]),
        (S.COUNCIL_APPROVED, S.DFE_APPROVED, ["trust_exec", "scrutiny", "officer"]),
        (S.DFE_APPROVED, S.RATIFIED, ["trust_exec", "scrutiny", "dfe"]),
        (S.RATIFIED, S.IN_OFFICE, ["trust_exec", "scrutiny", "dfe"]),
    ],
)
def test_each_step_refuses_the_wrong_role(tenant_a, dfe_user, status, target, wrong_roles):
    body = trust_board(tenant_a, chair_appointed_by_dfe=True)
    a = propose(tenant_a, body)
    path = [
        (S.COUNCIL_APPROVED, tenant_a.officer, {}),
        (S.DFE_APPROVED, dfe_user, {}),
        (S.RATIFIED, tenant_a.officer, {"decision_reference": "Cabinet 1"}),
    ]
    for to, user, kw in path:
        if a.status == status:
            break
        a = step(a, to, user, **kw)
    users = {
        "trust_exec": tenant_a.trust_exec,
        "scrutiny": tenant_a.scrutiny,
        "officer": tenant_a.officer,
        "dfe": dfe_user,
    }
    for role in wrong_roles:
        with pytest.raises(ValidationError, match="Only a"):
            step(a, target, users[role], decision_reference="x")
    assert Appointment.objects.get(pk=a.pk).status == status


def test_ratification_needs_a_decision_reference_and_dates_in_order(tenant_a, dfe_user):
    body = trust_board(tenant_a)
    a = propose(tenant_a, body)
    with pytest.raises(ValidationError) as exc:
        step(a, S.COUNCIL_APPROVED, tenant_a.officer, decided_on=date(2025, 6, 3))
    assert errors(exc) == {"decided_on": ["The date of the decision cannot be in the future."]}
    step(a, S.COUNCIL_APPROVED, tenant_a.officer, decided_on=date(2025, 6, 2))
    with pytest.raises(ValidationError) as exc:
        step(a, S.RATIFIED, tenant_a.officer, decision_reference="   ")
    assert errors(exc) == {"decision_reference": ["Enter the Cabinet decision reference."]}
    with pytest.raises(ValidationError, match="before the previous step"):
        step(a, S.RATIFIED, tenant_a.officer, decision_reference="C1", decided_on=date(2025, 6, 1))


def test_wrong_body_refused(tenant_a, tenant_b):
    body = trust_board(tenant_a)
    council_body = BodyFactory(council=tenant_a.council, kind="scrutiny_committee")
    SeatFactory(body=council_body, role=Seat.Role.CHAIR, title="Chair")
    other = trust_board(tenant_b)
    with pytest.raises(ValidationError) as exc:
        propose(tenant_a, council_body)  # a trust exec proposing to a council committee
    assert "only the council proposes" in errors(exc)["body"][0]
    with pytest.raises(ValidationError) as exc:
        propose(tenant_a, other, user=tenant_a.officer)
    assert errors(exc) == {"body": ["You cannot propose appointments to that body."]}
    with pytest.raises(ValidationError) as exc:
        services.appointment_propose(
            user=tenant_a.officer,
            body=body,
            seat=council_body.seats.get(),
            person=PersonFactory(council=tenant_a.council),
            term_start=date(2025, 7, 1),
        )
    assert "belongs to" in errors(exc)["seat"][0]
    with pytest.raises(ValidationError, match="Only a council officer or trust executive"):
        propose(tenant_a, body, user=tenant_a.scrutiny)
    assert not Appointment.objects.filter(body__in=[body, council_body, other]).exists()


def test_elected_member_refused_where_the_rules_forbid_them(tenant_a):
    body = trust_board(tenant_a, elected_members_allowed=False)
    cllr = PersonFactory(council=tenant_a.council, is_elected_member=True, name="Cllr Test")
    with pytest.raises(ValidationError) as exc:
        propose(tenant_a, body, person=cllr)
    assert "elected members may not sit" in errors(exc)["person"][0]


def test_bad_terms_and_a_second_proposal_for_the_seat_refused(tenant_a):
    body = trust_board(tenant_a)
    with pytest.raises(ValidationError) as exc:
        propose(tenant_a, body, term_start=date(2025, 7, 1), term_end=date(2025, 6, 1))
    assert "term_end" in errors(exc)
    propose(tenant_a, body)
    with pytest.raises(ValidationError) as exc:
        propose(tenant_a, body)
    assert "already in progress" in errors(exc)["seat"][0]


def test_withdrawal_and_rejection_need_a_reason(tenant_a, dfe_user):
    body = trust_board(tenant_a, chair_appointed_by_dfe=True)
    a = propose(tenant_a, body)
    with pytest.raises(ValidationError) as exc:
        step(a, S.WITHDRAWN, tenant_a.trust_exec)
    assert "note" in errors(exc)
    step(a, S.WITHDRAWN, tenant_a.trust_exec, note="Candidate withdrew")
    b = propose(tenant_a, body)
    step(b, S.COUNCIL_APPROVED, tenant_a.officer)
    step(b, S.REJECTED, dfe_user, note="DfE did not approve")
    assert AppointmentStep.objects.filter(appointment=b, to_status=S.REJECTED, by=dfe_user).exists()


def test_taking_office_when_the_seat_is_held_is_refused(tenant_a):
    body = trust_board(tenant_a)
    a = propose(tenant_a, body)
    step(a, S.COUNCIL_APPROVED, tenant_a.officer)
    step(a, S.RATIFIED, tenant_a.officer, decision_reference="C")
    # A fixed term recorded meanwhile is a clash (an open-ended one would be succeeded: test_reserved_appointments).
    MembershipFactory(seat=body.seats.get(role="chair"), start_date=date(2025, 1, 1), end_date=date(2027, 12, 31))
    with pytest.raises(ValidationError) as exc:
        step(a, S.IN_OFFICE, tenant_a.officer)
    assert "cannot overlap" in errors(exc)["decided_on"][0]
    assert Appointment.objects.get(pk=a.pk).status == S.RATIFIED


# --- Interests ------------------------------------------------------------------------------


def test_interests_declared_reviewed_and_overdue_after_twelve_months(tenant_a):
    from boards.selectors import interest_review_overdue

    body = trust_board(tenant_a)
    person = PersonFactory(council=tenant_a.council)
    assert interest_review_overdue(person, TODAY)
    d = services.interest_declare(
        user=tenant_a.trust_exec,
        person=person,
        body=body,
        kind="directorship",
        detail="Director, X Ltd",
        declared_on=date(2024, 5, 1),
    )
    assert interest_review_overdue(person, TODAY)
    assert not interest_review_overdue(person, date(2025, 5, 1))
    with pytest.raises(ValidationError) as exc:
        services.interest_review(user=tenant_a.officer, declaration=d, reviewed_on=date(2024, 4, 1))
    assert "reviewed_on" in errors(exc)
    services.interest_review(user=tenant_a.officer, declaration=d, reviewed_on=date(2025, 5, 1))
    assert not interest_review_overdue(person, TODAY)
    with pytest.raises(ValidationError) as exc:
        services.interest_declare(
            user=tenant_a.officer, person=person, body=body, kind="gift", detail="", declared_on=TODAY
        )
    assert errors(exc) == {"detail": ["Describe the interest."]}
