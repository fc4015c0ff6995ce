"""Thin web layer: scoped reads through selectors, every change through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from trustgov.core.exports import content_disposition
from trustgov.core.form_views import render_form_page, run_service
from trustgov.core.scoping import get_visible_or_404, visible
from trustgov.organisations.models import DeliveryBody

from . import exports, forms, services
from .clock import contract_clock
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
    request,
    form_class,
    *,
    call,
    success: str,
    done_url: str = "",
    form_kwargs=None,
    initial=None,
    **page,
):
    """GET shows the form; a valid POST runs ``call(cleaned_data)`` (a service) through ``run_service``.

    On success it redirects to ``done_url`` (or, when that is empty, to the result's own page); a
    refusal puts the service's messages on the form and ``render_form_page`` answers 400.
    """
    form_kwargs = form_kwargs or {}
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, **form_kwargs)
        if form.is_valid() and (result := run_service(form, lambda: call(form.cleaned_data))):
            messages.success(request, success)
            return redirect(done_url or result.get_absolute_url())
    else:
        form = form_class(initial=initial, **form_kwargs)
    return render_form_page(request, form, cancel_url=page.pop("cancel_url", done_url), **page)


def _detail_url(contract: Contract, anchor: str = "") -> str:
    return reverse("contracts:contract-detail", kwargs={"pk": contract.pk}) + (f"#{anchor}" if anchor else "")


# --- Contracts -----------------------------------------------------------------------------------


@login_required
@permission_required("contracts.view_contract", raise_exception=True)
@require_GET
def contract_list(request):
    contracts = list(contracts_visible_to(request.user).prefetch_related("end_of_term_decisions"))
    for contract in contracts:
        contract.clock = contract_clock(contract)
    return render(request, "contracts/contract_list.html", {"contracts": contracts})


@login_required
@permission_required("contracts.view_contract", raise_exception=True)
@require_GET
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
    steps = list(visible(EscalationStep, user).filter(contract=contract))
    context = {
        "contract": contract,
        "clock": contract_clock(contract),
        "end_of_term_decisions": contract.end_of_term_decisions.select_related("recorded_by"),
        "can_record_end": user.has_perm("contracts.add_endoftermdecision"),
        "timeline": timeline,
        "obligations": contract.obligations.order_by("due_date", "title"),
        "finance_years": contract.finance_years.all(),
        "budget_months": contract.budget_months.all(),
        "support_services": contract.support_services.all(),
        # Read through the scoping functions: exempt records never reach scrutiny.
        "variations": visible(Variation, user).filter(contract=contract),
        "escalation_steps": steps,
        "current_stage": current_escalation_stage(contract, steps=steps),
        "risks": visible(Risk, user).filter(contract=contract),
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
    def call(data):
        return services.contract_create(user=request.user, council=data["delivery_body"].council, **data)

    return _form_page(
        request,
        forms.ContractForm,
        form_kwargs=_contract_form_kwargs(request.user),
        initial={
            "initial_term_years": 5,
            "return_due_working_days": 10,
            "kpi_grace_months": 0,
            "scope_childrens_social_care": True,
        },
        call=call,
        success="Contract added",
        title="Add a service contract",
        cancel_url=reverse("contracts:contract-list"),
    )


@login_required
@permission_required("contracts.change_contract", raise_exception=True)
def contract_edit(request, pk: int):
    contract = get_visible_or_404(Contract, request.user, pk=pk)
    return _form_page(
        request,
        forms.ContractForm,
        form_kwargs=_contract_form_kwargs(request.user),
        initial={f: getattr(contract, f) for f in services.CONTRACT_FIELDS if f != "council"},
        call=lambda data: services.contract_update(contract=contract, user=request.user, **data),
        success="Contract updated",
        done_url=contract.get_absolute_url(),
        title=f"Edit {contract.title}",
        caption=contract.reference,
    )


@login_required
@permission_required("contracts.change_contract", raise_exception=True)
def contract_status(request, pk: int):
    contract = get_visible_or_404(Contract, request.user, pk=pk)
    targets = CONTRACT_WORKFLOW.allowed_targets(contract.status, user=request.user)
    choices = [(t, Contract.Status(t).label) for t in targets]
    return _form_page(
        request,
        forms.StatusForm,
        form_kwargs={"choices": choices},
        call=lambda data: services.contract_transition(
            contract=contract, user=request.user, target=data["target"], reason=data["reason"]
        ),
        success="Contract status changed",
        done_url=contract.get_absolute_url(),
        title="Change the contract's status",
        caption=contract.title,
        intro=f"The contract is {contract.get_status_display().lower()}."
        + ("" if choices else " It cannot move to another status."),
    )


@login_required
@permission_required("contracts.add_endoftermdecision", raise_exception=True)
def contract_end_of_term(request, pk: int):
    contract = get_visible_or_404(Contract, request.user, pk=pk)
    clock = contract_clock(contract)
    when = "ended" if clock.state == "past_end" else "ends"
    return _form_page(
        request,
        forms.EndOfTermForm,
        call=lambda data: services.contract_record_end_of_term(contract=contract, user=request.user, **data),
        success="Decision recorded",
        done_url=_detail_url(contract, "end-of-term"),
        title="Record what happens when the term ends",
        caption=contract.title,
        intro=f"The contract's term {when} on {contract.end_date:%-d %B %Y}. Record the council's decision: "
        "an extension (with the new end date), a renewal, or a return of the services in-house.",
    )


@login_required
@permission_required("contracts.change_contract", raise_exception=True)
def contract_annual_review(request, pk: int):
    contract = get_visible_or_404(Contract, request.user, pk=pk)
    return _form_page(
        request,
        forms.AnnualReviewForm,
        call=lambda data: services.contract_record_annual_review(contract=contract, user=request.user, **data),
        success="Annual review recorded",
        done_url=_detail_url(contract, "key-dates"),
        title="Record the annual review",
        caption=contract.title,
        intro=(
            f"The next annual review is due on {contract.annual_review_date:%-d %B %Y}. "
            "Recording it rolls the date on to next year."
            if contract.annual_review_date
            else "The contract has no annual review date."
        ),
    )


@login_required
@permission_required("contracts.record_dfe_consent_termination", raise_exception=True)
def contract_termination_consent(request, pk: int):
    contract = get_visible_or_404(Contract, request.user, pk=pk)
    return _form_page(
        request,
        forms.ConsentForm,
        call=lambda data: services.contract_record_termination_consent(contract=contract, user=request.user, **data),
        success="DfE consent to termination recorded",
        done_url=contract.get_absolute_url(),
        title="Record DfE consent to terminate the contract",
        caption=contract.title,
    )


# --- Things recorded against a contract ----------------------------------------------------------


def _contract_record_page(request, contract: Contract, form_class, *, call, anchor: str, **options):
    """A form about something recorded against ``contract``; it returns to that section of the contract page."""
    return _form_page(
        request, form_class, call=call, done_url=_detail_url(contract, anchor), caption=contract.title, **options
    )


def _add_page(request, pk: int, form_class, *, service, **options):
    """Add a record to a contract through ``service(contract=..., user=..., **cleaned_data)``."""
    contract = get_visible_or_404(Contract, request.user, pk=pk)

    def call(data):
        return service(contract=contract, user=request.user, **data)

    return _contract_record_page(request, contract, form_class, call=call, **options)


def _edit_page(request, obj, form_class, *, fields, call, **options):
    """Edit a record of a contract, the form starting from the record's current ``fields``."""
    initial = {f: getattr(obj, f) for f in fields}
    return _contract_record_page(request, obj.contract, form_class, call=call, initial=initial, **options)


@login_required
@permission_required("contracts.add_obligation", raise_exception=True)
def obligation_create(request, pk: int):
    return _add_page(
        request,
        pk,
        forms.ObligationForm,
        service=services.obligation_create,
        anchor="obligations",
        success="Obligation added",
        title="Add an obligation",
    )


@login_required
@permission_required("contracts.change_obligation", raise_exception=True)
def obligation_edit(request, pk: int):
    obligation = get_visible_or_404(Obligation, request.user, pk=pk)
    return _edit_page(
        request,
        obligation,
        forms.ObligationForm,
        fields=services.OBLIGATION_FIELDS,
        call=lambda data: services.obligation_update(obligation=obligation, user=request.user, **data),
        anchor="obligations",
        success="Obligation updated",
        title=f"Edit {obligation.title}",
    )


@login_required
@permission_required("contracts.add_contractyearfinance", raise_exception=True)
def finance_create(request, pk: int):
    return _add_page(
        request,
        pk,
        forms.FinanceYearForm,
        service=services.finance_year_save,
        anchor="money",
        success="Financial year recorded",
        title="Record the money for a financial year",
    )


@login_required
@permission_required("contracts.add_budgetmonth", raise_exception=True)
def budget_month_create(request, pk: int):
    return _add_page(
        request,
        pk,
        forms.BudgetMonthForm,
        service=services.budget_month_save,
        anchor="budget",
        success="Budget month recorded",
        title="Record budget and forecast outturn for a month",
    )


@login_required
@permission_required("contracts.add_supportserviceline", raise_exception=True)
def support_service_create(request, pk: int):
    return _add_page(
        request,
        pk,
        forms.SupportServiceForm,
        service=services.support_service_save,
        anchor="support-services",
        success="Support service added",
        title="Add a Support Services Agreement line",
    )


@login_required
@permission_required("contracts.add_variation", raise_exception=True)
def variation_create(request, pk: int):
    return _add_page(
        request,
        pk,
        forms.VariationForm,
        service=services.variation_propose,
        anchor="variations",
        success="Variation proposed",
        title="Propose a variation",
    )


@login_required
@permission_required("contracts.change_variation", raise_exception=True)
def variation_status(request, pk: int):
    variation = get_visible_or_404(Variation, request.user, pk=pk)
    targets = VARIATION_WORKFLOW.allowed_targets(variation.status, user=request.user)
    return _contract_record_page(
        request,
        variation.contract,
        forms.VariationStatusForm,
        form_kwargs={"choices": [(t, Variation.Status(t).label) for t in targets]},
        call=lambda data: services.variation_transition(variation=variation, user=request.user, **data),
        anchor="variations",
        success="Variation status changed",
        title="Change the variation's status",
        intro=f"{variation.title}: the variation is {variation.get_status_display().lower()}.",
    )


@login_required
@permission_required("contracts.record_dfe_consent_variation", raise_exception=True)
def variation_consent(request, pk: int):
    variation = get_visible_or_404(Variation, request.user, pk=pk)
    return _contract_record_page(
        request,
        variation.contract,
        forms.ConsentForm,
        call=lambda data: services.variation_record_dfe_consent(variation=variation, user=request.user, **data),
        anchor="variations",
        success="DfE consent recorded",
        title="Record DfE consent to a variation",
        intro=f"Variation: {variation.title}.",
    )


@login_required
@permission_required("contracts.add_escalationstep", raise_exception=True)
def escalation_create(request, pk: int):
    return _add_page(
        request,
        pk,
        forms.EscalationForm,
        service=services.escalation_record,
        anchor="escalation",
        success="Escalation step recorded",
        title="Record an escalation step",
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
    response = FileResponse(step.evidence.open("rb"), as_attachment=True, filename=name)
    response["Content-Disposition"] = content_disposition(name)  # with an ASCII fallback (RFC 6266)
    return response


@login_required
@permission_required("contracts.add_risk", raise_exception=True)
def risk_create(request, pk: int):
    return _add_page(
        request,
        pk,
        forms.RiskForm,
        service=services.risk_save,
        anchor="risks",
        success="Risk added",
        title="Add a risk",
    )


@login_required
@permission_required("contracts.change_risk", raise_exception=True)
def risk_edit(request, pk: int):
    risk = get_visible_or_404(Risk, request.user, pk=pk)
    return _edit_page(
        request,
        risk,
        forms.RiskForm,
        fields=services.RISK_FIELDS,
        call=lambda data: services.risk_save(contract=risk.contract, risk=risk, user=request.user, **data),
        anchor="risks",
        success="Risk updated",
        title=f"Edit risk: {risk.title}",
    )


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
@require_GET
def reserved_matter_list(request):
    matters = reserved_matters_visible_to(request.user)
    return render(request, "contracts/reserved_matter_list.html", {"matters": matters})


@login_required
@permission_required("contracts.add_reservedmatter", raise_exception=True)
def reserved_matter_create(request):
    list_url = reverse("contracts:reserved-matter-list")
    return _form_page(
        request,
        forms.ReservedMatterForm,
        form_kwargs={"delivery_bodies": visible(DeliveryBody, request.user)},
        call=lambda data: services.reserved_matter_create(user=request.user, **data),
        success="Reserved matter added",
        done_url=list_url,
        title="Add a reserved matter",
    )


@login_required
@permission_required("contracts.view_reservedmatterrequest", raise_exception=True)
@require_GET
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
    return _form_page(
        request,
        forms.RequestForm,
        form_kwargs={"matters": reserved_matters_visible_to(request.user)},
        initial={"reserved_matter": request.GET.get("matter")},
        call=lambda data: services.request_raise(user=request.user, **data),
        success="Request raised",
        title="Ask for a decision on a reserved matter",
        cancel_url=reverse("contracts:request-list"),
    )


@login_required
@permission_required("contracts.view_reservedmatterrequest", raise_exception=True)
@require_GET
def request_detail(request, pk: int):
    rmr = get_visible_or_404(ReservedMatterRequest, request.user, pk=pk)
    allowed = REQUEST_WORKFLOW.allowed_targets(rmr.status, user=request.user)
    S = ReservedMatterRequest.Status
    through = bool(rmr.decided_through)  # its decisions are taken on the record named there (an appointment)
    context = {
        "req": rmr,
        "can_decide": not through
        and rmr.status == S.RAISED
        and request.user.has_perm("contracts.change_reservedmatterrequest")
        and bool(set(allowed) & {S.APPROVED, S.AWAITING_DFE, S.REFUSED}),
        "can_consent": not through
        and rmr.status == S.AWAITING_DFE
        and request.user.has_perm("contracts.record_dfe_consent"),
        "can_withdraw": not through
        and S.WITHDRAWN in allowed
        and request.user.has_perm("contracts.add_reservedmatterrequest"),
    }
    return render(request, "contracts/request_detail.html", context)


def _request_step_page(request, pk: int, form_class, *, service, **options):
    """A step of a reserved-matter request: ``service(request=..., user=..., **cleaned_data)``, back to the request."""
    rmr = get_visible_or_404(ReservedMatterRequest, request.user, pk=pk)
    return _form_page(
        request,
        form_class,
        call=lambda data: service(request=rmr, user=request.user, **data),
        done_url=rmr.get_absolute_url(),
        caption=rmr.title,
        **{k: (v(rmr) if callable(v) else v) for k, v in options.items()},
    )


@login_required
@permission_required("contracts.change_reservedmatterrequest", raise_exception=True)
def request_decide(request, pk: int):
    return _request_step_page(
        request,
        pk,
        forms.CouncilDecisionForm,
        service=services.request_record_council_decision,
        initial=lambda rmr: {"decided_by": rmr.reserved_matter.decided_by},
        intro=lambda rmr: (
            f"The Articles reserve this to: {rmr.reserved_matter.get_decided_by_display()}."
            + (" The DfE must then consent while the direction is in force." if rmr.needs_dfe_consent else "")
        ),
        success="Council decision recorded",
        title="Record the council's decision",
    )


@login_required
@permission_required("contracts.record_dfe_consent", raise_exception=True)
def request_consent(request, pk: int):
    return _request_step_page(
        request,
        pk,
        forms.DfeDecisionForm,
        service=services.request_record_dfe_decision,
        success="DfE decision recorded",
        title="Record the DfE's decision",
    )


@login_required
@permission_required("contracts.add_reservedmatterrequest", raise_exception=True)
def request_withdraw(request, pk: int):
    return _request_step_page(
        request,
        pk,
        forms.WithdrawForm,
        service=services.request_withdraw,
        success="Request withdrawn",
        title="Withdraw the request",
    )
