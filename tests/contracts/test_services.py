"""Contract, variation and reserved-matter rules, through the services every view and endpoint calls."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from contracts import services
from contracts.models import Contract, ContractYearFinance, ReservedMatterRequest, Variation
from contracts.selectors import current_escalation_stage
from trustgov.organisations.models import Direction

from ..factories import DirectionFactory
from .factories import (
    ContractFactory,
    EscalationFactory,
    RequestFactory,
    ReservedMatterFactory,
    RiskFactory,
    VariationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_today(time_machine):
    time_machine.move_to(date(2026, 11, 23), tick=False)


S = Contract.Status
RS = ReservedMatterRequest.Status


def _contract_data(tenant, **overrides):
    data = {
        "council": tenant.council,
        "delivery_body": tenant.body,
        "title": "Alpha contract",
        "reference": "ALPHA-1",
        "start_date": date(2025, 4, 1),
        "end_date": date(2030, 3, 31),
        "break_clause_date": date(2028, 3, 31),
        "break_notice_months": 6,
    }
    return {**data, **overrides}


def test_last_day_to_give_notice_counts_back_the_notice_period():
    contract = ContractFactory.build(break_clause_date=date(2028, 3, 31), break_notice_months=6)
    assert contract.last_day_to_give_notice == date(2027, 9, 30)
    contract.break_notice_months = None
    assert contract.last_day_to_give_notice is None


def test_officer_creates_a_contract(tenant_a):
    contract = services.contract_create(user=tenant_a.officer, **_contract_data(tenant_a))
    assert contract.status == S.DRAFT
    assert contract.history.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_date": date(2025, 1, 1)}, "end_date"),
        ({"break_clause_date": date(2031, 1, 1)}, "break_clause_date"),
        ({"break_clause_date": date(2025, 1, 1)}, "break_clause_date"),
        ({"shadow_start_date": date(2025, 5, 1)}, "shadow_start_date"),
        ({"break_clause_date": None}, "break_notice_months"),
        ({"annual_review_date": date(2024, 4, 1)}, "annual_review_date"),
    ],
)
def test_dates_out_of_order_are_refused_naming_the_field(tenant_a, overrides, field):
    with pytest.raises(ValidationError) as exc:
        services.contract_create(user=tenant_a.officer, **_contract_data(tenant_a, **overrides))
    assert field in exc.value.message_dict
    assert not Contract.objects.filter(reference="ALPHA-1").exists()


def test_trust_exec_cannot_create_a_contract(tenant_a):
    with pytest.raises(PermissionDenied):
        services.contract_create(user=tenant_a.trust_exec, **_contract_data(tenant_a))


def test_officer_cannot_create_a_contract_for_another_council(tenant_a, tenant_b):
    with pytest.raises(ValidationError) as exc:
        services.contract_create(user=tenant_a.officer, **_contract_data(tenant_b))
    assert "council" in exc.value.message_dict


def test_the_full_lifecycle_without_a_direction(tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body, status=S.DRAFT)
    for target in (S.SIGNED, S.LIVE, S.IN_NOTICE, S.TERMINATED):
        contract = services.contract_transition(
            contract=contract, user=tenant_a.officer, target=target, reason="Recorded in the test"
        )
    assert contract.status == S.TERMINATED
    assert contract.history.count() == 5


@pytest.mark.parametrize("source", [S.LIVE, S.IN_NOTICE])
def test_a_live_or_notice_contract_can_expire(tenant_a, source):
    contract = ContractFactory(delivery_body=tenant_a.body, status=source)
    assert (
        services.contract_transition(
            contract=contract, user=tenant_a.officer, target=S.EXPIRED, reason="Recorded in the test"
        ).status
        == S.EXPIRED
    )


@pytest.mark.parametrize(
    ("source", "target"),
    [
        (S.DRAFT, S.LIVE),
        (S.SIGNED, S.IN_NOTICE),
        (S.LIVE, S.TERMINATED),
        (S.TERMINATED, S.LIVE),
        (S.EXPIRED, S.LIVE),
        (S.DRAFT, S.TERMINATED),
    ],
)
def test_disallowed_transitions_are_refused(tenant_a, source, target):
    contract = ContractFactory(delivery_body=tenant_a.body, status=source)
    with pytest.raises(ValidationError) as exc:
        services.contract_transition(
            contract=contract, user=tenant_a.officer, target=target, reason="Recorded in the test"
        )
    assert "status" in exc.value.message_dict
    contract.refresh_from_db()
    assert contract.status == source


@pytest.mark.parametrize("role_user", ["trust_exec", "scrutiny"])
def test_only_officers_move_a_contract(tenant_a, role_user, dfe_user):
    contract = ContractFactory(delivery_body=tenant_a.body, status=S.DRAFT)
    for user in (getattr(tenant_a, role_user), dfe_user):
        with pytest.raises(ValidationError, match="Only a Council officer"):
            services.contract_transition(contract=contract, user=user, target=S.SIGNED, reason="Recorded in the test")


def test_termination_needs_dfe_consent_while_a_direction_is_in_force(tenant_a, dfe_user):
    DirectionFactory(council=tenant_a.council)
    contract = ContractFactory(delivery_body=tenant_a.body, status=S.IN_NOTICE)
    with pytest.raises(ValidationError, match="recorded DfE consent"):
        services.contract_transition(
            contract=contract, user=tenant_a.officer, target=S.TERMINATED, reason="Recorded in the test"
        )
    with pytest.raises(PermissionDenied):
        services.contract_record_termination_consent(
            contract=contract, user=tenant_a.officer, consented_on=date(2026, 11, 1), reference="DfE/1"
        )
    with pytest.raises(ValidationError) as exc:
        services.contract_record_termination_consent(
            contract=contract, user=dfe_user, consented_on=date(2026, 11, 1), reference=" "
        )
    assert "reference" in exc.value.message_dict
    services.contract_record_termination_consent(
        contract=contract, user=dfe_user, consented_on=date(2026, 11, 1), reference="DfE/1"
    )
    contract = services.contract_transition(
        contract=contract, user=tenant_a.officer, target=S.TERMINATED, reason="Recorded in the test"
    )
    assert contract.status == S.TERMINATED


def test_a_revoked_direction_needs_no_consent(tenant_a):
    DirectionFactory(council=tenant_a.council, status=Direction.Status.REVOKED, revoked_on=date(2025, 1, 1))
    contract = ContractFactory(delivery_body=tenant_a.body, status=S.IN_NOTICE)
    assert services.contract_transition(
        contract=contract, user=tenant_a.officer, target=S.TERMINATED, reason="Recorded in the test"
    ).status == (S.TERMINATED)


# --- Money ----------------------------------------------------------------------------------------


def test_finance_year_is_recorded_exactly(tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body)
    finance = services.finance_year_save(
        contract=contract,
        user=tenant_a.officer,
        financial_year=2018,
        contract_sum="58330000.00",
        dfe_vat_funding=Decimal("1660000.00"),
    )
    finance.refresh_from_db()
    assert finance.contract_sum == Decimal("58330000.00")
    assert finance.label == "2018/19"


@pytest.mark.parametrize(
    ("field", "value"),
    [("contract_sum", "-1"), ("accommodation_income", "lots"), ("grants_and_contributions", Decimal("-0.01"))],
)
def test_negative_or_non_numeric_money_is_refused(tenant_a, field, value):
    contract = ContractFactory(delivery_body=tenant_a.body)
    data = {"financial_year": 2018, "contract_sum": Decimal("1"), field: value}
    with pytest.raises(ValidationError) as exc:
        services.finance_year_save(contract=contract, user=tenant_a.officer, **data)
    assert field in exc.value.message_dict
    assert not ContractYearFinance.objects.filter(contract=contract).exists()


def test_set_up_costs_need_a_funder(tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body)
    with pytest.raises(ValidationError) as exc:
        services.finance_year_save(
            contract=contract, user=tenant_a.officer, financial_year=2014, contract_sum=0, setup_costs=2000000
        )
    assert "setup_costs_funder" in exc.value.message_dict


def test_budget_month_variance_and_correction(tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body)
    row = services.budget_month_save(
        contract=contract,
        user=tenant_a.officer,
        month=date(2026, 5, 17),
        budget=Decimal("100.00"),
        forecast_outturn=Decimal("112.50"),
    )
    assert row.month == date(2026, 5, 1)
    assert row.variance == Decimal("12.50")
    again = services.budget_month_save(
        contract=contract,
        user=tenant_a.officer,
        month=date(2026, 5, 1),
        budget=Decimal("100.00"),
        forecast_outturn=Decimal("90.00"),
    )
    assert again.pk == row.pk and again.variance == Decimal("-10.00")


def test_ssa_term_must_end_after_it_starts(tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body)
    with pytest.raises(ValidationError) as exc:
        services.support_service_save(
            contract=contract,
            user=tenant_a.officer,
            service="Payroll",
            term_start=date(2026, 4, 1),
            term_end=date(2026, 3, 1),
            annual_charge=1,
        )
    assert "term_end" in exc.value.message_dict


# --- Variations, escalation, risk -----------------------------------------------------------------


def test_major_variation_needs_dfe_consent_while_a_direction_is_in_force(tenant_a, dfe_user):
    DirectionFactory(council=tenant_a.council)
    variation = VariationFactory(contract=ContractFactory(delivery_body=tenant_a.body), is_major=True)
    with pytest.raises(ValidationError, match="DfE consent"):
        services.variation_transition(
            variation=variation,
            user=tenant_a.officer,
            target=Variation.Status.IN_EFFECT,
            effective_on=date(2026, 11, 1),
            reason="Recorded in the test",
        )
    with pytest.raises(PermissionDenied):
        services.variation_record_dfe_consent(
            variation=variation, user=tenant_a.officer, consented_on=date(2026, 11, 1), reference="x"
        )
    services.variation_record_dfe_consent(
        variation=variation, user=dfe_user, consented_on=date(2026, 11, 1), reference="DfE/2026/14"
    )
    variation = services.variation_transition(
        variation=variation,
        user=tenant_a.officer,
        target=Variation.Status.IN_EFFECT,
        effective_on=date(2026, 11, 2),
        reason="Recorded in the test",
    )
    assert variation.status == Variation.Status.IN_EFFECT


def test_minor_variation_takes_effect_without_consent(tenant_a):
    DirectionFactory(council=tenant_a.council)
    variation = VariationFactory(contract=ContractFactory(delivery_body=tenant_a.body), is_major=False)
    variation = services.variation_transition(
        variation=variation,
        user=tenant_a.officer,
        target=Variation.Status.IN_EFFECT,
        effective_on=date(2026, 11, 2),
        reason="Recorded in the test",
    )
    assert variation.status == Variation.Status.IN_EFFECT


def test_current_escalation_stage_is_the_furthest_reached(tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body)
    assert current_escalation_stage(contract) is None
    EscalationFactory(contract=contract, stage="concern", taken_on=date(2026, 1, 1))
    EscalationFactory(contract=contract, stage="remedial_plan", taken_on=date(2026, 3, 1))
    EscalationFactory(contract=contract, stage="formal_notice", taken_on=date(2026, 2, 1))
    assert current_escalation_stage(contract).stage == "remedial_plan"


def test_escalation_step_cannot_be_in_the_future(tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body)
    with pytest.raises(ValidationError) as exc:
        services.escalation_record(
            contract=contract, user=tenant_a.officer, stage="concern", taken_on=date(2027, 1, 1), summary="x"
        )
    assert "taken_on" in exc.value.message_dict


@pytest.mark.parametrize(
    ("likelihood", "impact", "rag"), [(5, 5, "Red"), (3, 5, "Red"), (2, 4, "Amber"), (1, 5, "Green")]
)
def test_risk_score_and_rag(likelihood, impact, rag):
    risk = RiskFactory.build(likelihood=likelihood, impact=impact)
    assert risk.score == likelihood * impact and risk.rag == rag


def test_risk_scores_outside_one_to_five_are_refused(tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body)
    with pytest.raises(ValidationError) as exc:
        services.risk_save(contract=contract, user=tenant_a.officer, title="x", owner="y", likelihood=6, impact=1)
    assert "likelihood" in exc.value.message_dict


# --- Reserved matters -----------------------------------------------------------------------------


def _raise(tenant, *, dfe: bool):
    matter = ReservedMatterFactory(delivery_body=tenant.body, requires_dfe_consent=dfe)
    return services.request_raise(
        user=tenant.trust_exec,
        reserved_matter=matter,
        title="Appoint the Chair",
        details="Please",
        decision_due=date(2026, 12, 31),
    )


def _council_approves(request, officer, **kw):
    return services.request_record_council_decision(
        request=request,
        user=officer,
        decision="approved",
        decided_on=date(2026, 11, 23),
        decision_reference="Cabinet 23 November 2026",
        **kw,
    )


def test_request_needing_dfe_consent_walks_to_approved(tenant_a, dfe_user):
    DirectionFactory(council=tenant_a.council)
    request = _raise(tenant_a, dfe=True)
    assert request.needs_dfe_consent and request.status == RS.RAISED
    request = _council_approves(request, tenant_a.officer)
    assert request.status == RS.AWAITING_DFE
    request = services.request_record_dfe_decision(
        request=request, user=dfe_user, decision="approved", decided_on=date(2026, 11, 23), reference="DfE/9"
    )
    assert request.status == RS.APPROVED
    assert request.dfe_decided_by == dfe_user
    assert request.history.count() == 3


def test_request_without_dfe_consent_is_final_at_council(tenant_a):
    request = _raise(tenant_a, dfe=True)  # no direction in force for this council
    assert not request.needs_dfe_consent
    assert _council_approves(request, tenant_a.officer).status == RS.APPROVED


def test_council_refusal_ends_the_request(tenant_a):
    request = _raise(tenant_a, dfe=False)
    request = services.request_record_council_decision(
        request=request,
        user=tenant_a.officer,
        decision="refused",
        decided_on=date(2026, 11, 23),
        decision_reference="Lead Member decision 12/26",
    )
    assert request.status == RS.REFUSED


def test_dfe_refusal(tenant_a, dfe_user):
    DirectionFactory(council=tenant_a.council)
    request = _council_approves(_raise(tenant_a, dfe=True), tenant_a.officer)
    request = services.request_record_dfe_decision(
        request=request, user=dfe_user, decision="refused", decided_on=date(2026, 11, 23)
    )
    assert request.status == RS.REFUSED


def test_consent_by_the_wrong_role_is_refused(tenant_a):
    DirectionFactory(council=tenant_a.council)
    request = _council_approves(_raise(tenant_a, dfe=True), tenant_a.officer)
    for user in (tenant_a.officer, tenant_a.trust_exec, tenant_a.scrutiny):
        with pytest.raises(ValidationError, match="Only a DfE liaison"):
            services.request_record_dfe_decision(
                request=request, user=user, decision="approved", decided_on=date(2026, 11, 23)
            )
    request.refresh_from_db()
    assert request.status == RS.AWAITING_DFE


def test_dfe_cannot_consent_before_the_council_decides(tenant_a, dfe_user):
    DirectionFactory(council=tenant_a.council)
    request = _raise(tenant_a, dfe=True)
    with pytest.raises(ValidationError, match="awaiting DfE consent"):
        services.request_record_dfe_decision(
            request=request, user=dfe_user, decision="approved", decided_on=date(2026, 11, 23)
        )


def test_council_cannot_skip_dfe_consent_or_decide_twice(tenant_a):
    DirectionFactory(council=tenant_a.council)
    request = _council_approves(_raise(tenant_a, dfe=True), tenant_a.officer)
    with pytest.raises(ValidationError, match="cannot move"):
        _council_approves(request, tenant_a.officer)


def test_trust_exec_cannot_record_the_council_decision(tenant_a):
    request = _raise(tenant_a, dfe=False)
    with pytest.raises(ValidationError, match="Only a Council officer"):
        _council_approves(request, tenant_a.trust_exec)


def test_council_decision_needs_its_reference_and_a_sensible_date(tenant_a):
    request = _raise(tenant_a, dfe=False)
    with pytest.raises(ValidationError) as exc:
        services.request_record_council_decision(
            request=request,
            user=tenant_a.officer,
            decision="approved",
            decided_on=date(2026, 12, 25),
            decision_reference="",
        )
    assert {"decision_reference", "decided_on"} <= set(exc.value.message_dict)
    request.refresh_from_db()
    assert request.status == RS.RAISED


def test_trust_exec_cannot_raise_for_another_trust(tenant_a, tenant_b):
    other = ReservedMatterFactory(delivery_body=tenant_b.body)
    with pytest.raises(ValidationError) as exc:
        services.request_raise(
            user=tenant_a.trust_exec, reserved_matter=other, title="x", details="y", decision_due=date(2026, 12, 31)
        )
    assert "reserved_matter" in exc.value.message_dict
    assert not ReservedMatterRequest.objects.filter(reserved_matter=other).exists()


def test_scrutiny_and_dfe_cannot_raise(tenant_a, dfe_user):
    matter = ReservedMatterFactory(delivery_body=tenant_a.body)
    for user in (tenant_a.scrutiny, dfe_user):
        with pytest.raises(PermissionDenied):
            services.request_raise(
                user=user, reserved_matter=matter, title="x", details="y", decision_due=date(2026, 12, 31)
            )


def test_decision_due_in_the_past_is_refused(tenant_a):
    matter = ReservedMatterFactory(delivery_body=tenant_a.body)
    with pytest.raises(ValidationError) as exc:
        services.request_raise(
            user=tenant_a.trust_exec, reserved_matter=matter, title="x", details="y", decision_due=date(2026, 1, 1)
        )
    assert "decision_due" in exc.value.message_dict


def test_withdraw_by_raiser_and_not_after_the_end(tenant_a, dfe_user):
    request = _raise(tenant_a, dfe=False)
    with pytest.raises(ValidationError):
        services.request_withdraw(request=request, user=dfe_user, reason="x")
    with pytest.raises(ValidationError) as exc:
        services.request_withdraw(request=request, user=tenant_a.trust_exec, reason=" ")
    assert "reason" in exc.value.message_dict
    request = services.request_withdraw(request=request, user=tenant_a.trust_exec, reason="Board changed its mind")
    assert request.status == RS.WITHDRAWN
    with pytest.raises(ValidationError, match="cannot move"):
        _council_approves(request, tenant_a.officer)


def test_requests_are_404_to_other_tenants(tenant_a, tenant_b):
    from trustgov.core.scoping import visible

    request = RequestFactory(
        reserved_matter=ReservedMatterFactory(delivery_body=tenant_a.body), raised_by=tenant_a.trust_exec
    )
    for user in (tenant_b.officer, tenant_b.trust_exec, tenant_b.scrutiny):
        assert not visible(ReservedMatterRequest, user).filter(pk=request.pk).exists()
    assert visible(ReservedMatterRequest, tenant_a.scrutiny).filter(pk=request.pk).exists()
