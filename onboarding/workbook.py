"""Reading an onboarding workbook into plain rows, collecting every error with its sheet and cell.

Nothing here touches the database. The file is checked before it is parsed (``core/archives``:
entries, unpacked size, macros); then every sheet is read whole and every problem is listed —
an unknown sheet, a missing or unknown column, a formula, a cell that is not what its column
holds, a required cell left blank, a row that repeats another's key, a sheet that is too long.
"""

import io
from dataclasses import dataclass, field

from django.conf import settings
from openpyxl import load_workbook

from trustgov.core.archives import Limits, UnsafeFile, inspect_ooxml
from trustgov.core.exports import FORMULA_PREFIXES

from .spec import BY_NAME, MAX_COLUMNS, MAX_ROWS_PER_SHEET, README_SHEET, SHEETS, CellError, Sheet, column_letter

FILE = ""  # the "sheet" of an error about the whole file


@dataclass(frozen=True)
class Problem:
    sheet: str
    cell: str
    message: str

    def __str__(self) -> str:
        where = " ".join(p for p in (f"'{self.sheet}'" if self.sheet else "", self.cell) if p)
        return f"{where}: {self.message}" if where else self.message


@dataclass
class Row:
    sheet: Sheet
    number: int
    values: dict
    cells: dict[str, str]  # field -> "B7"

    def cell(self, name: str) -> str:
        return self.cells.get(name, f"A{self.number}")

    def key(self) -> tuple:
        return tuple(
            (str(self.values.get(f)).lower() if isinstance(self.values.get(f), str) else self.values.get(f))
            for f in self.sheet.key
        )


@dataclass
class Parsed:
    name: str
    rows: dict[str, list[Row]] = field(default_factory=lambda: {s.name: [] for s in SHEETS})
    problems: list[Problem] = field(default_factory=list)

    def error(self, sheet: str, cell: str, message: str) -> None:
        self.problems.append(Problem(sheet, cell, message))

    @property
    def ok(self) -> bool:
        return not self.problems

    def of(self, sheet: Sheet) -> list[Row]:
        return self.rows[sheet.name]


def limits() -> Limits:
    return Limits(
        max_entries=settings.SPREADSHEET_MAX_ZIP_ENTRIES,
        max_uncompressed_bytes=settings.SPREADSHEET_MAX_UNCOMPRESSED_BYTES,
    )


def _unneutralise(value):
    """The export writes text starting with = + - @ as '=…, so a spreadsheet never runs it: read it back."""
    if isinstance(value, str) and value.startswith("'") and value[1:2] and value[1:2] in FORMULA_PREFIXES:
        return value[1:]
    return value


def parse_workbook(*, name: str, data: bytes) -> Parsed:
    parsed = Parsed(name=name)
    if not data.startswith(b"PK\x03\x04"):
        parsed.error(
            FILE, "", f"{name} is not a spreadsheet: download the onboarding template (.xlsx) and fill that in"
        )
        return parsed
    try:
        inspect_ooxml(data, name=name, limits=limits())
    except UnsafeFile as exc:
        parsed.error(FILE, "", str(exc))
        return parsed
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - any unreadable workbook gets the same clear message
        parsed.error(
            FILE, "", f"{name} is not a spreadsheet we can read: download the onboarding template and use that"
        )
        return parsed
    try:
        for worksheet in workbook.worksheets:
            if worksheet.title == README_SHEET:
                continue
            sheet = BY_NAME.get(worksheet.title)
            if sheet is None:
                names = ", ".join(f"'{s.name}'" for s in SHEETS)
                parsed.error(
                    worksheet.title,
                    "",
                    f"'{worksheet.title}' is not a sheet of the onboarding workbook: rename it to one of {names}, "
                    "or remove it",
                )
                continue
            _read_sheet(parsed, sheet, worksheet)
    except Exception:  # noqa: BLE001 - a sheet openpyxl cannot read is a file we cannot read
        parsed.error(
            FILE, "", f"{name} is not a spreadsheet we can read: download the onboarding template and use that"
        )
    finally:
        workbook.close()
    for sheet in SHEETS:
        _check_duplicates(parsed, sheet)
    return parsed


