"""Every change to contract records: keyword-only, atomic, and refusing bad input with a message naming the field.

Views and the API both call these. Lifecycle rules live in workflows.py.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from trustgov.accounts.recipients import dfe_users, owners_dcs, owners_officers, party_officers, trust_executives
from trustgov.core.dates import add_months
from trustgov.core.exempt import check_exempt
from trustgov.core.history import with_reason
from trustgov.core.notifications import notify
from trustgov.core.permissions import role_refused
from trustgov.core.scoping import visible

from .models import (
    BudgetMonth,
    Contract,
    ContractYearFinance,
    EndOfTermDecision,
    EscalationStep,
    Obligation,
    ReservedMatter,
    ReservedMatterRequest,
    Risk,
    SupportServiceLine,
    Variation,
)
from .selectors import direction_in_force
from .workflows import CONTRACT_WORKFLOW, REQUEST_WORKFLOW, VARIATION_WORKFLOW, termination_needs_consent

CONTRACT_FIELDS = [
    "council",
    "delivery_body",
    "title",
    "reference",
    "start_date",
    "shadow_start_date",
    "signed_on",
    "initial_term_years",
    "end_date",
    "break_clause_date",
    "break_notice_months",
    "annual_review_date",
    "extension_options",
    "scope_childrens_social_care",
    "scope_early_help",
    "scope_education",
    "scope_exclusions",
    "return_due_working_days",
    "kpi_grace_months",
    "returns_expected_from",
    "is_joint",
    "supplier_company_number",
    "description",
]


REVIEW_EARLIEST_DAYS = 90  # an annual review held this many days before its date still counts for that year


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(f"You do not have permission to do this ({perm}).")


def _today() -> date:
    return timezone.localdate()


def contract_date_errors(
    *,
    start_date,
    end_date,
    shadow_start_date=None,
    break_clause_date=None,
    break_notice_months=None,
    annual_review_date=None,
    returns_expected_from=None,
) -> dict[str, str]:
    """The date-order rules of a contract, as field messages."""
    errors: dict[str, str] = {}
    if start_date and end_date and end_date <= start_date:
        errors["end_date"] = "The expiry date must be after the start (go-live) date."
    if start_date and shadow_start_date and shadow_start_date >= start_date:
        errors["shadow_start_date"] = "The shadow period must start before the go-live date."
    if break_clause_date:
        if end_date and break_clause_date >= end_date:
            errors["break_clause_date"] = "The break clause date must be before the expiry date."
        elif start_date and break_clause_date <= start_date:
            errors["break_clause_date"] = "The break clause date must be after the start (go-live) date."
    if break_notice_months and not break_clause_date:
        errors["break_notice_months"] = "Give a break clause date for the notice period to count back from."
    elif break_notice_months and "break_clause_date" not in errors:
        try:
            add_months(break_clause_date, -break_notice_months)
        except (OverflowError, ValueError):
            errors["break_notice_months"] = "The notice period counts back to before any possible date."
    if annual_review_date and start_date and annual_review_date <= start_date:
        errors["annual_review_date"] = "The annual review date must be after the start (go-live) date."
    if returns_expected_from:
        if start_date and returns_expected_from < start_date.replace(day=1):
            errors["returns_expected_from"] = (
                "Returns cannot be expected from before go-live: leave it blank to expect every month from go-live."
            )
        elif end_date and returns_expected_from > end_date:
            errors["returns_expected_from"] = "Returns expected from must be before the expiry date."
    return errors


def _check_contract(contract: Contract) -> None:
    if contract.returns_expected_from:  # a month: any day in it names it
        contract.returns_expected_from = contract.returns_expected_from.replace(day=1)
    errors = contract_date_errors(
        start_date=contract.start_date,
        end_date=contract.end_date,
        shadow_start_date=contract.shadow_start_date,
        break_clause_date=contract.break_clause_date,
        break_notice_months=contract.break_notice_months,
        annual_review_date=contract.annual_review_date,
        returns_expected_from=contract.returns_expected_from,
    )
    if (
        contract.delivery_body_id
        and contract.council_id
        and not contract.delivery_body.ownerships.filter(council_id=contract.council_id).exists()
    ):
        errors["delivery_body"] = "The delivery body must be one the council owns."
    if errors:
        raise ValidationError(errors)
    contract.full_clean()


# --- Contract ------------------------------------------------------------------------------------


@transaction.atomic
def contract_create(*, user, **data) -> Contract:
    _require(user, "contracts.add_contract")
    contract = Contract(**{k: v for k, v in data.items() if k in CONTRACT_FIELDS})
    if contract.council_id and not visible(type(contract.council), user).filter(pk=contract.council_id).exists():
        raise ValidationError({"council": "Choose your own council."})
    _check_contract(contract)
    contract.save()
    return contract


@transaction.atomic
def contract_update(*, contract: Contract, user, **data) -> Contract:
    _require(user, "contracts.change_contract")
    previous_end = contract.end_date
    for key, value in data.items():
        if key in CONTRACT_FIELDS and key not in ("council",):
            setattr(contract, key, value)
    _check_contract(contract)
    if (
        contract.status in (Contract.Status.LIVE, Contract.Status.IN_NOTICE)
        and contract.end_date < previous_end
        and termination_needs_consent(contract)
    ):
        raise ValidationError(
            {
                "end_date": "Bringing the end date forward ends the contract early, which is a termination: it needs "
                "a recorded DfE consent while a direction is in force."
            }
        )
    contract.save()
    return contract


def _status_reason(reason: str, workflow, obj, target: str) -> str:
    """A change of status says why: the reason is kept in the record's history beside who and when."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for the change of status."})
    labels = workflow.state_labels
    return f"{labels.get(obj.status, obj.status)} → {labels.get(target, target)}: {reason}"


