"""Every state change of the boards app. Keyword-only, atomic, ValidationError naming the field."""

from datetime import date, timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from contracts import services as contract_services
from contracts.models import ReservedMatter, ReservedMatterRequest
from trustgov.accounts.recipients import council_officers, dfe_users, owners_officers, trust_executives
from trustgov.accounts.roles import Role, role_of
from trustgov.core.notifications import notify
from trustgov.core.permissions import role_refused
from trustgov.organisations.models import Council, DeliveryBody
from trustgov.organisations.selectors import councils_visible_to

from .models import Appointment, AppointmentStep, Body, InterestDeclaration, Membership, Person, Seat
from .selectors import bodies_visible_to
from .workflows import APPOINTMENT_WORKFLOW, IN_PROGRESS

S = Appointment.Status


def _fmt(day: date | None) -> str:
    return f"{day:%-d %B %Y}" if day else "open-ended"


def _require_role(user, roles: set[Role], field: str, action: str) -> None:
    if getattr(user, "is_superuser", False):
        return
    if role_of(user) not in roles:
        names = " or ".join(sorted(r.value.lower() for r in roles))
        raise role_refused(field, f"Only a {names} can {action}.")


def _check_dates(start: date, end: date | None, *, end_field: str = "end_date") -> None:
    if end is not None and end < start:
        raise ValidationError({end_field: f"The term must end on or after it starts ({_fmt(start)})."})


# --- People ---------------------------------------------------------------------------------


@transaction.atomic
def person_create(
    *,
    user,
    council: Council,
    name: str,
    professional_capacity: str,
    honorific: str = "",
    organisation: str = "",
    email: str = "",
    phone: str = "",
    is_elected_member: bool = False,
) -> Person:
    _require_role(user, {Role.COUNCIL_OFFICER, Role.TRUST_EXECUTIVE}, "name", "add a person to the register")
    if not councils_visible_to(user).filter(pk=council.pk).exists():
        raise ValidationError({"council": "You cannot add people to another council's register."})
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Enter the person's name."})
    existing = Person.objects.filter(council=council, name__iexact=name).first()
    if existing:
        raise ValidationError(
            {"name": f"{existing.display_name} is already in {council.name}'s register of people."}, code="duplicate"
        )
    person = Person(
        council=council,
        name=name,
        professional_capacity=professional_capacity.strip(),
        honorific=honorific.strip(),
        organisation=organisation.strip(),
        email=email.strip(),
        phone=phone.strip(),
        is_elected_member=is_elected_member,
    )
    person.full_clean()
    person.save()
    return person


# --- Bodies and seats -----------------------------------------------------------------------


@transaction.atomic
def body_create(
    *, user, council: Council, name: str, kind: str, delivery_body: DeliveryBody | None = None, **rules
) -> Body:
    _require_role(user, {Role.COUNCIL_OFFICER}, "name", "set up a governance body")
    if not councils_visible_to(user).filter(pk=council.pk).exists():
        raise ValidationError({"council": "You cannot set up bodies for another council."})
    if delivery_body is not None and not delivery_body.is_owned_by(council):
        raise ValidationError({"delivery_body": f"{delivery_body} does not contract with {council}."})
    if Body.objects.filter(council=council, name__iexact=name.strip()).exists():
        raise ValidationError({"name": f"{council} already has a body called '{name.strip()}'."})
    body = Body(council=council, delivery_body=delivery_body, name=name.strip(), kind=kind, **rules)
    _check_size(body.min_members, body.max_members)
    body.full_clean()
    body.save()
    return body


BODY_RULES = (
    "min_members",
    "max_members",
    "requires_chair",
    "chair_appointed_by_dfe",
    "chief_executive_needs_dfe",
    "elected_members_allowed",
    "requires_chief_executive",
    "required_council_neds",
    "required_independent_neds",
    "required_executives",
    "rules_source",
)


