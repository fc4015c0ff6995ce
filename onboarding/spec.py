"""The onboarding workbook, declared once: its sheets, their columns, what each column holds.

The template, the export, the parser and the error messages are all read from here. A column has
the header a person sees, the field it fills, whether it is required and a parser that turns a
cell into a value or raises ``CellError`` with a message a person can act on.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from boards.models import Body, Seat
from contracts.models import Contract, Obligation
from performance.models import Benchmark, Kpi
from trustgov.core.dates import financial_year_label, parse_period
from trustgov.core.numbers import FigureError, parse_figure
from trustgov.organisations.models import DeliveryBody, OfficeHolding

MAX_ROWS_PER_SHEET = 5_000  # rows under the header; 60 KPIs x 7 years of monthly values is 5,040
MAX_COLUMNS = 40


class CellError(ValueError):
    """A cell's value is refused; the message says what to enter instead."""


# --- cell parsers ---------------------------------------------------------------------------------


def text(raw) -> str:
    if raw is None:
        return ""
    if isinstance(raw, datetime | date):
        raise CellError("enter text, not a date")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return " ".join(str(raw).split()) if "\n" not in str(raw) else str(raw).strip()


def a_date(raw) -> date | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    value = str(raw).strip()
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value)
    if match:
        try:
            return date(int(match[3]), int(match[2]), int(match[1]))
        except ValueError:
            raise CellError("enter a real date, for example 01/04/2018") from None
    day = parse_period(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None
    if day is None:
        raise CellError("enter a date, for example 01/04/2018")
    return day


def a_month(raw) -> date | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, datetime | date):
        day = raw.date() if isinstance(raw, datetime) else raw
        return day.replace(day=1)
    value = str(raw).strip()
    if re.fullmatch(r"\d{4}-\d{2}", value):
        month = parse_period(value)
        if month is not None:
            return month
    try:
        day = a_date(value)
    except CellError:
        raise CellError("enter a month as YYYY-MM, for example 2018-04") from None
    return day.replace(day=1) if day else None


def an_integer(raw) -> int | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise CellError("enter a whole number")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int):
        value = raw
    elif re.fullmatch(r"\d+", str(raw).strip()):
        value = int(str(raw).strip())
    else:
        raise CellError("enter a whole number, using the digits 0 to 9")
    if not 0 <= value <= 32767:
        raise CellError("enter a whole number from 0 to 32,767")
    return value


def a_figure(raw) -> Decimal | None:
    try:
        return parse_figure(raw)
    except FigureError as exc:
        raise CellError(str(exc)) from None


def money(raw) -> Decimal | None:
    value = a_figure(raw)
    if value is not None and value < 0:
        raise CellError("a sum of money cannot be negative")
    return value


def yes_no(raw) -> bool | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        return raw
    value = str(raw).strip().lower()
    if value in ("yes", "y", "true"):
        return True
    if value in ("no", "n", "false"):
        return False
    raise CellError("enter Yes or No")


