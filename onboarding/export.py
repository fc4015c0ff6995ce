"""The onboarding workbook written out: the empty template, and a council's whole set-up in the same shape.

Both go through ``core/exports`` (every text cell neutralised, never a formula). An export imported
into an empty database gives the same set-up back; imported again where it came from, it changes nothing.
KPI values are the figures every screen shows (``performance.positions``): the latest submitted version
of each month, never a draft.
"""

from datetime import date

from boards.models import Body, Membership, Seat
from contracts.models import BudgetMonth, Contract, ContractYearFinance, Obligation, SupportServiceLine
from performance.models import Benchmark, ImprovementPriority, Kpi, MonthlyReturn, Target
from performance.positions import read_positions
from trustgov.core.dates import financial_year_label
from trustgov.core.exports import xlsx_workbook_bytes
from trustgov.organisations.models import Council, DeliveryBody, OfficeHolding, Ownership

from . import spec


def _yes_no(value) -> str:
    return "Yes" if value else "No"


def _month(value: date | None) -> str:
    return f"{value:%Y-%m}" if value else ""


def readme_rows() -> list[list]:
    rows = [
        ["TrustGov onboarding workbook"],
        ["Fill in the sheets you need (a sheet may be left empty or removed). Keep every sheet's first row as it is."],
        ["Dates as 01/04/2018 (or date cells); months as 2018-04; financial years as 2018/19. No formulas or macros."],
        [f"At most {spec.MAX_ROWS_PER_SHEET:,} rows per sheet. Nothing is saved unless the whole file is valid."],
        [],
        ["Sheet", "Column", "Required", "What to enter"],
    ]
    for sheet in spec.SHEETS:
        rows.append([sheet.name, "", "", sheet.purpose])
        for column in sheet.columns:
            hint = column.hint
            choices = getattr(column.parse, "choices", None)
            if choices is not None and not hint:
                hint = "One of: " + ", ".join(str(v) for v in choices.values if v)
            rows.append(["", column.header, "Yes" if column.required else "", hint])
    return rows


def template_bytes() -> bytes:
    return xlsx_workbook_bytes(
        [(spec.README_SHEET, None, readme_rows())] + [(s.name, s.headers, []) for s in spec.SHEETS]
    )


