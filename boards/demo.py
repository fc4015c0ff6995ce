"""Demo boards from the council papers. Idempotent: a rerun writes nothing.

- Sandwell: the nine Trust Board members ratified by Cabinet on 19 September 2018 (Appendix 3),
  the Children's Improvement Board (§4.15, chaired for the DfE by Paul Moffat) and the Strategic
  Partnership Board (§4.20, first met 25 July 2018).
- West Sussex: the Trust Board rules of the October 2020 Cabinet report (§2.8–2.10): 7–10 members,
  no elected members, the Chair (and Chief Executive) appointed with the DfE.
- Doncaster: the 2013 proposal: a Chair appointed by the Secretary of State, five council-appointed
  non-executive directors and five executives (one the Chief Executive/DCS).
"""

from datetime import date

from contracts.models import ReservedMatterRequest
from trustgov.accounts.models import User
from trustgov.core.demo import upsert
from trustgov.organisations.models import Council, DeliveryBody

from .models import Appointment, AppointmentStep, Body, InterestDeclaration, Membership, Person, Seat

R = Seat.Role
SANDWELL_RATIFIED = "Cabinet 19 September 2018: appointments ratified (Forward Plan SMBC14/07/2018)"

# Appendix 3: Name | Board Role | Professional Capacity, in the paper's order.
SANDWELL_BOARD = [
    ("Rt Hon", "Jacqui Smith", R.CHAIR, "Chair", "Former Cabinet Minister", "", False),
    (
        "Cllr",
        "Paul Sanders",
        R.COUNCIL_NED,
        "Council appointed Non-Executive Director (elected member)",
        "Elected member",
        "Sandwell Metropolitan Borough Council",
        True,
    ),
    (
        "",
        "Stuart Lackenby",
        R.COUNCIL_NED,
        "Council appointed Non-Executive Director",
        "Director of Prevention & Protection, SMBC",
        "Sandwell Metropolitan Borough Council",
        False,
    ),
    (
        "",
        "Stephen Rimmer",
        R.INDEPENDENT_NED,
        "Non-Executive Director (Barnardo's)",
        "Director of Impact and Learning, Barnardos",
        "Barnardo's",
        False,
    ),
    (
        "",
        "Linda Sanders",
        R.INDEPENDENT_NED,
        "Non-Executive Director (children's services)",
        "Former Director of Children's Services",
        "",
        False,
    ),
    (
        "",
        "Vineeta Manchanda",
        R.INDEPENDENT_NED,
        "Non-Executive Director (finance)",
        "Senior Finance Manager",
        "",
        False,
    ),
    (
        "",
        "Frances Craven",
        R.CHIEF_EXECUTIVE,
        "Chief Executive",
        "Chief Executive, SCT",
        "Sandwell Children's Trust",
        False,
    ),
    (
        "",
        "Dan Mortiboys",
        R.EXECUTIVE_DIRECTOR,
        "Director of Resources",
        "Director of Resources, SCT",
        "Sandwell Children's Trust",
        False,
    ),
    (
        "",
        "Steven Gauntley",
        R.EXECUTIVE_DIRECTOR,
        "Director of Quality & Performance",
        "Director of Quality & Performance, SCT",
        "Sandwell Children's Trust",
        False,
    ),
]

SANDWELL_OTHERS = [
    ("Cllr", "Simon Hackett", "Cabinet Member for Children's Services", "Sandwell Metropolitan Borough Council", True),
    ("", "Jan Britton", "Chief Executive, SMBC", "Sandwell Metropolitan Borough Council", False),
    (
        "",
        "Lesley Hagger",
        "Executive Director of Children's Services, SMBC",
        "Sandwell Metropolitan Borough Council",
        False,
    ),
    ("", "Paul Moffat", "Chief Executive, Doncaster Children's Trust", "Doncaster Children's Services Trust", False),
]


def _person(council, honorific, name, capacity, organisation, elected) -> Person:
    return upsert(
        Person,
        {"council": council, "name": name},
        {
            "honorific": honorific,
            "professional_capacity": capacity,
            "organisation": organisation,
            "is_elected_member": elected,
        },
    )


def _body(council, name, kind, delivery_body=None, **rules) -> Body:
    return upsert(Body, {"council": council, "name": name}, {"kind": kind, "delivery_body": delivery_body, **rules})


def _seats(body, seats) -> dict[str, Seat]:
    return {
        title: upsert(Seat, {"body": body, "title": title}, {"role": role, "order": order})
        for order, (role, title) in enumerate(seats, start=1)
    }


def _term(person, seat, start, **extra) -> Membership:
    return upsert(Membership, {"person": person, "seat": seat, "start_date": start}, extra)


def seed() -> None:
    _sandwell()
    _west_sussex()
    _doncaster()


