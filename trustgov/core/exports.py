"""The one CSV and XLSX writer every export uses: registers, returns, board lists and open data.

Every text cell is neutralised against formula injection (CSV injection): a value starting with
= + - @, a tab or a carriage return is prefixed with an apostrophe, so a spreadsheet shows it as text
and never runs it. Numbers and dates are written as themselves. An export that builds its own
``csv.writer`` or ``Workbook`` skips this: write through here instead.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

UNSAFE_IN_FALLBACK = re.compile(r"[^A-Za-z0-9._ ()-]+")


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """A Content-Disposition header value for ``filename`` that every browser reads the same (RFC 6266).

    An ASCII name is sent as ``filename="..."``. Any other (a paper called "Rapport – Zoë.pdf") is sent
    twice: ``filename*=UTF-8''...`` (RFC 8187, percent-encoded UTF-8, which browsers prefer) and an
    ASCII ``filename="..."`` fallback with accents dropped and anything else replaced, so no client
    sees mojibake, a quote that ends the value early, a path or a header break.
    """
    disposition = "inline" if inline else "attachment"
    name = filename.replace("\r", "").replace("\n", "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1] or "download"
    unaccented = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
    fallback = UNSAFE_IN_FALLBACK.sub("_", unaccented)
    if not fallback.strip("._ "):
        fallback = "download"
    if fallback == name:
        return f'{disposition}; filename="{name}"'
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """A text value safe to open in a spreadsheet; any other value unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(value)


def write_csv(out, rows: Iterable[Sequence], *, header: Sequence[str] | None = None) -> None:
    """Write ``rows`` (and a header row first, when given) to a text file-like ``out``, every cell neutralised."""
    writer = csv.writer(out)
    if header is not None:
        writer.writerow([_csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])


def csv_text(rows: Iterable[Sequence], *, header: Sequence[str] | None = None) -> str:
    out = io.StringIO()
    write_csv(out, rows, header=header)
    return out.getvalue()


def csv_response(
    rows: Iterable[Sequence], *, filename: str, header: Sequence[str] | None = None, excel_bom: bool = False
) -> HttpResponse:
    """A CSV download. ``excel_bom`` starts it with a byte-order mark so Excel reads UTF-8 (a £ sign)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(filename)
    if excel_bom:
        response.write("\ufeff")
    write_csv(response, rows, header=header)
    return response


def _fill_sheet(sheet, rows: Iterable[Sequence], *, header: Sequence[str] | None, number_format: str | None) -> None:
    first = 1
    if header is not None:
        sheet.append([neutralise(h) for h in header])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        first = 2
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    for row in sheet.iter_rows(min_row=first):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
            elif number_format and isinstance(cell.value, int | float | Decimal) and not isinstance(cell.value, bool):
                cell.number_format = number_format
            elif isinstance(cell.value, str):
                cell.data_type = "s"


def xlsx_bytes(
    rows: Iterable[Sequence],
    *,
    title: str,
    header: Sequence[str] | None = None,
    number_format: str | None = None,
) -> bytes:
    """One sheet: the header row (bold) and ``rows``; text cells neutralised and stored as text, never a formula."""
    return xlsx_workbook_bytes([(title, header, rows)], number_format=number_format)


def xlsx_workbook_bytes(
    sheets: Iterable[tuple[str, Sequence[str] | None, Iterable[Sequence]]], *, number_format: str | None = None
) -> bytes:
    """Several sheets, each (title, header, rows), written as ``xlsx_bytes`` writes one."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        _fill_sheet(workbook.create_sheet(title[:31]), rows, header=header, number_format=number_format)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(rows: Iterable[Sequence], *, filename: str, **kwargs) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(rows, **kwargs), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition(filename)
    return response
