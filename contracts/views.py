"""Thin web layer: scoped reads through selectors, every change through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from trustgov.core.forms import apply_validation_error
from trustgov.core.scoping import get_visible_or_404, visible
from trustgov.organisations.models import DeliveryBody

from . import exports, forms, services
from .models import Contract, EscalationStep, Obligation, ReservedMatterRequest, Risk, Variation
from .selectors import (
    contracts_visible_to,
    current_escalation_stage,
    direction_in_force,
    reserved_matter_requests_visible_to,
    reserved_matters_visible_to,
)
from .workflows import CONTRACT_WORKFLOW, REQUEST_WORKFLOW, VARIATION_WORKFLOW


def _form_page(
    request, *, form_class, title, caption="", intro="", action, cancel_url, form_kwargs=None, initial=None, success=""
):
    """GET shows the form; a valid POST calls ``action(cleaned_data)`` (a service) and redirects to its result."""
    form_kwargs = form_kwargs or {}
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, **form_kwargs)
        if form.is_valid():
            try:
                obj = action(form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                if success:
                    messages.success(request, success)
                return redirect(obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else cancel_url)
    else:
        form = form_class(initial=initial, **form_kwargs)
    return render(
        request,
        "includes/form_page.html",
        {"form": form, "title": title, "caption": caption, "intro": intro, "cancel_url": cancel_url},
    )


def _detail_url(contract: Contract, anchor: str = "") -> str:
    return reverse("contracts:contract-detail", kwargs={"pk": contract.pk}) + (f"#{anchor}" if anchor else "")


# --- Contracts -----------------------------------------------------------------------------------


@login_required
@permission_required("contracts.view_contract", raise_exception=True)
def contract_list(request):
    contracts = contracts_visible_to(request.user)
    return render(request, "contracts/contract_list.html", {"contracts": contracts})


@login_required
@permission_required("contracts.view_contract", raise_exception=True)
def contract_detail(request, pk: int):
    contract = get_visible_or_404(Contract, request.user, pk=pk)
    timeline = [
        ("Shadow period starts", contract.shadow_start_date),
        ("Go-live", contract.start_date),
        ("Last day to give notice to break", contract.last_day_to_give_notice),
        ("Break clause", contract.break_clause_date),
        ("Annual review", contract.annual_review_date),
        ("Expiry of the initial term", contract.end_date),
    ]
    timeline = sorted((t for t in timeline if t[1]), key=lambda t: t[1])
    user = request.user
    context = {
        "contract": contract,
        "timeline": timeline,
        "obligations": contract.obligations.order_by("due_date", "title"),
        "finance_years": contract.finance_years.all(),
        "budget_months": contract.budget_months.all(),
        "support_services": contract.support_services.all(),
        "variations": contract.variations.all(),
        "escalation_steps": contract.escalation_steps.all(),
        "current_stage": current_escalation_stage(contract),
        "risks": contract.risks.all(),
        "direction_in_force": direction_in_force(contract.council),
        "can_edit": user.has_perm("contracts.change_contract"),
        "can_transition": bool(CONTRACT_WORKFLOW.allowed_targets(contract.status, user=user)),
        "can_consent": user.has_perm("contracts.record_dfe_consent_termination"),
    }
    return render(request, "contracts/contract_detail.html", context)


def _contract_form_kwargs(user):
    return {"delivery_bodies": visible(DeliveryBody, user)}


@login_required
@permission_required("contracts.add_contract", raise_exception=True)
def contract_create(request):
    def action(data):
        body = data["delivery_body"]
        return services.contract_create(user=request.user, council=body.council, **data)

    return _form_page(
        request,
        form_class=forms.ContractForm,
        form_kwargs=_contract_form_kwargs(request.user),
        title="Add a service contract",
        action=action,
        cancel_url=reverse("contracts:contract-list"),
        initial={
            "initial_term_years": 5,
            "return_due_working_days": 10,
            "kpi_grace_months": 0,
            "scope_childrens_social_care": True,
        },
        success="Contract added",
    )


@login_required
@permission_required("contracts.change_contract", raise_exception=True)
def contract_edit(request, pk: int):
    contract = get_visible_or_404(Contract, request.user, pk=pk)
    initial = {f: getattr(contract, f) for f in services.CONTRACT_FIELDS if f != "council"}
    return _form_page(
        request,
        form_class=forms.ContractForm,
        form_kwargs=_contract_form_kwargs(request.user),
        title=f"Edit {contract.title}",
        caption=contract.reference,
        initial=initial,
        action=lambda data: services.contract_update(contract=contract, user=request.user, **data),
        cancel_url=contract.get_absolute_url(),
        success="Contract updated",
    )


@login_required
@permission_required("contracts.change_contract", raise_exception=True)
def contract_status(request, pk: int):
    contract = get_visible_or_404(Contract, request.user, pk=pk)
    targets = CONTRACT_WORKFLOW.allowed_targets(contract.status, user=request.user)
    choices = [(t, Contract.Status(t).label) for t in targets]
    return _form_page(
        request,
        form_class=forms.StatusForm,
        form_kwargs={"choices": choices},
        title="Change the contract's status",
        caption=contract.title,
        intro=f"The contract is {contract.get_status_display().lower()}."
        + ("" if choices else " It cannot move to another status."),
        action=lambda data: services.contract_transition(contract=contract, user=request.user, target=data["target"]),
        cancel_url=contract.get_absolute_url(),
        success="Contract status changed",
    )


@login_required
@permission_required("contracts.record_dfe_consent_termination", raise_exception=True)
def contract_termination_consent(request, pk: int):
    contract = get_visible_or_404(Contract, request.user, pk=pk)
    return _form_page(
        request,
        form_class=forms.ConsentForm,
        title="Record DfE consent to terminate the contract",
        caption=contract.title,
        action=lambda data: services.contract_record_termination_consent(
            contract=contract, user=request.user, consented_on=data["consented_on"], reference=data["reference"]
        ),
        cancel_url=contract.get_absolute_url(),
        success="DfE consent to termination recorded",
    )


# --- Things recorded against a contract ----------------------------------------------------------


def _child_page(request, pk, *, form_class, title, service, anchor, success, **extra):
    contract = get_visible_or_404(Contract, request.user, pk=pk)

    def action(data):
        service(contract=contract, user=request.user, **data)
        return contract

    response = _form_page(
        request,
        form_class=form_class,
        title=title,
        caption=contract.title,
        action=action,
        cancel_url=_detail_url(contract, anchor),
        success=success,
        **extra,
    )
    if response.status_code == 302:
        return redirect(_detail_url(contract, anchor))
    return response


@login_required
@permission_required("contracts.add_obligation", raise_exception=True)
def obligation_create(request, pk: int):
    return _child_page(
        request,
        pk,
        form_class=forms.ObligationForm,
        title="Add an obligation",
        service=services.obligation_create,
        anchor="obligations",
        success="Obligation added",
    )


@login_required
@permission_required("contracts.change_obligation", raise_exception=True)
def obligation_edit(request, pk: int):
    obligation = get_visible_or_404(Obligation, request.user, pk=pk)
    initial = {f: getattr(obligation, f) for f in services.OBLIGATION_FIELDS}

    def action(data):
        services.obligation_update(obligation=obligation, user=request.user, **data)
        return obligation.contract

    response = _form_page(
        request,
        form_class=forms.ObligationForm,
        title=f"Edit {obligation.title}",
        caption=obligation.contract.title,
        initial=initial,
        action=action,
        cancel_url=_detail_url(obligation.contract, "obligations"),
        success="Obligation updated",
    )
    return redirect(_detail_url(obligation.contract, "obligations")) if response.status_code == 302 else response


@login_required
@permission_required("contracts.add_contractyearfinance", raise_exception=True)
def finance_create(request, pk: int):
    return _child_page(
        request,
        pk,
        form_class=forms.FinanceYearForm,
        title="Record the money for a financial year",
        service=services.finance_year_save,
        anchor="money",
        success="Financial year recorded",
    )


@login_required
@permission_required("contracts.add_budgetmonth", raise_exception=True)
def budget_month_create(request, pk: int):
    return _child_page(
        request,
        pk,
        form_class=forms.BudgetMonthForm,
        title="Record budget and forecast outturn for a month",
        service=services.budget_month_save,
        anchor="budget",
        success="Budget month recorded",
    )


@login_required
@permission_required("contracts.add_supportserviceline", raise_exception=True)
def support_service_create(request, pk: int):
    return _child_page(
        request,
        pk,
        form_class=forms.SupportServiceForm,
        title="Add a Support Services Agreement line",
        service=services.support_service_save,
        anchor="support-services",
        success="Support service added",
    )


@login_required
@permission_required("contracts.add_variation", raise_exception=True)
def variation_create(request, pk: int):
    return _child_page(
        request,
        pk,
        form_class=forms.VariationForm,
        title="Propose a variation",
        service=services.variation_propose,
        anchor="variations",
        success="Variation proposed",
    )


@login_required
@permission_required("contracts.change_variation", raise_exception=True)
def variation_status(request, pk: int):
    variation = get_visible_or_404(Variation, request.user, pk=pk)
    targets = VARIATION_WORKFLOW.allowed_targets(variation.status, user=request.user)

    def action(data):
        services.variation_transition(
            variation=variation, user=request.user, target=data["target"], effective_on=data.get("effective_on")
        )
        return variation.contract

    response = _form_page(
        request,
        form_class=forms.VariationStatusForm,
        form_kwargs={"choices": [(t, Variation.Status(t).label) for t in targets]},
        title="Change the variation's status",
        caption=variation.title,
        intro=f"The variation is {variation.get_status_display().lower()}.",
        action=action,
        cancel_url=_detail_url(variation.contract, "variations"),
        success="Variation status changed",
    )
    return redirect(_detail_url(variation.contract, "variations")) if response.status_code == 302 else response


@login_required
@permission_required("contracts.record_dfe_consent_variation", raise_exception=True)
def variation_consent(request, pk: int):
    variation = get_visible_or_404(Variation, request.user, pk=pk)

    def action(data):
        services.variation_record_dfe_consent(variation=variation, user=request.user, **data)
        return variation.contract

    response = _form_page(
        request,
        form_class=forms.ConsentForm,
        title="Record DfE consent to a variation",
        caption=variation.title,
        action=action,
        cancel_url=_detail_url(variation.contract, "variations"),
        success="DfE consent recorded",
    )
    return redirect(_detail_url(variation.contract, "variations")) if response.status_code == 302 else response


@login_required
@permission_required("contracts.add_escalationstep", raise_exception=True)
def escalation_create(request, pk: int):
    return _child_page(
        request,
        pk,
        form_class=forms.EscalationForm,
        title="Record an escalation step",
        service=services.escalation_record,
        anchor="escalation",
        success="Escalation step recorded",
    )


@login_required
@permission_required("contracts.view_escalationstep", raise_exception=True)
@require_GET
def escalation_evidence(request, pk: int):
    """The evidence document of an escalation step, only to users who may see the step (never a public media URL)."""
    step = get_visible_or_404(EscalationStep, request.user, pk=pk)
    if not step.evidence:
        raise Http404("This step has no evidence document.")
    name = step.evidence.name.rsplit("/", 1)[-1]
    return FileResponse(step.evidence.open("rb"), as_attachment=True, filename=name)


@login_required
@permission_required("contracts.add_risk", raise_exception=True)
def risk_create(request, pk: int):
    return _child_page(
        request,
        pk,
        form_class=forms.RiskForm,
        title="Add a risk",
        service=services.risk_save,
        anchor="risks",
        success="Risk added",
    )


@login_required
@permission_required("contracts.change_risk", raise_exception=True)
def risk_edit(request, pk: int):
    risk = get_visible_or_404(Risk, request.user, pk=pk)
    initial = {f: getattr(risk, f) for f in services.RISK_FIELDS}

    def action(data):
        services.risk_save(contract=risk.contract, risk=risk, user=request.user, **data)
        return risk.contract

    response = _form_page(
        request,
        form_class=forms.RiskForm,
        title=f"Edit risk: {risk.title}",
        caption=risk.contract.title,
        initial=initial,
        action=action,
        cancel_url=_detail_url(risk.contract, "risks"),
        success="Risk updated",
    )
    return redirect(_detail_url(risk.contract, "risks")) if response.status_code == 302 else response


# --- Register export -----------------------------------------------------------------------------


@login_required
@permission_required("contracts.view_contract", raise_exception=True)
@require_GET
def register_csv(request):
    return exports.register_csv_response(contracts_visible_to(request.user))


@login_required
@permission_required("contracts.view_contract", raise_exception=True)
@require_GET
def register_xlsx(request):
    return exports.register_xlsx_response(contracts_visible_to(request.user))


# --- Reserved matters ----------------------------------------------------------------------------


@login_required
@permission_required("contracts.view_reservedmatter", raise_exception=True)
def reserved_matter_list(request):
    matters = reserved_matters_visible_to(request.user)
    return render(request, "contracts/reserved_matter_list.html", {"matters": matters})


@login_required
@permission_required("contracts.add_reservedmatter", raise_exception=True)
def reserved_matter_create(request):
    return _form_page(
        request,
        form_class=forms.ReservedMatterForm,
        form_kwargs={"delivery_bodies": visible(DeliveryBody, request.user)},
        title="Add a reserved matter",
        action=lambda data: services.reserved_matter_create(user=request.user, **data),
        cancel_url=reverse("contracts:reserved-matter-list"),
        success="Reserved matter added",
    )


@login_required
@permission_required("contracts.view_reservedmatterrequest", raise_exception=True)
def request_list(request):
    requests = reserved_matter_requests_visible_to(request.user)
    status = request.GET.get("status", "")
    if status in ReservedMatterRequest.Status.values:
        requests = requests.filter(status=status)
    return render(
        request,
        "contracts/request_list.html",
        {
            "requests": requests,
            "status": status,
            "statuses": ReservedMatterRequest.Status.choices,
            "can_raise": request.user.has_perm("contracts.add_reservedmatterrequest"),
        },
    )


@login_required
@permission_required("contracts.add_reservedmatterrequest", raise_exception=True)
def request_create(request):
    matters = reserved_matters_visible_to(request.user)
    return _form_page(
        request,
        form_class=forms.RequestForm,
        form_kwargs={"matters": matters},
        initial={"reserved_matter": request.GET.get("matter")},
        title="Ask for a decision on a reserved matter",
        action=lambda data: services.request_raise(user=request.user, **data),
        cancel_url=reverse("contracts:request-list"),
        success="Request raised",
    )


@login_required
@permission_required("contracts.view_reservedmatterrequest", raise_exception=True)
def request_detail(request, pk: int):
    rmr = get_visible_or_404(ReservedMatterRequest, request.user, pk=pk)
    allowed = REQUEST_WORKFLOW.allowed_targets(rmr.status, user=request.user)
    S = ReservedMatterRequest.Status
    context = {
        "req": rmr,
        "can_decide": rmr.status == S.RAISED
        and request.user.has_perm("contracts.change_reservedmatterrequest")
        and bool(set(allowed) & {S.APPROVED, S.AWAITING_DFE, S.REFUSED}),
        "can_consent": rmr.status == S.AWAITING_DFE and request.user.has_perm("contracts.record_dfe_consent"),
        "can_withdraw": S.WITHDRAWN in allowed and request.user.has_perm("contracts.add_reservedmatterrequest"),
    }
    return render(request, "contracts/request_detail.html", context)


@login_required
@permission_required("contracts.change_reservedmatterrequest", raise_exception=True)
def request_decide(request, pk: int):
    rmr = get_visible_or_404(ReservedMatterRequest, request.user, pk=pk)
    return _form_page(
        request,
        form_class=forms.CouncilDecisionForm,
        initial={"decided_by": rmr.reserved_matter.decided_by},
        title="Record the council's decision",
        caption=rmr.title,
        intro=f"The Articles reserve this to: {rmr.reserved_matter.get_decided_by_display()}."
        + (" The DfE must then consent while the direction is in force." if rmr.needs_dfe_consent else ""),
        action=lambda data: services.request_record_council_decision(request=rmr, user=request.user, **data),
        cancel_url=rmr.get_absolute_url(),
        success="Council decision recorded",
    )


@login_required
@permission_required("contracts.record_dfe_consent", raise_exception=True)
def request_consent(request, pk: int):
    rmr = get_visible_or_404(ReservedMatterRequest, request.user, pk=pk)
    return _form_page(
        request,
        form_class=forms.DfeDecisionForm,
        title="Record the DfE's decision",
        caption=rmr.title,
        action=lambda data: services.request_record_dfe_decision(request=rmr, user=request.user, **data),
        cancel_url=rmr.get_absolute_url(),
        success="DfE decision recorded",
    )


@login_required
@permission_required("contracts.add_reservedmatterrequest", raise_exception=True)
def request_withdraw(request, pk: int):
    rmr = get_visible_or_404(ReservedMatterRequest, request.user, pk=pk)
    return _form_page(
        request,
        form_class=forms.WithdrawForm,
        title="Withdraw the request",
        caption=rmr.title,
        action=lambda data: services.request_withdraw(request=rmr, user=request.user, **data),
        cancel_url=rmr.get_absolute_url(),
        success="Request withdrawn",
    )