def _sandwell() -> None:
    council = Council.objects.get(slug="sandwell")
    trust = DeliveryBody.objects.get(slug="sandwell-trust")
    board = _body(
        council,
        "Sandwell Children's Trust Board",
        Body.Kind.TRUST_BOARD,
        trust,
        chair_appointed_by_dfe=True,
        chief_executive_needs_dfe=True,
        elected_members_allowed=True,
        requires_chief_executive=True,
        rules_source="Trust's Articles of Association (reserved matters); Cabinet report 19 September 2018, Appendix 3",
    )
    seats = _seats(board, [(role, title) for _, _, role, title, _, _, _ in SANDWELL_BOARD])
    people = {}
    for honorific, name, _role, title, capacity, organisation, elected in SANDWELL_BOARD:
        people[name] = _person(council, honorific, name, capacity, organisation, elected)
        _term(
            people[name],
            seats[title],
            date(2018, 3, 1),
            appointed_by="Sandwell Children's Trust (shadow board), ratified by Cabinet",
            decision_reference=SANDWELL_RATIFIED,
        )
    for honorific, name, capacity, organisation, elected in SANDWELL_OTHERS:
        people[name] = _person(council, honorific, name, capacity, organisation, elected)

    _chair_reappointment(board, seats["Chair"], people["Jacqui Smith"])

    improvement = _body(
        council,
        "Sandwell Children's Improvement Board",
        Body.Kind.IMPROVEMENT_BOARD,
        rules_source="Established by the DfE; Cabinet report 19 September 2018, §4.15",
    )
    ib = _seats(
        improvement,
        [
            (R.CHAIR, "Independent Chair (for the DfE)"),
            (R.MEMBER, "Cabinet Member for Children's Services"),
            (R.MEMBER, "Council Chief Executive"),
            (R.MEMBER, "Director of Children's Services"),
            (R.MEMBER, "Director of Lifelong Learning & Education"),
        ],
    )
    first_meeting = date(2018, 4, 17)
    _term(
        people["Paul Moffat"],
        ib["Independent Chair (for the DfE)"],
        first_meeting,
        appointed_by="Department for Education",
    )
    _term(people["Simon Hackett"], ib["Cabinet Member for Children's Services"], first_meeting, appointed_by="Council")
    _term(people["Jan Britton"], ib["Council Chief Executive"], first_meeting, appointed_by="Council")
    upsert(
        InterestDeclaration,
        {"person": people["Paul Moffat"], "body": improvement, "kind": InterestDeclaration.Kind.EMPLOYMENT},
        {
            "detail": "Chief Executive of the Doncaster Children's Trust",
            "declared_on": first_meeting,
            "meeting_reference": "Inaugural meeting, 17 April 2018",
        },
    )
    # The new Executive Director of Children's Services (§4.22), proposed for the council's DCS seat.
    officer = User.objects.filter(username="sandwell-officer").first()
    if officer:
        appointment = upsert(
            Appointment,
            {"seat": ib["Director of Children's Services"], "person": people["Lesley Hagger"]},
            {
                "body": improvement,
                "term_start": date(2018, 9, 19),
                "proposed_by": officer,
                "reason": "The council is represented by its Director of Children's Services (§4.15).",
            },
        )
        upsert(
            AppointmentStep,
            {"appointment": appointment, "to_status": Appointment.Status.PROPOSED},
            {"from_status": "", "decided_on": date(2018, 9, 19), "by": officer},
        )

    partnership = _body(
        council,
        "Sandwell Strategic Partnership Board",
        Body.Kind.STRATEGIC_PARTNERSHIP_BOARD,
        trust,
        requires_chair=False,
        min_members=4,
        rules_source="Service contract: quarterly, Lead Member and Chief Executive with the Trust Chair and Chief Executive (§4.20)",
    )
    spb = _seats(
        partnership,
        [
            (R.MEMBER, "Lead Member for Children's Services"),
            (R.MEMBER, "Council Chief Executive"),
            (R.MEMBER, "Chair of the Trust Board"),
            (R.MEMBER, "Trust Chief Executive"),
        ],
    )
    first_spb = date(2018, 7, 25)
    for name, title in [
        ("Simon Hackett", "Lead Member for Children's Services"),
        ("Jan Britton", "Council Chief Executive"),
        ("Jacqui Smith", "Chair of the Trust Board"),
        ("Frances Craven", "Trust Chief Executive"),
    ]:
        _term(people[name], spb[title], first_spb, appointed_by="Service contract")