@transaction.atomic
def contract_transition(*, contract: Contract, user, target: str, reason: str = "") -> Contract:
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    CONTRACT_WORKFLOW.check(obj=contract, source=contract.status, target=target, user=user)
    with_reason(contract, _status_reason(reason, CONTRACT_WORKFLOW, contract, target))
    contract.status = target
    contract.save()
    return contract


@transaction.atomic
def contract_record_termination_consent(*, contract: Contract, user, consented_on: date, reference: str) -> Contract:
    _require(user, "contracts.record_dfe_consent_termination")
    if contract.status in (Contract.Status.TERMINATED, Contract.Status.EXPIRED):
        raise ValidationError({"consented_on": "The contract has already ended."})
    if not reference.strip():
        raise ValidationError({"reference": "Enter the DfE's reference for the consent."})
    if consented_on > _today():
        raise ValidationError({"consented_on": "The date of consent cannot be in the future."})
    contract.termination_consent_on = consented_on
    contract.termination_consent_reference = reference.strip()
    contract.save()
    return contract


@transaction.atomic
def contract_record_end_of_term(
    *,
    contract: Contract,
    user,
    outcome: str,
    decided_on: date,
    decision_reference: str,
    reason: str,
    new_end_date: date | None = None,
) -> EndOfTermDecision:
    """Record what happens when the term ends. An extension moves the end date on; a renewal or a return
    in-house is recorded against the current end date, and once that date has passed the contract expires."""
    _require(user, "contracts.add_endoftermdecision")
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    errors: dict[str, str] = {}
    if contract.status not in (Contract.Status.LIVE, Contract.Status.IN_NOTICE):
        raise ValidationError(
            {"outcome": f"The contract is {contract.get_status_display().lower()}: its term can no longer be decided."}
        )
    if outcome not in EndOfTermDecision.Outcome.values:
        errors["outcome"] = "Choose what happens when the term ends."
    if not (reason or "").strip():
        errors["reason"] = "Give the reason for the decision."
    if not (decision_reference or "").strip():
        errors["decision_reference"] = "Enter the reference of the council's decision."
    if decided_on and decided_on > _today():
        errors["decided_on"] = "The date of the decision cannot be in the future."
    if outcome == EndOfTermDecision.Outcome.EXTENSION:
        if not new_end_date:
            errors["new_end_date"] = "Enter the new end date of the extended contract."
        elif new_end_date <= contract.end_date:
            errors["new_end_date"] = f"The new end date must be after {contract.end_date:%-d %B %Y}."
    elif new_end_date:
        errors["new_end_date"] = "Only an extension has a new end date."
    if (
        outcome != EndOfTermDecision.Outcome.EXTENSION
        and contract.end_of_term_decisions.filter(previous_end_date=contract.end_date)
        .exclude(outcome=EndOfTermDecision.Outcome.EXTENSION)
        .exists()
    ):
        errors["outcome"] = "What happens at the end of this term has already been recorded."
    if errors:
        raise ValidationError(errors)
    decision = EndOfTermDecision(
        contract=contract,
        outcome=outcome,
        decided_on=decided_on,
        decision_reference=decision_reference.strip(),
        reason=reason.strip(),
        previous_end_date=contract.end_date,
        new_end_date=new_end_date,
        recorded_by=user,
    )
    decision.full_clean()
    decision.save()
    if outcome == EndOfTermDecision.Outcome.EXTENSION:
        contract.end_date = new_end_date
        contract._change_reason = f"Extended to {new_end_date:%-d %B %Y} ({decision.decision_reference})"
        contract.save()
    elif _today() > contract.end_date:
        contract.status = Contract.Status.EXPIRED
        contract._change_reason = f"Term ended on {contract.end_date:%-d %B %Y}: {decision.get_outcome_display()}"
        contract.save()
    return decision


