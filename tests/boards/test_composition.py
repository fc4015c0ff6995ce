"""Each composition rule, evaluated by the pure function on a date."""

from datetime import date

import pytest

from boards.composition import composition_warnings
from boards.models import Body, Seat
from boards.selectors import body_composition, current_memberships

from .factories import BodyFactory, MembershipFactory, PersonFactory, SeatFactory

pytestmark = pytest.mark.django_db
ON = date(2025, 6, 1)


def codes(body: Body, on=ON) -> list[str]:
    return [w.code for w in body_composition(body, on)]


def seat_with_member(body, role, *, elected=False, end=None, start=date(2024, 1, 1)):
    seat = SeatFactory(body=body, role=role)
    person = PersonFactory(council=body.council, is_elected_member=elected)
    return MembershipFactory(seat=seat, person=person, start_date=start, end_date=end)


def test_a_body_meeting_every_rule_has_no_warnings():
    body = BodyFactory(min_members=2, max_members=3, requires_chief_executive=True)
    seat_with_member(body, Seat.Role.CHAIR)
    seat_with_member(body, Seat.Role.CHIEF_EXECUTIVE)
    assert codes(body) == []


def test_too_few_and_too_many_members_west_sussex_seven_to_ten():
    body = BodyFactory(min_members=7, max_members=10, requires_chair=False)
    for _ in range(6):
        seat_with_member(body, Seat.Role.INDEPENDENT_NED)
    warnings = body_composition(body, ON)
    assert [w.code for w in warnings] == ["too_few"]
    assert "6 in office, the rules need at least 7" in warnings[0].message
    for _ in range(5):
        seat_with_member(body, Seat.Role.INDEPENDENT_NED)
    assert codes(body) == ["too_many"]


def test_no_chair():
    body = BodyFactory()
    seat_with_member(body, Seat.Role.INDEPENDENT_NED)
    assert "no_chair" in codes(body)


def test_chair_whose_term_has_ended_does_not_count():
    body = BodyFactory()
    seat_with_member(body, Seat.Role.CHAIR, end=date(2025, 1, 31))
    assert {"no_chair", "vacancy"} <= set(codes(body))
    assert "no_chair" not in codes(body, on=date(2025, 1, 31))


def test_required_chief_executive_seat():
    body = BodyFactory(requires_chief_executive=True)
    seat_with_member(body, Seat.Role.CHAIR)
    assert codes(body) == ["no_chief_executive"]


def test_elected_member_forbidden_west_sussex_but_allowed_sandwell():
    forbidden = BodyFactory(elected_members_allowed=False)
    seat_with_member(forbidden, Seat.Role.CHAIR)
    m = seat_with_member(forbidden, Seat.Role.COUNCIL_NED, elected=True)
    warnings = body_composition(forbidden, ON)
    assert [w.code for w in warnings] == ["elected_member"]
    assert m.person.display_name in warnings[0].message
    allowed = BodyFactory(elected_members_allowed=True)
    seat_with_member(allowed, Seat.Role.CHAIR)
    seat_with_member(allowed, Seat.Role.COUNCIL_NED, elected=True)
    assert codes(allowed) == []


def test_doncaster_mix_chair_five_council_neds_five_executives():
    body = BodyFactory(required_council_neds=5, required_independent_neds=0, required_executives=5)
    seat_with_member(body, Seat.Role.CHAIR)
    for _ in range(3):
        seat_with_member(body, Seat.Role.COUNCIL_NED)
    seat_with_member(body, Seat.Role.INDEPENDENT_NED)
    seat_with_member(body, Seat.Role.CHIEF_EXECUTIVE)
    warnings = {w.code: w.message for w in body_composition(body, ON)}
    assert warnings["mix_council"] == "The rules need 5 council-appointed non-executive directors; 3 in office."
    assert warnings["mix_independent"] == "The rules need 0 independent non-executive directors; 1 in office."
    assert warnings["mix_executive"] == "The rules need 5 executive directors; 1 in office."
    for _ in range(2):
        seat_with_member(body, Seat.Role.COUNCIL_NED)
    for _ in range(4):
        seat_with_member(body, Seat.Role.EXECUTIVE_DIRECTOR)
    assert codes(body) == ["mix_independent"]


def test_vacancies_name_the_empty_seat():
    body = BodyFactory()
    seat_with_member(body, Seat.Role.CHAIR)
    SeatFactory(body=body, title="Director of Resources", role=Seat.Role.EXECUTIVE_DIRECTOR)
    warnings = body_composition(body, ON)
    assert [(w.code, w.message) for w in warnings] == [("vacancy", "Vacancy: Director of Resources.")]


def test_terms_ending_within_three_months_warn_but_not_later_or_renewed():
    body = BodyFactory()
    m = seat_with_member(body, Seat.Role.CHAIR, end=date(2025, 9, 1))
    assert codes(body) == ["term_ending"]
    assert "ends on 1 September 2025" in body_composition(body, ON)[0].message
    assert codes(body, on=date(2025, 5, 31)) == []  # 3 months and a day away
    MembershipFactory(seat=m.seat, person=m.person, start_date=date(2025, 9, 2), renewal_of=m)
    assert codes(body) == []


def test_pure_function_takes_what_it_is_given():
    body = BodyFactory(min_members=1)
    m = seat_with_member(body, Seat.Role.CHAIR)
    assert composition_warnings(body=body, seats=[m.seat], memberships=[m], on_date=ON) == []
    warnings = composition_warnings(body=body, seats=[m.seat], memberships=[], on_date=ON)
    assert [w.code for w in warnings] == ["too_few", "no_chair", "vacancy"]
    assert current_memberships(body, ON) == [m]


def test_demo_bodies_show_the_rules_from_the_papers():
    west_sussex = Body.objects.get(name="West Sussex Children's Trust Board")
    assert (west_sussex.min_members, west_sussex.max_members, west_sussex.elected_members_allowed) == (7, 10, False)
    assert {"too_few", "no_chair", "vacancy"} <= set(codes(west_sussex, date(2025, 1, 1)))
    doncaster = Body.objects.get(name="Doncaster Children's Services Trust Board")
    assert (doncaster.required_council_neds, doncaster.required_executives) == (5, 5)
    assert doncaster.seats.filter(role=Seat.Role.COUNCIL_NED).count() == 5
    sandwell = Body.objects.get(name="Sandwell Children's Trust Board")
    assert sandwell.elected_members_allowed
    assert codes(sandwell, date(2018, 9, 19)) == []
