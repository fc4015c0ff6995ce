"""Every lifecycle rule, for every role: each (from, to) pair of each workflow is either allowed for exactly
the roles listed here, or refused for everyone with a message naming the status and nothing saved.

The expected tables are written out here, not read from workflows.py, so a change to a lifecycle has to
change this file too.
"""

from datetime import date
from itertools import permutations

import pytest
from django.core.exceptions import ValidationError

from contracts import services
from contracts.models import Contract, ReservedMatterRequest, Variation
from contracts.workflows import REQUEST_WORKFLOW
from trustgov.accounts.roles import Role
from trustgov.organisations.models import Direction

from ..factories import DirectionFactory
from .factories import ContractFactory, RequestFactory, ReservedMatterFactory, VariationFactory

pytestmark = pytest.mark.django_db

S, V, R = Contract.Status, Variation.Status, ReservedMatterRequest.Status
ALL_ROLES = ("officer", "trust_exec", "scrutiny", "dfe")

CONTRACT_ALLOWED = {
    (S.DRAFT, S.SIGNED): {"officer"},
    (S.SIGNED, S.LIVE): {"officer"},
    (S.LIVE, S.IN_NOTICE): {"officer"},
    (S.LIVE, S.EXPIRED): {"officer"},
    (S.IN_NOTICE, S.EXPIRED): {"officer"},
    (S.IN_NOTICE, S.TERMINATED): {"officer"},
}
VARIATION_ALLOWED = {(V.PROPOSED, V.IN_EFFECT): {"officer"}, (V.PROPOSED, V.WITHDRAWN): {"officer"}}
REQUEST_ALLOWED = {
    (R.RAISED, R.APPROVED): {"officer"},  # only when the matter needs no DfE consent
    (R.RAISED, R.AWAITING_DFE): {"officer"},  # only when it does
    (R.RAISED, R.REFUSED): {"officer"},
    (R.AWAITING_DFE, R.APPROVED): {"dfe"},
    (R.AWAITING_DFE, R.REFUSED): {"dfe"},
    (R.RAISED, R.WITHDRAWN): {"officer", "trust_exec"},
    (R.AWAITING_DFE, R.WITHDRAWN): {"officer", "trust_exec"},
}


@pytest.fixture(autouse=True)
def _frozen_today(time_machine):
    time_machine.move_to(date(2026, 11, 23), tick=False)


def test_the_expected_tables_cover_the_declared_workflows():
    from contracts.workflows import CONTRACT_WORKFLOW, VARIATION_WORKFLOW

    for workflow, table in (
        (CONTRACT_WORKFLOW, CONTRACT_ALLOWED),
        (VARIATION_WORKFLOW, VARIATION_ALLOWED),
        (REQUEST_WORKFLOW, REQUEST_ALLOWED),
    ):
        assert set(workflow.transitions) == set(table)
        role_names = {Role.COUNCIL_OFFICER: "officer", Role.TRUST_EXECUTIVE: "trust_exec", Role.DFE_LIAISON: "dfe"}
        for pair, transition in workflow.transitions.items():
            assert {role_names[r] for r in transition.roles} == table[pair]


# --- Contract --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "target"), list(permutations(S.values, 2)))
def test_contract_transition_for_every_pair_and_role(tenant_a, users, source, target):
    allowed = CONTRACT_ALLOWED.get((source, target), set())
    contract = ContractFactory(delivery_body=tenant_a.body, status=source)
    for role in ALL_ROLES:
        if role in allowed:
            continue
        with pytest.raises(ValidationError) as exc:
            services.contract_transition(
                contract=contract, user=users[role], target=target, reason="Recorded in the test"
            )
        message = exc.value.message_dict["status"][0]
        assert ("Only a Council officer" in message) if allowed else ("cannot move" in message)
        contract.refresh_from_db()
        assert contract.status == source
        assert contract.history.count() == 1
    if allowed:
        moved = services.contract_transition(
            contract=contract, user=users["officer"], target=target, reason="Recorded in the test"
        )
        assert moved.status == target and moved.history.count() == 2


def test_contract_refusal_says_where_it_can_go(tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body, status=S.LIVE)
    with pytest.raises(ValidationError, match="From 'Live' it can move to: In notice, Expired"):
        services.contract_transition(
            contract=contract, user=tenant_a.officer, target=S.TERMINATED, reason="Recorded in the test"
        )


