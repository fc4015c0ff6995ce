"""Scoped reads of the boards app, and the read-only questions other apps ask of it.

``terms_ending_between`` (reminders) and ``ratification_rows`` (reports) are the public
selectors; both take plain dates and return plain data.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from trustgov.core.dates import add_months
from trustgov.core.scoping import scope_for
from trustgov.organisations.selectors import (
    councils_visible_to,
    delivery_bodies_visible_to,
)

from .composition import CompositionWarning, composition_warnings
from .models import Appointment, AppointmentStep, Body, InterestDeclaration, Membership, Person, Seat


@scope_for(Person)
def people_visible_to(user) -> QuerySet[Person]:
    # The council's register, and (for a jointly owned trust) the people the boards the user sees record: their
    # members, the people proposed for them and those who declared an interest on them.
    boards = bodies_visible_to(user)
    on_visible_boards = (
        Q(pk__in=Membership.objects.filter(seat__body__in=boards).values("person_id"))
        | Q(pk__in=Appointment.objects.filter(body__in=boards).values("person_id"))
        | Q(pk__in=InterestDeclaration.objects.filter(body__in=boards).values("person_id"))
    )
    return Person.objects.select_related("council").filter(Q(council__in=councils_visible_to(user)) | on_visible_boards)


@scope_for(Body)
def bodies_visible_to(user) -> QuerySet[Body]:
    # A council's own bodies, and the boards of every delivery body the user sees (each owner of a jointly
    # owned trust sees its board).
    return Body.objects.select_related("council", "delivery_body").filter(
        Q(delivery_body__isnull=True, council__in=councils_visible_to(user))
        | Q(delivery_body__in=delivery_bodies_visible_to(user))
    )


@scope_for(Seat)
def seats_visible_to(user) -> QuerySet[Seat]:
    return Seat.objects.select_related("body").filter(body__in=bodies_visible_to(user))


@scope_for(Membership)
def memberships_visible_to(user) -> QuerySet[Membership]:
    return Membership.objects.select_related("person", "seat", "seat__body").filter(
        seat__body__in=bodies_visible_to(user)
    )


@scope_for(Appointment)
def appointments_visible_to(user) -> QuerySet[Appointment]:
    return Appointment.objects.select_related("body", "seat", "person", "proposed_by").filter(
        body__in=bodies_visible_to(user)
    )


@scope_for(AppointmentStep)
def appointment_steps_visible_to(user) -> QuerySet[AppointmentStep]:
    return AppointmentStep.objects.select_related("appointment", "by").filter(
        appointment__in=appointments_visible_to(user)
    )


@scope_for(InterestDeclaration)
def interests_visible_to(user) -> QuerySet[InterestDeclaration]:
    return InterestDeclaration.objects.select_related("person", "body").filter(body__in=bodies_visible_to(user))


# --- Questions about a body on a date -------------------------------------------------------


def current_memberships(body: Body, on_date: date) -> list[Membership]:
    """Members of ``body`` in office on ``on_date``, in board-table order."""
    qs = (
        Membership.objects.select_related("person", "seat")
        .filter(seat__body=body, start_date__lte=on_date)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on_date))
    )
    return sorted(qs, key=lambda m: (m.seat.order, m.seat.pk, m.start_date))


def trust_board_members(delivery_bodies, on_date: date) -> QuerySet[Membership]:
    """Who sits on the trust boards of ``delivery_bodies`` on ``on_date``: the holder of each seat then (holders of
    a seat never overlap), with the person, the seat and the board. The public board page and the public search
    read these rows (ADR 0603, 0606): names and posts only are shown of them."""
    return (
        Membership.objects.select_related("person", "seat__body__delivery_body")
        .filter(
            seat__body__kind=Body.Kind.TRUST_BOARD,
            seat__body__delivery_body__in=delivery_bodies,
            start_date__lte=on_date,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on_date))
    )


def body_composition(body: Body, on_date: date) -> list[CompositionWarning]:
    return composition_warnings(
        body=body, seats=list(body.seats.all()), memberships=current_memberships(body, on_date), on_date=on_date
    )


@dataclass(frozen=True)
class RatificationRow:
    name: str
    board_role: str
    professional_capacity: str


RATIFICATION_HEADERS = ("Name", "Board Role", "Professional Capacity")


def ratification_rows(body: Body, on_date: date) -> list[RatificationRow]:
    """The board table (Sandwell Cabinet, Appendix 3 shape): Name | Board Role | Professional Capacity."""
    return [
        RatificationRow(m.person.display_name, m.seat.board_role, m.person.professional_capacity)
        for m in current_memberships(body, on_date)
    ]


def terms_ending_between(start: date, end: date, *, user=None) -> QuerySet[Membership]:
    """Terms of office whose last day falls between ``start`` and ``end`` (inclusive), not yet renewed.

    Without ``user`` every tenancy is included (for the reminders task); with it, the user's scope.
    """
    qs = (
        memberships_visible_to(user)
        if user is not None
        else Membership.objects.select_related("person", "seat", "seat__body")
    )
    return (
        qs.filter(end_date__gte=start, end_date__lte=end, renewed_by__isnull=True)
        .exclude(ended_reason__in=[Membership.EndReason.RESIGNATION, Membership.EndReason.REMOVAL])
        .order_by("end_date", "seat__body__name")
    )


def terms_ending_soon(user, today: date) -> QuerySet[Membership]:
    return terms_ending_between(today, add_months(today, 3), user=user)


# --- Register of interests ------------------------------------------------------------------

REVIEW_INTERVAL_MONTHS = 12


def last_interest_review(person: Person, body: Body | None = None) -> date | None:
    """The latest date a person's interests were declared or reviewed (on ``body``, when given)."""
    qs = person.interests.all()
    if body is not None:
        qs = qs.filter(body=body)
    dates = [d.reviewed_on or d.declared_on for d in qs]
    return max(dates) if dates else None


def interest_review_overdue(person: Person, today: date, body: Body | None = None) -> bool:
    """True when no declaration or review is recorded, or the latest is more than 12 months old."""
    last = last_interest_review(person, body)
    return last is None or add_months(last, REVIEW_INTERVAL_MONTHS) < today
