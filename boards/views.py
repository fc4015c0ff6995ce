"""Thin web layer over boards services and selectors."""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_GET

from contracts.selectors import reserved_matter_requests_visible_to
from trustgov.core.exports import csv_response
from trustgov.core.form_views import render_form_page, run_service
from trustgov.core.scoping import get_visible_or_404
from trustgov.organisations.selectors import councils_visible_to, delivery_bodies_visible_to

from . import services
from .forms import (
    AppointmentForm,
    BodyForm,
    EndMembershipForm,
    EndStepForm,
    InterestForm,
    MembershipForm,
    PersonForm,
    RenewForm,
    ReviewForm,
    SeatForm,
    StepForm,
)
from .models import Appointment, Body, InterestDeclaration, Membership, Person
from .selectors import (
    RATIFICATION_HEADERS,
    appointments_visible_to,
    bodies_visible_to,
    body_composition,
    current_memberships,
    interest_review_overdue,
    interests_visible_to,
    last_interest_review,
    memberships_visible_to,
    people_visible_to,
    ratification_rows,
    terms_ending_soon,
)
from .workflows import APPOINTMENT_WORKFLOW, IN_PROGRESS, role_refusal


def _on_date(request) -> date:
    """The date a board is shown on (``?on=YYYY-MM-DD``); today when absent or not a real date."""
    raw = request.GET.get("on", "").strip()
    if not raw:
        return timezone.localdate()
    try:
        on = parse_date(raw)
    except ValueError:  # well formed but not a real day, such as 2026-02-30
        on = None
    if on is None:
        today = timezone.localdate()
        messages.error(request, f"‘{raw}’ is not a date like {today:%Y-%m-%d}: showing the board as it is today.")
        return today
    return on


# --- Bodies ---------------------------------------------------------------------------------


@login_required
@permission_required("boards.view_body", raise_exception=True)
@require_GET
def body_list(request):
    today = timezone.localdate()
    bodies = [
        (body, body_composition(body, today)) for body in bodies_visible_to(request.user).prefetch_related("seats")
    ]
    return render(request, "boards/body_list.html", {"bodies": bodies, "today": today})


@login_required
@permission_required("boards.view_body", raise_exception=True)
@require_GET
def body_detail(request, pk: int):
    body = get_visible_or_404(Body, request.user, pk=pk)
    on_date = _on_date(request)
    members = current_memberships(body, on_date)
    return render(
        request,
        "boards/body_detail.html",
        {
            "body": body,
            "on_date": on_date,
            "members": members,
            "warnings": body_composition(body, on_date),
            "seats": body.seats.all(),
            "appointments": appointments_visible_to(request.user).filter(body=body, status__in=IN_PROGRESS),
            "can_propose": request.user.has_perm("boards.add_appointment")
            and not services.wrong_proposer(request.user, body),
            "past": memberships_visible_to(request.user).filter(seat__body=body, end_date__lt=on_date),
            "reserved": body.appointments_are_reserved,
        },
    )


@login_required
@permission_required("boards.add_body", raise_exception=True)
def body_create(request):
    council = councils_visible_to(request.user).first()
    if council is None:
        raise PermissionDenied
    form = BodyForm(
        request.POST or None, delivery_bodies=delivery_bodies_visible_to(request.user).filter(council=council)
    )
    if request.method == "POST" and form.is_valid():
        if body := run_service(
            form, lambda: services.body_create(user=request.user, council=council, **form.cleaned_data)
        ):
            messages.success(request, f"{body} set up.")
            return redirect(body)
    return render_form_page(request, form, title="Set up a governance body", caption=str(council))


@login_required
@permission_required("boards.add_seat", raise_exception=True)
def seat_create(request, pk: int):
    body = get_visible_or_404(Body, request.user, pk=pk)
    form = SeatForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.seat_create(user=request.user, body=body, **form.cleaned_data)):
            messages.success(request, "Seat added.")
            return redirect(body)
    return render_form_page(request, form, title="Add a seat", caption=str(body), cancel_url=body.get_absolute_url())


@login_required
@permission_required("boards.add_membership", raise_exception=True)
def membership_create(request, pk: int):
    body = get_visible_or_404(Body, request.user, pk=pk)
    form = MembershipForm(
        request.POST or None,
        people=people_visible_to(request.user).filter(council=body.council),
        seats=body.seats.all(),
    )
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.membership_create(user=request.user, **form.cleaned_data)):
            messages.success(request, "Term of office recorded.")
            return redirect(body)
    return render_form_page(
        request,
        form,
        title="Record a term of office",
        caption=str(body),
        intro=(
            f"For members in office before {body} was set up on TrustGov "
            f"({timezone.localtime(body.created_at):%-d %B %Y}). Appointments since are reserved matters and go "
            "through the appointment workflow."
            if body.appointments_are_reserved
            else "For members already in office. New members go through the appointment workflow."
        ),
        cancel_url=body.get_absolute_url(),
    )


