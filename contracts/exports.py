"""The contract register as CSV and XLSX, with the fields the Local Government Transparency Code 2015 asks for.

Every text cell is neutralised against formula injection: a value starting with = + - @ (or a tab or
carriage return) is prefixed with an apostrophe, so a spreadsheet shows it as text and never runs it.
"""

import csv
import io
from datetime import date
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

COLUMNS = [
    "Reference number",
    "Title of agreement",
    "Description of the goods and/or services",
    "Department responsible",
    "Supplier name",
    "Supplier company registration number",
    "Supplier is an SME",
    "Supplier is a VCSE",
    "Procurement process",
    "Start date",
    "End date",
    "Review date",
    "Extension options",
    "Total value of the contract (£)",
    "Value in current financial year (£)",
    "Irrecoverable VAT (£)",
    "Status",
]
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Make a text value safe to open in a spreadsheet (formula injection)."""
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        return "'" + value
    return value


def _scope_text(contract) -> str:
    parts = []
    if contract.scope_childrens_social_care:
        parts.append("children's social care")
    if contract.scope_early_help:
        parts.append("early help")
    if contract.scope_education:
        parts.append("education and school support")
    text = "Services: " + ", ".join(parts) if parts else ""
    if contract.scope_exclusions:
        text += f". Excluded: {contract.scope_exclusions}"
    return (contract.description + " " + text).strip() if contract.description else text


def register_rows(contracts) -> list[list]:
    rows = []
    for contract in contracts.prefetch_related("finance_years"):
        years = list(contract.finance_years.all())
        total = sum((y.contract_sum for y in years), Decimal("0"))
        latest = max(years, key=lambda y: y.financial_year) if years else None
        rows.append(
            [
                contract.reference,
                contract.title,
                _scope_text(contract),
                f"{contract.council.name}: Children's Services",
                contract.delivery_body.name,
                contract.supplier_company_number,
                "No",
                "Yes" if contract.delivery_body.kind == "trust" else "No",
                "Direct award under a statutory direction (s497A Education Act 1996)",
                contract.start_date,
                contract.end_date,
                contract.annual_review_date,
                contract.extension_options,
                total if years else None,
                latest.contract_sum if latest else None,
                latest.dfe_vat_funding if latest else None,
                contract.get_status_display(),
            ]
        )
    return [[neutralise(v) for v in row] for row in rows]


def _filename(ext: str) -> str:
    return f"contract-register-{date.today():%Y-%m-%d}.{ext}"  # noqa: DTZ011 - a file name, local date is right


def register_csv_response(contracts) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    response.write("\ufeff")  # so Excel reads UTF-8 (the £ signs)
    writer = csv.writer(response)
    writer.writerow(COLUMNS)
    for row in register_rows(contracts):
        writer.writerow(["" if v is None else (v.isoformat() if isinstance(v, date) else v) for v in row])
    return response


def register_xlsx_response(contracts) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Contract register"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in register_rows(contracts):
        sheet.append(row)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "DD/MM/YYYY"
            elif isinstance(cell.value, int | float | Decimal):
                cell.number_format = "#,##0.00"
            elif isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response
