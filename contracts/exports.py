"""The contract register as CSV and XLSX, with the fields the Local Government Transparency Code 2015 asks for.

Written through the platform's one CSV/XLSX writer (trustgov.core.exports), which neutralises every
text cell against formula injection.
"""

from datetime import date
from decimal import Decimal

from django.http import HttpResponse

from trustgov.core.exports import csv_response, xlsx_response

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
        sums = [y.contract_sum for y in years if y.contract_sum is not None]  # not recorded is not £0
        total = sum(sums, Decimal("0")) if sums else None
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
                total,
                latest.contract_sum if latest else None,
                latest.dfe_vat_funding if latest else None,
                contract.get_status_display(),
            ]
        )
    return rows


def _filename(ext: str) -> str:
    return f"contract-register-{date.today():%Y-%m-%d}.{ext}"  # noqa: DTZ011 - a file name, local date is right


def register_csv_response(contracts) -> HttpResponse:
    return csv_response(register_rows(contracts), filename=_filename("csv"), header=COLUMNS, excel_bom=True)


def register_xlsx_response(contracts) -> HttpResponse:
    return xlsx_response(
        register_rows(contracts),
        filename=_filename("xlsx"),
        title="Contract register",
        header=COLUMNS,
        number_format="#,##0.00",
    )