def _rows(council: Council) -> dict[str, list[list]]:
    bodies = list(DeliveryBody.objects.filter(council=council).order_by("slug"))
    contracts = list(Contract.objects.filter(council=council).select_related("delivery_body").order_by("reference"))
    out: dict[str, list[list]] = {s.name: [] for s in spec.SHEETS}
    out[spec.DELIVERY_BODIES.name] = [
        [
            b.slug,
            b.name,
            b.kind,
            b.lead_authority,
            b.company_number,
            _yes_no(b.wholly_owned),
            b.shadow_from,
            b.operational_from,
        ]
        for b in bodies
    ]
    out[spec.CONTRACTS.name] = [
        [
            c.reference,
            c.delivery_body.slug,
            c.title,
            c.status,
            c.start_date,
            c.end_date,
            c.shadow_start_date,
            c.initial_term_years,
            c.break_clause_date,
            c.break_notice_months,
            c.annual_review_date,
            c.extension_options,
            _yes_no(c.scope_childrens_social_care),
            _yes_no(c.scope_early_help),
            _yes_no(c.scope_education),
            c.scope_exclusions,
            c.return_due_working_days,
            c.kpi_grace_months,
            c.supplier_company_number,
            c.description,
            _yes_no(c.is_joint),
        ]
        for c in contracts
    ]
    # The other owners of the bodies the council leads (the lead's own ownership is the 'Delivery bodies' row);
    # the reasons stay in the history, so a re-import of the file changes nothing.
    out[spec.OWNERS.name] = [
        [o.delivery_body.slug, o.council.slug, o.since, o.until, ""]
        for o in Ownership.objects.filter(delivery_body__council=council)
        .exclude(council=council)
        .select_related("delivery_body", "council")
        .order_by("delivery_body__slug", "council__slug")
    ]
    out[spec.MONEY.name] = [
        [
            f.contract.reference,
            financial_year_label(f.financial_year),
            f.contract_sum,
            f.support_services_income,
            f.accommodation_income,
            f.grants_and_contributions,
            f.dfe_vat_funding,
            f.setup_costs,
            f.setup_costs_funder,
            f.notes,
        ]
        for f in ContractYearFinance.objects.filter(contract__council=council).select_related("contract")
    ]
    out[spec.BUDGET.name] = [
        [m.contract.reference, _month(m.month), m.budget, m.forecast_outturn, m.commentary]
        for m in BudgetMonth.objects.filter(contract__council=council).select_related("contract")
    ]
    out[spec.SSA.name] = [
        [s.contract.reference, s.service, s.term_start, s.term_end, s.annual_charge, s.review_date]
        for s in SupportServiceLine.objects.filter(contract__council=council).select_related("contract")
    ]
    out[spec.OBLIGATIONS.name] = [
        [
            o.contract.reference,
            o.kind,
            o.title,
            o.description,
            o.owner,
            o.recurrence,
            o.month_of_year,
            o.meeting_day,
            o.original_due_date,
            o.due_date,
            o.extension_reason,
        ]
        for o in Obligation.objects.filter(contract__council=council).select_related("contract")
    ]
    out[spec.PRIORITIES.name] = [
        [p.delivery_body.slug, p.number, p.title, p.description]
        for p in ImprovementPriority.objects.filter(delivery_body__council=council).select_related("delivery_body")
    ]
    kpis = list(
        Kpi.objects.filter(delivery_body__council=council)
        .select_related("delivery_body", "priority")
        .order_by("delivery_body__slug", "display_order", "code")
    )
    out[spec.KPIS.name] = [
        [
            k.delivery_body.slug,
            k.code,
            k.title,
            k.definition,
            k.unit,
            k.polarity,
            k.frequency,
            k.numerator_definition,
            k.denominator_definition,
            k.data_source,
            k.priority.number if k.priority else None,
            _yes_no(k.contractual),
            _month(k.formal_reporting_start),
            k.display_order,
            _month(k.retired_from),
        ]
        for k in kpis
    ]
    out[spec.TARGETS.name] = [
        [t.kpi.delivery_body.slug, t.kpi.code, financial_year_label(t.financial_year), t.value, t.amber_tolerance]
        for t in Target.objects.filter(kpi__delivery_body__council=council)
        .select_related("kpi__delivery_body")
        .order_by("kpi__delivery_body__slug", "kpi__display_order", "kpi__code", "financial_year")
    ]
    out[spec.BENCHMARKS.name] = [
        [b.kpi.delivery_body.slug, b.kpi.code, b.kind, b.year, b.value, b.source]
        for b in Benchmark.objects.filter(kpi__delivery_body__council=council)
        .select_related("kpi__delivery_body")
        .order_by("kpi__delivery_body__slug", "kpi__display_order", "kpi__code", "kind", "year")
    ]
    boards = list(Body.objects.filter(council=council).select_related("delivery_body").order_by("name"))
    out[spec.BOARDS.name] = [
        [
            b.name,
            b.kind,
            b.delivery_body.slug if b.delivery_body else "",
            b.min_members,
            b.max_members,
            _yes_no(b.requires_chair),
            _yes_no(b.chair_appointed_by_dfe),
            _yes_no(b.chief_executive_needs_dfe),
            _yes_no(b.elected_members_allowed),
            _yes_no(b.requires_chief_executive),
            b.required_council_neds,
            b.required_independent_neds,
            b.required_executives,
            b.rules_source,
        ]
        for b in boards
    ]
    members = []
    for seat in Seat.objects.filter(body__council=council).select_related("body").order_by("body__name", "order", "pk"):
        terms = list(Membership.objects.filter(seat=seat).select_related("person").order_by("start_date", "pk"))
        seat_cells = [seat.body.name, seat.title, seat.role, seat.order]
        if not terms:
            members.append(seat_cells + [""] * 9)
        for term in terms:
            person = term.person
            members.append(
                seat_cells
                + [
                    person.name,
                    person.honorific,
                    person.professional_capacity,
                    person.organisation,
                    _yes_no(person.is_elected_member),
                    term.start_date,
                    term.end_date,
                    term.appointed_by,
                    term.decision_reference,
                ]
            )
    out[spec.BOARD_MEMBERS.name] = members
    out[spec.OFFICE_HOLDERS.name] = [
        [
            h.office,
            h.delivery_body.slug if h.delivery_body else "",
            h.holder_name,
            h.title_held,
            h.start_date,
            h.end_date,
            h.source,
        ]
        for h in OfficeHolding.objects.filter(council=council)
        .select_related("delivery_body")
        .order_by("delivery_body__slug", "office", "start_date", "pk")
    ]
    values = []
    for body in bodies:
        body_kpis = [k for k in kpis if k.delivery_body_id == body.pk]
        periods = MonthlyReturn.objects.filter(delivery_body=body).order_by("period").values_list("period", flat=True)
        if not body_kpis or not periods:
            continue
        positions = read_positions(body_kpis, start=periods.first(), end=periods.last(), lookback=0)
        for kpi in body_kpis:
            for position in positions.figures(kpi):
                values.append(
                    [
                        body.slug,
                        kpi.code,
                        _month(position.period),
                        None if kpi.is_fraction else position.value,
                        position.numerator,
                        position.denominator,
                        position.commentary,
                    ]
                )
    out[spec.VALUES.name] = values
    return out


def export_bytes(council: Council) -> bytes:
    rows = _rows(council)
    return xlsx_workbook_bytes(
        [(spec.README_SHEET, None, readme_rows())] + [(s.name, s.headers, rows[s.name]) for s in spec.SHEETS]
    )


def export_file_name(council: Council, today: date) -> str:
    return f"trustgov-onboarding-{council.slug}-{today:%Y-%m-%d}.xlsx"
