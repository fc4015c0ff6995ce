"""Web pages of the performance app. Thin: reads through selectors, writes through services."""

from collections import defaultdict
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from trustgov.accounts.roles import Role, role_of
from trustgov.core.dates import parse_month
from trustgov.core.exports import content_disposition
from trustgov.core.form_views import render_form_page, run_service
from trustgov.core.pagination import page_links
from trustgov.core.permissions import is_role_refusal
from trustgov.core.scoping import get_visible_or_404, visible
from trustgov.core.versioned_cache import cached_page
from trustgov.organisations.models import DeliveryBody

from . import calculations, charts, positions, scorecard, services, spreadsheets
from .as_of import as_of_from
from .dashboard import tile_page, tiles_for
from .forms import (
    ActionForm,
    BaselineForm,
    BenchmarkForm,
    ImprovementActionForm,
    KpiForm,
    MilestoneForm,
    OfstedEventForm,
    PriorityForm,
    QueryForm,
    ReplyForm,
    RetireForm,
    ReturnForm,
    SubmitForm,
    TargetForm,
    UploadForm,
    month_choices,
)
from .models import Benchmark, ImprovementAction, Kpi, KpiDefinition, MonthlyReturn, ReturnQuery, Target
from .selectors import (
    actions_visible_to,
    kpis_reported,
    milestones_visible_to,
    ofsted_events_visible_to,
    priorities_visible_to,
    queries_visible_to,
    query_messages_visible_to,
    sees_query_threads,
    values_visible_to,
    versions_visible_to,
)

VIEW = "performance.view_kpi"
EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 1)  # every month a return can be for


def _chosen_body(request):
    bodies = visible(DeliveryBody, request.user).order_by("name")
    slug = request.GET.get("body")
    if slug:
        return get_object_or_404(bodies, slug=slug), bodies
    if request.user.delivery_body_id:
        return get_object_or_404(bodies, pk=request.user.delivery_body_id), bodies
    body = bodies.first()
    if body is None:
        raise Http404("No trust to show.")
    return body, bodies


def _trust_user(request):
    if role_of(request.user) != Role.TRUST_EXECUTIVE or not request.user.delivery_body_id:
        raise PermissionDenied("Only a trust executive enters monthly returns.")
    return request.user.delivery_body


def _period(raw: str | None) -> date:
    month = parse_month(raw)
    if month is None:
        raise Http404("Choose a month.")
    return month


def _figures(request) -> dict:
    """Accepted-only or every submitted figure (provisional ones marked), and the link that switches."""
    try:
        only = positions.accepted_only(request)
    except positions.FiguresChoiceError as exc:
        raise Http404(exc.message) from None
    params = request.GET.copy()
    params.pop("figures", None)
    if not only:
        params["figures"] = positions.ACCEPTED_ONLY
    query = params.urlencode()
    return {
        "accepted_only": only,
        "figures_forced": only and request.GET.get("figures") != positions.ACCEPTED_ONLY,
        "figures_toggle_url": f"{request.path}?{query}" if query else request.path,
    }


def _page_url(request, number: int) -> str:
    """This page's URL with its parameters (trust, figures, past day) at page ``number`` of the KPI detail."""
    params = request.GET.copy()
    params.pop("page", None)
    if number > 1:
        params["page"] = str(number)
    query = params.urlencode()
    return f"{request.path}?{query}#kpi-detail" if query else f"{request.path}#kpi-detail"


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
@cached_page
def dashboard(request):
    body, bodies = _chosen_body(request)
    figures = _figures(request)
    as_of = as_of_from(request)  # a past view reads what was on record at the end of that day
    tiles, period = tiles_for(body, accepted_only=figures["accepted_only"], as_of=as_of.moment)
    shown = tile_page(tiles, request.GET.get("page"))  # the scorecard lists every KPI, the detail a page of them
    retired = Kpi.objects.filter(delivery_body=body, retired_from__lte=period) if period else Kpi.objects.none()
    if as_of.moment and period:  # retired as they were then
        kpis = list(Kpi.objects.filter(delivery_body=body))
        then = positions.kpis_on_record(kpis, as_of.moment)
        retired = [k for k in kpis if (r := then.get(k.pk, k.retired_from)) and r <= period]
        for kpi in retired:
            kpi.retired_from = then.get(kpi.pk, kpi.retired_from)
    return render(
        request,
        "performance/dashboard.html",
        {
            "body": body,
            "bodies": bodies,
            "tiles": shown.tiles,
            "tile_page": shown,
            "tile_links": page_links(shown.number, shown.pages, lambda n: _page_url(request, n)),
            "scorecard": scorecard.from_tiles(tiles),
            "period": period,
            "retired": retired,
            "as_of": as_of,
            **figures,
        },
        status=400 if as_of.error or shown.error else 200,
    )


