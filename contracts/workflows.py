"""The lifecycles of the contracts app, declared once: the contract, its variations and reserved-matter requests."""

from trustgov.accounts.roles import Role
from trustgov.core.workflow import Transition, Workflow

from .models import Contract, ReservedMatterRequest, Variation
from .selectors import direction_in_force

OFFICER = frozenset({Role.COUNCIL_OFFICER})
DFE = frozenset({Role.DFE_LIAISON})
RAISERS = frozenset({Role.COUNCIL_OFFICER, Role.TRUST_EXECUTIVE})


def termination_needs_consent(contract: Contract) -> str | None:
    """Why the contract cannot be terminated yet (a direction in force and no DfE consent), or None."""
    if direction_in_force(contract.council) and not contract.termination_consent_on:
        return (
            f"The contract cannot be terminated without a recorded DfE consent while a direction is in force "
            f"for {contract.council}."
        )
    return None


def notice_needs_consent(contract: Contract) -> str | None:
    """Serving notice ends the contract early: a termination, on the same rule."""
    if direction_in_force(contract.council) and not contract.termination_consent_on:
        return (
            "Serving notice ends the contract early, which is a termination: it needs a recorded DfE consent "
            f"while a direction is in force for {contract.council}."
        )
    return None


def early_expiry_needs_consent(contract: Contract) -> str | None:
    """Expiry before the end date is an early end, so a termination; at or after the end date it is not."""
    from .clock import is_early

    if is_early(contract) and direction_in_force(contract.council) and not contract.termination_consent_on:
        return (
            f"The contract runs to {contract.end_date:%-d %B %Y}: ending it before then is a termination, which needs "
            f"a recorded DfE consent while a direction is in force for {contract.council}."
        )
    return None


C = Contract.Status
CONTRACT_WORKFLOW = Workflow(
    "contract",
    dict(C.choices),
    [
        Transition(C.DRAFT, C.SIGNED, OFFICER, label="Record that the contract is signed"),
        Transition(C.SIGNED, C.LIVE, OFFICER, label="Go live"),
        Transition(C.LIVE, C.IN_NOTICE, OFFICER, label="Serve notice", guard=notice_needs_consent),
        Transition(C.LIVE, C.EXPIRED, OFFICER, label="Record expiry", guard=early_expiry_needs_consent),
        Transition(C.IN_NOTICE, C.EXPIRED, OFFICER, label="Record expiry", guard=early_expiry_needs_consent),
        Transition(C.IN_NOTICE, C.TERMINATED, OFFICER, label="Terminate", guard=termination_needs_consent),
    ],
    tones={C.SIGNED: "blue", C.LIVE: "green", C.IN_NOTICE: "yellow", C.TERMINATED: "red"},
)


def _major_needs_consent(variation: Variation) -> str | None:
    if variation.is_major and direction_in_force(variation.contract.council) and not variation.dfe_consent_on:
        return "A major service change cannot take effect without a recorded DfE consent while a direction is in force."
    return None


V = Variation.Status
VARIATION_WORKFLOW = Workflow(
    "variation",
    dict(V.choices),
    [
        Transition(V.PROPOSED, V.IN_EFFECT, OFFICER, label="Make effective", guard=_major_needs_consent),
        Transition(V.PROPOSED, V.WITHDRAWN, OFFICER, label="Withdraw"),
    ],
    tones={V.IN_EFFECT: "green"},
)


def _needs_consent(request: ReservedMatterRequest) -> str | None:
    if request.needs_dfe_consent:
        return (
            "This matter needs DfE consent while the direction is in force: the council's approval sends it to the DfE."
        )
    return None


def _needs_no_consent(request: ReservedMatterRequest) -> str | None:
    if not request.needs_dfe_consent:
        return "This matter does not need DfE consent: the council's approval is final."
    return None


R = ReservedMatterRequest.Status
REQUEST_WORKFLOW = Workflow(
    "reserved-matter request",
    dict(R.choices),
    [
        Transition(R.RAISED, R.APPROVED, OFFICER, label="Council approves", guard=_needs_consent),
        Transition(
            R.RAISED, R.AWAITING_DFE, OFFICER, label="Council approves, subject to DfE consent", guard=_needs_no_consent
        ),
        Transition(R.RAISED, R.REFUSED, OFFICER, label="Council refuses"),
        Transition(R.AWAITING_DFE, R.APPROVED, DFE, label="DfE consents"),
        Transition(R.AWAITING_DFE, R.REFUSED, DFE, label="DfE refuses consent"),
        Transition(R.RAISED, R.WITHDRAWN, RAISERS, label="Withdraw"),
        Transition(R.AWAITING_DFE, R.WITHDRAWN, RAISERS, label="Withdraw"),
    ],
    tones={R.AWAITING_DFE: "yellow", R.APPROVED: "green", R.REFUSED: "red"},
)
