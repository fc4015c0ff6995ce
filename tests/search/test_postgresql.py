"""On PostgreSQL each kind's query is the expression its GIN index holds, so the planner uses the index
(ADR 0606). Skipped on other databases, where there is no index and search falls back to ``icontains``."""

import pytest
from django.db import connection

from meetings.models import Document
from search import engine, kinds
from trustgov.accounts.models import User

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text indexes are PostgreSQL's"),
]


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_each_kind_has_its_index(planted):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, tablename, indexdef FROM pg_indexes WHERE indexname LIKE 'search_%%_fts'")
        found = {name: (table, definition) for name, table, definition in cursor.fetchall()}
    for kind in kinds.SIGNED_IN:
        table, definition = found[kind.index_name]
        assert table == kind.table and "USING gin (to_tsvector('english'::regconfig" in definition
        for column in kind.fields:
            assert f"COALESCE({column}," in definition


@pytest.mark.parametrize("kind", kinds.SIGNED_IN, ids=lambda kind: kind.key)
def test_each_kinds_expression_is_its_gin_index(planted, kind):
    """With sequential scans off the planner reaches for the index only when the query's expression is the
    index's. (On a user's scoped rows it may well prefer a tenancy index on so few rows; that is its choice.)"""
    model = kind.rows(User.objects.get(username="opentown-officer")).model
    plan = _plan(engine.matching(kind, model._default_manager.all(), "performance"))
    assert kind.index_name in plan, plan


def test_papers_text_is_searched_through_the_index_with_many_rows(planted):
    paper = planted.public_paper
    Document.objects.bulk_create(
        Document(agenda_item=paper.agenda_item, title=f"Filler {n}", file_type="pdf", size=1, text="routine words")
        for n in range(2000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE meetings_document")
    kind = next(kind for kind in kinds.SIGNED_IN if kind.key == "papers")
    rows = engine.matching(kind, Document.objects.all(), "Zyxpublicword")
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "search_papers_fts" in plan, plan
    assert [document.title for document in rows] == ["Annual performance"]
