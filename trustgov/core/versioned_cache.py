"""Heavy reads cached per data version (ADR 0015; docs/scaling.md).

The national grid, the comparison, the dashboard and the KPI page (and the API's series, RAG and returns lists)
read tens of thousands of figures to show a month that changes once a month. Each is computed once per **data
version** and served from the shared cache (``django.core.cache``: Redis in production) until anything it could
show changes.

- **The data version** (``data_version``) is the latest history row of every history-tracked model, read in ONE
  query (a ``MAX`` per table, each the last entry of its primary key's index). Every change to governance data
  writes a history row (a return's submission or acceptance, a correction, a target, a KPI's definition, a
  membership, an office holding, a user's role or name): any change gives a new version, and what was cached
  before it is never served again (it expires). A write that left no history row would not be seen: the rule
  that every change is recorded (README, "Standards") is what this relies on.
- **The key** names everything else a response depends on: the path and query string; the user, and their
  session or API token (a cached page is only ever served to the session, or the token, it was rendered for,
  after the view's own sign-in, role and scope checks have run); today's date (what is overdue, what is due);
  and the data version.
- **A page's CSP nonce** (the inline styles of its charts) is the request's own: the nonce a cached page was
  rendered with is replaced by the new request's, which its Content-Security-Policy header names.
- **What is never cached:** anything but a successful GET; a page with a message waiting to be shown; a response
  that sets a cookie; anything while ``TRUSTGOV_CACHE_SECONDS`` is 0.

``cached_page`` decorates a page view (inside its sign-in and role decorators); an API view set lists the
actions to cache in ``cached_actions`` (``trustgov.core.api.ApiConventionsMixin``), so DRF's authentication,
permissions and throttles run on every request, cached or not.
"""

import functools
import hashlib
import time

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections, router
from django.http import HttpResponse
from django.utils import timezone

PREFIX = "dv:v1"  # change when what is cached changes shape
_TABLES: list[str] | None = None
_HISTORY_MODEL = None  # any history model: the router says which database reads it
FUNCTION = "trustgov_data_version"
WAIT_SECONDS = 60  # the longest a request waits for another computing the same key
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")


def seconds() -> int:
    return int(getattr(settings, "TRUSTGOV_CACHE_SECONDS", 600))


def _history_tables() -> list[str]:
    global _TABLES, _HISTORY_MODEL
    if _TABLES is None:
        models = [m for m in apps.get_models() if any(f.name == "history_id" for f in m._meta.concrete_fields)]
        _HISTORY_MODEL = models[0] if models else None
        _TABLES = sorted(m._meta.db_table for m in models)
    return _TABLES


def reading_database() -> str:
    """The database this request reads governance data from (the replica inside ``national_read``)."""
    _history_tables()
    return router.db_for_read(_HISTORY_MODEL) if _HISTORY_MODEL is not None else "default"


def _latest_rows_sql(conn=connection) -> str:
    """The latest history row of each history table, 0 for an empty one, as a list of SQL expressions."""
    quote = conn.ops.quote_name
    return ", ".join(f"coalesce((SELECT MAX(history_id) FROM {quote(t)}), 0)" for t in _history_tables())  # noqa: S608


def install_function(using: str = "default", **kwargs) -> None:
    """On PostgreSQL, (re)create ``trustgov_data_version()`` after every ``migrate`` (post_migrate), over the
    history tables the app registry holds then. A PL/pgSQL function's query is planned once per connection,
    where the same SELECT sent as text is planned on every request (7 ms for 54 tables, against 1 ms to run)."""
    conn = connections[using]
    if conn.vendor != "postgresql" or not _history_tables():
        return
    with conn.cursor() as cur:
        cur.execute(
            f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS text LANGUAGE plpgsql STABLE AS "  # noqa: S608
            f"$$ BEGIN RETURN concat_ws('.', {_latest_rows_sql(conn)}); END $$"
        )


def data_version() -> str:
    """The latest history row of every history-tracked table, as one string, in ONE query (on PostgreSQL the
    function ``install_function`` keeps; elsewhere the same SELECT). Read from the database the request reads
    from (the replica inside ``national_read``), so the version and the figures cached under it agree."""
    conn = connections[reading_database()]
    with conn.cursor() as cur:
        if conn.vendor == "postgresql":
            cur.execute(f"SELECT {FUNCTION}()")
            return cur.fetchone()[0]
        cur.execute(f"SELECT {_latest_rows_sql(conn)}")  # noqa: S608 - table names from the app registry, quoted
        return ".".join(str(v) for v in cur.fetchone())


def _key(kind: str, who: str, request) -> str:
    parts = [
        kind,
        who,
        request.get_full_path(),
        request.headers.get("Accept", ""),
        timezone.localdate().isoformat(),
        data_version(),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"{PREFIX}:{kind}:{digest}"


def _messages_waiting(request) -> bool:
    session = getattr(request, "session", None)
    return bool(request.COOKIES.get("messages") or (session is not None and session.get("_messages")))


def get_or_claim(key: str):
    """The cached value, or None when this request is to compute it. While another request computes the same key
    (the same user and session asked twice, a page reloaded), wait for its result rather than compute it twice:
    a national page's first request reads every trust's month. Waits at most ``WAIT_SECONDS``."""
    hit = cache.get(key)
    if hit is not None or cache.add(f"{key}:computing", 1, timeout=WAIT_SECONDS):
        return hit
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.1)
        hit = cache.get(key)
        if hit is not None or cache.add(f"{key}:computing", 1, timeout=WAIT_SECONDS):
            return hit
    return None


def release(key: str) -> None:
    cache.delete(f"{key}:computing")


def page_key(request) -> str | None:
    """The cache key of a signed-in page, or None when the request must not be served from the cache."""
    if not seconds() or request.method != "GET" or not request.user.is_authenticated or _messages_waiting(request):
        return None
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if not session_key:
        return None
    return _key("page", f"{request.user.pk}:{session_key}", request)


def cached_page(view):
    """Serve the view's successful GET from the cache while the data version is unchanged (see the module)."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        key = page_key(request)
        if key is None:
            return view(request, *args, **kwargs)
        hit = get_or_claim(key)
        if hit is not None:
            content, headers, nonce = hit
            if nonce:  # the page's inline styles carry the nonce of this response's Content-Security-Policy
                content = content.replace(nonce.encode(), str(request.csp_nonce).encode())
            return HttpResponse(content, headers=headers)
        try:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            if response.status_code == 200 and not response.cookies and not getattr(response, "streaming", False):
                headers = {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}
                nonce = getattr(request, "_csp_nonce", None)  # the CSP nonce the page was rendered with, if any
                cache.set(key, (response.content, headers, nonce), timeout=seconds())
        finally:
            release(key)
        return response

    return wrapped


def api_key(request) -> str | None:
    """The cache key of an authenticated API read (``request`` a DRF request, after authentication)."""
    if not seconds() or request.method != "GET" or not request.user.is_authenticated:
        return None
    auth = request.auth
    if auth is None:
        session_key = getattr(getattr(request._request, "session", None), "session_key", None)
        if not session_key:
            return None  # neither a session nor a token: nothing to tie a cached response to
        who = f"session:{session_key}"
    else:
        who = f"token:{getattr(auth, 'pk', auth)}"
    return _key("api", f"{request.user.pk}:{who}", request)