@transaction.atomic
def body_update(*, user, body: Body, **changes) -> Body:
    """Change a body's kind, trust or composition rules (its name is how the council knows it, and stays)."""
    _require_role(user, {Role.COUNCIL_OFFICER}, "name", "change a governance body")
    if not bodies_visible_to(user).filter(pk=body.pk).exists():
        raise ValidationError({"name": "You cannot change another council's bodies."})
    delivery_body = changes.get("delivery_body", body.delivery_body)
    if delivery_body is not None and not delivery_body.is_owned_by(body.council_id):
        raise ValidationError({"delivery_body": f"{delivery_body} does not contract with {body.council}."})
    for key, value in changes.items():
        if key in (*BODY_RULES, "kind", "delivery_body"):
            setattr(body, key, value)
    _check_size(body.min_members, body.max_members)
    body.full_clean()
    body.save()
    return body


def _check_size(min_members, max_members) -> None:
    if min_members is not None and max_members is not None and max_members < min_members:
        raise ValidationError({"max_members": "The most members allowed cannot be fewer than the fewest."})


@transaction.atomic
def seat_create(*, user, body: Body, role: str, title: str, order: int = 0) -> Seat:
    _require_role(user, {Role.COUNCIL_OFFICER}, "title", "add a seat to a body")
    title = title.strip()
    if body.seats.filter(title__iexact=title).exists():
        raise ValidationError({"title": f"{body} already has a seat called '{title}'."})
    if role in (Seat.Role.CHAIR, Seat.Role.CHIEF_EXECUTIVE) and body.seats.filter(role=role).exists():
        raise ValidationError({"role": f"{body} already has a {Seat.Role(role).label} seat."})
    seat = Seat(body=body, role=role, title=title, order=order)
    seat.full_clean()
    seat.save()
    return seat


# --- Memberships (terms of office) ----------------------------------------------------------


def _overlapping(qs, start: date, end: date | None):
    qs = qs.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
    if end is not None:
        qs = qs.filter(start_date__lte=end)
    return qs


def _check_tenure(*, person: Person, seat: Seat, start: date, end: date | None, field: str, exclude=None) -> None:
    if person.council_id != seat.body.council_id:
        raise ValidationError({"person": f"{person} is not in {seat.body.council}'s register of people."})
    clash = _overlapping(Membership.objects.filter(seat=seat), start, end).exclude(pk=getattr(exclude, "pk", None))
    holder = clash.select_related("person").first()
    if holder:
        raise ValidationError(
            {
                field: f"{holder.person} holds the seat '{seat.title}' from {_fmt(holder.start_date)} to "
                f"{_fmt(holder.end_date)}; terms in one seat cannot overlap."
            }
        )
    same_body = _overlapping(
        Membership.objects.filter(person=person, seat__body=seat.body).exclude(seat=seat), start, end
    ).exclude(pk=getattr(exclude, "pk", None))
    other = same_body.select_related("seat").first()
    if other:
        raise ValidationError({"person": f"{person} already sits on {seat.body} as {other.seat.title} then."})


def succeeded_term(seat: Seat, start: date) -> Membership | None:
    """The term an appointment starting on ``start`` succeeds: the seat's open-ended term begun before it (a fixed
    term is not cut short by a proposal: its successor starts after it ends, or it is ended first)."""
    return Membership.objects.filter(seat=seat, start_date__lt=start, end_date__isnull=True).first()


@transaction.atomic
def membership_create(*, user, seat: Seat, start_date: date, **term) -> Membership:
    """Record a term of office held before the body was on TrustGov (appointments since go through the workflow).

    ``term``: ``person``, ``end_date``, ``appointed_by``, ``decision_reference``, ``decision_url``, ``renewal_of``.
    """
    body = seat.body
    since = timezone.localtime(body.created_at).date()
    if body.appointments_are_reserved and start_date >= since:
        _require_role(user, {Role.COUNCIL_OFFICER}, "person", "record a term of office")
        raise ValidationError(
            {
                "start_date": f"Appointments to {body} are reserved matters: a term starting on or after "
                f"{_fmt(since)} (when the board was set up on TrustGov) goes through the appointment workflow. "
                "Propose the appointment instead."
            }
        )
    return _record_term(user=user, seat=seat, start_date=start_date, **term)