@pytest.mark.parametrize(
    ("direction", "consented", "allowed"),
    [("in_force", False, False), ("in_force", True, True), ("revoked", False, True), (None, False, True)],
)
def test_termination_and_dfe_consent(tenant_a, dfe_user, direction, consented, allowed):
    if direction == "in_force":
        DirectionFactory(council=tenant_a.council)
    elif direction == "revoked":
        DirectionFactory(council=tenant_a.council, status=Direction.Status.REVOKED, revoked_on=date(2025, 1, 1))
    contract = ContractFactory(delivery_body=tenant_a.body, status=S.IN_NOTICE)
    if consented:
        services.contract_record_termination_consent(
            contract=contract, user=dfe_user, consented_on=date(2026, 11, 20), reference="DfE/T/1"
        )
    if allowed:
        assert services.contract_transition(
            contract=contract, user=tenant_a.officer, target=S.TERMINATED, reason="Recorded in the test"
        ).status == (S.TERMINATED)
    else:
        with pytest.raises(ValidationError, match="without a recorded DfE consent while a direction is in force"):
            services.contract_transition(
                contract=contract, user=tenant_a.officer, target=S.TERMINATED, reason="Recorded in the test"
            )
        contract.refresh_from_db()
        assert contract.status == S.IN_NOTICE
    # Expiry before the end date (2030) is an early end, so a termination: the same rule holds.
    if not allowed:
        with pytest.raises(ValidationError, match="ending it before then is a termination"):
            services.contract_transition(
                contract=contract, user=tenant_a.officer, target=S.EXPIRED, reason="Recorded in the test"
            )
        contract.refresh_from_db()
        assert contract.status == S.IN_NOTICE


@pytest.mark.parametrize("role", ["officer", "trust_exec", "scrutiny"])
def test_only_the_dfe_records_a_termination_consent(tenant_a, users, role):
    from django.core.exceptions import PermissionDenied

    contract = ContractFactory(delivery_body=tenant_a.body, status=S.IN_NOTICE)
    with pytest.raises(PermissionDenied):
        services.contract_record_termination_consent(
            contract=contract, user=users[role], consented_on=date(2026, 11, 20), reference="DfE/T/1"
        )
    contract.refresh_from_db()
    assert contract.termination_consent_on is None


@pytest.mark.parametrize(
    ("consented_on", "status", "field"),
    [(date(2026, 12, 1), S.IN_NOTICE, "consented_on"), (date(2026, 11, 1), S.TERMINATED, "consented_on")],
)
def test_termination_consent_in_the_future_or_after_the_end_is_refused(tenant_a, dfe_user, consented_on, status, field):
    contract = ContractFactory(delivery_body=tenant_a.body, status=status)
    with pytest.raises(ValidationError) as exc:
        services.contract_record_termination_consent(
            contract=contract, user=dfe_user, consented_on=consented_on, reference="DfE/T/1"
        )
    assert field in exc.value.message_dict


def test_termination_escalation_step_needs_dfe_consent_while_a_direction_is_in_force(tenant_a, dfe_user):
    DirectionFactory(council=tenant_a.council)
    contract = ContractFactory(delivery_body=tenant_a.body, status=S.IN_NOTICE)
    step = {"stage": "termination", "taken_on": date(2026, 11, 20), "summary": "Contract terminated for failure"}
    with pytest.raises(ValidationError) as exc:
        services.escalation_record(contract=contract, user=tenant_a.officer, **step)
    assert "recorded DfE consent" in exc.value.message_dict["stage"][0]
    assert not contract.escalation_steps.exists()
    services.contract_record_termination_consent(
        contract=contract, user=dfe_user, consented_on=date(2026, 11, 19), reference="DfE/T/2"
    )
    assert services.escalation_record(contract=contract, user=tenant_a.officer, **step).stage == "termination"


# --- Variation -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "target"), list(permutations(V.values, 2)))
def test_variation_transition_for_every_pair_and_role(tenant_a, users, source, target):
    allowed = VARIATION_ALLOWED.get((source, target), set())
    variation = VariationFactory(contract=ContractFactory(delivery_body=tenant_a.body), status=source, is_major=False)
    for role in ALL_ROLES:
        if role in allowed:
            continue
        with pytest.raises(ValidationError) as exc:
            services.variation_transition(
                variation=variation,
                user=users[role],
                target=target,
                effective_on=date(2026, 11, 2),
                reason="Recorded in the test",
            )
        message = exc.value.message_dict["status"][0]
        assert ("Only a Council officer" in message) if allowed else ("cannot move" in message)
        variation.refresh_from_db()
        assert variation.status == source
    if allowed:
        moved = services.variation_transition(
            variation=variation,
            user=users["officer"],
            target=target,
            effective_on=date(2026, 11, 2),
            reason="Recorded in the test",
        )
        assert moved.status == target