@transaction.atomic
def contract_record_annual_review(*, contract: Contract, user, held_on: date) -> Contract:
    """Record the annual review as held: the next review date rolls on a year (or more, to follow ``held_on``)."""
    from .clock import next_review_after

    _require(user, "contracts.change_contract")
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status not in (Contract.Status.LIVE, Contract.Status.IN_NOTICE):
        raise ValidationError({"held_on": "The contract has ended: there is no annual review to record."})
    if not contract.annual_review_date:
        raise ValidationError({"held_on": "The contract has no annual review date to roll on."})
    if not held_on:
        raise ValidationError({"held_on": "Enter the date the review was held."})
    if held_on > _today():
        raise ValidationError({"held_on": "The date the review was held cannot be in the future."})
    previous = contract.annual_review_date
    if held_on < previous - timedelta(days=REVIEW_EARLIEST_DAYS):
        raise ValidationError(
            {
                "held_on": f"The next review is due on {previous:%-d %B %Y}: a review more than "
                f"{REVIEW_EARLIEST_DAYS} days before then is not this year's review."
            }
        )
    if contract.last_annual_review_on and held_on <= contract.last_annual_review_on:
        raise ValidationError(
            {"held_on": f"A later review ({contract.last_annual_review_on:%-d %B %Y}) is already recorded."}
        )
    contract.last_annual_review_on = held_on
    contract.annual_review_date = next_review_after(previous, held_on)
    contract._change_reason = f"Annual review held on {held_on:%-d %B %Y}"
    contract.save()
    return contract


# --- Obligations ---------------------------------------------------------------------------------

OBLIGATION_FIELDS = [
    "kind",
    "title",
    "description",
    "owner",
    "recurrence",
    "month_of_year",
    "meeting_day",
    "original_due_date",
    "due_date",
    "extension_reason",
]


def _check_obligation(obligation: Obligation) -> None:
    errors = {}
    if obligation.original_due_date and obligation.due_date and obligation.due_date < obligation.original_due_date:
        errors["due_date"] = "The current due date cannot be before the original due date."
    if obligation.extended and not obligation.extension_reason.strip():
        errors["extension_reason"] = "Give the reason the due date was extended."
    if obligation.meeting_day.strip():
        from trustgov.core.dates import parse_day_rule

        try:
            parse_day_rule(obligation.meeting_day)
        except ValueError:
            errors["meeting_day"] = (
                "Give the day as the contract does, for example 'last Tuesday' or 'second Wednesday'."
            )
        if obligation.recurrence == Obligation.Recurrence.ONCE:
            errors["meeting_day"] = "Only a recurring obligation falls on a day of the month."
    if obligation.month_of_year is not None and not 1 <= obligation.month_of_year <= 12:
        errors["month_of_year"] = "The month must be a number from 1 to 12."
    if errors:
        raise ValidationError(errors)
    obligation.full_clean()