def _record_term(
    *,
    user,
    person: Person,
    seat: Seat,
    start_date: date,
    end_date: date | None = None,
    appointed_by: str = "",
    decision_reference: str = "",
    decision_url: str = "",
    renewal_of: Membership | None = None,
) -> Membership:
    """A term of office, checked: the one way a membership is made (directly, or by taking office)."""
    _require_role(user, {Role.COUNCIL_OFFICER}, "person", "record a term of office")
    _check_dates(start_date, end_date)
    _check_tenure(person=person, seat=seat, start=start_date, end=end_date, field="start_date")
    membership = Membership(
        person=person,
        seat=seat,
        start_date=start_date,
        end_date=end_date,
        appointed_by=appointed_by,
        decision_reference=decision_reference,
        decision_url=decision_url,
        renewal_of=renewal_of,
    )
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_renew(
    *, user, membership: Membership, end_date: date | None, decision_reference: str = "", decision_url: str = ""
) -> Membership:
    """A further term in the same seat, starting the day after the current term ends."""
    if membership.end_date is None:
        raise ValidationError({"end_date": "This term is open-ended; there is nothing to renew."})
    if membership.ended_reason in (Membership.EndReason.RESIGNATION, Membership.EndReason.REMOVAL):
        raise ValidationError({"end_date": f"{membership.person} has left the seat; propose a new appointment."})
    if Membership.objects.filter(renewal_of=membership).exists():
        raise ValidationError({"end_date": "This term has already been renewed."})
    if membership.seat.body.appointments_are_reserved:
        raise ValidationError(
            {
                "end_date": f"A further term on {membership.seat.body} is a reappointment, and appointments to it are "
                f"reserved matters: propose {membership.person}'s reappointment instead."
            }
        )
    start = membership.end_date + timedelta(days=1)
    if end_date is not None and end_date < start:
        raise ValidationError({"end_date": f"The new term must end after it starts ({_fmt(start)})."})
    return membership_create(
        user=user,
        person=membership.person,
        seat=membership.seat,
        start_date=start,
        end_date=end_date,
        appointed_by=membership.appointed_by,
        decision_reference=decision_reference,
        decision_url=decision_url,
        renewal_of=membership,
    )


@transaction.atomic
def membership_end(*, user, membership: Membership, end_date: date, reason: str) -> Membership:
    _require_role(user, {Role.COUNCIL_OFFICER}, "end_date", "end a term of office")
    if reason not in Membership.EndReason.values:
        raise ValidationError({"reason": "Choose why the term ended."})
    if end_date < membership.start_date:
        raise ValidationError({"end_date": f"The term cannot end before it started ({_fmt(membership.start_date)})."})
    if membership.end_date is not None and end_date > membership.end_date:
        raise ValidationError({"end_date": f"The term already ends on {_fmt(membership.end_date)}."})
    membership.end_date = end_date
    membership.ended_reason = reason
    membership._change_reason = f"Term ended on {_fmt(end_date)}: {Membership.EndReason(reason).label}"
    membership.full_clean()
    membership.save()
    return membership


# --- Appointments ---------------------------------------------------------------------------


def _council_side(body: Body) -> list:
    """Who acts for the council on a body: a trust's board concerns every owner of the trust (a joint trust's)."""
    return owners_officers(body.delivery_body_id) if body.delivery_body_id else council_officers(body.council_id)


def wrong_proposer(user, body: Body) -> str | None:
    """Why ``user`` is the wrong body to propose appointments to ``body``, or None.

    The council proposes to any of its bodies; a trust executive only to their own trust's board.
    """
    if role_of(user) == Role.TRUST_EXECUTIVE and body.delivery_body_id != user.delivery_body_id:
        return f"{body} is not your trust's board: only the council proposes appointments to it."
    return None


