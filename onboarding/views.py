"""The onboarding pages: download the template or the council's set-up, upload, preview, confirm, done.

Only a council's administrator (a council officer with the administrator permission) reaches them: any
other role is refused (403, ADR 0008); another council's upload is not found (404). The file is kept
server-side between the preview and the confirmation (``OnboardingUpload``, with its hash), never in a form.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from trustgov.core.exports import XLSX_TYPE, content_disposition
from trustgov.core.form_views import render_form_page

from . import services
from .export import export_bytes, export_file_name, template_bytes
from .forms import MAX_BYTES, UploadForm
from .models import OnboardingUpload
from .spec import MAX_ROWS_PER_SHEET, SHEETS


def _administrator(request):
    council = getattr(request.user, "council", None)
    if council is None or not services.may_onboard(request.user, council):
        raise PermissionDenied("Only a council's administrator imports or exports its onboarding workbook.")
    return council


def _upload(request, pk):
    council = _administrator(request)
    return get_object_or_404(OnboardingUpload, pk=pk, council=council)


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(name)
    return response


@login_required
def start(request):
    council = _administrator(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        kept = services.upload_keep(
            council=council, user=request.user, name=upload.name, data=upload.read(MAX_BYTES + 1)
        )
        return redirect("onboarding:preview", pk=kept.pk)
    return render_form_page(
        request,
        form,
        title="Set up from a workbook",
        caption=council.name,
        template="onboarding/start.html",
        sheets=SHEETS,
        max_rows=MAX_ROWS_PER_SHEET,
    )


@login_required
@require_GET
def template(request):
    _administrator(request)
    return _xlsx(template_bytes(), "trustgov-onboarding-template.xlsx")


@login_required
@require_GET
def export(request):
    council = _administrator(request)
    return _xlsx(export_bytes(council), export_file_name(council, timezone.localdate()))


def _preview_page(request, upload, result, *, status=200):
    return render(
        request,
        "onboarding/preview.html",
        {"upload": upload, "result": result, "plan": result.plan, "problems": result.problems},
        status=status,
    )


@login_required
@require_GET
def preview(request, pk):
    upload = _upload(request, pk)
    if upload.applied_at is not None:
        return redirect("onboarding:done", pk=upload.pk)
    result = services.preview(
        council=upload.council, user=request.user, name=upload.file_name, data=bytes(upload.content)
    )
    return _preview_page(request, upload, result, status=200 if result.ok else 400)


@login_required
@require_POST
def confirm(request, pk):
    upload = _upload(request, pk)
    if upload.applied_at is not None:
        return redirect("onboarding:done", pk=upload.pk)
    try:
        result = services.upload_confirm(upload=upload, user=request.user)
    except ValidationError as exc:
        return render(
            request, "onboarding/stale.html", {"upload": upload, "message": " ".join(exc.messages)}, status=400
        )
    if not result.ok:
        return _preview_page(request, upload, result, status=400)
    return redirect("onboarding:done", pk=upload.pk)


@login_required
@require_GET
def done(request, pk):
    upload = _upload(request, pk)
    if upload.applied_at is None:
        return redirect("onboarding:preview", pk=upload.pk)
    return render(request, "onboarding/done.html", {"upload": upload})