@transaction.atomic
def obligation_create(*, contract: Contract, user, **data) -> Obligation:
    _require(user, "contracts.add_obligation")
    obligation = Obligation(contract=contract, **{k: v for k, v in data.items() if k in OBLIGATION_FIELDS})
    if obligation.due_date and not obligation.original_due_date:
        obligation.original_due_date = obligation.due_date
    _check_obligation(obligation)
    obligation.save()
    return obligation


@transaction.atomic
def obligation_update(*, obligation: Obligation, user, **data) -> Obligation:
    _require(user, "contracts.change_obligation")
    for key, value in data.items():
        if key in OBLIGATION_FIELDS:
            setattr(obligation, key, value)
    _check_obligation(obligation)
    obligation.save()
    return obligation


# --- Money ---------------------------------------------------------------------------------------

FINANCE_FIELDS = [
    "financial_year",
    "contract_sum",
    "support_services_income",
    "accommodation_income",
    "grants_and_contributions",
    "dfe_vat_funding",
    "setup_costs",
    "setup_costs_funder",
    "notes",
]


def _check_money(obj, fields) -> None:
    errors = {}
    for name in fields:
        value = getattr(obj, name)
        label = obj._meta.get_field(name).verbose_name
        if value is None:
            continue
        try:
            value = Decimal(value)
        except (ArithmeticError, TypeError, ValueError):
            errors[name] = f"{label.capitalize()} must be an amount in pounds, like 58330000.00."
            continue
        if value < 0:
            errors[name] = f"{label.capitalize()} cannot be negative."
        setattr(obj, name, value)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def finance_year_save(*, contract: Contract, user, finance: ContractYearFinance | None = None, **data):
    """Record (or correct) the contract's money for one financial year."""
    _require(user, "contracts.change_contractyearfinance" if finance else "contracts.add_contractyearfinance")
    finance = finance or ContractYearFinance(contract=contract)
    for key, value in data.items():
        if key in FINANCE_FIELDS:
            setattr(finance, key, value)
    _check_money(finance, [f for f in FINANCE_FIELDS if f not in ("financial_year", "setup_costs_funder", "notes")])
    if finance.setup_costs and not finance.setup_costs_funder.strip():
        raise ValidationError({"setup_costs_funder": "Say who funds the set-up costs."})
    finance.full_clean()
    finance.save()
    return finance


@transaction.atomic
def budget_month_save(*, contract: Contract, user, month: date, budget, forecast_outturn, commentary: str = ""):
    """Record budget against forecast outturn for a month (a rerun for the same month corrects it)."""
    _require(user, "contracts.add_budgetmonth")
    month = month.replace(day=1)
    row = BudgetMonth.objects.filter(contract=contract, month=month).first() or BudgetMonth(
        contract=contract, month=month
    )
    row.budget, row.forecast_outturn, row.commentary = budget, forecast_outturn, commentary
    _check_money(row, ["budget", "forecast_outturn"])
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def support_service_save(*, contract: Contract, user, line: SupportServiceLine | None = None, **data):
    _require(user, "contracts.change_supportserviceline" if line else "contracts.add_supportserviceline")
    line = line or SupportServiceLine(contract=contract)
    for key in ("service", "term_start", "term_end", "annual_charge", "review_date"):
        if key in data:
            setattr(line, key, data[key])
    if line.term_start and line.term_end and line.term_end <= line.term_start:
        raise ValidationError({"term_end": "The end of the term must be after its start."})
    _check_money(line, ["annual_charge"])
    line.full_clean()
    line.save()
    return line