@pytest.mark.parametrize(
    ("is_major", "direction", "consented", "allowed"),
    [
        (True, "in_force", False, False),
        (True, "in_force", True, True),
        (True, "revoked", False, True),
        (True, None, False, True),
        (False, "in_force", False, True),
    ],
)
def test_major_variation_and_dfe_consent(tenant_a, dfe_user, is_major, direction, consented, allowed):
    if direction == "in_force":
        DirectionFactory(council=tenant_a.council)
    elif direction == "revoked":
        DirectionFactory(council=tenant_a.council, status=Direction.Status.REVOKED, revoked_on=date(2025, 1, 1))
    variation = VariationFactory(contract=ContractFactory(delivery_body=tenant_a.body), is_major=is_major)
    if consented:
        services.variation_record_dfe_consent(
            variation=variation, user=dfe_user, consented_on=date(2026, 11, 1), reference="DfE/V/1"
        )
    move = {"variation": variation, "user": tenant_a.officer, "target": V.IN_EFFECT, "effective_on": date(2026, 11, 2)}
    if allowed:
        assert services.variation_transition(**move, reason="Recorded in the test").status == V.IN_EFFECT
    else:
        with pytest.raises(ValidationError, match="major service change cannot take effect without a recorded DfE"):
            services.variation_transition(**move, reason="Recorded in the test")
        variation.refresh_from_db()
        assert variation.status == V.PROPOSED and variation.effective_on is None


def test_a_variation_needs_a_sensible_effective_date(tenant_a):
    variation = VariationFactory(contract=ContractFactory(delivery_body=tenant_a.body), is_major=False)
    for effective_on in (None, date(2025, 12, 31)):
        with pytest.raises(ValidationError) as exc:
            services.variation_transition(
                variation=variation,
                user=tenant_a.officer,
                target=V.IN_EFFECT,
                effective_on=effective_on,
                reason="Recorded in the test",
            )
        assert "effective_on" in exc.value.message_dict
    variation.refresh_from_db()
    assert variation.status == V.PROPOSED


@pytest.mark.parametrize("role", ["officer", "trust_exec", "scrutiny"])
def test_only_the_dfe_records_a_variation_consent(tenant_a, users, role):
    from django.core.exceptions import PermissionDenied

    variation = VariationFactory(contract=ContractFactory(delivery_body=tenant_a.body))
    with pytest.raises(PermissionDenied):
        services.variation_record_dfe_consent(
            variation=variation, user=users[role], consented_on=date(2026, 11, 1), reference="DfE/V/1"
        )
    variation.refresh_from_db()
    assert variation.dfe_consent_on is None


def test_an_ended_contract_cannot_be_varied(tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body, status=S.EXPIRED)
    with pytest.raises(ValidationError) as exc:
        services.variation_propose(contract=contract, user=tenant_a.officer, title="Late change")
    assert "title" in exc.value.message_dict
    assert not contract.variations.exists()


# --- Reserved-matter request -----------------------------------------------------------------------


@pytest.mark.parametrize("needs_dfe", [True, False])
@pytest.mark.parametrize(("source", "target"), list(permutations(R.values, 2)))
def test_request_workflow_for_every_pair_and_role(tenant_a, users, source, target, needs_dfe):
    request = RequestFactory.build(status=source, needs_dfe_consent=needs_dfe)
    allowed = REQUEST_ALLOWED.get((source, target), set())
    # The council's approval is final or goes to the DfE, depending on whether the matter needs consent.
    if (source, target) == (R.RAISED, R.APPROVED) and needs_dfe:
        allowed, guard = set(), "needs DfE consent"
    elif (source, target) == (R.RAISED, R.AWAITING_DFE) and not needs_dfe:
        allowed, guard = set(), "does not need DfE consent"
    else:
        guard = None
    for role in ALL_ROLES:
        check = {"obj": request, "source": source, "target": target, "user": users[role]}
        if role in allowed:
            REQUEST_WORKFLOW.check(**check)
            continue
        with pytest.raises(ValidationError) as exc:
            REQUEST_WORKFLOW.check(**check)
        message = exc.value.message_dict["status"][0]
        if guard and role == "officer":
            assert guard in message
        elif (source, target) in REQUEST_ALLOWED:
            assert message.startswith("Only a")
        else:
            assert "cannot move" in message