def _chair_reappointment(board: Body, seat: Seat, chair: Person) -> None:
    """The Trust Chair's reappointment (the reserved-matter request of the contracts demo): the council approved
    it on 11 November 2026 and, the direction being in force, it awaits the DfE's approval."""
    trust_exec = User.objects.filter(username="sandwell-trust-exec").first()
    officer = User.objects.filter(username="sandwell-officer").first()
    if trust_exec is None or officer is None:
        return
    appointment = upsert(
        Appointment,
        {"seat": seat, "person": chair, "term_start": date(2027, 4, 1)},
        {
            "body": board,
            "term_end": date(2030, 3, 31),
            "status": Appointment.Status.COUNCIL_APPROVED,
            "needs_dfe_approval": True,
            "proposed_by": trust_exec,
            "reason": "The Board asks that the Chair be reappointed for three years from 1 April 2027.",
        },
    )
    # One record of the decisions: the request of the contracts demo is decided through this appointment.
    request = ReservedMatterRequest.objects.filter(
        delivery_body=board.delivery_body, title="Reappoint the Trust Chair for a further term"
    ).first()
    if request is not None:
        if request.decided_through != appointment.get_absolute_url():
            request.decided_through = appointment.get_absolute_url()
            request.save(update_fields=["decided_through", "updated_at"])
        if appointment.request_id != request.pk:
            appointment.request = request
            appointment.save(update_fields=["request", "updated_at"])
    for from_status, to_status, day, by, reference in (
        ("", Appointment.Status.PROPOSED, date(2026, 10, 5), trust_exec, ""),
        (
            Appointment.Status.PROPOSED,
            Appointment.Status.COUNCIL_APPROVED,
            date(2026, 11, 11),
            officer,
            "Cabinet, 11 November 2026",
        ),
    ):
        upsert(
            AppointmentStep,
            {"appointment": appointment, "to_status": to_status},
            {"from_status": from_status, "decided_on": day, "by": by, "decision_reference": reference},
        )


def _west_sussex() -> None:
    council = Council.objects.get(slug="west-sussex")
    board = _body(
        council,
        "West Sussex Children's Trust Board",
        Body.Kind.TRUST_BOARD,
        DeliveryBody.objects.get(slug="west-sussex-trust"),
        min_members=7,
        max_members=10,
        chair_appointed_by_dfe=True,
        chief_executive_needs_dfe=True,
        elected_members_allowed=False,
        requires_chief_executive=True,
        rules_source="Cabinet 20 October 2020, §2.8–2.10: seven to ten members, no elected members, DfE appoints the Chair",
    )
    _seats(
        board,
        [
            (R.CHAIR, "Chair"),
            (R.INDEPENDENT_NED, "Non-Executive Director (1)"),
            (R.INDEPENDENT_NED, "Non-Executive Director (2)"),
            (R.INDEPENDENT_NED, "Non-Executive Director (3)"),
            (R.CHIEF_EXECUTIVE, "Chief Executive"),
            (R.EXECUTIVE_DIRECTOR, "Executive Director (1)"),
            (R.EXECUTIVE_DIRECTOR, "Executive Director (2)"),
        ],
    )
    improvement = _body(
        council,
        "West Sussex Children's Services Improvement Board",
        Body.Kind.IMPROVEMENT_BOARD,
        rules_source="Statutory Improvement Board from November 2019, chaired by the Commissioner (§1.4 ii)",
    )
    seats = _seats(
        improvement,
        [
            (R.CHAIR, "Chair (Commissioner)"),
            (R.MEMBER, "Leader of the Council"),
            (R.MEMBER, "Lead Member for Children and Young People"),
        ],
    )
    coughlan = _person(
        council, "", "John Coughlan", "Children's Services Commissioner (DfE)", "Department for Education", False
    )
    _term(coughlan, seats["Chair (Commissioner)"], date(2019, 11, 1), appointed_by="Secretary of State for Education")
    _body(
        council,
        "Corporate Parenting Panel",
        Body.Kind.CORPORATE_PARENTING_PANEL,
        requires_chair=True,
        rules_source="Reviewed as part of the good governance work (§1.4 iv)",
    )


def _doncaster() -> None:
    council = Council.objects.get(slug="doncaster")
    board = _body(
        council,
        "Doncaster Children's Services Trust Board",
        Body.Kind.TRUST_BOARD,
        DeliveryBody.objects.get(slug="doncaster-trust"),
        min_members=11,
        max_members=11,
        chair_appointed_by_dfe=True,
        elected_members_allowed=True,
        requires_chief_executive=True,
        required_council_neds=5,
        required_independent_neds=0,
        required_executives=5,
        rules_source="Council proposal 2013: a chairman appointed by the Secretary of State, five council NEDs and five executives",
    )
    _seats(
        board,
        [
            (R.CHAIR, "Chair"),
            (R.COUNCIL_NED, "The Mayor"),
            (R.COUNCIL_NED, "Nominee of the Mayor"),
            (R.COUNCIL_NED, "Local NHS representative"),
            (R.COUNCIL_NED, "Local Police representative"),
            (R.COUNCIL_NED, "Senior financial management representative"),
            (R.CHIEF_EXECUTIVE, "Chief Executive (Director of Children's Services)"),
            (R.EXECUTIVE_DIRECTOR, "Executive Director (1)"),
            (R.EXECUTIVE_DIRECTOR, "Executive Director (2)"),
            (R.EXECUTIVE_DIRECTOR, "Executive Director (3)"),
            (R.EXECUTIVE_DIRECTOR, "Executive Director (4)"),
        ],
    )