@login_required
@permission_required("boards.add_membership", raise_exception=True)
def membership_renew(request, pk: int):
    membership = get_visible_or_404(Membership, request.user, pk=pk)
    form = RenewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(
            form, lambda: services.membership_renew(user=request.user, membership=membership, **form.cleaned_data)
        ):
            messages.success(request, f"{membership.person}'s term renewed.")
            return redirect(membership.body)
    return render_form_page(
        request,
        form,
        title=f"Renew {membership.person}'s term",
        caption=f"{membership.seat.title}, {membership.body}",
        intro=f"The current term ends on {membership.end_date:%-d %B %Y}." if membership.end_date else "",
        cancel_url=membership.body.get_absolute_url(),
    )


@login_required
@permission_required("boards.change_membership", raise_exception=True)
def membership_end(request, pk: int):
    membership = get_visible_or_404(Membership, request.user, pk=pk)
    form = EndMembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(
            form, lambda: services.membership_end(user=request.user, membership=membership, **form.cleaned_data)
        ):
            messages.success(request, f"{membership.person}'s term ended.")
            return redirect(membership.body)
    return render_form_page(
        request,
        form,
        title=f"End {membership.person}'s term",
        caption=f"{membership.seat.title}, {membership.body}",
        intro="For a resignation, a removal or a term that ended early. "
        "Appointments made through the workflow are ended there.",
        cancel_url=membership.body.get_absolute_url(),
    )


# --- Ratification table ---------------------------------------------------------------------


@login_required
@permission_required("boards.view_body", raise_exception=True)
@require_GET
def ratification(request, pk: int):
    body = get_visible_or_404(Body, request.user, pk=pk)
    on_date = _on_date(request)
    return render(
        request,
        "boards/ratification.html",
        {"body": body, "on_date": on_date, "rows": ratification_rows(body, on_date), "headers": RATIFICATION_HEADERS},
    )


@login_required
@permission_required("boards.view_body", raise_exception=True)
def ratification_csv(request, pk: int):
    body = get_visible_or_404(Body, request.user, pk=pk)
    on_date = _on_date(request)
    return csv_response(
        ([row.name, row.board_role, row.professional_capacity] for row in ratification_rows(body, on_date)),
        filename=f"board-members-{body.pk}-{on_date.isoformat()}.csv",
        header=RATIFICATION_HEADERS,
    )


# --- People and interests -------------------------------------------------------------------


@login_required
@permission_required("boards.view_person", raise_exception=True)
@require_GET
def person_list(request):
    people = people_visible_to(request.user).prefetch_related("memberships__seat__body")
    return render(request, "boards/person_list.html", {"people": people})


@login_required
@permission_required("boards.add_person", raise_exception=True)
def person_create(request):
    council = councils_visible_to(request.user).first()
    if council is None:
        raise PermissionDenied
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if person := run_service(
            form, lambda: services.person_create(user=request.user, council=council, **form.cleaned_data)
        ):
            messages.success(request, f"{person} added to the register.")
            return redirect(person)
    return render_form_page(request, form, title="Add a person", caption=f"{council} register of people")


@login_required
@permission_required("boards.view_person", raise_exception=True)
@require_GET
def person_detail(request, pk: int):
    person = get_visible_or_404(Person, request.user, pk=pk)
    today = timezone.localdate()
    return render(
        request,
        "boards/person_detail.html",
        {
            "person": person,
            "memberships": memberships_visible_to(request.user).filter(person=person),
            "interests": interests_visible_to(request.user).filter(person=person),
            "last_review": last_interest_review(person),
            "review_overdue": interest_review_overdue(person, today),
        },
    )


@login_required
@permission_required("boards.add_interestdeclaration", raise_exception=True)
def interest_create(request, pk: int):
    person = get_visible_or_404(Person, request.user, pk=pk)
    form = InterestForm(request.POST or None, bodies=bodies_visible_to(request.user).filter(council=person.council))
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.interest_declare(user=request.user, person=person, **form.cleaned_data)):
            messages.success(request, "Declaration recorded.")
            return redirect(person)
    return render_form_page(
        request,
        form,
        title="Record a declaration of interest",
        caption=str(person),
        cancel_url=person.get_absolute_url(),
    )


