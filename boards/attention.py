"""'What needs my attention' for boards: appointments waiting for the user's step, terms ending soon."""

from django.utils import timezone

from trustgov.accounts.roles import Role, role_of
from trustgov.core.navigation import AttentionItem

from .models import Appointment
from .selectors import appointments_visible_to, terms_ending_soon
from .workflows import APPOINTMENT_WORKFLOW, IN_PROGRESS

# Steps that are routine choices rather than a decision waiting on someone.
_NOT_AWAITED = {Appointment.Status.REJECTED, Appointment.Status.WITHDRAWN}


def appointments_awaiting_me(user) -> list[AttentionItem]:
    role = role_of(user)
    if role not in (Role.COUNCIL_OFFICER, Role.TRUST_EXECUTIVE, Role.DFE_LIAISON):
        return []
    items = []
    in_progress = appointments_visible_to(user).filter(status__in=IN_PROGRESS).prefetch_related("steps")
    for appointment in in_progress:
        targets = set(APPOINTMENT_WORKFLOW.allowed_targets(appointment.status, user=user, obj=appointment))
        waiting_on_me = targets - _NOT_AWAITED
        if waiting_on_me:
            step = APPOINTMENT_WORKFLOW.transitions[(appointment.status, next(iter(sorted(waiting_on_me))))].label
            tag, colour, others = "Your step", "yellow", False
        elif role == Role.TRUST_EXECUTIVE and appointment.proposed_by_id == user.pk:
            step, tag, colour = f"Waiting: {appointment.get_status_display().lower()}", "In progress", "blue"
            others = True
        else:
            continue
        last_step = max((s.decided_on for s in appointment.steps.all()), default=None)
        items.append(
            AttentionItem(
                title=f"Appointment: {appointment.person} as {appointment.seat.title}",
                url=appointment.get_absolute_url(),
                detail=f"{appointment.body} · {step}",
                tag=tag,
                tag_colour=colour,
                waiting_since=last_step or timezone.localdate(appointment.created_at),
                waiting_on_others=others,
            )
        )
    return items


def terms_ending_for_officers(user) -> list[AttentionItem]:
    if role_of(user) != Role.COUNCIL_OFFICER:
        return []
    return [
        AttentionItem(
            title=f"Term ending: {m.person} ({m.seat.title})",
            url=m.seat.body.get_absolute_url(),
            detail=str(m.seat.body),
            due=m.end_date,
            tag="Term ending",
            tag_colour="yellow",
        )
        for m in terms_ending_soon(user, timezone.localdate())
    ]
