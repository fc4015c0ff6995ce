from boards.models import Appointment, Body, InterestDeclaration, Membership, Person

from ..matrix import DFE, SCRUTINY, TRUST, Route, everyone_but

OFFICER_ONLY = everyone_but(**{TRUST: 403, SCRUTINY: 403, DFE: 403})
OFFICER_AND_TRUST = everyone_but(**{SCRUTINY: 403, DFE: 403})


def board():
    return {"pk": Body.objects.get(name="Sandwell Children's Trust Board").pk}


def person():
    return {"pk": Person.objects.get(council__slug="sandwell", name="Paul Moffat").pk}


def sandwell_term():
    return {"pk": Membership.objects.filter(seat__body__council__slug="sandwell").order_by("pk").first().pk}


def interest():
    return {"pk": InterestDeclaration.objects.get(person__name="Paul Moffat").pk}


def proposal():
    appointment = Appointment.objects.get(person__name="Lesley Hagger")
    return {"pk": appointment.pk}


ROUTES = [
    Route("boards:body-list", everyone_but(), browser_role=SCRUTINY),
    Route("boards:body-create", OFFICER_ONLY),
    Route("boards:body-detail", everyone_but(), kwargs=board),
    Route("boards:seat-create", OFFICER_ONLY, kwargs=board),
    Route("boards:membership-create", OFFICER_ONLY, kwargs=board),
    Route("boards:appointment-create", OFFICER_AND_TRUST, kwargs=board, browser_role=TRUST),
    Route("boards:ratification", everyone_but(), kwargs=board, browser_role=DFE, query="?on=2018-09-19"),
    Route("boards:ratification-csv", everyone_but(), kwargs=board, browser_role=None),
    Route("boards:membership-renew", OFFICER_ONLY, kwargs=sandwell_term),
    Route("boards:membership-end", OFFICER_ONLY, kwargs=sandwell_term),
    Route("boards:terms-ending", everyone_but()),
    Route("boards:person-list", everyone_but(), browser_role=TRUST),
    Route("boards:person-create", OFFICER_AND_TRUST, browser_role=TRUST),
    Route("boards:person-detail", everyone_but(), kwargs=person),
    Route("boards:interest-create", OFFICER_AND_TRUST, kwargs=person),
    Route("boards:interest-review", OFFICER_ONLY, kwargs=interest),
    Route("boards:appointment-list", everyone_but()),
    Route("boards:appointment-detail", everyone_but(), kwargs=proposal),
    Route(
        "boards:appointment-step",
        OFFICER_ONLY,
        kwargs=lambda: {**proposal(), "target": "council_approved"},
    ),
]