@transaction.atomic
def appointment_propose(
    *,
    user,
    body: Body,
    seat: Seat,
    person: Person,
    term_start: date,
    term_end: date | None = None,
    reason: str = "",
    request: ReservedMatterRequest | None = None,
) -> Appointment:
    """Propose an appointment; on a trust's board it is a reserved matter, so it raises its request (or takes
    over ``request``, one the trust raised before it had a candidate) and its steps decide that request."""
    _require_role(user, {Role.COUNCIL_OFFICER, Role.TRUST_EXECUTIVE}, "seat", "propose an appointment")
    if not bodies_visible_to(user).filter(pk=body.pk).exists():
        raise ValidationError({"body": "You cannot propose appointments to that body."})
    refusal = wrong_proposer(user, body)
    if refusal:
        raise ValidationError({"body": refusal})
    if seat.body_id != body.pk:
        raise ValidationError({"seat": f"The seat '{seat.title}' belongs to {seat.body}, not {body}."})
    matter = appointment_reserved_matter(body, seat)
    if request is not None:
        _check_request_for(request, body=body, seat=seat, matter=matter)
    if person.council_id != body.council_id:
        raise ValidationError({"person": f"{person} is not in {body.council}'s register of people."})
    if person.is_elected_member and not body.elected_members_allowed:
        raise ValidationError({"person": f"{person} is an elected member, and elected members may not sit on {body}."})
    _check_dates(term_start, term_end, end_field="term_end")
    # A successor (or the holder, reappointed) is proposed while the current term runs: it ends on taking office.
    _check_tenure(
        person=person,
        seat=seat,
        start=term_start,
        end=term_end,
        field="term_start",
        exclude=succeeded_term(seat, term_start),
    )
    pending = Appointment.objects.filter(seat=seat, status__in=IN_PROGRESS).select_related("person").first()
    if pending:
        raise ValidationError(
            {"seat": f"The appointment of {pending.person} to '{seat.title}' is already in progress."}
        )
    appointment = Appointment(
        body=body,
        seat=seat,
        person=person,
        term_start=term_start,
        term_end=term_end,
        reason=reason,
        proposed_by=user,
        needs_dfe_approval=body.needs_dfe_approval(seat.role),
    )
    appointment.full_clean()
    appointment.save()
    AppointmentStep.objects.create(
        appointment=appointment, from_status="", to_status=S.PROPOSED, decided_on=timezone.localdate(), by=user
    )
    if matter is not None:
        appointment.request = _reserved_matter_request(appointment, matter=matter, request=request, user=user)
        appointment.save(update_fields=["request", "updated_at"])
    notify(
        kind="appointment_awaiting_council",
        subject_key=f"boards.appointment:{appointment.pk}:{S.PROPOSED}",
        recipients=_council_side(body),
        title=f"{person} is proposed for '{seat.title}' on {body}: the council's approval is needed",
        url=appointment.get_absolute_url(),
        actor=user,
    )
    return appointment


SEAT_MATTERS = {
    Seat.Role.CHAIR: ReservedMatter.AppointmentsTo.CHAIR,
    Seat.Role.CHIEF_EXECUTIVE: ReservedMatter.AppointmentsTo.CHIEF_EXECUTIVE,
}


def appointment_reserved_matter(body: Body, seat: Seat) -> ReservedMatter | None:
    """The trust's reserved matter for appointments to ``seat`` (the seat's own, else board members'), or None."""
    if not body.appointments_are_reserved:
        return None
    matters = {
        m.appointments_to: m
        for m in ReservedMatter.objects.filter(delivery_body_id=body.delivery_body_id).exclude(appointments_to="")
    }
    return matters.get(SEAT_MATTERS.get(seat.role, "")) or matters.get(ReservedMatter.AppointmentsTo.BOARD_MEMBER)


