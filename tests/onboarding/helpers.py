"""Building onboarding workbooks in tests, and counting what an import may have saved."""

import io
from datetime import date

from django.apps import apps
from django.db import connection
from openpyxl import Workbook, load_workbook

from onboarding import spec

# The apps whose rows an import may create: counted before and after a refused import.
COUNTED_APPS = ("organisations", "contracts", "boards", "performance", "accounts")


def workbook_bytes(sheets: dict[str, list[list]], *, headers: dict[str, list[str]] | None = None) -> bytes:
    """A workbook with these sheets: each sheet's header row from the spec unless ``headers`` says otherwise."""
    headers = headers or {}
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(headers.get(name) or spec.BY_NAME[name].headers)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheets_of(data: bytes) -> dict[str, list[list]]:
    """Every sheet's rows (header included) as plain values, for comparing two workbooks."""
    book = load_workbook(io.BytesIO(data), read_only=True)
    out = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    book.close()
    return out


def row_counts() -> dict[str, int]:
    """Rows in every model (history tables included) of the apps an import writes to."""
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label in COUNTED_APPS}


def wipe_database() -> None:
    """An empty database, as after ``migrate``: every row of TrustGov's own apps goes (content types,
    permissions and the role groups stay). Inside the test's transaction, so the demo comes back after."""
    ours = (
        "organisations",
        "accounts",
        "contracts",
        "boards",
        "performance",
        "meetings",
        "reports",
        "opendata",
        "onboarding",
        "core",
    )
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.app_label in ours and not model._meta.proxy and model._meta.managed:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608


def minimal_sheets(slug: str = "northshire-trust", reference: str = "NC-NCT-2026", start=date(2026, 4, 1)) -> dict:
    """A small valid set-up: a trust, its contract, two KPIs with targets, one SSA line and an obligation."""
    end = date(start.year + 5, start.month, 1)
    return {
        "Delivery bodies": [[slug, "Northshire Children's Trust", "trust", "", "", "Yes", None, start]],
        "Contracts": [
            [
                reference,
                slug,
                "Northshire children's services contract",
                "live",
                start,
                end,
                None,
                5,
                None,
                None,
                None,
                "",
                "Yes",
                "No",
                "No",
                "",
                10,
                0,
                "",
                "",
            ]
        ],
        "SSA lines": [[reference, "HR and payroll", start, date(start.year + 1, 3, 31), 120000, None]],
        "Obligations": [
            [
                reference,
                "monthly_monitoring",
                "Monthly monitoring information",
                "",
                "Trust CEO",
                "monthly",
                None,
                "",
                None,
                None,
                "",
            ]
        ],
        "KPI catalogue": [
            [
                slug,
                "RR",
                "Re-referrals",
                "Referrals within 12 months of a previous referral",
                "percentage",
                "lower",
                "monthly",
                "",
                "",
                "",
                None,
                "Yes",
                None,
                1,
                None,
            ],
            [
                slug,
                "CL",
                "Caseload",
                "Average caseload per social worker",
                "ratio",
                "lower",
                "monthly",
                "",
                "",
                "",
                None,
                "Yes",
                None,
                2,
                None,
            ],
        ],
        "Targets": [
            [slug, "RR", f"{start.year}/{(start.year + 1) % 100:02d}", 22, 2],
            [slug, "CL", f"{start.year}/{(start.year + 1) % 100:02d}", 18, 2],
        ],
    }
