"""The appointment lifecycle, declared once.

proposed → council approval → DfE approval (only when the body's rules need it: Chair,
Chief Executive) → Cabinet ratification → in office → ended. Rejection and withdrawal end a
proposal early. Guards stop the DfE step being skipped or taken when it is not needed, and a proposal
being dropped once the council's decision on its reserved-matter request is final.
"""

from trustgov.accounts.roles import Role, role_of
from trustgov.core.workflow import Transition, Workflow

from .models import Appointment

S = Appointment.Status
OFFICER = frozenset({Role.COUNCIL_OFFICER})
OFFICER_OR_TRUST = frozenset({Role.COUNCIL_OFFICER, Role.TRUST_EXECUTIVE})
DFE = frozenset({Role.DFE_LIAISON})


def _needs_dfe_first(appointment) -> str | None:
    if appointment.needs_dfe_approval:
        return (
            f"The DfE must approve the appointment of a {appointment.seat.get_role_display()} "
            "before Cabinet ratifies it."
        )
    return None


def _dfe_not_needed(appointment) -> str | None:
    if not appointment.needs_dfe_approval:
        return f"The DfE does not approve appointments of a {appointment.seat.get_role_display()} on this body."
    return None


def _council_decision_final(appointment) -> str | None:
    request = appointment.request
    if request is not None and request.status == "approved":
        return (
            f"The council's approval of the reserved matter '{request}' is final: record the Cabinet ratification, "
            "or end the term once in office."
        )
    return None


APPOINTMENT_WORKFLOW = Workflow(
    "appointment",
    dict(S.choices),
    [
        Transition(S.PROPOSED, S.COUNCIL_APPROVED, OFFICER, label="Record council approval"),
        Transition(S.COUNCIL_APPROVED, S.DFE_APPROVED, DFE, label="Record DfE approval", guard=_dfe_not_needed),
        Transition(
            S.COUNCIL_APPROVED, S.RATIFIED, OFFICER, label="Record Cabinet ratification", guard=_needs_dfe_first
        ),
        Transition(S.DFE_APPROVED, S.RATIFIED, OFFICER, label="Record Cabinet ratification"),
        Transition(S.RATIFIED, S.IN_OFFICE, OFFICER, label="Record taking office"),
        Transition(S.IN_OFFICE, S.ENDED, OFFICER, label="Record the end of the term"),
        Transition(S.PROPOSED, S.REJECTED, OFFICER, label="Reject"),
        Transition(S.COUNCIL_APPROVED, S.REJECTED, OFFICER | DFE, label="Reject", guard=_council_decision_final),
        Transition(S.PROPOSED, S.WITHDRAWN, OFFICER_OR_TRUST, label="Withdraw"),
        Transition(S.COUNCIL_APPROVED, S.WITHDRAWN, OFFICER_OR_TRUST, label="Withdraw", guard=_council_decision_final),
    ],
)

IN_PROGRESS = (S.PROPOSED, S.COUNCIL_APPROVED, S.DFE_APPROVED, S.RATIFIED)


def role_refusal(appointment, target: str, user) -> str | None:
    """Why ``user``'s role may not take the step to ``target``, or None.

    None also when the step is not in the workflow at all: that is bad input (a 400 naming the
    field, from the service), whereas a step someone else takes is a 403 on the web and the API.
    """
    transition = APPOINTMENT_WORKFLOW.transitions.get((appointment.status, target))
    if transition is None or getattr(user, "is_superuser", False) or role_of(user) in transition.roles:
        return None
    return f"Your role cannot {transition.label.lower()}: that step is for a {' or '.join(sorted(transition.roles))}."