def financial_year(raw) -> int | None:
    """2018/19, 2018-19 or 2018: the year the financial year starts."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    value = str(raw).strip()
    match = re.fullmatch(r"(\d{4})(?:[/-](\d{2}))?", value)
    if not match or not 2000 <= int(match[1]) <= 2100:
        raise CellError("enter the financial year as 2018/19 (or the year it starts, 2018)")
    start = int(match[1])
    if match[2] and int(match[2]) != (start + 1) % 100:
        raise CellError(f"a financial year runs April to March: {start} starts {financial_year_label(start)}")
    return start


def benchmark_year(raw) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    value = text(raw)
    if value and not re.fullmatch(r"\d{4}(-\d{2})?", value):
        raise CellError("enter the year the figure describes, for example 2024 or 2024-25")
    return value


def choice(choices: type) -> Callable:
    """A value of a Django TextChoices, typed as its value or its label (case-insensitive)."""
    by_text = {}
    for value, label in choices.choices:
        by_text[str(value).lower()] = value
        by_text[str(label).lower()] = value

    def parse(raw) -> str:
        value = text(raw)
        if not value:
            return ""
        try:
            return by_text[value.lower()]
        except KeyError:
            options = ", ".join(str(v) for v in choices.values if v)
            raise CellError(f"'{value}' is not one of: {options}") from None

    parse.choices = choices
    return parse


# --- the sheets -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    parse: Callable = text
    required: bool = False
    hint: str = ""


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    purpose: str
    key: tuple[str, ...] = field(default=())  # the fields that say which record a row is

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.field == name)

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


C = Column

DELIVERY_BODIES = Sheet(
    "Delivery bodies",
    (
        C("Short name", "slug", text, True, "Lower case letters, digits and hyphens, e.g. sandwell-trust"),
        C("Name", "name", text, True),
        C("Kind", "kind", choice(DeliveryBody.Kind), True, "trust, cic or partnership"),
        C("Lead authority", "lead_authority"),
        C("Company number", "company_number"),
        C("Wholly owned", "wholly_owned", yes_no, True, "Yes or No"),
        C("Shadow from", "shadow_from", a_date),
        C("Operational from", "operational_from", a_date),
    ),
    "The trust, company or partnership the council contracts with.",
    key=("slug",),
)

OWNERS = Sheet(
    "Owners",
    (
        C("Delivery body", "delivery_body", text, True, "The delivery body's short name"),
        C(
            "Council",
            "council",
            text,
            True,
            "The co-owning council's short name, e.g. north-northamptonshire (the council importing the file leads)",
        ),
        C("Owner from", "since", a_date, True, "On or before the start of the body's joint contract"),
        C("Owner until", "until", a_date, False, "Its last day as an owner; blank while it still owns it"),
        C("Reason", "reason", text, False, "Why it is an owner, for the history; blank: recorded from the workbook"),
    ),
    "The other councils that own a delivery body the council leads (a jointly owned trust), from when.",
    key=("delivery_body", "council"),
)

CONTRACTS = Sheet(
    "Contracts",
    (
        C("Reference", "reference", text, True),
        C("Delivery body", "delivery_body", text, True, "The delivery body's short name"),
        C("Title", "title", text, True),
        C("Status", "status", choice(Contract.Status), True, "draft, signed or live"),
        C("Start date", "start_date", a_date, True, "Go-live"),
        C("End date", "end_date", a_date, True, "Expiry of the initial term"),
        C("Shadow start date", "shadow_start_date", a_date),
        C("Initial term (years)", "initial_term_years", an_integer, True),
        C("Break clause date", "break_clause_date", a_date),
        C("Break notice (months)", "break_notice_months", an_integer),
        C("Annual review date", "annual_review_date", a_date),
        C("Extension options", "extension_options"),
        C("Children's social care", "scope_childrens_social_care", yes_no, True, "Yes or No"),
        C("Early help", "scope_early_help", yes_no, True, "Yes or No"),
        C("Education", "scope_education", yes_no, True, "Yes or No"),
        C("Services kept by the council", "scope_exclusions"),
        C("Return due (working days)", "return_due_working_days", an_integer, True),
        C("KPI grace period (months)", "kpi_grace_months", an_integer, True),
        C("Supplier company number", "supplier_company_number"),
        C("Description", "description"),
        C(
            "Joint contract",
            "is_joint",
            yes_no,
            False,
            "Yes when every owning council (the 'Owners' sheet) is party to it; blank is No",
        ),
    ),
    "The service contract: its dates, scope and return deadline.",
    key=("reference",),
)

MONEY = Sheet(
    "Money",
    (
        C("Contract reference", "contract", text, True),
        C("Financial year", "financial_year", financial_year, True, "2018/19"),
        C("Contract sum", "contract_sum", money, False, "Empty if not recorded (never read as 0)"),
        C("Support services income", "support_services_income", money),
        C("Accommodation income", "accommodation_income", money),
        C("Grants and partner contributions", "grants_and_contributions", money),
        C("DfE funding for irrecoverable VAT", "dfe_vat_funding", money),
        C("Set-up costs", "setup_costs", money),
        C("Who funds the set-up costs", "setup_costs_funder"),
        C("Notes", "notes"),
    ),
    "The contract's money for each financial year (April to March), in pounds.",
    key=("contract", "financial_year"),
)

BUDGET = Sheet(
    "Budget months",
    (
        C("Contract reference", "contract", text, True),
        C("Month", "month", a_month, True, "YYYY-MM"),
        C("Budget", "budget", money, True),
        C("Forecast outturn", "forecast_outturn", money, True),
        C("Commentary", "commentary"),
    ),
    "Budget against forecast outturn, month by month.",
    key=("contract", "month"),
)

SSA = Sheet(
    "SSA lines",
    (
        C("Contract reference", "contract", text, True),
        C("Service", "service", text, True),
        C("Term start", "term_start", a_date, True),
        C("Term end", "term_end", a_date, True),
        C("Annual charge", "annual_charge", money, True),
        C("Review date", "review_date", a_date),
    ),
    "The services the council sells back to the trust under the Support Services Agreement.",
    key=("contract", "service"),
)

OBLIGATIONS = Sheet(
    "Obligations",
    (
        C("Contract reference", "contract", text, True),
        C("Kind", "kind", choice(Obligation.Kind), True),
        C("Title", "title", text, True),
        C("Description", "description"),
        C("Owner", "owner", text, True),
        C("Recurrence", "recurrence", choice(Obligation.Recurrence), True),
        C("Month of the year", "month_of_year", an_integer),
        C("Day it falls on", "meeting_day"),
        C("Original due date", "original_due_date", a_date),
        C("Due date", "due_date", a_date),
        C("Why the due date was extended", "extension_reason"),
    ),
    "The contract's dated and recurring duties.",
    key=("contract", "kind", "title"),
)

PRIORITIES = Sheet(
    "Improvement priorities",
    (
        C("Delivery body", "delivery_body", text, True),
        C("Number", "number", an_integer, True),
        C("Title", "title", text, True),
        C("Description", "description"),
    ),
    "The priorities of the trust's improvement plan (KPIs may belong to one).",
    key=("delivery_body", "number"),
)

KPIS = Sheet(
    "KPI catalogue",
    (
        C("Delivery body", "delivery_body", text, True),
        C("Code", "code", text, True),
        C("Title", "title", text, True),
        C("Definition", "definition", text, True),
        C("Unit", "unit", choice(Kpi.Unit), True),
        C("Polarity", "polarity", choice(Kpi.Polarity), True, "higher or lower"),
        C("Frequency", "frequency", choice(Kpi.Frequency), True),
        C("Numerator", "numerator_definition", text, False, "For a rate: what is counted"),
        C("Denominator", "denominator_definition"),
        C("Data source", "data_source"),
        C("Improvement priority", "priority", an_integer, False, "The priority's number"),
        C("Contractual", "contractual", yes_no, True, "Yes, or No for monitoring only"),
        C("Formal reporting from", "formal_reporting_start", a_month, False, "YYYY-MM"),
        C("Display order", "display_order", an_integer),
        C("Retired from", "retired_from", a_month, False, "YYYY-MM"),
    ),
    "The trust's KPIs.",
    key=("delivery_body", "code"),
)

TARGETS = Sheet(
    "Targets",
    (
        C("Delivery body", "delivery_body", text, True),
        C("KPI code", "kpi", text, True),
        C("Financial year", "financial_year", financial_year, True, "2024/25"),
        C("Target", "value", a_figure, True),
        C("Amber tolerance", "amber_tolerance", a_figure, False, "In the KPI's unit; blank is 0"),
    ),
    "A target per KPI and financial year.",
    key=("delivery_body", "kpi", "financial_year"),
)

BENCHMARKS = Sheet(
    "Benchmarks",
    (
        C("Delivery body", "delivery_body", text, True),
        C("KPI code", "kpi", text, True),
        C("Kind", "kind", choice(Benchmark.Kind), True, "england, region or statistical_neighbours"),
        C("Year", "year", benchmark_year, True, "2024 or 2024-25"),
        C("Value", "value", a_figure, True),
        C("Source", "source", text, True),
    ),
    "Comparator figures for England, the region and statistical neighbours.",
    key=("delivery_body", "kpi", "kind", "year"),
)

BOARDS = Sheet(
    "Boards",
    (
        C("Name", "name", text, True),
        C("Kind", "kind", choice(Body.Kind), True),
        C("Delivery body", "delivery_body", text, False, "The trust whose board this is, if any"),
        C("Fewest members", "min_members", an_integer),
        C("Most members", "max_members", an_integer),
        C("Needs a chair", "requires_chair", yes_no, True),
        C("Chair needs DfE approval", "chair_appointed_by_dfe", yes_no, True),
        C("Chief Executive needs DfE approval", "chief_executive_needs_dfe", yes_no, True),
        C("Elected members allowed", "elected_members_allowed", yes_no, True),
        C("Chief Executive must sit on it", "requires_chief_executive", yes_no, True),
        C("Council NEDs required", "required_council_neds", an_integer),
        C("Independent NEDs required", "required_independent_neds", an_integer),
        C("Executives required", "required_executives", an_integer),
        C("Where the rules come from", "rules_source"),
    ),
    "The trust board and other governance bodies, with their composition rules.",
    key=("name",),
)

BOARD_MEMBERS = Sheet(
    "Board members",
    (
        C("Board", "body", text, True),
        C("Seat", "seat", text, True),
        C("Seat role", "role", choice(Seat.Role), True),
        C("Seat order", "order", an_integer),
        C("Name", "person", text, False, "Blank for a vacant seat"),
        C("Honorific", "honorific"),
        C("Professional capacity", "professional_capacity"),
        C("Organisation", "organisation"),
        C("Elected member", "is_elected_member", yes_no, False, "Yes or No"),
        C("Term start", "start_date", a_date),
        C("Term end", "end_date", a_date),
        C("Appointed by", "appointed_by"),
        C("Decision reference", "decision_reference"),
    ),
    "Each seat of each board and who holds it (one row per term of office; a seat with no name is vacant).",
    key=("body", "seat", "person", "start_date"),
)

OFFICE_HOLDERS = Sheet(
    "Office holders",
    (
        C("Office", "office", choice(OfficeHolding.Office), True),
        C("Delivery body", "delivery_body", text, False, "For the trust's Chair or Chief Executive"),
        C("Name", "holder_name", text, True),
        C("Title of the post", "title_held"),
        C("From", "start_date", a_date),
        C("Until", "end_date", a_date),
        C("Source", "source"),
    ),
    "Who holds the council's and the trust's named offices (the DCS receives escalations).",
    key=("office", "delivery_body", "holder_name", "start_date"),
)

VALUES = Sheet(
    "KPI values",
    (
        C("Delivery body", "delivery_body", text, True),
        C("KPI code", "kpi", text, True),
        C("Month", "month", a_month, True, "YYYY-MM"),
        C("Value", "value", a_figure, False, "Blank for a rate given by numerator and denominator"),
        C("Numerator", "numerator", a_figure),
        C("Denominator", "denominator", a_figure),
        C("Commentary", "commentary"),
    ),
    "Figures the trust reported before TrustGov: imported as returns the council has accepted.",
    key=("delivery_body", "kpi", "month"),
)

SHEETS: tuple[Sheet, ...] = (
    DELIVERY_BODIES,
    OWNERS,
    CONTRACTS,
    MONEY,
    BUDGET,
    SSA,
    OBLIGATIONS,
    PRIORITIES,
    KPIS,
    TARGETS,
    BENCHMARKS,
    BOARDS,
    BOARD_MEMBERS,
    OFFICE_HOLDERS,
    VALUES,
)
BY_NAME = {s.name: s for s in SHEETS}
README_SHEET = "Read me"


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
