"""Search: each kind's scoped rows, filtered by the words asked for (ADR 0606).

On PostgreSQL a record matches when ``to_tsvector('english', <its columns joined>) @@ websearch_to_tsquery(...)``;
the expression is written once (``document_sql``) and the migration indexes exactly it (GIN), so the planner uses
the index. Elsewhere (SQLite) every word must appear in one of the columns (``icontains``). Either way results
come rank first (PostgreSQL's ``ts_rank``; every match ranks alike on SQLite), then newest, then by key.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import F, FloatField, Func, Q, QuerySet, Value
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .kinds import Kind

MAX_QUERY = 200
PAGE_SIZE = 20
CONFIG = "english"
SNIPPET = 160  # characters either side are trimmed to about this much in all


def document_sql(columns) -> str:
    """The indexed expression: the columns joined by spaces, as English words. ``columns`` are SQL names."""
    joined = " || ' ' || ".join(f"coalesce({column}, '')" for column in columns)
    return f"to_tsvector('{CONFIG}', {joined})"


class _Document(Func):
    """``document_sql`` over a queryset's own columns, so the query's expression is the index's."""

    output_field = SearchVectorField()

    def __init__(self, *fields):
        super().__init__(*(F(field) for field in fields))

    def as_sql(self, compiler, connection, **extra):
        columns, params = [], []
        for expression in self.source_expressions:
            sql, p = compiler.compile(expression)
            columns.append(sql)
            params.extend(p)
        return document_sql(columns), params


def words(query: str) -> list[str]:
    return re.findall(r"\w+", query)


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def matching(kind: Kind, rows: QuerySet, query: str) -> QuerySet:
    """The kind's rows that match ``query``, best first, then newest."""
    if is_postgresql():
        tsquery = SearchQuery(query, search_type="websearch", config=CONFIG)
        return (
            rows.alias(search_document=_Document(*kind.fields))  # in WHERE and the rank, never selected
            .filter(search_document=tsquery)
            .annotate(search_rank=SearchRank(F("search_document"), tsquery))
            .order_by("-search_rank", f"-{kind.date}", "-pk")
        )
    condition = Q()
    for word in words(query):
        any_field = Q()
        for field in kind.fields:
            any_field |= Q(**{f"{field}__icontains": word})
        condition &= any_field
    if not words(query):
        return rows.none()
    return (
        rows.filter(condition)
        .annotate(search_rank=Value(0.0, output_field=FloatField()))
        .order_by(f"-{kind.date}", "-pk")
    )


def _value(obj, field: str):
    """``obj.a.b`` for the field ``a__b``."""
    for name in field.split("__"):
        obj = getattr(obj, name) if obj is not None else None
    return obj


def snippet(obj, kind: Kind, query: str) -> SafeString:
    """Where the first word asked for appears in the record's searched text, escaped, each word in <mark>."""
    text = " ".join(str(_value(obj, field) or "") for field in kind.fields[1:] or kind.fields)
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return mark_safe("")
    found = [w for w in words(query) if w.lower() in text.lower()]
    start = 0
    if found:
        start = max(0, text.lower().index(found[0].lower()) - SNIPPET // 3)
    excerpt = text[start : start + SNIPPET]
    pieces = [escape(excerpt)]
    if found:
        pattern = re.compile("|".join(re.escape(escape(w)) for w in sorted(found, key=len, reverse=True)), re.I)
        pieces = [pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escape(excerpt))]
    prefix = "… " if start else ""
    suffix = " …" if start + SNIPPET < len(text) else ""
    return mark_safe(escape(prefix) + pieces[0] + escape(suffix))  # noqa: S308 (every piece escaped above)


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    detail: str
    snippet: SafeString
    kind_label: str


@dataclass(frozen=True)
class KindCount:
    kind: Kind
    count: int


@dataclass(frozen=True)
class Results:
    counts: tuple[KindCount, ...]
    kind: Kind | None  # the kind filtered to, or None for all
    hits: tuple[Hit, ...]
    total: int  # of the kind shown (or all kinds)
    page: int
    pages: int


def search(kinds, scope, query: str, *, kind_key: str = "", page: int = 1, slug: str = "") -> Results:
    """Search ``kinds``, each through ``kind.rows(scope)`` (the user, or the council of the public pages)."""
    matched = [(kind, matching(kind, kind.rows(scope), query)) for kind in kinds]
    counts = tuple(KindCount(kind, qs.count()) for kind, qs in matched)
    chosen = next((kind for kind in kinds if kind.key == kind_key), None)
    shown = [(kind, qs, n.count) for (kind, qs), n in zip(matched, counts, strict=True) if chosen in (None, kind)]
    total = sum(count for _, _, count in shown)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    # Across kinds the page is cut from the kinds in order (meetings, then items, ...): each kind's own
    # order is rank then newest, and only the rows on the page are read.
    start, end = (page - 1) * PAGE_SIZE, page * PAGE_SIZE
    hits: list[Hit] = []
    offset = 0
    for kind, qs, count in shown:
        low, high = max(start - offset, 0), min(end - offset, count)
        if low < high:
            for obj in qs[low:high]:
                hits.append(
                    Hit(kind.title(obj), kind.url(obj, slug), kind.detail(obj), snippet(obj, kind, query), kind.label)
                )
        offset += count
    return Results(counts, chosen, tuple(hits), total, page, pages)
