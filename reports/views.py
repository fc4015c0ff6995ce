"""Officer pages to prepare, preview and generate reports; everyone's list and download of published ones."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.views.decorators.http import require_GET, require_POST

from performance.as_of import as_of_from
from trustgov.core.exports import content_disposition
from trustgov.core.form_views import render_form_page, run_service
from trustgov.core.scoping import get_visible_or_404, visible
from trustgov.organisations.models import Council, DeliveryBody

from . import services
from .documents import REQUIRED_NARRATIVE, TEMPLATE, build_context, has_exempt_appendices, missing_narrative
from .forms import DraftEditForm, DraftStartForm
from .models import NARRATIVE_SECTIONS, GeneratedReport, ReportDraft
from .rendering import render_html
from .sections import read_sections
from .selectors import (
    drafts_visible_to,
    generated_reports_visible_to,
    is_council_officer,
    published_reports,
    versions_of,
)


@login_required
@permission_required("reports.view_generatedreport", raise_exception=True)
@require_GET
def index(request):
    officer = is_council_officer(request.user)
    documents = (generated_reports_visible_to(request.user) if officer else published_reports(request.user)).order_by(
        "-created_at", "is_exempt"
    )
    return render(
        request,
        "reports/index.html",
        {
            "officer": officer,
            "drafts": drafts_visible_to(request.user)[:50] if officer else [],
            "documents": documents[:100],
        },
    )


@login_required
@permission_required("reports.add_reportdraft", raise_exception=True)
def draft_create(request):
    councils = visible(Council, request.user)
    bodies = visible(DeliveryBody, request.user)
    form = DraftStartForm(
        request.POST or None,
        councils=councils,
        delivery_bodies=bodies,
        initial={"council": request.user.council_id},
    )
    if request.method == "POST" and form.is_valid():
        draft = run_service(form, lambda: services.draft_create(user=request.user, data=form.draft_data()))
        if draft:
            messages.success(request, "Draft started. Its data appendices have filled themselves: write the narrative.")
            return redirect("reports:draft-edit", pk=draft.pk)
    return render_form_page(
        request,
        form,
        title="Start a report",
        caption="Reports",
        intro="Pick the type of report, the council, the trust and the period. "
        "The data appendices (KPIs, board, money, risks, actions, reserved matters) fill themselves.",
        cancel_url=reverse("reports:index"),
    )


@login_required
@permission_required("reports.change_reportdraft", raise_exception=True)
@require_GET
def draft_detail(request, pk: int):
    draft = get_visible_or_404(ReportDraft, request.user, pk=pk)
    sections = read_sections(draft)
    labels = dict(NARRATIVE_SECTIONS)
    return render(
        request,
        "reports/draft_detail.html",
        {
            "draft": draft,
            "sections": sections,
            "missing": missing_narrative(draft),
            "required": [labels[n] for n in REQUIRED_NARRATIVE[draft.report_type]],
            "versions": versions_of(draft, request.user),
            "has_exempt": has_exempt_appendices(draft),
        },
    )


def _edit_page(request, draft, form):
    """The edit form (its own template for the two buttons); with errors it answers 400."""
    return render_form_page(
        request,
        form,
        title=f"Edit: {draft.subject}",
        caption=f"{draft.get_report_type_display()} · {draft.delivery_body}",
        intro="The header block follows the Cabinet paper. Write each section in plain paragraphs, with a blank "
        "line between them: the report numbers them (1.1, 1.2 …).",
        cancel_url=reverse("reports:draft-detail", kwargs={"pk": draft.pk}),
        template="reports/draft_edit.html",
        draft=draft,
    )


@login_required
@permission_required("reports.change_reportdraft", raise_exception=True)
def draft_edit(request, pk: int):
    draft = get_visible_or_404(ReportDraft, request.user, pk=pk)
    form = DraftEditForm(request.POST or None, instance=draft)
    if request.method == "POST" and form.is_valid():
        saved = run_service(form, lambda: services.draft_update(draft=draft, user=request.user, data=form.cleaned_data))
        if saved:
            if "generate" in request.POST:
                return _generate(request, saved, form)
            messages.success(request, "Draft saved.")
            return redirect("reports:draft-detail", pk=draft.pk)
    return _edit_page(request, draft, form)


def _generate(request, draft, form):
    reports = run_service(form, lambda: services.report_generate(draft=draft, user=request.user))
    if reports is None:
        return _edit_page(request, draft, form)
    return redirect("reports:generated-detail", pk=reports[0].pk)


@login_required
@permission_required("reports.change_reportdraft", raise_exception=True)
@require_POST
def draft_generate(request, pk: int):
    """Generate from the draft page; a missing required section shows the edit form with its errors."""
    draft = get_visible_or_404(ReportDraft, request.user, pk=pk)
    # The saved draft as a bound form, so the service's refusals show beside the fields they name.
    form = DraftEditForm(data=_form_data(draft), instance=draft)
    form.is_valid()
    reports = run_service(form, lambda: services.report_generate(draft=draft, user=request.user))
    if reports is None:
        return _edit_page(request, draft, form)
    return redirect("reports:generated-detail", pk=reports[0].pk)


def _form_data(draft: ReportDraft) -> MultiValueDict:
    """The draft as submitted form data, so the edit page can show the generation errors beside the fields."""
    form = DraftEditForm(instance=draft)
    data = MultiValueDict()
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name in ("meeting_date", "period_start", "period_end") and value:
            data.update({f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)})
        elif name == "exempt_appendices":
            data.setlist(name, list(value or []))
        elif name == "key_decision":
            data[name] = "True" if draft.key_decision else "False"
        elif value is not None:
            data[name] = str(value)
    return data


@login_required
@permission_required("reports.change_reportdraft", raise_exception=True)
@require_GET
def draft_preview(request, pk: int):
    """The HTML preview: the same template the PDF is rendered from, with live data."""
    draft = get_visible_or_404(ReportDraft, request.user, pk=pk)
    exempt = request.GET.get("document") == "exempt" and has_exempt_appendices(draft)
    as_of = as_of_from(request)  # the KPI appendix as it stood at the end of a day
    context = build_context(draft, exempt_document=exempt, as_of=as_of.moment)
    context["back_url"] = reverse("reports:draft-detail", kwargs={"pk": draft.pk})
    context["csp_nonce"] = str(request.csp_nonce)  # the preview's own <style> element (ADR 0011)
    context["as_of"] = as_of
    return HttpResponse(render_html(TEMPLATE, context), status=400 if as_of.error else 200)


@login_required
@permission_required("reports.view_generatedreport", raise_exception=True)
@require_GET
def generated_detail(request, pk: int):
    report = get_visible_or_404(GeneratedReport, request.user, pk=pk)
    siblings = generated_reports_visible_to(request.user).filter(draft_id=report.draft_id, version=report.version)
    working = any(s.status in (GeneratedReport.Status.QUEUED, GeneratedReport.Status.RENDERING) for s in siblings)
    return render(
        request,
        "reports/generated_detail.html",
        {"report": report, "documents": siblings, "working": working, "officer": is_council_officer(request.user)},
    )


@login_required
@permission_required("reports.view_generatedreport", raise_exception=True)
def generated_download(request, pk: int):
    # Exempt documents are outside everyone's scope but the council's officers: a 404, never a 403.
    report = get_visible_or_404(GeneratedReport, request.user, pk=pk, status=GeneratedReport.Status.READY)
    try:
        handle = report.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(report.filename)
    response["Cache-Control"] = "private, no-store"
    response["Digest"] = f"sha-256={report.sha256}"
    return response


def _publication_step(request, pk: int, service, done: str):
    if not is_council_officer(request.user):
        raise PermissionDenied("Only a council officer approves and publishes reports.")
    report = get_visible_or_404(GeneratedReport, request.user, pk=pk)
    try:
        service(report=report, user=request.user)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return redirect(report)
    messages.success(request, done)
    return redirect(report)


@login_required
@permission_required("reports.change_reportdraft", raise_exception=True)
@require_POST
def generated_approve(request, pk: int):
    return _publication_step(request, pk, services.report_approve, "Approved for publication.")


@login_required
@permission_required("reports.change_reportdraft", raise_exception=True)
@require_POST
def generated_publish(request, pk: int):
    return _publication_step(
        request, pk, services.report_publish, "Published: scrutiny, the trust and the DfE can see it."
    )


@login_required
@permission_required("reports.change_reportdraft", raise_exception=True)
@require_POST
def generated_retry(request, pk: int):
    """ "Try again" for a document whose generation failed: the same version is queued afresh."""
    if not is_council_officer(request.user):
        raise PermissionDenied("Only a council officer generates reports.")
    report = get_visible_or_404(GeneratedReport, request.user, pk=pk)
    try:
        services.report_retry(report=report, user=request.user)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return redirect(report)
    messages.success(request, "Generation will start again shortly. This page shows how it is going.")
    return redirect(report)
