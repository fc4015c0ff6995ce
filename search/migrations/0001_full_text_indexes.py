"""GIN indexes for full-text search on PostgreSQL (ADR 0606); nothing on other databases.

Each index is on exactly the expression ``search.engine.document_sql`` writes for the kind's columns, so the
planner can use it; ``tests/search/test_postgresql.py`` checks each kind's query against its index.
"""

from django.db import migrations

# (index, table, columns): frozen here as a migration must be; search.kinds names the same.
INDEXES = (
    ("search_meetings_fts", "meetings_meeting", ("title", "place")),
    ("search_items_fts", "meetings_agendaitem", ("title", "report")),
    ("search_papers_fts", "meetings_document", ("title", "text")),
    ("search_resolutions_fts", "meetings_resolution", ("text",)),
    ("search_decisions_fts", "contracts_reservedmatterrequest", ("title", "details")),
    ("search_kpis_fts", "performance_kpi", ("code", "title", "definition")),
    ("search_people_fts", "boards_person", ("name", "professional_capacity", "organisation")),
    ("search_contracts_fts", "contracts_contract", ("reference", "title", "description")),
)


def _expression(columns) -> str:
    joined = " || ' ' || ".join(f"coalesce({column}, '')" for column in columns)
    return f"to_tsvector('english', {joined})"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, columns in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({_expression(columns)})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _columns in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0010_document_text"),
        ("contracts", "0011_contract_signed_on"),
        ("boards", "0003_appointments_are_reserved_matters"),
        ("performance", "0006_no_default_ordering_on_returns_and_targets"),
    ]

    operations = [migrations.RunPython(create, drop)]