def _request(tenant, *, dfe: bool, status=R.RAISED):
    matter = ReservedMatterFactory(delivery_body=tenant.body, requires_dfe_consent=dfe)
    return RequestFactory(reserved_matter=matter, raised_by=tenant.trust_exec, status=status, needs_dfe_consent=dfe)


@pytest.mark.parametrize("role", ["trust_exec", "scrutiny", "dfe"])
def test_only_an_officer_records_the_council_decision(tenant_a, users, role):
    request = _request(tenant_a, dfe=False)
    with pytest.raises(ValidationError, match="Only a Council officer"):
        services.request_record_council_decision(
            request=request,
            user=users[role],
            decision="approved",
            decided_on=date(2026, 11, 20),
            decision_reference="x",
        )
    request.refresh_from_db()
    assert request.status == R.RAISED and not request.council_decision


@pytest.mark.parametrize("role", ["officer", "trust_exec", "scrutiny"])
def test_only_the_dfe_records_the_dfe_decision(tenant_a, users, role):
    DirectionFactory(council=tenant_a.council)
    request = _request(tenant_a, dfe=True, status=R.AWAITING_DFE)
    with pytest.raises(ValidationError, match="Only a DfE liaison"):
        services.request_record_dfe_decision(
            request=request, user=users[role], decision="approved", decided_on=date(2026, 11, 20)
        )
    request.refresh_from_db()
    assert request.status == R.AWAITING_DFE and request.dfe_decided_by is None


@pytest.mark.parametrize(
    ("role", "allowed"), [("officer", True), ("trust_exec", True), ("scrutiny", False), ("dfe", False)]
)
@pytest.mark.parametrize("status", [R.RAISED, R.AWAITING_DFE])
def test_withdrawal_by_role(tenant_a, users, role, allowed, status):
    request = _request(tenant_a, dfe=True, status=status)
    if allowed:
        assert services.request_withdraw(request=request, user=users[role], reason="Superseded").status == R.WITHDRAWN
    else:
        with pytest.raises(ValidationError, match="Only a"):
            services.request_withdraw(request=request, user=users[role], reason="Superseded")


@pytest.mark.parametrize("status", [R.APPROVED, R.REFUSED, R.WITHDRAWN])
def test_a_finished_request_cannot_be_decided_consented_or_withdrawn(tenant_a, users, status):
    request = _request(tenant_a, dfe=True, status=status)
    with pytest.raises(ValidationError, match="cannot move"):
        services.request_record_council_decision(
            request=request,
            user=users["officer"],
            decision="refused",
            decided_on=date(2026, 11, 20),
            decision_reference="x",
        )
    with pytest.raises(ValidationError, match="awaiting DfE consent"):
        services.request_record_dfe_decision(
            request=request, user=users["dfe"], decision="approved", decided_on=date(2026, 11, 20)
        )
    with pytest.raises(ValidationError, match="cannot move"):
        services.request_withdraw(request=request, user=users["trust_exec"], reason="x")
    request.refresh_from_db()
    assert request.status == status


def test_a_direction_revoked_before_the_council_decides_makes_its_approval_final(tenant_a):
    direction = DirectionFactory(council=tenant_a.council)
    matter = ReservedMatterFactory(delivery_body=tenant_a.body, requires_dfe_consent=True)
    request = services.request_raise(
        user=tenant_a.trust_exec,
        reserved_matter=matter,
        title="Appoint the Chair",
        details="x",
        decision_due=date(2026, 12, 31),
    )
    assert request.needs_dfe_consent
    direction.status, direction.revoked_on = Direction.Status.REVOKED, date(2026, 11, 22)
    direction.save()
    decided = services.request_record_council_decision(
        request=request,
        user=tenant_a.officer,
        decision="approved",
        decided_on=date(2026, 11, 23),
        decision_reference="Cabinet",
    )
    assert decided.status == R.APPROVED and not decided.needs_dfe_consent