def _too_long(parsed: Parsed, sheet: Sheet, rows: int | None = None) -> None:
    count = f" ({rows:,} rows)" if rows else ""
    parsed.error(
        sheet.name,
        "",
        f"The sheet has more than {MAX_ROWS_PER_SHEET:,} rows under its header{count}: import it in parts of at "
        f"most {MAX_ROWS_PER_SHEET:,} rows (for KPI values, a few years at a time)",
    )


def _read_sheet(parsed: Parsed, sheet: Sheet, worksheet) -> None:
    declared = worksheet.max_row or 0
    if declared - 1 > MAX_ROWS_PER_SHEET:
        _too_long(parsed, sheet, declared - 1)
        return
    header: dict[int, str] = {}  # column index -> field
    for number, cells in enumerate(worksheet.iter_rows(max_col=MAX_COLUMNS), start=1):
        if number - 1 > MAX_ROWS_PER_SHEET:
            _too_long(parsed, sheet)
            parsed.rows[sheet.name] = []
            return
        raw: list = []
        for index, cell in enumerate(cells):
            ref = f"{column_letter(index)}{number}"
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and value.startswith("=")):
                parsed.error(sheet.name, ref, "Formulas are not allowed: type the value itself")
                value = None
            raw.append(_unneutralise(value))
        if number == 1:
            header = _read_header(parsed, sheet, raw)
            if header is None:
                return
            continue
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw):
            continue
        _read_row(parsed, sheet, header, number, raw)
    if not header:
        parsed.error(sheet.name, "A1", "The sheet has no header row: copy the first row from the template")


def _read_header(parsed: Parsed, sheet: Sheet, raw: list) -> dict[int, str] | None:
    by_header = {c.header.lower(): c for c in sheet.columns}
    header: dict[int, str] = {}
    last = -1
    for index, value in enumerate(raw):
        if value is None or not str(value).strip():
            continue
        last = index
        column = by_header.get(str(value).strip().lower())
        if column is None:
            parsed.error(
                sheet.name,
                f"{column_letter(index)}1",
                f"'{value}' is not a column of this sheet: the columns are {', '.join(sheet.headers)}",
            )
            continue
        if column.field in header.values():
            parsed.error(sheet.name, f"{column_letter(index)}1", f"The column '{column.header}' appears twice")
            continue
        header[index] = column.field
    missing = [c for c in sheet.columns if c.field not in header.values()]
    for offset, column in enumerate(missing, start=1):
        parsed.error(
            sheet.name,
            f"{column_letter(last + offset)}1",
            f"The column '{column.header}' is missing: add it (the template has every column)",
        )
    return None if missing else header


def _read_row(parsed: Parsed, sheet: Sheet, header: dict[int, str], number: int, raw: list) -> None:
    values, cells = {}, {}
    for index, name in header.items():
        column = sheet.column(name)
        ref = f"{column_letter(index)}{number}"
        cells[name] = ref
        cell = raw[index] if index < len(raw) else None
        try:
            value = column.parse(cell)
        except CellError as exc:
            parsed.error(sheet.name, ref, f"{column.header}: {exc}")
            value = None
            values[name] = value
            continue
        if column.required and (value is None or value == ""):
            parsed.error(sheet.name, ref, f"{column.header}: enter a value (this column is required)")
        values[name] = value
    parsed.rows[sheet.name].append(Row(sheet=sheet, number=number, values=values, cells=cells))


def _check_duplicates(parsed: Parsed, sheet: Sheet) -> None:
    seen: dict[tuple, Row] = {}
    for row in parsed.of(sheet):
        key = row.key()
        if any(part is None or part == "" for part in key[:1]):
            continue
        if sheet.name == "Board members" and not row.values.get("person"):
            continue  # vacant seats carry no term
        first = seen.get(key)
        if first is None:
            seen[key] = row
            continue
        described = ", ".join(f"{sheet.column(f).header} {row.values.get(f)}" for f in sheet.key)
        parsed.error(
            sheet.name,
            row.cell(sheet.key[-1]),
            f"This row repeats row {first.number} ({described}): each appears once",
        )