# --- Variations ----------------------------------------------------------------------------------


@transaction.atomic
def variation_propose(
    *,
    contract: Contract,
    user,
    title: str,
    description: str = "",
    is_major: bool = False,
    proposed_on: date | None = None,
    is_exempt: bool = False,
    exempt_category: str = "",
) -> Variation:
    _require(user, "contracts.add_variation")
    is_exempt, exempt_category = check_exempt(is_exempt=is_exempt, exempt_category=exempt_category)
    if contract.status in (Contract.Status.TERMINATED, Contract.Status.EXPIRED):
        raise ValidationError({"title": "A contract that has ended cannot be varied."})
    variation = Variation(
        contract=contract,
        title=title,
        description=description,
        is_major=is_major,
        proposed_on=proposed_on or _today(),
        is_exempt=is_exempt,
        exempt_category=exempt_category,
    )
    variation.full_clean()
    variation.save()
    if is_major and direction_in_force(contract.council):
        notify(
            kind="variation_awaiting_dfe",
            subject_key=f"contracts.variation:{variation.pk}:proposed",
            recipients=dfe_users(),
            title=f"{contract.council}: the major variation '{variation.title}' to {contract} needs the DfE's consent",
            url=variation_url(variation),
            actor=user,
        )
    return variation


def variation_url(variation: Variation) -> str:
    return f"{variation.contract.get_absolute_url()}#variations"


@transaction.atomic
def variation_record_dfe_consent(*, variation: Variation, user, consented_on: date, reference: str) -> Variation:
    _require(user, "contracts.record_dfe_consent_variation")
    if variation.status != Variation.Status.PROPOSED:
        raise ValidationError({"consented_on": "Consent can only be recorded for a proposed variation."})
    if not reference.strip():
        raise ValidationError({"reference": "Enter the DfE's reference for the consent."})
    if consented_on > _today():
        raise ValidationError({"consented_on": "The date of consent cannot be in the future."})
    variation.dfe_consent_on, variation.dfe_consent_reference = consented_on, reference.strip()
    variation.save()
    notify(
        kind="variation_decided",
        subject_key=f"contracts.variation:{variation.pk}:dfe_consent",
        recipients=party_officers(variation.contract),
        title=f"The DfE consented to the variation '{variation.title}' to {variation.contract}: it can take effect",
        url=variation_url(variation),
        actor=user,
    )
    return variation


@transaction.atomic
def variation_transition(
    *, variation: Variation, user, target: str, effective_on: date | None = None, reason: str = ""
) -> Variation:
    variation = (
        Variation.objects.select_for_update(of=("self",)).select_related("contract__council").get(pk=variation.pk)
    )
    VARIATION_WORKFLOW.check(obj=variation, source=variation.status, target=target, user=user)
    with_reason(variation, _status_reason(reason, VARIATION_WORKFLOW, variation, target))
    if target == Variation.Status.IN_EFFECT:
        if effective_on is None:
            raise ValidationError({"effective_on": "Enter the date the variation takes effect."})
        if effective_on < variation.proposed_on:
            raise ValidationError({"effective_on": "The variation cannot take effect before it was proposed."})
        variation.effective_on = effective_on
    variation.status = target
    variation.save()
    contract = variation.contract
    notify(
        kind="variation_decided",
        subject_key=f"contracts.variation:{variation.pk}:{target}",
        recipients=trust_executives(contract.delivery_body_id) + party_officers(contract),
        title=f"The variation '{variation.title}' to {contract} "
        + (f"takes effect on {effective_on:%-d %B %Y}" if target == Variation.Status.IN_EFFECT else "was withdrawn"),
        url=variation_url(variation),
        actor=user,
    )
    return variation


# --- Escalation and risks ------------------------------------------------------------------------