def _version_positions(kpi_by_id, values, targets, accepted_then=None) -> dict[int, positions.Position]:
    """A position for each value of each version (every version, not only the current one), by value id.
    ``accepted_then``: each return's accepted version and status as they stood at a past moment."""
    accepted_then = accepted_then or {}

    def accepted(v) -> tuple[int | None, str]:
        ret = v.version.monthly_return
        return accepted_then.get(ret.pk, (ret.accepted_version_id, ret.status))

    return {
        v.pk: positions.position_of(
            kpi_by_id[v.kpi_id],
            v.version.monthly_return.period,
            {
                "value": v.value,
                "numerator": v.numerator,
                "denominator": v.denominator,
                "commentary": v.commentary,
                "version": v.version.number,
                "version_id": v.version_id,
                "return_id": v.version.monthly_return_id,
                "status": accepted(v)[1],
                "accepted": accepted(v)[0] == v.version_id,
            },
            targets,
        )
        for v in values
    }


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
@cached_page
def kpi_detail(request, pk: int):
    kpi = get_visible_or_404(Kpi, request.user, pk=pk)
    figures = _figures(request)
    only = figures["accepted_only"]
    as_of = as_of_from(request)  # a past view: versions submitted, accepted and targets set by the end of that day
    moment = as_of.moment
    qs = values_visible_to(request.user).filter(kpi=kpi)
    if moment:
        qs = qs.filter(version__submitted_at__lte=moment)
    elif only:
        qs = qs.filter(version_id=F("version__monthly_return__accepted_version_id"))
    rows = list(
        qs.select_related("version__monthly_return", "version__signed_off_by").order_by(
            "version__monthly_return__period", "version__number"
        )
    )
    read = positions.read_positions([kpi], start=EARLIEST, end=LATEST, accepted_only=only, spc=True, as_of=moment)
    current = {(p.period, p.version) for p in read.figures(kpi)}
    then = positions.returns_as_they_stood({r.version.monthly_return_id for r in rows}, moment) if moment else {}
    by_value = _version_positions({kpi.pk: kpi}, rows, read.targets, then)
    if moment and only:  # accepted figures only: the versions accepted then
        rows = [r for r in rows if by_value[r.pk].accepted]
    # the definitions table, oldest first (as on record then)
    definitions = list(
        positions.on_record(KpiDefinition, moment).filter(kpi_id=kpi.pk).order_by(*KpiDefinition._meta.ordering)
    )
    breaks = read.breaks(kpi)  # the read model's definition changes, as the dashboard tiles and reports show them
    pending = list(breaks)
    for row in rows:
        row.position = by_value[row.pk]
        row.period = row.position.period
        row.current = (row.period, row.version.number) in current
        # The first row from the month a new definition takes effect carries the break.
        row.definition_break = pending.pop(0) if pending and pending[0].effective_from <= row.period else None
    series = read.figures(kpi)
    benchmark = read.benchmark(kpi)
    reading = read.spc(kpi)  # the one statistical process control reading, as the tiles, API and PDF show it
    chart = (
        charts.series_chart(
            labels=[f"{p.period:%b %Y}" for p in series],
            values=[p.value for p in series],
            target=[p.target for p in series],
            benchmark=benchmark.value if benchmark else None,
            title=f"{kpi.title}: values by month with target, England benchmark, mean and process limits",
            provisional=[p.provisional for p in series],
            spc_points=[reading.point(p.period) for p in series],
            median=_median_band(read.band(kpi)),
        )
        if series
        else ""
    )
    baseline_starts = {b.start for b in reading.chart.recalculations}
    spc_rows = [(p, reading.signal_text(p.period), p.period in baseline_starts) for p in series]
    return render(
        request,
        "performance/kpi_detail.html",
        {
            "kpi": kpi,
            "rows": rows,
            "chart": chart,
            "latest": series[-1] if series else None,
            "comparators": read.comparators(kpi),
            "targets": positions.on_record(Target, moment).filter(kpi_id=kpi.pk).order_by("financial_year"),
            "as_of": as_of,
            "trend": calculations.rolling_trend([p.value for p in series], kpi.polarity),
            "definitions": definitions,
            "breaks": breaks,
            "spc": reading,
            "spc_rows": spc_rows,
            "can_rebaseline": request.user.has_perm("performance.add_kpibaseline")
            and role_of(request.user) == Role.COUNCIL_OFFICER
            and not as_of.day,  # a past view offers no change (ADR 0307)
            **figures,
        },
        status=400 if as_of.error else 200,
    )


def _median_band(band):
    """A comparator as the KPI chart draws it: its median line and quartile band (ADR 0306)."""
    if band is None:
        return None
    return (band.label, band.value, band.lower_quartile, band.upper_quartile)


EXPORT_HEADERS = [
    "Trust",
    "KPI code",
    "KPI",
    "Month",
    "Value",
    "Numerator",
    "Denominator",
    "Version",
    "Status",
    "RAG",
    "Figures",
    "Shown as",
    "Commentary",
]


