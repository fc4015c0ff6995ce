"""The service shell: home pages, health checks, record history and error pages."""

import time

from django.apps import apps
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection, transaction
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

from trustgov.celery import app

from . import history
from .api import problem_type
from .navigation import attention_for, home_panels_for
from .roles import Role, role_of
from .scoping import get_visible_or_404, registered_models

HOME_TEMPLATES = {
    Role.COUNCIL_OFFICER: "core/home_council_officer.html",
    Role.TRUST_EXECUTIVE: "core/home_trust_executive.html",
    Role.SCRUTINY_MEMBER: "core/home_scrutiny_member.html",
    Role.DFE_LIAISON: "core/home_dfe_liaison.html",
}


@login_required
@require_GET
def home(request):
    role = role_of(request.user)
    template = HOME_TEMPLATES.get(role, "core/home_admin.html")
    # The DfE decides what others have asked: whatever has waited longest comes first.
    items = attention_for(request.user, oldest_first=role == Role.DFE_LIAISON)
    return render(
        request,
        template,
        {
            "attention": [i for i in items if not i.waiting_on_others],
            "waiting": [i for i in items if i.waiting_on_others],
            "panels": home_panels_for(request.user),
            "role": role,
        },
    )


# The statements every page's footer links to: public, so anyone can read them before signing in.


def _cookies() -> list[dict]:
    return [
        {
            "name": settings.SESSION_COOKIE_NAME,
            "purpose": "Keeps you signed in as you move from page to page.",
            "expires": "When you close your browser, or after "
            f"{settings.SESSION_COOKIE_AGE // 3600} hours, whichever is sooner",
        },
        {
            "name": settings.CSRF_COOKIE_NAME,
            "purpose": "Proves that a form you send came from this service (protection against cross-site "
            "request forgery).",
            "expires": f"After {settings.CSRF_COOKIE_AGE // (24 * 3600)} days",
        },
    ]


@require_GET
def accessibility_statement(request):
    return render(request, "core/accessibility.html")


@require_GET
def privacy_notice(request):
    return render(request, "core/privacy.html")


@require_GET
def cookies(request):
    return render(request, "core/cookies.html", {"cookies": _cookies()})


# Health checks never run inside a request transaction (ATOMIC_REQUESTS would open one, and so need
# the database, before the view runs): liveness needs nothing but the process; readiness asks the
# database itself and reports its failure as JSON.


@transaction.non_atomic_requests
@require_GET
@never_cache
def healthz(request):
    """Liveness: the process answers. Needs no database, broker or session."""
    return JsonResponse({"status": "ok"})


@transaction.non_atomic_requests
@require_GET
@never_cache
def readyz(request):
    """Readiness: the database answers, and with a broker configured, the broker and a worker do."""
    checks: dict[str, dict] = {"database": _database_check()}
    if settings.CELERY_BROKER_URL:
        checks["broker"] = _broker_check()
        checks["workers"] = _workers_check() if checks["broker"]["status"] == "ok" else _not_checked("broker")
    else:
        checks["broker"] = {"status": "ok", "mode": "eager (no broker configured)"}
    failing = [name for name, check in checks.items() if check["status"] != "ok"]
    body = {"status": "error" if failing else "ok", "checks": checks}
    if failing:
        body["failing"] = failing
    return JsonResponse(body, status=503 if failing else 200)


def _not_checked(because: str) -> dict:
    return {"status": "error", "error": f"not checked: the {because} is unreachable"}


def _database_check() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return {"status": "ok", "vendor": connection.vendor}
    except Exception as exc:  # noqa: BLE001 - readiness reports any failure, it never crashes
        return {"status": "error", "error": exc.__class__.__name__}


def _broker_check() -> dict:
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return {"status": "ok"}
    except Exception as exc:  # noqa: BLE001
        return {"status": "error", "error": exc.__class__.__name__}


WORKER_ANSWERED_KEY = "readyz:celery-worker-answered"


def _workers_check() -> dict:
    """A worker answered a ping in the last READYZ_WORKER_RECENT_SECONDS (asked again when not)."""
    recent = settings.READYZ_WORKER_RECENT_SECONDS
    now = time.time()
    answered = cache.get(WORKER_ANSWERED_KEY)
    if answered is not None and now - answered < recent:
        return {"status": "ok", "answered_seconds_ago": round(now - answered)}
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            replies = app.control.ping(timeout=settings.READYZ_WORKER_PING_SECONDS, connection=conn)
    except Exception as exc:  # noqa: BLE001
        return {"status": "error", "error": exc.__class__.__name__}
    if not replies:
        return {"status": "error", "error": f"no Celery worker has answered in the last {recent} seconds"}
    cache.set(WORKER_ANSWERED_KEY, now, timeout=recent)
    return {"status": "ok", "workers": len(replies), "answered_seconds_ago": 0}


@login_required
@require_GET
def record_history(request, app_label: str, model_name: str, pk: int):
    """Who changed what and when, for any audited record the user may see."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404("No such record type.") from None
    if model not in registered_models() or not hasattr(model, "history"):
        raise Http404("No such record type.")
    if not request.user.has_perm(f"{app_label}.view_{model._meta.model_name}"):
        raise Http404("No such record.")
    obj = get_visible_or_404(model, request.user, pk=pk)
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[:200])
    rows = history.rows(model, records)
    return render(
        request,
        "core/history.html",
        {"object": obj, "rows": rows, "model_name": model._meta.verbose_name},
    )


def _wants_problem_json(request) -> bool:
    return request.path.startswith("/api/")


def _problem(status: int, title: str, detail: str) -> JsonResponse:
    return JsonResponse(
        {"type": problem_type(status), "title": title, "status": status, "detail": detail},
        status=status,
        content_type="application/problem+json",
    )


def error_400(request, exception=None, *, detail: str = ""):
    detail = detail or "The request could not be understood."
    if _wants_problem_json(request):
        return _problem(400, "Bad Request", detail)
    return render(request, "errors/400.html", {"detail": detail}, status=400)


def error_403(request, exception=None):
    if _wants_problem_json(request):
        return _problem(403, "Forbidden", "You do not have permission to perform this action.")
    return render(request, "errors/403.html", status=403)


def error_404(request, exception=None):
    if _wants_problem_json(request):
        return _problem(404, "Not Found", "No resource at this address.")
    return render(request, "errors/404.html", status=404)


def error_500(request):
    # No context processors here: the database may be the reason we failed.
    if _wants_problem_json(request):
        return _problem(500, "Internal Server Error", "Something went wrong on our side. Try again later.")
    return HttpResponseServerError(
        loader.get_template("errors/500.html").render({"service_name": settings.SERVICE_NAME})
    )


def csrf_failure(request, reason=""):
    return render(request, "errors/403_csrf.html", status=403)