@transaction.atomic
def escalation_record(
    *,
    contract: Contract,
    user,
    stage: str,
    taken_on: date,
    summary: str,
    evidence=None,
    outcome: str = "",
    is_exempt: bool = False,
    exempt_category: str = "",
) -> EscalationStep:
    _require(user, "contracts.add_escalationstep")
    is_exempt, exempt_category = check_exempt(is_exempt=is_exempt, exempt_category=exempt_category)
    if taken_on > _today():
        raise ValidationError({"taken_on": "The date of the step cannot be in the future."})
    if taken_on < contract.start_date:
        raise ValidationError({"taken_on": "The date of the step cannot be before the contract started."})
    if stage == EscalationStep.Stage.TERMINATION and (problem := termination_needs_consent(contract)):
        raise ValidationError({"stage": problem})
    step = EscalationStep(
        contract=contract,
        stage=stage,
        taken_on=taken_on,
        summary=summary,
        outcome=outcome,
        is_exempt=is_exempt,
        exempt_category=exempt_category,
    )
    if evidence:
        step.evidence = evidence
    step.full_clean()
    step.save()
    return step


RISK_FIELDS = [
    "title",
    "cause_effect",
    "owner",
    "likelihood",
    "impact",
    "mitigations_in_place",
    "mitigations_planned",
    "review_date",
    "is_exempt",
    "exempt_category",
]


@transaction.atomic
def risk_save(*, contract: Contract, user, risk: Risk | None = None, **data) -> Risk:
    _require(user, "contracts.change_risk" if risk else "contracts.add_risk")
    risk = risk or Risk(contract=contract)
    if "is_exempt" in data or "exempt_category" in data:
        data["is_exempt"], data["exempt_category"] = check_exempt(
            is_exempt=data.get("is_exempt", risk.is_exempt), exempt_category=data.get("exempt_category", "")
        )
    for key, value in data.items():
        if key in RISK_FIELDS:
            setattr(risk, key, value)
    risk.full_clean()
    risk.save()
    return risk


# --- Reserved matters ----------------------------------------------------------------------------


@transaction.atomic
def reserved_matter_create(
    *, user, delivery_body, title: str, decided_by: str, requires_dfe_consent: bool = False, description: str = ""
) -> ReservedMatter:
    _require(user, "contracts.add_reservedmatter")
    if not visible(type(delivery_body), user).filter(pk=delivery_body.pk).exists():
        raise ValidationError({"delivery_body": "Choose a delivery body of your own council."})
    matter = ReservedMatter(
        delivery_body=delivery_body,
        title=title,
        decided_by=decided_by,
        requires_dfe_consent=requires_dfe_consent,
        description=description,
    )
    matter.full_clean()
    matter.save()
    return matter


@transaction.atomic
def request_raise(
    *,
    user,
    reserved_matter: ReservedMatter,
    title: str,
    details: str,
    decision_due: date,
    is_exempt: bool = False,
    exempt_category: str = "",
    decided_through: str = "",
    needs_dfe_consent: bool | None = None,
):
    """A trust executive (for their own trust) or an officer asks for a decision on a reserved matter.

    ``decided_through`` names the record whose workflow takes the decisions (a board appointment's page);
    that workflow then says whether the DfE consents (``needs_dfe_consent``), since its rules know the seat.
    """
    _require(user, "contracts.add_reservedmatterrequest")
    is_exempt, exempt_category = check_exempt(is_exempt=is_exempt, exempt_category=exempt_category)
    if not visible(ReservedMatter, user).filter(pk=reserved_matter.pk).exists():
        raise ValidationError({"reserved_matter": "Choose a reserved matter of your own trust."})
    if decision_due < _today():
        raise ValidationError({"decision_due": "The date the decision is due by cannot be in the past."})
    request = ReservedMatterRequest(
        reserved_matter=reserved_matter,
        delivery_body=reserved_matter.delivery_body,
        title=title,
        details=details,
        raised_by=user,
        raised_on=_today(),
        decision_due=decision_due,
        needs_dfe_consent=(
            reserved_matter.requires_dfe_consent and direction_in_force(reserved_matter.delivery_body.council)
        )
        if needs_dfe_consent is None
        else needs_dfe_consent,
        is_exempt=is_exempt,
        exempt_category=exempt_category,
        decided_through=decided_through,
    )
    request.full_clean()
    request.save()
    # Every owner of a jointly owned trust decides its reserved matters (through the joint committee).
    notify(
        kind="reserved_matter_submitted",
        subject_key=f"contracts.reservedmatterrequest:{request.pk}:raised",
        recipients=owners_officers(request.delivery_body_id) + owners_dcs(request.delivery_body_id),
        title=f"{request.delivery_body.name} asks the council to decide '{request.title}' by {decision_due:%-d %B %Y}",
        url=request.get_absolute_url(),
        actor=user,
    )
    return request