@login_required
@permission_required(VIEW, raise_exception=True)
def kpi_export(request, pk: int):
    kpi = get_visible_or_404(Kpi, request.user, pk=pk)
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        raise Http404("Choose csv or xlsx.")
    only = _figures(request)["accepted_only"]
    start = _optional_period(request.GET.get("from"))
    end = _optional_period(request.GET.get("to"))
    rows = [EXPORT_HEADERS]
    qs = values_visible_to(request.user).filter(kpi=kpi, version__submitted_at__isnull=False)
    if only:
        qs = qs.filter(version_id=F("version__monthly_return__accepted_version_id"))
    if start:
        qs = qs.filter(version__monthly_return__period__gte=start)
    if end:
        qs = qs.filter(version__monthly_return__period__lte=end)
    values = list(
        qs.select_related("version__monthly_return").order_by("version__monthly_return__period", "version__number")
    )
    latest = {v.version.monthly_return.period: v.version.number for v in values}
    by_value = _version_positions({kpi.pk: kpi}, values, positions.targets_for([kpi.pk]))
    for v in values:
        p = by_value[v.pk]
        superseded = latest[p.period] != p.version
        rows.append(
            [
                kpi.delivery_body.name,
                kpi.code,
                kpi.title,
                f"{p.period:%Y-%m}",
                p.value,
                p.numerator if p.numerator is not None else "",
                p.denominator if p.denominator is not None else "",
                p.version,
                p.status_text,
                p.rag,
                "Superseded" if superseded else p.figures_text,
                p.value_text,
                p.commentary,
            ]
        )
    name = f"{kpi.delivery_body.slug}-{kpi.code}"
    if fmt == "xlsx":
        response = HttpResponse(
            spreadsheets.to_xlsx(rows, title=kpi.code),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(spreadsheets.to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(f"{name}.{fmt}")
    return response


def _optional_period(raw):
    return _period(raw) if raw else None


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
@cached_page
def comparison(request):
    figures = _figures(request)
    as_of = as_of_from(request)
    bodies = visible(DeliveryBody, request.user)
    # The dropdown needs each code once, not every trust's KPI: at national scale that was 15,500 KPIs with their
    # trusts read to list 100 codes (issue 14). Only the chosen code's KPIs are read whole.
    codes = sorted(set(Kpi.objects.filter(delivery_body__in=bodies).values_list("display_order", "code", "title")))
    seen, choices = set(), []
    for _, code, title in codes:
        if code not in seen:
            seen.add(code)
            choices.append((code, title))
    code = request.GET.get("kpi") or (choices[0][0] if choices else "")
    chosen = list(Kpi.objects.filter(delivery_body__in=bodies, code=code).select_related("delivery_body"))
    read = positions.read_positions(
        chosen, start=EARLIEST, end=LATEST, accepted_only=figures["accepted_only"], as_of=as_of.moment
    )
    rows = [{"kpi": kpi, "body": kpi.delivery_body, "position": read.latest(kpi)} for kpi in chosen]
    for row in rows:
        row["comparators"] = [c for c in read.comparators(row["kpi"]) if c.is_median]
    for row in rows:
        if row["position"] is None:  # nothing submitted yet: grey, with the benchmark still shown
            row["position"] = positions.Position(
                kpi=row["kpi"],
                period=None,
                rag_reason="no value",
                benchmark=getattr(read.benchmark(row["kpi"]), "value", None),
                benchmark_year=getattr(read.benchmark(row["kpi"]), "year", ""),
            )
    chart = ""
    if rows:
        chart = charts.comparison_chart(
            labels=[r["body"].name for r in rows],
            values=[r["position"].value for r in rows],
            title=f"{dict(choices).get(code, code)}: latest value by trust",
            provisional=[r["position"].provisional for r in rows],
        )
    return render(
        request,
        "performance/comparison.html",
        {"choices": choices, "code": code, "rows": rows, "chart": chart, "as_of": as_of, **figures},
        status=400 if as_of.error else 200,
    )


@login_required
@permission_required("performance.view_monthlyreturn", raise_exception=True)
@require_GET
def return_list(request):
    body, bodies = _chosen_body(request)
    returns = visible(MonthlyReturn, request.user).filter(delivery_body=body).order_by("-period")
    open_queries = defaultdict(int)
    for q in queries_visible_to(request.user).filter(monthly_return__delivery_body=body).exclude(status="closed"):
        open_queries[q.monthly_return_id] += 1
    returns = list(returns)
    for r in returns:
        r.open_queries = open_queries.get(r.pk, 0)
    is_trust = role_of(request.user) == Role.TRUST_EXECUTIVE
    return render(
        request,
        "performance/return_list.html",
        {
            "body": body,
            "bodies": bodies,
            "returns": returns,
            "is_trust": is_trust,
            "sees_queries": sees_query_threads(request.user),  # scrutiny is not told "0 open queries"
        },
    )


@login_required
@permission_required("performance.submit_monthlyreturn", raise_exception=True)
def return_enter(request):
    body = _trust_user(request)
    today = timezone.localdate()
    if not request.GET.get("period"):
        return render(request, "performance/return_months.html", {"body": body, "months": month_choices(body, today)})
    period = _period(request.GET.get("period"))
    kpis = list(kpis_reported(body, period))
    existing = MonthlyReturn.objects.filter(delivery_body=body, period=period).first()
    latest = existing.versions.order_by("-number").first() if existing else None
    needs_reason = bool(latest and latest.submitted_at)
    if existing and existing.status == MonthlyReturn.Status.ACCEPTED:
        messages.info(request, f"The return for {period:%B %Y} has been accepted: its figures cannot be changed.")
        return redirect(existing)
    initial = {}
    if latest:
        for v in latest.values.select_related("kpi"):
            initial.update(
                {
                    f"{v.kpi.code}-value": v.value,
                    f"{v.kpi.code}-numerator": v.numerator,
                    f"{v.kpi.code}-denominator": v.denominator,
                    f"{v.kpi.code}-commentary": v.commentary,
                }
            )
    initial["based_on"] = services.return_state(existing)
    form = ReturnForm(request.POST or None, kpis=kpis, needs_reason=needs_reason, initial=initial)
    if request.method == "POST" and form.is_valid():
        figures = {
            k.code: services.Figures(
                value=form.cleaned_data.get(f"{k.code}-value"),
                numerator=form.cleaned_data.get(f"{k.code}-numerator"),
                denominator=form.cleaned_data.get(f"{k.code}-denominator"),
                commentary=form.cleaned_data.get(f"{k.code}-commentary") or "",
            )
            for k in kpis
        }
        ret = run_service(
            form,
            lambda: services.return_record(
                delivery_body=body,
                period=period,
                user=request.user,
                figures=figures,
                channel="web",
                reason=form.cleaned_data.get("reason", ""),
                based_on=form.cleaned_data.get("based_on") or None,
            ),
        )
        if ret:
            messages.success(request, f"Figures for {period:%B %Y} saved. Check them and submit the return.")
            return redirect(ret)
        if "based_on" in form.errors:
            # Stale: say so above the form, keep the figures typed, and carry the state saved now, so a save
            # after checking goes through.
            form.add_error(None, form.errors.pop("based_on"))
            form.data = form.data.copy()
            form.data["based_on"] = services.return_state(
                MonthlyReturn.objects.filter(delivery_body=body, period=period).first()
            )
    return render_form_page(
        request,
        form,
        title=f"Enter the return for {period:%B %Y}",
        caption=body.name,
        intro="For rates, enter the numerator and denominator: the value is computed. "
        "Commentary is required for any KPI that is red.",
        cancel_url=reverse("performance:return-list"),
    )


@login_required
@permission_required("performance.submit_monthlyreturn", raise_exception=True)
def return_template(request):
    body = _trust_user(request)
    period = _period(request.GET.get("period"))
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("csv", "xlsx"):
        raise Http404("Choose csv or xlsx.")
    kpis = list(kpis_reported(body, period))
    rows = spreadsheets.template_rows(body=body, period=period, kpis=kpis)
    name = f"{body.slug}-return-{period:%Y-%m}.{fmt}"
    if fmt == "xlsx":
        response = HttpResponse(
            spreadsheets.to_xlsx(rows), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        response = HttpResponse(spreadsheets.to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(name)
    return response


@login_required
@permission_required("performance.submit_monthlyreturn", raise_exception=True)
def return_upload(request):
    body = _trust_user(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        parsed = spreadsheets.parse_upload(name=upload.name, data=upload.read(spreadsheets.MAX_BYTES + 1))
        problems = list(parsed.errors)
        if parsed.trust_slug and parsed.trust_slug != body.slug:
            problems.insert(
                0, ("B1", f"this file is for '{parsed.trust_slug}', not {body.name}: download your own template")
            )
        elif not problems and not parsed.trust_slug:
            problems.append(("B1", f"enter your trust's code ({body.slug}) as in the template"))
        if not problems:
            # Not run_service: the service's error keys ('RR-numerator') are mapped back to cells here.
            try:
                ret = services.return_record(
                    delivery_body=body,
                    period=parsed.period,
                    user=request.user,
                    figures=parsed.figures,
                    channel="upload",
                    reason=form.cleaned_data.get("reason", ""),
                )
            except ValidationError as exc:
                for key, errors in exc.message_dict.items():
                    for message in errors:
                        problems.append((spreadsheets.cell_for(parsed, key), message))
            else:
                messages.success(
                    request, f"The spreadsheet for {parsed.period:%B %Y} is valid and saved. Check and submit."
                )
                return redirect(ret)
        for cell, message in problems:
            form.add_error("file", f"{cell}: {message}" if cell != "file" else message)
    return render_form_page(
        request,
        form,
        title="Upload a monthly return",
        template="performance/return_upload.html",
        body=body,
        problems=problems,
        months=month_choices(body, timezone.localdate()),
    )


def _detail_context(request, monthly_return, **forms):
    user = request.user
    versions = list(versions_visible_to(user).filter(monthly_return=monthly_return).order_by("-number"))
    by_version = defaultdict(list)
    kpi_ids = set()
    for v in values_visible_to(user).filter(version__in=versions).select_related("kpi"):
        by_version[v.version_id].append(v)
        kpi_ids.add(v.kpi_id)
    targets = positions.targets_for(kpi_ids, start=monthly_return.period, end=monthly_return.period)
    latest_submitted = next((v for v in versions if v.submitted_at), None)
    for version in versions:
        version.accepted = monthly_return.accepted_version_id == version.pk
        version.provisional = version is latest_submitted and not version.accepted
        version.rows = sorted(by_version[version.pk], key=lambda v: (v.kpi.display_order, v.kpi.code))
        for v in version.rows:
            target = positions.target_in_force(targets, v.kpi, monthly_return.period)
            v.rag, _ = positions.rate(v.kpi, v.value, monthly_return.period, target)
            v.rag_word = positions.RAG[v.rag].word
            v.rag_tag = positions.RAG[v.rag].tag
    queries = list(queries_visible_to(user).filter(monthly_return=monthly_return))
    thread = defaultdict(list)
    for m in query_messages_visible_to(user).filter(query__in=queries):
        thread[m.query_id].append(m)
    for q in queries:
        q.thread = thread[q.pk]
    role = role_of(user)
    is_trust = role == Role.TRUST_EXECUTIVE and user.delivery_body_id == monthly_return.delivery_body_id
    is_officer = role == Role.COUNCIL_OFFICER and user.has_perm("performance.review_monthlyreturn")
    draft = versions[0] if versions and versions[0].submitted_at is None else None
    reviewable = monthly_return.status in ("submitted", "resubmitted", "queried") and not draft
    kpis = Kpi.objects.filter(delivery_body=monthly_return.delivery_body)
    close_errors, close_notes = forms.get("close_errors") or {}, forms.get("close_notes") or {}
    unclosed = [q for q in queries if q.status != "closed"] if is_officer and reviewable else []
    for q in unclosed:
        q.close_error = close_errors.get(f"close-{q.pk}", "")
        q.close_note = close_notes.get(f"close-{q.pk}", "")
    return {
        "ret": monthly_return,
        "versions": versions,
        "queries": queries,
        "is_trust": is_trust,
        "is_officer": is_officer,
        "draft": draft,
        "can_correct": is_trust and monthly_return.status != "accepted",
        "submit_form": forms.get("submit_form") or (SubmitForm() if is_trust and draft else None),
        "query_form": forms.get("query_form") or (QueryForm(kpis=kpis) if is_officer and reviewable else None),
        "can_accept": is_officer and reviewable,
        "reply_form": ReplyForm() if (is_trust or is_officer) else None,
        "reply_error": forms.get("reply_error"),
        "action_error": forms.get("action_error"),
        "unclosed": unclosed,
        "close_errors": [q for q in unclosed if q.close_error],
    }


@login_required
@permission_required("performance.view_monthlyreturn", raise_exception=True)
@require_GET
def return_detail(request, pk: int):
    ret = get_visible_or_404(MonthlyReturn, request.user, pk=pk)
    return render(request, "performance/return_detail.html", _detail_context(request, ret))


@login_required
@require_POST
@permission_required("performance.submit_monthlyreturn", raise_exception=True)
def return_submit(request, pk: int):
    ret = get_visible_or_404(MonthlyReturn, request.user, pk=pk)
    form = SubmitForm(request.POST)
    if form.is_valid() and run_service(form, lambda: services.return_submit(monthly_return=ret, user=request.user)):
        messages.success(request, f"Return for {ret.period:%B %Y} submitted to the council.")
        return redirect(ret)
    ret.refresh_from_db()
    return render(
        request, "performance/return_detail.html", _detail_context(request, ret, submit_form=form), status=400
    )


@login_required
@require_POST
@permission_required("performance.review_monthlyreturn", raise_exception=True)
def return_query(request, pk: int):
    ret = get_visible_or_404(MonthlyReturn, request.user, pk=pk)
    kpis = Kpi.objects.filter(delivery_body=ret.delivery_body)
    form = QueryForm(request.POST, kpis=kpis)
    if form.is_valid():
        kpi = kpis.filter(pk=form.cleaned_data["kpi"]).first() if form.cleaned_data["kpi"] else None
        if run_service(
            form,
            lambda: services.return_query(
                monthly_return=ret, user=request.user, kpi=kpi, question=form.cleaned_data["question"]
            ),
        ):
            messages.success(request, "Query sent to the trust.")
            return redirect(ret)
    ret.refresh_from_db()
    return render(request, "performance/return_detail.html", _detail_context(request, ret, query_form=form), status=400)


@login_required
@require_POST
@permission_required("performance.review_monthlyreturn", raise_exception=True)
def return_accept(request, pk: int):
    ret = get_visible_or_404(MonthlyReturn, request.user, pk=pk)
    notes = {}
    for key, value in request.POST.items():
        if key.startswith("close-") and key[6:].isdigit():
            notes[int(key[6:])] = value
    try:
        services.return_accept(monthly_return=ret, user=request.user, closing_notes=notes)
    except ValidationError as exc:
        if is_role_refusal(exc):
            raise PermissionDenied(" ".join(exc.messages)) from exc
        ret.refresh_from_db()
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"status": exc.messages}
        close_errors = {k: v[0] for k, v in errors.items() if k.startswith("close-")}
        return render(
            request,
            "performance/return_detail.html",
            _detail_context(
                request,
                ret,
                action_error="; ".join(m for k, v in errors.items() if not k.startswith("close-") for m in v),
                close_errors=close_errors,
                close_notes={f"close-{k}": v for k, v in notes.items()},
            ),
            status=400,
        )
    messages.success(request, f"Return for {ret.period:%B %Y} accepted.")
    return redirect(ret)


@login_required
@require_POST
@permission_required("performance.view_returnquery", raise_exception=True)
def query_reply(request, pk: int):
    query = get_visible_or_404(ReturnQuery, request.user, pk=pk)
    form = ReplyForm(request.POST)
    ret = query.monthly_return
    if form.is_valid() and run_service(
        form, lambda: services.query_reply(query=query, user=request.user, text=form.cleaned_data["text"])
    ):
        messages.success(request, "Reply added to the query.")
        return redirect(ret)
    error = "; ".join(message for errors in form.errors.values() for message in errors)
    return render(
        request,
        "performance/return_detail.html",
        _detail_context(request, ret, reply_error=error),
        status=400,
    )


@login_required
@permission_required("performance.view_improvementpriority", raise_exception=True)
@require_GET
def improvement_plan(request):
    body, bodies = _chosen_body(request)
    priorities = list(priorities_visible_to(request.user).filter(delivery_body=body))
    actions = defaultdict(list)
    for action in actions_visible_to(request.user).filter(priority__in=priorities):
        actions[action.priority_id].append(action)
    today = timezone.localdate()
    for p in priorities:
        p.action_list = actions[p.pk]
        p.complete = sum(1 for a in p.action_list if a.status == "complete")
        p.overdue = sum(1 for a in p.action_list if a.status != "complete" and a.due_date < today)
        p.percent = round(100 * p.complete / len(p.action_list)) if p.action_list else 0
    return render(
        request,
        "performance/improvement_plan.html",
        {"body": body, "bodies": bodies, "priorities": priorities, "can_plan": _plans(request.user)},
    )


def _plans(user) -> bool:
    """The council sets the improvement plan and the trajectory (the trust updates actions' progress)."""
    return user.is_superuser or (
        role_of(user) == Role.COUNCIL_OFFICER and user.has_perm("performance.change_improvementpriority")
    )


@login_required
@permission_required("performance.view_ofstedevent", raise_exception=True)
@require_GET
def ofsted(request):
    body, bodies = _chosen_body(request)
    events = list(ofsted_events_visible_to(request.user).filter(delivery_body=body).order_by("date"))
    milestones = list(milestones_visible_to(request.user).filter(delivery_body=body))
    order = {"inadequate": 0, "requires_improvement": 1, "good": 2, "outstanding": 3}
    for m in milestones:
        judged = [e for e in events if e.judgement and e.date <= m.by_date]
        m.latest = judged[-1] if judged else None
        m.met = bool(m.latest and order[m.latest.judgement] >= order[m.judgement])
    return render(
        request,
        "performance/ofsted.html",
        {"body": body, "bodies": bodies, "events": events, "milestones": milestones, "can_plan": _plans(request.user)},
    )


@login_required
@permission_required("performance.change_improvementaction", raise_exception=True)
def action_edit(request, pk: int):
    action = get_visible_or_404(ImprovementAction, request.user, pk=pk)
    form = ActionForm(request.POST or None, initial={"status": action.status, "evidence": action.evidence})
    plan_url = f"{reverse('performance:improvement-plan')}?body={action.priority.delivery_body.slug}"
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.action_update(action=action, user=request.user, **form.cleaned_data)):
            messages.success(request, f"Action updated: {action.title}")
            return redirect(plan_url)
    return render_form_page(
        request,
        form,
        title="Update an improvement action",
        caption=f"Priority {action.priority.number}: {action.priority.title}",
        intro=f"{action.title} (owner: {action.owner}, due {action.due_date:%d %B %Y})",
        cancel_url=plan_url,
    )


@login_required
@permission_required("performance.add_ofstedevent", raise_exception=True)
def ofsted_add(request):
    body, _ = _chosen_body(request)
    form = OfstedEventForm(request.POST or None)
    ofsted_url = f"{reverse('performance:ofsted')}?body={body.slug}"
    if request.method == "POST" and form.is_valid():
        if run_service(
            form, lambda: services.ofsted_event_record(delivery_body=body, user=request.user, **form.cleaned_data)
        ):
            messages.success(request, "Ofsted event recorded.")
            return redirect(ofsted_url)
    return render_form_page(
        request, form, title="Record an Ofsted inspection or visit", caption=body.name, cancel_url=ofsted_url
    )


# --- the KPI catalogue: KPIs, targets and benchmarks (council officers) ------------------------

CATALOGUE_EDIT = "performance.change_kpi"


def _catalogue_url(body) -> str:
    return f"{reverse('performance:kpi-catalogue')}?body={body.slug}"


@login_required
@permission_required(VIEW, raise_exception=True)
@require_GET
def kpi_catalogue(request):
    """Every KPI of a trust with its definition versions, targets and benchmarks; officers add and change them."""
    from .models import KpiDefinition, Target

    body, bodies = _chosen_body(request)
    kpis = list(visible(Kpi, request.user).filter(delivery_body=body).select_related("priority"))
    targets, benchmarks, definitions = defaultdict(list), defaultdict(list), defaultdict(list)
    for t in visible(Target, request.user).filter(kpi__in=kpis).order_by("financial_year"):
        targets[t.kpi_id].append(t)
    for b in visible(Benchmark, request.user).filter(kpi__in=kpis).order_by("kind", "year"):
        benchmarks[b.kpi_id].append(b)
    for d in visible(KpiDefinition, request.user).filter(kpi__in=kpis):
        definitions[d.kpi_id].append(d)
    for kpi in kpis:
        kpi.target_list, kpi.benchmark_list = targets[kpi.pk], benchmarks[kpi.pk]
        kpi.definition_list = definitions[kpi.pk]
    can_edit = request.user.has_perm(CATALOGUE_EDIT) and role_of(request.user) == Role.COUNCIL_OFFICER
    return render(
        request,
        "performance/kpi_catalogue.html",
        {"body": body, "bodies": bodies, "kpis": kpis, "can_edit": can_edit},
    )


def _editor(request):
    if role_of(request.user) != Role.COUNCIL_OFFICER and not request.user.is_superuser:
        raise PermissionDenied("Only a council officer keeps the KPI catalogue.")


@login_required
@permission_required("performance.add_kpi", raise_exception=True)
def kpi_create(request):
    _editor(request)
    body, _ = _chosen_body(request)
    form = KpiForm(request.POST or None, body=body)
    if request.method == "POST" and form.is_valid():
        kpi = run_service(
            form, lambda: services.kpi_create(user=request.user, delivery_body=body, **form.service_data())
        )
        if kpi:
            messages.success(request, f"KPI {kpi.code} added to {body.name}'s catalogue.")
            return redirect(_catalogue_url(body))
    return render_form_page(request, form, title="Add a KPI", caption=body.name, cancel_url=_catalogue_url(body))


@login_required
@permission_required(CATALOGUE_EDIT, raise_exception=True)
def kpi_edit(request, pk: int):
    _editor(request)
    kpi = get_visible_or_404(Kpi, request.user, pk=pk)
    form = KpiForm(request.POST or None, body=kpi.delivery_body, kpi=kpi)
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        if run_service(form, lambda: services.kpi_update(user=request.user, kpi=kpi, **data)):
            messages.success(request, f"KPI {kpi.code} saved.")
            return redirect(_catalogue_url(kpi.delivery_body))
    return render_form_page(
        request,
        form,
        title=f"Change {kpi.code} {kpi.title}",
        caption=kpi.delivery_body.name,
        intro="Figures the council has accepted never change: a new definition takes effect from a month after "
        "the last accepted return, and a KPI with returns is retired rather than deleted.",
        cancel_url=_catalogue_url(kpi.delivery_body),
    )


@login_required
@permission_required(CATALOGUE_EDIT, raise_exception=True)
def kpi_retire(request, pk: int):
    _editor(request)
    kpi = get_visible_or_404(Kpi, request.user, pk=pk)
    form = RetireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: services.kpi_retire(user=request.user, kpi=kpi, **form.cleaned_data)):
            messages.success(request, f"KPI {kpi.code} retired. Its returns and history are kept.")
            return redirect(_catalogue_url(kpi.delivery_body))
    return render_form_page(
        request,
        form,
        title=f"Retire {kpi.code} {kpi.title}",
        caption=kpi.delivery_body.name,
        intro="A retired KPI is no longer reported. Nothing is deleted: its returns, targets and history stay.",
        cancel_url=_catalogue_url(kpi.delivery_body),
    )


@login_required
@permission_required("performance.add_kpibaseline", raise_exception=True)
def baseline_add(request, pk: int):
    """Recalculate the KPI's statistical process control baseline from a month (a new contract, a service change)."""
    _editor(request)
    kpi = get_visible_or_404(Kpi, request.user, pk=pk)
    form = BaselineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        save = lambda: services.kpi_baseline_recalculate(user=request.user, kpi=kpi, **form.cleaned_data)  # noqa: E731
        if run_service(form, save):
            messages.success(request, f"{kpi.code}'s baseline is recalculated from that month.")
            return redirect(kpi.get_absolute_url())
    return render_form_page(
        request,
        form,
        title=f"Recalculate the baseline of {kpi.code} {kpi.title}",
        caption=kpi.delivery_body.name,
        intro="The mean and process limits are computed afresh from the month you give, so the chart shows a "
        "break there. A change of definition does this by itself; use this for a new contract or a change to the "
        "service. At least 15 months are needed in the new baseline before its limits are shown.",
        cancel_url=kpi.get_absolute_url(),
    )


def _save_page(request, *, form, kpi, save, title, done):
    if request.method == "POST" and form.is_valid():
        if run_service(form, lambda: save(form.cleaned_data)):
            messages.success(request, done)
            return redirect(_catalogue_url(kpi.delivery_body))
    return render_form_page(
        request, form, title=title, caption=f"{kpi.code} {kpi.title}", cancel_url=_catalogue_url(kpi.delivery_body)
    )


@login_required
@permission_required("performance.add_target", raise_exception=True)
def target_add(request, pk: int):
    _editor(request)
    kpi = get_visible_or_404(Kpi, request.user, pk=pk)
    return _save_page(
        request,
        form=TargetForm(request.POST or None),
        kpi=kpi,
        save=lambda data: services.target_save(user=request.user, kpi=kpi, **data),
        title="Add a target",
        done=f"Target added to {kpi.code}.",
    )


@login_required
@permission_required("performance.change_target", raise_exception=True)
def target_edit(request, pk: int):
    from .models import Target

    _editor(request)
    target = get_visible_or_404(Target, request.user, pk=pk)
    initial = {
        "financial_year": target.financial_year,
        "value": target.value,
        "amber_tolerance": target.amber_tolerance,
    }
    return _save_page(
        request,
        form=TargetForm(request.POST or None, initial=initial),
        kpi=target.kpi,
        save=lambda data: services.target_save(user=request.user, kpi=target.kpi, target=target, **data),
        title=f"Change the {target.financial_year_label} target",
        done=f"Target for {target.kpi.code} saved.",
    )


@login_required
@permission_required("performance.add_benchmark", raise_exception=True)
def benchmark_add(request, pk: int):
    _editor(request)
    kpi = get_visible_or_404(Kpi, request.user, pk=pk)
    return _save_page(
        request,
        form=BenchmarkForm(request.POST or None),
        kpi=kpi,
        save=lambda data: services.benchmark_save(user=request.user, kpi=kpi, **data),
        title="Add a benchmark",
        done=f"Benchmark added to {kpi.code}.",
    )


@login_required
@permission_required("performance.change_benchmark", raise_exception=True)
def benchmark_edit(request, pk: int):

    _editor(request)
    benchmark = get_visible_or_404(Benchmark, request.user, pk=pk)
    return _save_page(
        request,
        form=BenchmarkForm(request.POST or None, initial=BenchmarkForm.initial_for(benchmark)),
        kpi=benchmark.kpi,
        save=lambda data: services.benchmark_save(user=request.user, kpi=benchmark.kpi, benchmark=benchmark, **data),
        title="Change a benchmark",
        done=f"Benchmark for {benchmark.kpi.code} saved.",
    )


# --- improvement plan editing (council officers) -------------------------------------------------


def _plan_url(body) -> str:
    return f"{reverse('performance:improvement-plan')}?body={body.slug}"


def _plan_page(request, *, form, body, save, title, done, back):
    if request.method == "POST" and form.is_valid():
        if run_service(form, save):
            messages.success(request, done)
            return redirect(back)
    return render_form_page(request, form, title=title, caption=body.name, cancel_url=back)


@login_required
@permission_required("performance.add_improvementpriority", raise_exception=True)
def priority_add(request):
    _editor(request)
    body, _ = _chosen_body(request)
    form = PriorityForm(request.POST or None)
    return _plan_page(
        request,
        form=form,
        body=body,
        save=lambda: services.priority_save(user=request.user, delivery_body=body, **form.cleaned_data),
        title="Add an improvement priority",
        done="Priority added to the improvement plan.",
        back=_plan_url(body),
    )


@login_required
@permission_required("performance.change_improvementpriority", raise_exception=True)
def priority_edit(request, pk: int):
    from .models import ImprovementPriority

    _editor(request)
    priority = get_visible_or_404(ImprovementPriority, request.user, pk=pk)
    initial = {"number": priority.number, "title": priority.title, "description": priority.description}
    form = PriorityForm(request.POST or None, initial=initial)
    body = priority.delivery_body
    return _plan_page(
        request,
        form=form,
        body=body,
        save=lambda: services.priority_save(
            user=request.user, delivery_body=body, priority=priority, **form.cleaned_data
        ),
        title=f"Change priority {priority.number}",
        done="Priority saved.",
        back=_plan_url(body),
    )


@login_required
@permission_required("performance.add_improvementaction", raise_exception=True)
def improvement_action_add(request, pk: int):
    from .models import ImprovementPriority

    _editor(request)
    priority = get_visible_or_404(ImprovementPriority, request.user, pk=pk)
    body = priority.delivery_body
    priorities = list(priorities_visible_to(request.user).filter(delivery_body=body))
    form = ImprovementActionForm(request.POST or None, priorities=priorities, initial={"priority": str(priority.pk)})
    return _plan_page(
        request,
        form=form,
        body=body,
        save=lambda: services.improvement_action_save(user=request.user, **form.service_data()),
        title="Add an improvement action",
        done="Action added to the improvement plan.",
        back=_plan_url(body),
    )


@login_required
@permission_required("performance.change_improvementaction", raise_exception=True)
def improvement_action_change(request, pk: int):
    _editor(request)
    action = get_visible_or_404(ImprovementAction, request.user, pk=pk)
    body = action.priority.delivery_body
    priorities = list(priorities_visible_to(request.user).filter(delivery_body=body))
    initial = {"priority": str(action.priority_id), "title": action.title, "owner": action.owner}
    initial["due_date"] = action.due_date
    form = ImprovementActionForm(request.POST or None, priorities=priorities, initial=initial)
    return _plan_page(
        request,
        form=form,
        body=body,
        save=lambda: services.improvement_action_save(user=request.user, action=action, **form.service_data()),
        title="Change an improvement action",
        done="Action saved.",
        back=_plan_url(body),
    )


def _ofsted_url(body) -> str:
    return f"{reverse('performance:ofsted')}?body={body.slug}"


@login_required
@permission_required("performance.add_trajectorymilestone", raise_exception=True)
def milestone_add(request):
    _editor(request)
    body, _ = _chosen_body(request)
    form = MilestoneForm(request.POST or None)
    return _plan_page(
        request,
        form=form,
        body=body,
        save=lambda: services.milestone_save(user=request.user, delivery_body=body, **form.cleaned_data),
        title="Add a point to the improvement trajectory",
        done="Trajectory point added.",
        back=_ofsted_url(body),
    )


@login_required
@permission_required("performance.change_trajectorymilestone", raise_exception=True)
def milestone_edit(request, pk: int):
    from .models import TrajectoryMilestone

    _editor(request)
    milestone = get_visible_or_404(TrajectoryMilestone, request.user, pk=pk)
    body = milestone.delivery_body
    form = MilestoneForm(request.POST or None, initial={"judgement": milestone.judgement, "by_date": milestone.by_date})
    return _plan_page(
        request,
        form=form,
        body=body,
        save=lambda: services.milestone_save(
            user=request.user, delivery_body=body, milestone=milestone, **form.cleaned_data
        ),
        title="Change a trajectory point",
        done="Trajectory point saved.",
        back=_ofsted_url(body),
    )
