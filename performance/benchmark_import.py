"""Region or statistical neighbour figures from a spreadsheet (ADR 0306): CSV or XLSX, either LA code and value
rows (an optional name column between them) or a LAIT-like sheet (a header row naming the LA number and name
columns and a column per year). Every problem names its cell; the benchmark is saved only if the whole file is
valid (``services.benchmark_save`` in one transaction)."""

import re
from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter

from .quartiles import LA_CODE, LA_CODE_HELP, FigureError, parse_figure
from .spreadsheets import MAX_BYTES, ParsedUpload, _cells_from_csv, _cells_from_xlsx

WIDTH = 40  # columns read: LAIT sheets have a column per year
CODE_HEADERS = {"la code", "la number", "la", "code", "new la code", "old la code", "la_code", "local authority code"}
NAME_HEADERS = {"la name", "name", "local authority", "authority", "la_name", "local authority name"}
VALUE_HEADERS = {"value", "figure"}


@dataclass
class BenchmarkUpload:
    figures: list[dict] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)  # the code cell of each figure, for the service's row errors
    errors: list[tuple[str, str]] = field(default_factory=list)

    def error(self, cell: str, message: str) -> None:
        self.errors.append((cell, message))

    @property
    def messages(self) -> list[str]:
        return [f"{cell}: {message}" if cell != "file" else message for cell, message in self.errors]

    def cell_of_row(self, message: str) -> str:
        """A service error "Row 3: ..." as the cell it is about ("A7: ...")."""
        found = re.match(r"Row (\d+): (.*)", message)
        if found and 0 < int(found[1]) <= len(self.cells):
            return f"{self.cells[int(found[1]) - 1]}: {found[2]}"
        return message


def _header(text) -> str:
    return re.sub(r"\s+", " ", str(text or "").strip().lower())


def _columns(rows: list[list], year: str, upload: BenchmarkUpload) -> tuple[int, int, int | None, int | None]:
    """(first data row index, code column, name column, value column): a header row if one names the LA code
    column, else code and value from the first row (A, B; or A, C with a name in B)."""
    for r, row in enumerate(rows[:20]):
        headers = [_header(c) for c in row]
        code = next((i for i, h in enumerate(headers) if h in CODE_HEADERS), None)
        if code is None:
            continue
        name = next((i for i, h in enumerate(headers) if h in NAME_HEADERS), None)
        wanted = {year.lower(), year.replace("-", "/").lower(), *VALUE_HEADERS}
        value = next((i for i, h in enumerate(headers) if h in wanted), None)
        if value is None:
            upload.error(
                f"{get_column_letter(len([h for h in headers if h]) + 1)}{r + 1}",
                f"no column is headed {year} or 'Value' in the header row {r + 1}: add one, or choose the year shown",
            )
        return r + 1, code, name, value
    first = rows[0] if rows else []
    three = len([c for c in first[:3] if str(c or "").strip()]) >= 3
    return 0, 0, (1 if three else None), (2 if three else 1)


def parse_benchmark_upload(*, name: str, data: bytes, year: str) -> BenchmarkUpload:
    upload = BenchmarkUpload()
    parsed = ParsedUpload()
    lower = name.lower()
    if len(data) > MAX_BYTES:
        upload.error("file", "The file must be smaller than 2MB")
        return upload
    if lower.endswith(".xlsx"):
        rows = _cells_from_xlsx(data, parsed, name, width=WIDTH)
    elif lower.endswith(".csv"):
        rows = _cells_from_csv(data, parsed, width=WIDTH)
    else:
        upload.error("file", "The file must be a spreadsheet: .xlsx or .csv")
        return upload
    upload.errors.extend(parsed.errors)
    if rows is None or upload.errors:
        return upload
    rows = [list(r) for r in rows]
    start, code_col, name_col, value_col = _columns(rows, year, upload)
    if value_col is None:
        return upload
    seen: dict[str, str] = {}
    for r, row in enumerate(rows[start:], start=start + 1):
        cells = row + [None] * (WIDTH - len(row))
        raw_code = str(cells[code_col] if cells[code_col] is not None else "").strip()
        if not raw_code:
            continue  # a blank row, or LAIT's England and region rows (no LA number)
        code_ref = f"{get_column_letter(code_col + 1)}{r}"
        value_ref = f"{get_column_letter(value_col + 1)}{r}"
        code = raw_code.removesuffix(".0").upper()
        if not LA_CODE.fullmatch(code):
            upload.error(code_ref, f"“{raw_code[:20]}” is not an LA code: enter {LA_CODE_HELP}")
            continue
        if code in seen:
            upload.error(code_ref, f"{code} appears twice (also in {seen[code]})")
            continue
        seen[code] = code_ref
        try:
            figure = parse_figure(cells[value_col])
        except FigureError as exc:
            upload.error(value_ref, str(exc))
            continue
        label = str(cells[name_col] or "").strip()[:100] if name_col is not None else ""
        upload.figures.append({"la_code": code, "name": label, "value": str(figure)})
        upload.cells.append(code_ref)
    if not upload.errors and not upload.figures:
        upload.error("file", "The file has no authority's figure: one row per authority, LA code then value")
    return upload