def _request_decided(request: ReservedMatterRequest, *, user, by: str) -> None:
    """The request is decided (approved or refused): the trust is told, and the council when the DfE decided."""
    outcome = "approved" if request.status == ReservedMatterRequest.Status.APPROVED else "refused"
    recipients = trust_executives(request.delivery_body_id) + [request.raised_by]
    if by == "the DfE":
        recipients += owners_officers(request.delivery_body_id)
    notify(
        kind="reserved_matter_decided",
        subject_key=f"contracts.reservedmatterrequest:{request.pk}:{request.status}",
        recipients=recipients,
        title=f"{by[0].upper()}{by[1:]} {outcome} the reserved matter '{request.title}' ({request.delivery_body.name})",
        url=request.get_absolute_url(),
        actor=user,
    )


def _lock(request: ReservedMatterRequest, *, through: str = "", field: str = "decision") -> ReservedMatterRequest:
    """The request, locked; refused when another record's workflow takes its decisions and this is not it."""
    request = (
        ReservedMatterRequest.objects.select_for_update(of=("self",))
        .select_related("reserved_matter", "delivery_body")
        .get(pk=request.pk)
    )
    if request.decided_through and through != request.decided_through:
        raise ValidationError(
            {
                field: f"'{request.title}' is decided through its appointment ({request.decided_through}): "
                "record the council's decision, the DfE's consent or a withdrawal there, so it is recorded once."
            }
        )
    return request


@transaction.atomic
def request_decide_through(*, request: ReservedMatterRequest, user, record_url: str) -> ReservedMatterRequest:
    """Hand an open request's decisions to another record's workflow (a board appointment proposed for it)."""
    request = _lock(request)
    if request.decided_through:
        raise ValidationError({"request": f"'{request.title}' is already decided through {request.decided_through}."})
    if request.status != ReservedMatterRequest.Status.RAISED:
        raise ValidationError(
            {
                "request": f"'{request.title}' is '{request.get_status_display()}': only a request awaiting the "
                "council's decision can be linked."
            }
        )
    if not request.reserved_matter.appointments_to:
        raise ValidationError({"request": f"'{request.reserved_matter}' is not a reserved matter for appointments."})
    request.decided_through = record_url
    with_reason(request, f"Decided through {record_url}")
    request.save()
    return request