@login_required
@permission_required("boards.change_interestdeclaration", raise_exception=True)
def interest_review(request, pk: int):
    declaration = get_visible_or_404(InterestDeclaration, request.user, pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(
            form, lambda: services.interest_review(user=request.user, declaration=declaration, **form.cleaned_data)
        ):
            messages.success(request, "Review recorded.")
            return redirect(declaration.person)
    return render_form_page(
        request,
        form,
        title="Record the annual review",
        caption=f"{declaration.person}: {declaration.get_kind_display()}",
        cancel_url=declaration.person.get_absolute_url(),
    )


# --- Appointments ---------------------------------------------------------------------------


@login_required
@permission_required("boards.view_appointment", raise_exception=True)
@require_GET
def appointment_list(request):
    appointments = appointments_visible_to(request.user)
    return render(
        request,
        "boards/appointment_list.html",
        {
            "in_progress": appointments.filter(status__in=IN_PROGRESS),
            "finished": appointments.exclude(status__in=IN_PROGRESS),
        },
    )


@login_required
@permission_required("boards.add_appointment", raise_exception=True)
def appointment_create(request, pk: int):
    body = get_visible_or_404(Body, request.user, pk=pk)
    refusal = services.wrong_proposer(request.user, body)
    if refusal:
        raise PermissionDenied(refusal)
    people = people_visible_to(request.user).filter(council=body.council)
    seats = body.seats.all()
    # "Propose reappointment" on the board page names the seat and the person.
    picked = {
        name: qs.filter(pk=request.GET[name]).first()
        for name, qs in (("seat", seats), ("person", people))
        if request.GET.get(name, "").isdigit()
    }
    form = AppointmentForm(
        request.POST or None,
        people=people,
        seats=seats,
        requests=services.open_appointment_requests(body),
        initial={k: v for k, v in picked.items() if v is not None},
    )
    if request.method == "POST" and form.is_valid():
        if appointment := run_service(
            form, lambda: services.appointment_propose(user=request.user, body=body, **form.cleaned_data)
        ):
            messages.success(request, "Appointment proposed.")
            return redirect(appointment)
    return render_form_page(
        request,
        form,
        title="Propose an appointment",
        caption=str(body),
        intro="The council approves it, then the DfE where the rules need it, then Cabinet ratifies it."
        + (
            f" Appointments to {body} are reserved matters: proposing raises the reserved-matter request, and each "
            "step here records its decision."
            if body.appointments_are_reserved
            else ""
        ),
        cancel_url=body.get_absolute_url(),
    )


@login_required
@permission_required("boards.view_appointment", raise_exception=True)
@require_GET
def appointment_detail(request, pk: int):
    appointment = get_visible_or_404(Appointment, request.user, pk=pk)
    targets = APPOINTMENT_WORKFLOW.allowed_targets(appointment.status, user=request.user, obj=appointment)
    actions = [{"target": t, "label": APPOINTMENT_WORKFLOW.transitions[(appointment.status, t)].label} for t in targets]
    return render(
        request,
        "boards/appointment_detail.html",
        {
            "appointment": appointment,
            "steps": appointment.steps.select_related("by"),
            "actions": actions,
            # The term this appointment succeeds, ended when it takes office.
            "succeeds": services.succeeded_term(appointment.seat, appointment.term_start)
            if appointment.status in IN_PROGRESS
            else None,
            "succeeds_until": appointment.term_start - timedelta(days=1),
            # Shown only to those who may read it (an exempt request stays hidden from scrutiny).
            "reserved_request": reserved_matter_requests_visible_to(request.user)
            .filter(pk=appointment.request_id)
            .select_related("reserved_matter")
            .first(),
        },
    )


@login_required
@permission_required("boards.view_appointment", raise_exception=True)
def appointment_step(request, pk: int, target: str):
    appointment = get_visible_or_404(Appointment, request.user, pk=pk)
    if target not in Appointment.Status.values:
        raise Http404
    transition = APPOINTMENT_WORKFLOW.transitions.get((appointment.status, target))
    refusal = role_refusal(appointment, target, request.user)
    if refusal:
        raise PermissionDenied(refusal)
    # A step that is not open (skipped, or DfE approval the rules do not need) has no form to show;
    # posted anyway, the service refuses it with a message naming the field (a 400 page).
    open_steps = APPOINTMENT_WORKFLOW.allowed_targets(appointment.status, user=request.user, obj=appointment)
    if target not in open_steps and request.method != "POST":
        raise PermissionDenied("That step is not open for this appointment.")
    form_class = EndStepForm if target == Appointment.Status.ENDED else StepForm
    label = transition.label if transition else "Record"
    form = form_class(request.POST or None, submit_label=label, initial={"decided_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            lambda: services.appointment_advance(
                appointment=appointment, target=target, user=request.user, **form.cleaned_data
            ),
        ):
            messages.success(request, f"{label}: done.")
            return redirect(appointment)
    return render_form_page(
        request,
        form,
        title=label,
        caption=f"{appointment.person} as {appointment.seat.title}, {appointment.body}",
        cancel_url=appointment.get_absolute_url(),
    )


# --- Terms ending soon ----------------------------------------------------------------------


@login_required
@permission_required("boards.view_membership", raise_exception=True)
@require_GET
def terms_ending(request):
    today = timezone.localdate()
    return render(
        request, "boards/terms_ending.html", {"terms": terms_ending_soon(request.user, today), "today": today}
    )