def open_appointment_requests(body: Body):
    """Requests the trust raised for an appointment to ``body`` that no appointment has taken over yet."""
    if not body.appointments_are_reserved:
        return ReservedMatterRequest.objects.none()
    return ReservedMatterRequest.objects.filter(
        delivery_body_id=body.delivery_body_id,
        reserved_matter__appointments_to__gt="",
        status=ReservedMatterRequest.Status.RAISED,
        decided_through="",
    ).select_related("reserved_matter")


def _check_request_for(request: ReservedMatterRequest, *, body: Body, seat: Seat, matter) -> None:
    if matter is None or not open_appointment_requests(body).filter(pk=request.pk).exists():
        raise ValidationError(
            {"request": f"'{request}' is not an open request for an appointment to {body}: choose one of its own."}
        )
    if request.reserved_matter.appointments_to not in (
        matter.appointments_to,
        ReservedMatter.AppointmentsTo.BOARD_MEMBER,
    ):
        raise ValidationError({"request": f"'{request}' asks about {request.reserved_matter}, not '{seat.title}'."})


def _reserved_matter_request(appointment: Appointment, *, matter, request, user) -> ReservedMatterRequest:
    url = appointment.get_absolute_url()
    if request is not None:
        return contract_services.request_decide_through(request=request, user=user, record_url=url)
    today = timezone.localdate()
    details = appointment.reason or f"The appointment of {appointment.person} as {appointment.seat.title}."
    return contract_services.request_raise(
        user=user,
        reserved_matter=matter,
        title=f"Appointment of {appointment.person} as {appointment.seat.title}"[:200],
        details=f"{details}\n\nTerm from {_fmt(appointment.term_start)} to {_fmt(appointment.term_end)}.",
        decision_due=appointment.term_start if appointment.term_start > today else today + timedelta(days=28),
        decided_through=url,
        needs_dfe_consent=appointment.needs_dfe_approval,
    )


def _decide_request(appointment: Appointment, *, source: str, target: str, user, decided_on, reference, note, url):
    """The appointment's step is the reserved-matter request's decision: record it there, once."""
    request = appointment.request
    through = appointment.get_absolute_url()
    R = ReservedMatterRequest.Status
    decision = ReservedMatterRequest.Decision
    common = {"request": request, "user": user, "decided_on": decided_on, "through": through}
    council = partial(contract_services.request_record_council_decision, **common, decision_url=url)
    dfe = partial(contract_services.request_record_dfe_decision, **common, reference=reference)
    decided = None
    if target == S.COUNCIL_APPROVED:
        decided = council(
            decision=decision.APPROVED, decision_reference=reference, needs_dfe_consent=appointment.needs_dfe_approval
        )
    elif target == S.DFE_APPROVED:
        decided = dfe(decision=decision.APPROVED)
    elif target == S.REJECTED and source == S.PROPOSED:
        rejected = reference or f"The council rejected the appointment: {note}"[:200]
        decided = council(decision=decision.REFUSED, decision_reference=rejected)
    elif target == S.REJECTED and role_of(user) == Role.DFE_LIAISON:
        decided = dfe(decision=decision.REFUSED)
    elif target in (S.REJECTED, S.WITHDRAWN) and request.status in (R.RAISED, R.AWAITING_DFE):
        decided = contract_services.request_withdraw(request=request, user=user, reason=note, through=through)
    if decided is not None:
        appointment.request = decided  # the appointment's guards read the request as it now stands