@transaction.atomic
def request_record_council_decision(
    *,
    request: ReservedMatterRequest,
    user,
    decision: str,
    decided_on: date,
    decision_reference: str,
    decision_url: str = "",
    decided_by: str = "",
    through: str = "",
    needs_dfe_consent: bool | None = None,
) -> ReservedMatterRequest:
    """The council's decision (by Cabinet, the Lead Member or an officer under delegation), with its record."""
    request = _lock(request, through=through)
    if request.status == ReservedMatterRequest.Status.RAISED and needs_dfe_consent is not None:
        request.needs_dfe_consent = needs_dfe_consent  # the workflow taking the decision knows (an appointment's seat)
    elif request.status == ReservedMatterRequest.Status.RAISED:
        # Whether DfE consent applies is settled when the council decides (a direction may have been revoked).
        request.needs_dfe_consent = request.reserved_matter.requires_dfe_consent and direction_in_force(
            request.delivery_body.council
        )
    if decision == ReservedMatterRequest.Decision.REFUSED:
        target = ReservedMatterRequest.Status.REFUSED
    elif decision == ReservedMatterRequest.Decision.APPROVED:
        target = (
            ReservedMatterRequest.Status.AWAITING_DFE
            if request.needs_dfe_consent
            else ReservedMatterRequest.Status.APPROVED
        )
    else:
        raise ValidationError({"decision": "Choose whether the council approved or refused the request."})
    REQUEST_WORKFLOW.check(obj=request, source=request.status, target=target, user=user)
    errors = {}
    if not decision_reference.strip():
        errors["decision_reference"] = "Enter the meeting, minute or delegated decision that made the decision."
    if decided_on > _today():
        errors["decided_on"] = "The date of the decision cannot be in the future."
    elif decided_on < request.raised_on:
        errors["decided_on"] = "The decision cannot be dated before the request was raised."
    if errors:
        raise ValidationError(errors)
    request.council_decision = decision
    request.council_decided_on = decided_on
    request.council_decided_by = decided_by or request.reserved_matter.decided_by
    request.decision_reference = decision_reference.strip()
    request.decision_url = decision_url
    request.status = target
    request.full_clean()
    request.save()
    if target == ReservedMatterRequest.Status.AWAITING_DFE:
        notify(
            kind="reserved_matter_awaiting_dfe",
            subject_key=f"contracts.reservedmatterrequest:{request.pk}:awaiting_dfe",
            recipients=dfe_users(),
            title=f"{request.delivery_body.council} approved the reserved matter '{request.title}' "
            f"({request.delivery_body.name}): it needs the DfE's consent",
            url=request.get_absolute_url(),
            actor=user,
        )
    else:
        _request_decided(request, user=user, by="the council")
    return request


@transaction.atomic
def request_record_dfe_decision(
    *, request: ReservedMatterRequest, user, decision: str, decided_on: date, reference: str = "", through: str = ""
) -> ReservedMatterRequest:
    """The DfE liaison records the Department's consent (or refusal). Only the DfE may do this."""
    request = _lock(request, through=through)
    if decision not in ReservedMatterRequest.Decision.values:
        raise ValidationError({"decision": "Choose whether the DfE consents or refuses."})
    if request.status != ReservedMatterRequest.Status.AWAITING_DFE:
        raise ValidationError(
            {
                "status": "The DfE's decision can only be recorded once the council has approved the request and it "
                f"is awaiting DfE consent (it is '{request.get_status_display()}')."
            }
        )
    target = (
        ReservedMatterRequest.Status.APPROVED
        if decision == ReservedMatterRequest.Decision.APPROVED
        else ReservedMatterRequest.Status.REFUSED
    )
    REQUEST_WORKFLOW.check(obj=request, source=request.status, target=target, user=user)
    if not user.has_perm("contracts.record_dfe_consent"):
        raise role_refused("status", "Only the DfE liaison can record the DfE's consent.")
    if decided_on > _today():
        raise ValidationError({"decided_on": "The date of the DfE's decision cannot be in the future."})
    if request.council_decided_on and decided_on < request.council_decided_on:
        raise ValidationError({"decided_on": "The DfE's decision cannot be dated before the council's decision."})
    request.dfe_decision = decision
    request.dfe_decided_on = decided_on
    request.dfe_decided_by = user
    request.dfe_reference = reference.strip()
    request.status = target
    request.save()
    _request_decided(request, user=user, by="the DfE")
    return request


@transaction.atomic
def request_withdraw(*, request: ReservedMatterRequest, user, reason: str, through: str = "") -> ReservedMatterRequest:
    request = _lock(request, through=through, field="reason")
    REQUEST_WORKFLOW.check(obj=request, source=request.status, target=ReservedMatterRequest.Status.WITHDRAWN, user=user)
    if not reason.strip():
        raise ValidationError({"reason": "Give the reason for withdrawing the request."})
    request.withdrawn_reason = reason.strip()
    with_reason(request, f"Withdrawn: {request.withdrawn_reason}")
    request.status = ReservedMatterRequest.Status.WITHDRAWN
    request.save()
    return request
