"""The national grid page and its CSV and XLSX downloads (ADR 0308). Reads through ``performance.grid``."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from trustgov.core.exports import csv_response, xlsx_response
from trustgov.core.pagination import page_links
from trustgov.core.versioned_cache import cached_page

from . import grid, positions

VIEW = "performance.view_kpi"
FORMATS = ("csv", "xlsx")
RECEIVED_CHOICES = [
    ("", "Every trust"),
    ("current", "Current: sent the month shown or later"),
    ("stale", "Stale: last month received is before the month shown"),
]
FIELD_LABELS = {
    "period": "Month",
    "kpi": "KPIs",
    "rag": "RAG",
    "received": "Returns",
    "sort": "Sort by",
    "sort_kpi": "Sort by KPI",
    "order": "Order",
    "figures": "Figures",
    "format": "Download format",
    "page": "Page",
}


def _errors(errors: dict[str, str]) -> list[dict]:
    return [{"field": f, "label": FIELD_LABELS.get(f, f), "message": m} for f, m in errors.items()]


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
@cached_page
def national_grid(request):
    """Every trust the user can see × every KPI for one month, a page of ``grid.PAGE_SIZE`` trusts at a time
    (``?page=``, after the filters and the sort); ``?format=csv|xlsx`` downloads the page shown."""
    errors: dict[str, str] = {}
    query = grid.GridQuery()
    fmt = request.GET.get("format") or ""
    if fmt and fmt not in FORMATS:
        errors["format"] = "Choose csv or xlsx"
    try:
        only = positions.accepted_only(request)
    except positions.FiguresChoiceError as exc:
        errors["figures"], only = exc.message, False
    try:
        query = grid.parse_query(request.GET)
    except grid.GridQueryError as exc:
        errors.update(exc.errors)
    number = 1
    try:
        number = grid.parse_page(request.GET)
    except grid.GridQueryError as exc:
        errors.update(exc.errors)
    table = None
    if not errors:
        try:
            table = grid.read_grid(request.user, query, accepted_only=only, number=number, size=grid.PAGE_SIZE)
        except grid.GridQueryError as exc:
            errors.update(exc.errors)
    if errors:
        return render(
            request,
            "performance/national_grid.html",
            {"errors": _errors(errors), "grid": None, "query": query, "params": request.GET},
            status=400,
        )
    if fmt:
        header, rows = grid.export_rows(table)
        name = f"national-grid-{table.period:%Y-%m}" if table.period else "national-grid"
        if table.pages > 1:
            name += f"-page-{table.number}-of-{table.pages}"
        if fmt == "csv":
            return csv_response(rows, filename=f"{name}.csv", header=header, excel_bom=True)
        return xlsx_response(rows, filename=f"{name}.xlsx", header=header, title="National grid")
    params = request.GET.copy()
    params.pop("format", None)
    return render(
        request,
        "performance/national_grid.html",
        {
            "grid": table,
            "query": query,
            "chosen_kpis": set(query.kpis),
            "rag_choices": [(r, positions.RAG[r].word) for r in grid.RAGS],
            "received_choices": RECEIVED_CHOICES,
            "links": _links(request, params, table),
            "page_size": grid.PAGE_SIZE,
            "accepted_only": only,
            "figures_forced": only and request.GET.get("figures") != positions.ACCEPTED_ONLY,
        },
    )


def _url(request, params, **change) -> str:
    p = params.copy()
    for key, value in change.items():
        p.pop(key, None)
        if value:
            p[key] = value
    query = p.urlencode()
    return f"{request.path}?{query}" if query else request.path


def _links(request, params, table) -> dict:
    """The sort links (each column's header, flipping the order when it is the current sort) and the downloads."""
    q = table.query

    def sort_link(sort, code=""):
        current = q.sort == sort and q.sort_kpi == code
        order = "desc" if current and q.order == "asc" else "asc"
        return _url(request, params, sort=sort, sort_kpi=code, order=order, page="")  # a new order starts at 1

    return {
        "pagination": page_links(
            table.number, table.pages, lambda n: _url(request, params, page=str(n) if n > 1 else "")
        ),
        "trust": sort_link("trust"),
        "columns": [(c, sort_link("value", c.code), sort_link("rag", c.code)) for c in table.columns],
        "csv": _url(request, params, format="csv"),
        "xlsx": _url(request, params, format="xlsx"),
    }