def _appointment_notify(appointment: Appointment, *, user, target: str) -> None:
    """Tell the people who act next, or whom the outcome concerns, that an appointment moved on."""
    body = appointment.body
    what = f"{appointment.person} to '{appointment.seat.title}' on {body}"
    trust = trust_executives(body.delivery_body_id) + [appointment.proposed_by]
    if target == S.COUNCIL_APPROVED and appointment.needs_dfe_approval:
        notify(
            kind="appointment_awaiting_dfe",
            subject_key=f"boards.appointment:{appointment.pk}:{target}",
            recipients=dfe_users(),
            title=f"{body.council} approved the appointment of {what}: the DfE's approval is needed",
            url=appointment.get_absolute_url(),
            actor=user,
        )
        kind, recipients = "appointment_decided", trust
        title = f"The council approved the appointment of {what}: the DfE's approval is next"
    elif target == S.COUNCIL_APPROVED:
        kind, recipients = "appointment_decided", trust + _council_side(body)
        title = f"The council approved the appointment of {what}: Cabinet ratification is next"
    elif target == S.DFE_APPROVED:
        kind, recipients = "appointment_decided", _council_side(body) + trust
        title = f"The DfE approved the appointment of {what}: record the Cabinet ratification"
    elif target in (S.RATIFIED, S.REJECTED, S.WITHDRAWN):
        kind, recipients = "appointment_decided", trust + _council_side(body)
        outcome = {S.RATIFIED: "was ratified by Cabinet", S.REJECTED: "was rejected", S.WITHDRAWN: "was withdrawn"}
        title = f"The appointment of {what} {outcome[target]}"
    else:
        return  # taking office and the end of a term are recorded by the council itself
    notify(
        kind=kind,
        subject_key=f"boards.appointment:{appointment.pk}:{target}",
        recipients=recipients,
        title=title,
        url=appointment.get_absolute_url(),
        actor=user,
    )


@transaction.atomic
def appointment_advance(
    *,
    appointment: Appointment,
    target: str,
    user,
    decided_on: date,
    decision_reference: str = "",
    decision_url: str = "",
    note: str = "",
    ended_reason: str = "",
) -> Appointment:
    """Move an appointment one step on, recording the step; taking office creates the membership."""
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("seat", "body", "person")
        .get(pk=appointment.pk)
    )
    APPOINTMENT_WORKFLOW.check(obj=appointment, source=appointment.status, target=target, user=user)
    if target == S.DFE_APPROVED and not user.has_perm("boards.record_dfe_approval"):
        raise role_refused("status", "Only the DfE liaison can record the DfE's approval.")
    today = timezone.localdate()
    if decided_on > today:
        raise ValidationError({"decided_on": "The date of the decision cannot be in the future."})
    last = appointment.steps.order_by("-decided_on").first()
    if last and decided_on < last.decided_on:
        raise ValidationError({"decided_on": f"The date cannot be before the previous step ({_fmt(last.decided_on)})."})
    if target == S.RATIFIED and not decision_reference.strip():
        raise ValidationError({"decision_reference": "Enter the Cabinet decision reference."})
    if target in (S.REJECTED, S.WITHDRAWN) and not note.strip():
        raise ValidationError({"note": "Say why the appointment did not go ahead."})
    source = appointment.status
    if appointment.request_id:
        if target == S.COUNCIL_APPROVED and not decision_reference.strip():
            raise ValidationError(
                {
                    "decision_reference": "Enter the decision that approved it (the meeting, minute or delegated "
                    "decision record): it is the reserved-matter request's council decision."
                }
            )
        _decide_request(
            appointment,
            source=source,
            target=target,
            user=user,
            decided_on=decided_on,
            reference=decision_reference.strip(),
            note=note.strip(),
            url=decision_url.strip(),
        )
    if target == S.IN_OFFICE:
        if appointment.term_end is not None and appointment.term_end < decided_on:
            raise ValidationError({"decided_on": f"The term was due to end on {_fmt(appointment.term_end)}."})
        try:
            predecessor = succeeded_term(appointment.seat, appointment.term_start)
            if predecessor is not None:
                predecessor.end_date = appointment.term_start - timedelta(days=1)
                predecessor.ended_reason = Membership.EndReason.TERM_END
                predecessor._change_reason = (
                    f"Succeeded by {appointment.person} from {_fmt(appointment.term_start)} (appointment)"
                )
                predecessor.full_clean()
                predecessor.save()
                for earlier in Appointment.objects.filter(membership=predecessor, status=S.IN_OFFICE):
                    earlier.status = S.ENDED
                    earlier._change_reason = predecessor._change_reason
                    earlier.save()
                    AppointmentStep.objects.create(
                        appointment=earlier,
                        from_status=S.IN_OFFICE,
                        to_status=S.ENDED,
                        decided_on=decided_on,
                        by=user,
                        note=predecessor._change_reason,
                    )
            appointment.membership = _record_term(
                renewal_of=predecessor if predecessor and predecessor.person_id == appointment.person_id else None,
                user=user,
                person=appointment.person,
                seat=appointment.seat,
                start_date=appointment.term_start,
                end_date=appointment.term_end,
                appointed_by="Council" + (" with DfE approval" if appointment.needs_dfe_approval else ""),
                decision_reference=_ratification_reference(appointment),
                decision_url=decision_url,
            )
        except ValidationError as exc:
            raise ValidationError({"decided_on": exc.messages}) from exc
    if target == S.ENDED:
        try:
            membership_end(
                user=user,
                membership=appointment.membership,
                end_date=decided_on,
                reason=ended_reason or Membership.EndReason.TERM_END,
            )
        except ValidationError as exc:
            raise ValidationError({"decided_on": exc.messages}) from exc
    appointment.status = target
    appointment.save()
    AppointmentStep.objects.create(
        appointment=appointment,
        from_status=source,
        to_status=target,
        decided_on=decided_on,
        by=user,
        decision_reference=decision_reference.strip(),
        decision_url=decision_url.strip(),
        note=note.strip(),
    )
    _appointment_notify(appointment, user=user, target=target)
    return appointment


