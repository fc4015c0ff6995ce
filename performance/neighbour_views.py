"""Pages for a council's statistical neighbours (ADR 0306): everyone of the council reads them; its council
officers record and correct them. Writes go through ``services.neighbour_list_save``; history keeps every version."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from trustgov.accounts.roles import Role, role_of
from trustgov.core.form_views import render_form_page, run_service
from trustgov.core.scoping import get_visible_or_404, visible

from . import services
from .benchmark_import import parse_benchmark_upload
from .forms import BenchmarkImportForm, NeighbourListForm
from .models import Kpi, StatisticalNeighbourList
from .spreadsheets import MAX_BYTES

VIEW = "performance.view_statisticalneighbourlist"


def _officer_council(request):
    """The council a council officer keeps the neighbours of: their own."""
    if role_of(request.user) != Role.COUNCIL_OFFICER:
        raise PermissionDenied("Only a council officer records the council's statistical neighbours.")
    council = request.user.council
    if council is None:
        raise Http404("No council.")
    return council


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def neighbour_lists(request):
    lists = list(visible(StatisticalNeighbourList, request.user).order_by("council__name", "-year"))
    can_edit = role_of(request.user) == Role.COUNCIL_OFFICER and request.user.has_perm(
        "performance.change_statisticalneighbourlist"
    )
    return render(
        request,
        "performance/benchmarks/neighbour_lists.html",
        {"lists": lists, "can_edit": can_edit, "own_council_id": getattr(request.user, "council_id", None)},
    )


def _save(request, form, *, council, neighbour_list, title, done):
    if request.method == "POST" and form.is_valid():
        if run_service(
            form,
            lambda: services.neighbour_list_save(
                user=request.user, council=council, neighbour_list=neighbour_list, **form.cleaned_data
            ),
        ):
            messages.success(request, done)
            return redirect(reverse("performance:neighbour-lists"))
    return render_form_page(
        request, form, title=title, caption=council.name, cancel_url=reverse("performance:neighbour-lists")
    )


@login_required
@permission_required("performance.add_statisticalneighbourlist", raise_exception=True)
def neighbour_list_add(request):
    council = _officer_council(request)
    return _save(
        request,
        NeighbourListForm(request.POST or None),
        council=council,
        neighbour_list=None,
        title="Record the council's statistical neighbours",
        done="Statistical neighbours saved.",
    )


@login_required
@permission_required("performance.change_statisticalneighbourlist", raise_exception=True)
def neighbour_list_edit(request, pk: int):
    neighbour_list = get_visible_or_404(StatisticalNeighbourList, request.user, pk=pk)
    council = _officer_council(request)
    if neighbour_list.council_id != council.pk:
        raise Http404("No such list.")
    return _save(
        request,
        NeighbourListForm(request.POST or None, initial=NeighbourListForm.initial_for(neighbour_list)),
        council=council,
        neighbour_list=neighbour_list,
        title=f"Correct the {neighbour_list.year} statistical neighbours",
        done="Statistical neighbours saved.",
    )


@login_required
@permission_required("performance.add_benchmark", raise_exception=True)
def benchmark_import(request, pk: int):
    """A region's or statistical neighbours' figures from a spreadsheet: each bad cell named, nothing saved."""
    if role_of(request.user) != Role.COUNCIL_OFFICER and not request.user.is_superuser:
        raise PermissionDenied("Only a council officer keeps the KPI catalogue.")
    kpi = get_visible_or_404(Kpi, request.user, pk=pk)
    form = BenchmarkImportForm(request.POST or None, request.FILES or None)
    catalogue = f"{reverse('performance:kpi-catalogue')}?body={kpi.delivery_body.slug}"
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        upload = parse_benchmark_upload(
            name=upload_file.name, data=upload_file.read(MAX_BYTES + 1), year=form.cleaned_data["year"]
        )
        for message in upload.messages:
            form.add_error("file", message)
        if not upload.errors:
            data = {k: form.cleaned_data[k] for k in ("kind", "year", "source")}

            def save():
                try:
                    return services.benchmark_save(user=request.user, kpi=kpi, figures=upload.figures, **data)
                except ValidationError as exc:  # a row's error names its cell in the file
                    if hasattr(exc, "error_dict") and "figures" in exc.error_dict:
                        raise ValidationError(
                            {"file": [upload.cell_of_row(m) for m in exc.message_dict["figures"]]}
                        ) from exc
                    raise

            if run_service(form, save):
                messages.success(request, f"{len(upload.figures)} figures imported for {kpi.code}.")
                return redirect(catalogue)
    return render_form_page(
        request,
        form,
        title="Import region or statistical neighbour figures",
        caption=f"{kpi.code} {kpi.title}",
        cancel_url=catalogue,
        enctype="multipart/form-data",
    )
