"""Spreadsheet templates, uploads and exports for monthly returns.

The template has the trust in B1 and the month in B2, then one row per KPI from row 5:
A code, B KPI, C value, D numerator, E denominator, F commentary. An upload is read row by row;
every problem is reported with its cell reference and nothing is saved unless the whole file is valid.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from trustgov.core.archives import Limits, UnsafeFile, inspect_ooxml
from trustgov.core.dates import parse_period
from trustgov.core.exports import csv_text, xlsx_bytes
from trustgov.core.numbers import FigureError, parse_figure

from .services import Figures

FIRST_ROW = 5
COLUMNS = {"value": "C", "numerator": "D", "denominator": "E", "commentary": "F"}
HEADERS = ["Code", "KPI", "Value (leave blank where computed)", "Numerator", "Denominator", "Commentary"]
MAX_BYTES = 2 * 1024 * 1024


def template_rows(*, body, period: date, kpis, values=None) -> list[list]:
    values = values or {}
    rows = [
        ["Trust", body.slug, body.name],
        ["Month", f"{period:%Y-%m}", f"{period:%B %Y}"],
        [
            "Instructions",
            "For rates fill in numerator and denominator (the value is computed). "
            "Commentary is required when a KPI is red.",
        ],
        HEADERS,
    ]
    for kpi in kpis:
        v = values.get(kpi.code)
        rows.append(
            [
                kpi.code,
                kpi.title,
                "" if kpi.is_fraction or v is None else v.value,
                (v.numerator if v else "") if kpi.is_fraction else "",
                (v.denominator if v else "") if kpi.is_fraction else "",
                v.commentary if v else "",
            ]
        )
    return rows


def to_xlsx(rows: list[list], title: str = "Return") -> bytes:
    return xlsx_bytes(([float(c) if isinstance(c, Decimal) else c for c in row] for row in rows), title=title)


def to_csv(rows: list[list]) -> str:
    return csv_text(rows)


@dataclass
class ParsedUpload:
    trust_slug: str = ""
    period: date | None = None
    figures: dict[str, Figures] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # KPI code -> row number
    errors: list[tuple[str, str]] = field(default_factory=list)  # (cell, message)

    def error(self, cell: str, message: str) -> None:
        self.errors.append((cell, message))


def spreadsheet_limits() -> Limits:
    return Limits(
        max_entries=settings.SPREADSHEET_MAX_ZIP_ENTRIES,
        max_uncompressed_bytes=settings.SPREADSHEET_MAX_UNCOMPRESSED_BYTES,
    )


def _cells_from_xlsx(data: bytes, parsed: ParsedUpload, name: str, width: int = 6) -> list[list] | None:
    if not data.startswith(b"PK\x03\x04"):
        parsed.error("file", f"{name} is not a spreadsheet: upload the .xlsx or .csv template")
        return None
    try:
        inspect_ooxml(data, name=name, limits=spreadsheet_limits())
    except UnsafeFile as exc:
        parsed.error("file", str(exc))
        return None
    max_rows, max_cells = settings.SPREADSHEET_MAX_ROWS, settings.SPREADSHEET_MAX_CELLS
    too_big = (
        f"{name} has more than {max_rows:,} rows or {max_cells:,} cells: "
        "upload the template, one row per KPI, without extra sheets or rows"
    )
    try:
        wb = load_workbook(io.BytesIO(data), data_only=False, read_only=True)
        ws = wb.worksheets[0]
        # The sheet's own dimension, when it declares one, refuses a huge sheet before it is read.
        declared_rows, declared_columns = ws.max_row or 0, ws.max_column or 0
        if declared_rows > max_rows or declared_rows * declared_columns > max_cells:
            parsed.error("file", too_big)
            wb.close()
            return None
        rows, cells = [], 0
        for r, row in enumerate(ws.iter_rows(), start=1):
            cells += len(row)
            if r > max_rows or cells > max_cells:
                parsed.error("file", too_big)
                wb.close()
                return None
            values = []
            for c, cell in enumerate(row[:width]):
                ref = f"{get_column_letter(c + 1)}{r}"
                if getattr(cell, "data_type", None) == "f" or (
                    isinstance(cell.value, str) and cell.value.startswith("=")
                ):
                    parsed.error(ref, "formulas are not allowed: type the figure itself")
                    values.append(None)
                else:
                    values.append(cell.value)
            rows.append(values)
        wb.close()
    except Exception:  # noqa: BLE001 - any unreadable workbook gets the same clear message
        parsed.error("file", f"{name} is not a spreadsheet we can read: upload the .xlsx or .csv template")
        return None
    return rows


def _cells_from_csv(data: bytes, parsed: ParsedUpload, width: int = 6) -> list[list] | None:
    if b"\x00" in data:
        parsed.error("file", "The file is not a spreadsheet: upload the .xlsx or .csv template")
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        parsed.error("file", "The CSV file must be saved as UTF-8")
        return None
    rows = list(csv.reader(io.StringIO(text)))
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row[:width]):
            if value.startswith("="):
                parsed.error(f"{get_column_letter(c + 1)}{r}", "formulas are not allowed: type the figure itself")
                row[c] = None
    return rows


def _number(parsed: ParsedUpload, ref: str, raw) -> Decimal | None:
    """ASCII digits only, finite, below 10^12 and to 2 decimal places, as the form allows."""
    try:
        return parse_figure(raw, max_digits=14, decimal_places=2)
    except FigureError as exc:
        parsed.error(ref, str(exc))
        return None


def parse_upload(*, name: str, data: bytes) -> ParsedUpload:
    parsed = ParsedUpload()
    lower = name.lower()
    if len(data) > MAX_BYTES:
        parsed.error("file", "The file must be smaller than 2MB")
        return parsed
    if lower.endswith((".xlsm", ".xltm", ".xlam")):
        parsed.error("file", "The file contains macros: save it as a plain .xlsx workbook (not .xlsm) and upload again")
        return parsed
    if lower.endswith(".xlsx"):
        rows = _cells_from_xlsx(data, parsed, name)
    elif lower.endswith(".csv"):
        rows = _cells_from_csv(data, parsed)
    else:
        parsed.error("file", "The file must be a spreadsheet: .xlsx or .csv")
        return parsed
    if rows is None:
        return parsed
    rows = [list(r) + [None] * (6 - len(r)) for r in rows]
    if len(rows) < FIRST_ROW:
        parsed.error("file", "The file does not follow the template: download the template and fill it in")
        return parsed
    parsed.trust_slug = str(rows[0][1] or "").strip()
    month = rows[1][1]
    if isinstance(month, date):
        parsed.period = month.replace(day=1) if not hasattr(month, "date") else month.date().replace(day=1)
    else:
        day = parse_period(month)
        if day is None:
            parsed.error("B2", "enter the month as YYYY-MM, for example 2025-06")
        else:
            parsed.period = day.replace(day=1)
    for r, row in enumerate(rows[FIRST_ROW - 1 :], start=FIRST_ROW):
        code = str(row[0] or "").strip()
        if not code:
            continue
        if code in parsed.rows:
            parsed.error(f"A{r}", f"KPI {code} appears twice (also in row {parsed.rows[code]})")
            continue
        parsed.rows[code] = r
        parsed.figures[code] = Figures(
            value=_number(parsed, f"C{r}", row[2]),
            numerator=_number(parsed, f"D{r}", row[3]),
            denominator=_number(parsed, f"E{r}", row[4]),
            commentary=str(row[5] or "").strip(),
        )
    return parsed


def cell_for(parsed: ParsedUpload, key: str) -> str:
    """The cell a service error key ('RR-numerator', 'period', ...) refers to."""
    if "-" in key:
        code, _, field_name = key.rpartition("-")
        if code in parsed.rows and field_name in COLUMNS:
            return f"{COLUMNS[field_name]}{parsed.rows[code]}"
    return {"period": "B2", "delivery_body": "B1"}.get(key, "file")