def _ratification_reference(appointment: Appointment) -> str:
    step = appointment.steps.filter(to_status=S.RATIFIED).order_by("-pk").first()
    return step.decision_reference if step else ""


# --- Register of interests ------------------------------------------------------------------


@transaction.atomic
def interest_declare(
    *,
    user,
    person: Person,
    body: Body,
    kind: str,
    detail: str,
    declared_on: date,
    meeting_reference: str = "",
) -> InterestDeclaration:
    _require_role(user, {Role.COUNCIL_OFFICER, Role.TRUST_EXECUTIVE}, "kind", "record a declaration of interest")
    if not bodies_visible_to(user).filter(pk=body.pk).exists():
        raise ValidationError({"body": "You cannot record declarations for that body."})
    if person.council_id != body.council_id:
        raise ValidationError({"person": f"{person} is not in {body.council}'s register of people."})
    if declared_on > timezone.localdate():
        raise ValidationError({"declared_on": "The date declared cannot be in the future."})
    if kind != InterestDeclaration.Kind.NONE and not detail.strip():
        raise ValidationError({"detail": "Describe the interest."})
    declaration = InterestDeclaration(
        person=person,
        body=body,
        kind=kind,
        detail=detail.strip(),
        declared_on=declared_on,
        meeting_reference=meeting_reference.strip(),
    )
    declaration.full_clean()
    declaration.save()
    return declaration


@transaction.atomic
def interest_review(*, user, declaration: InterestDeclaration, reviewed_on: date) -> InterestDeclaration:
    _require_role(user, {Role.COUNCIL_OFFICER}, "reviewed_on", "record the review of a declaration")
    if reviewed_on < declaration.declared_on:
        raise ValidationError(
            {"reviewed_on": f"The review cannot be before the declaration ({_fmt(declaration.declared_on)})."}
        )
    if reviewed_on > timezone.localdate():
        raise ValidationError({"reviewed_on": "The review date cannot be in the future."})
    declaration.reviewed_on = reviewed_on
    declaration.full_clean()
    declaration.save()
    return declaration
