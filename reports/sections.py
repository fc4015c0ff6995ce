"""Data appendices, read live from the other apps when a report is previewed or generated.

Each provider takes the draft and returns a ``DataSection``: one or more tables (and charts)
plus source notes saying where each figure came from. When the data is absent the section
carries a plain "No data" message instead of failing, for example "No accepted return for
this period" or "No contract is recorded for this trust".

Providers read the other apps' models and public selectors directly: the draft is already
scoped to one council and trust, and generation runs in a task with no user.
"""

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q

from boards.models import Body
from boards.selectors import RATIFICATION_HEADERS, ratification_rows
from contracts.models import NOT_RECORDED, Contract, ReservedMatterRequest
from meetings.models import Action
from performance import charts, scorecard
from performance.models import Kpi, MonthlyReturn
from performance.positions import PROVISIONAL_MARK, format_value, on_record, read_positions
from trustgov.core.dates import add_months, financial_year_label, financial_year_start

from .models import ReportDraft, ReportType

# --- What a section is -------------------------------------------------------------------------


@dataclass
class Cell:
    text: str
    rag: str = ""  # green / amber / red / grey: shown as a word and a colour
    numeric: bool = False


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[Cell]]
    empty_message: str = ""
    compact: bool = False  # many narrow columns (the scorecard): a smaller type so words wrap between them


@dataclass
class Chart:
    title: str
    svg: str  # an SVG document
    alt: str
    notes: list[str] = field(default_factory=list)  # shown under the chart, e.g. where its definition changed

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


@dataclass
class DataSection:
    key: str
    title: str
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    empty_message: str = ""
    exempt: bool = False

    @property
    def has_data(self) -> bool:
        return not self.empty_message

    @property
    def is_brief(self) -> bool:
        """Only "No data" messages: the appendix follows on the page rather than starting a new one."""
        return not self.has_data or not (self.charts or any(t.rows for t in self.tables))


def cells(*values, numeric: tuple[int, ...] = ()) -> list[Cell]:
    return [v if isinstance(v, Cell) else Cell(str(v), numeric=i in numeric) for i, v in enumerate(values)]


def money(value: Decimal | None) -> str:
    return "" if value is None else f"£{value:,.2f}"


def recorded_money(value: Decimal | None) -> str:
    """A figure that may not have been recorded: empty says so, never £0.00."""
    return NOT_RECORDED if value is None else money(value)


def long_date(value: date | None) -> str:
    return f"{value:%-d %B %Y}" if value else ""


def period_text(draft: ReportDraft) -> str:
    return f"{long_date(draft.period_start)} to {long_date(draft.period_end)}"


# --- Contract ----------------------------------------------------------------------------------


def contract_for(draft: ReportDraft):
    """The trust's contract with the council in force during the period (the latest to start)."""
    return (
        Contract.objects.filter(council=draft.council, delivery_body=draft.delivery_body)
        .filter(start_date__lte=draft.period_end)
        .order_by("-start_date")
        .first()
    )


def no_contract_message(draft: ReportDraft) -> str:
    return f"No contract is recorded between {draft.council} and {draft.delivery_body} for {period_text(draft)}."


def contract_money_section(draft: ReportDraft) -> DataSection:
    section = DataSection("money", "Contract finance")
    contract = contract_for(draft)
    if contract is None:
        section.empty_message = no_contract_message(draft)
        return section
    first_year, last_year = financial_year_start(draft.period_start), financial_year_start(draft.period_end)
    years = list(contract.finance_years.filter(financial_year__gte=first_year, financial_year__lte=last_year))
    year_rows = [
        cells(
            y.label,
            recorded_money(y.contract_sum),
            recorded_money(y.support_services_income),
            recorded_money(y.accommodation_income),
            recorded_money(y.grants_and_contributions),
            recorded_money(y.dfe_vat_funding),
            numeric=(1, 2, 3, 4, 5),
        )
        for y in years
    ]
    labels = ", ".join(financial_year_label(y) for y in range(first_year, last_year + 1))
    section.tables.append(
        Table(
            caption=f"Contract money by financial year ({contract.reference})",
            headers=[
                "Financial year",
                "Contract sum",
                "Support services income",
                "Accommodation income",
                "Grants and partner contributions",
                "DfE funding for irrecoverable VAT",
            ],
            rows=year_rows,
            empty_message=f"No contract money is recorded for {labels}.",
        )
    )
    month_start = draft.period_start.replace(day=1)
    months = list(contract.budget_months.filter(month__gte=month_start, month__lte=draft.period_end))
    section.tables.append(
        Table(
            caption="Budget against forecast outturn",
            headers=["Month", "Budget", "Forecast outturn", "Variance (overspend positive)", "Commentary"],
            rows=[
                cells(
                    f"{m.month:%B %Y}",
                    money(m.budget),
                    money(m.forecast_outturn),
                    money(m.variance),
                    m.commentary,
                    numeric=(1, 2, 3),
                )
                for m in months
            ],
            empty_message="No budget monitoring is recorded for this period.",
        )
    )
    section.notes.append(f"Source: contract {contract.reference} ({contract.title}) in the contract register.")
    return section


def risk_section(draft: ReportDraft) -> DataSection:
    section = DataSection("risks", "Risk register")
    contract = contract_for(draft)
    if contract is None:
        section.empty_message = no_contract_message(draft)
        return section
    # Exempt risks (Schedule 12A) never go into a report, whoever reads it: the register keeps them.
    exempt = contract.risks.filter(is_exempt=True).count()
    if exempt:
        section.notes.append(
            f"{exempt} exempt risk{'s are' if exempt != 1 else ' is'} not for publication and not included here."
        )
    risks = sorted(contract.risks.filter(is_exempt=False), key=lambda r: (-r.score, r.title))
    if not risks:
        section.empty_message = f"No risks are recorded in the register of contract {contract.reference}."
        return section
    section.tables.append(
        Table(
            caption=f"Contract risk register ({contract.reference})",
            headers=["Risk", "Owner", "Likelihood", "Impact", "Score", "Rating", "Mitigations", "Review date"],
            rows=[
                cells(
                    r.title,
                    r.owner,
                    r.likelihood,
                    r.impact,
                    r.score,
                    Cell(r.rag, rag=r.rag.lower()),
                    r.mitigations_in_place or r.mitigations_planned,
                    long_date(r.review_date),
                    numeric=(2, 3, 4),
                )
                for r in risks
            ],
        )
    )
    section.notes.append("Score is likelihood × impact (each 1 to 5): Red 15 or more, Amber 8 to 14, Green below 8.")
    return section


def reserved_matters_section(draft: ReportDraft) -> DataSection:
    section = DataSection("reserved_matters", "Reserved-matter decisions in the period")
    in_period = Q(council_decided_on__range=(draft.period_start, draft.period_end)) | Q(
        dfe_decided_on__range=(draft.period_start, draft.period_end)
    )
    requests = list(
        ReservedMatterRequest.objects.select_related("reserved_matter")
        .filter(delivery_body=draft.delivery_body, is_exempt=False)  # exempt requests are never reported
        .filter(in_period)
        .order_by("council_decided_on", "pk")
    )
    if not requests:
        section.empty_message = f"No reserved-matter decisions were made for {period_text(draft)}."
        return section
    section.tables.append(
        Table(
            caption="Reserved-matter decisions",
            headers=["Reserved matter", "Request", "Decided by", "Council decision", "DfE consent", "Reference"],
            rows=[
                cells(
                    r.reserved_matter.title,
                    r.title,
                    r.get_council_decided_by_display() or "",
                    " ".join(filter(None, [r.get_council_decision_display(), long_date(r.council_decided_on)])),
                    " ".join(filter(None, [r.get_dfe_decision_display(), long_date(r.dfe_decided_on)]))
                    or ("Awaited" if r.needs_dfe_consent else "Not needed"),
                    r.decision_reference,
                )
                for r in requests
            ],
        )
    )
    return section


# --- Boards ------------------------------------------------------------------------------------


def trust_board_for(draft: ReportDraft):
    return Body.objects.filter(delivery_body=draft.delivery_body, kind=Body.Kind.TRUST_BOARD).order_by("pk").first()


def board_section(draft: ReportDraft) -> DataSection:
    section = DataSection("board", f"Members of the {draft.delivery_body} Board")
    body = trust_board_for(draft)
    if body is None:
        section.empty_message = f"No trust board is recorded for {draft.delivery_body}."
        return section
    rows = ratification_rows(body, draft.period_end)
    if not rows:
        section.empty_message = f"No members of {body} are in office on {long_date(draft.period_end)}."
        return section
    section.title = f"Members of the {body}" if "board" in body.name.lower() else section.title
    section.tables.append(
        Table(
            caption=f"Members of the {body} on {long_date(draft.period_end)}",
            headers=list(RATIFICATION_HEADERS),
            rows=[cells(r.name, r.board_role, r.professional_capacity) for r in rows],
        )
    )
    return section


# --- Meetings ----------------------------------------------------------------------------------


def open_actions_section(draft: ReportDraft) -> DataSection:
    section = DataSection("actions", "Open actions")
    open_actions = (
        Action.objects.select_related("meeting")
        .filter(meeting__council=draft.council, meeting__date__lte=draft.period_end)
        .filter(Q(meeting__delivery_body=draft.delivery_body) | Q(meeting__delivery_body__isnull=True))
        .exclude(status=Action.Status.DONE)
    )
    # An action arising from a resolution on an exempt item is exempt with it: never in a report.
    exempt = open_actions.filter(resolution__agenda_item__is_exempt=True).count()
    if exempt:
        section.notes.append(
            f"{exempt} action{'s' if exempt != 1 else ''} arising from exempt items "
            f"{'are' if exempt != 1 else 'is'} not for publication and not included here."
        )
    actions = list(open_actions.exclude(resolution__agenda_item__is_exempt=True).order_by("due_date", "pk"))
    if not actions:
        section.empty_message = f"No actions were open at {long_date(draft.period_end)}."
        return section
    section.tables.append(
        Table(
            caption=f"Actions open at {long_date(draft.period_end)}",
            headers=["Action", "Owner", "Due", "Status", "Raised at"],
            rows=[
                cells(
                    a.description,
                    a.owner,
                    long_date(a.due_date),
                    Cell(
                        f"{a.get_status_display()}, overdue"
                        if a.due_date < draft.period_end
                        else a.get_status_display(),
                        rag="red" if a.due_date < draft.period_end else "",
                    ),
                    str(a.meeting),
                )
                for a in actions
            ],
        )
    )
    return section


# --- Performance -------------------------------------------------------------------------------


def kpi_chart(kpi, points: list, target: Decimal | None, breaks=()) -> Chart:
    """A KPI's accepted values over the year, in the one chart style, with a text alternative (which says where
    the definition changed: the read model's ``Positions.breaks``)."""
    described = ", ".join(f"{p.period:%B %Y} {p.value_text}" for p in points)
    alt = (
        f"Line chart of {kpi.title}: {described}."
        + (f" Target {format_value(target, kpi.unit)}." if target is not None else "")
        + "".join(f" {b.note}." for b in breaks)
    )
    svg = charts.report_chart(
        labels=[f"{p.period:%b %y}" for p in points],
        values=[p.value for p in points],
        target=target,
        label=alt,
    )  # the caption above the chart names the KPI
    return Chart(
        title=f"{kpi.code} {kpi.title}: accepted values", svg=svg, alt=alt, notes=[f"{b.note}." for b in breaks]
    )


SPC_NOTE = (
    "Statistical process control (Making Data Count): the mean and process limits (mean ± 2.66 × the mean moving "
    "range) come from every accepted figure since the baseline began (a baseline is recalculated from a month "
    "the KPI's definition changed); at least 15 figures are needed before limits are shown. Variation is the "
    "latest month's signal; assurance says where the target lies against the limits."
)


SCORECARD_HEADERS = [
    "Priority",
    "Indicator",
    "Value",
    "Target",
    "RAG",
    "Variation",
    "Assurance",
    "Direction of travel",
    "Benchmark",
    "Trend (12 months)",
]


def scorecard_table(groups: list[scorecard.ScorecardGroup], period: date) -> Table:
    """The dashboard's scorecard as a report table: a row per KPI, grouped by improvement-plan priority (the
    group in the first cell of each row, so every row reads whole), built by ``performance.scorecard``."""
    rows = [
        cells(
            group.title,
            row.indicator,
            row.value_text + (f" {PROVISIONAL_MARK}" if row.provisional else ""),
            row.target_text,
            Cell(row.rag_word, rag=row.position.rag),
            row.variation.word,
            row.assurance.word,
            row.travel_text,
            row.benchmark_text,
            row.trend_text,
            numeric=(2, 3),
        )
        for group in groups
        for row in group.rows
    ]
    return Table(
        caption=f"Scorecard, {period:%B %Y}, grouped by improvement-plan priority",
        headers=SCORECARD_HEADERS,
        rows=rows,
        compact=True,
    )


def accepted_returns(draft: ReportDraft, start: date, end: date, as_of=None):
    """The draft's trust's accepted returns for the months ``start`` to ``end`` (as they stood at ``as_of``: the
    returns' history rows, so a return accepted later is not among them)."""
    returns = on_record(MonthlyReturn, as_of) if as_of else MonthlyReturn.objects.select_related("accepted_version")
    return list(
        returns.filter(
            delivery_body=draft.delivery_body,
            status=MonthlyReturn.Status.ACCEPTED,
            accepted_version__isnull=False,
            period__gte=start.replace(day=1),
            period__lte=end,
        ).order_by("period")
    )


def kpi_section(draft: ReportDraft, *, with_charts: bool = True, as_of=None) -> DataSection:
    """The KPI appendix, read from the positions read model: accepted figures only (a report is a
    formal paper, so no provisional figure reaches it). With ``as_of`` (the preview "as it stood on" a day),
    the returns accepted and the targets in force then."""
    section = DataSection("kpis", "Key performance indicators")
    in_period = accepted_returns(draft, draft.period_start, draft.period_end, as_of)
    if not in_period:
        section.empty_message = (
            f"No accepted return for this period ({period_text(draft)}): the KPI table is left out until the "
            "council accepts a monthly return for it."
        )
        return section
    latest = in_period[-1]
    kpis = list(
        Kpi.objects.filter(delivery_body=draft.delivery_body)
        .select_related("priority")
        .order_by("display_order", "code")
    )
    # Trend: the twelve months up to the end of the period, accepted returns only.
    # spc=True: the same one read holds every accepted figure to the period's end, for each KPI's SPC reading.
    read = read_positions(
        kpis,
        start=add_months(latest.period, -11),
        end=latest.period,
        accepted_only=True,
        spc=True,
        as_of=as_of,
        cached=True,
    )
    year = financial_year_start(latest.period)
    source = f"{latest.period:%B %Y} return, version {latest.accepted_version.number}"
    previous_periods = set()
    rows = []
    spc_rows = []
    reported = []  # the KPIs with a figure that month: the scorecard's rows
    changed = []  # (kpi, break) for every definition change in the twelve months the charts show
    for kpi in kpis:
        position = read.at(kpi, latest.period)
        if position.value is None:
            continue
        reported.append(kpi)
        if position.previous_period:
            previous_periods.add(position.previous_period)
        travel_text = position.travel.capitalize() + (
            f" (from {position.previous_text})" if position.previous is not None else ""
        )
        value = position.value_text + (f" {PROVISIONAL_MARK}" if position.provisional else "")
        rows.append(
            cells(
                f"{kpi.code} {kpi.title}",
                value,
                position.target_text if position.target is not None else "No target",
                Cell(position.rag_word, rag=position.rag),
                travel_text,
                "Higher" if kpi.polarity == "higher" else "Lower",
                f"{position.period:%B %Y} return, version {position.version}",
                numeric=(1, 2),
            )
        )
        reading = read.spc(kpi)
        spc_rows.append(
            cells(
                f"{kpi.code} {kpi.title}",
                reading.variation_text,
                reading.assurance_text,
                reading.limits_text,
            )
        )
        breaks = read.breaks(kpi)
        changed += [(kpi, b) for b in breaks]
        if with_charts:
            points = read.figures(kpi)
            if len(points) >= 2:
                section.charts.append(kpi_chart(kpi, points, position.target, breaks))
    if not rows:
        section.empty_message = f"The accepted {source} has no KPI values."
        return section
    section.tables.append(scorecard_table(scorecard.from_read(reported, read, latest.period), latest.period))
    section.tables.append(
        Table(
            caption=f"KPI performance, {latest.period:%B %Y} ({financial_year_label(year)} targets)",
            headers=["Indicator", "Value", "Target", "RAG", "Direction of travel", "Better", "Source"],
            rows=rows,
        )
    )
    section.tables.append(
        Table(
            caption=f"Statistical process control, {latest.period:%B %Y} (accepted figures to that month)",
            headers=["Indicator", "Variation", "Assurance", "Mean and process limits"],
            rows=spc_rows,
        )
    )
    accepted_on = long_date(latest.accepted_at.date()) if latest.accepted_at else "date not recorded"
    history = {r.period: r for r in accepted_returns(draft, add_months(latest.period, -11), latest.period, as_of)}
    previous = history.get(max(previous_periods)) if previous_periods else None
    section.notes.append(
        f"Figures are from the {source}, accepted on {accepted_on}. Direction of travel compares with the "
        + (
            f"{previous.period:%B %Y} return, version {previous.accepted_version.number}."
            if previous
            else "previous accepted return (none)."
        )
    )
    for r in in_period[:-1]:
        section.notes.append(
            f"Also accepted in the period: {r.period:%B %Y} return, version {r.accepted_version.number}."
        )
    section.notes.append("Charts show accepted values for up to twelve months to the end of the period.")
    section.notes.append(SPC_NOTE)
    for kpi, b in changed:
        section.notes.append(f"{kpi.code} {kpi.title}: {b.note}.")
    return section


# --- Which appendices each report type carries --------------------------------------------------

Provider = Callable[[ReportDraft], DataSection]

PROVIDERS: dict[str, tuple[str, Provider]] = {
    "kpis": ("Key performance indicators", kpi_section),
    "board": ("Table of Trust Board members", board_section),
    "money": ("Contract finance", contract_money_section),
    "risks": ("Risk register", risk_section),
    "actions": ("Open actions", open_actions_section),
    "reserved_matters": ("Reserved-matter decisions in the period", reserved_matters_section),
}

APPENDICES_BY_TYPE: dict[str, list[str]] = {
    ReportType.CABINET: ["kpis", "board", "money", "risks", "actions", "reserved_matters"],
    ReportType.SPB_QUARTERLY: ["kpis", "money", "risks", "actions", "reserved_matters"],
    ReportType.SCRUTINY: ["kpis", "actions", "reserved_matters"],
    ReportType.BOARD_RATIFICATION: ["board", "reserved_matters"],
    ReportType.ANNUAL_CONTRACT_REVIEW: ["money", "kpis", "risks", "reserved_matters", "actions"],
}


def appendix_keys(report_type: str) -> list[str]:
    return APPENDICES_BY_TYPE[report_type]


def read_sections(
    draft: ReportDraft, progress: Callable[[str], None] | None = None, *, as_of=None
) -> list[DataSection]:
    """Every data appendix of the draft's report type, in order, marked exempt as the draft says. ``as_of`` (the
    preview as it stood on a day) reaches the KPI appendix: its figures, acceptance and targets of then."""
    sections = []
    for key in appendix_keys(draft.report_type):
        title, provider = PROVIDERS[key]
        if progress:
            progress(f"Reading {title.lower()}")
        section = kpi_section(draft, as_of=as_of) if as_of and provider is kpi_section else provider(draft)
        section.exempt = key in (draft.exempt_appendices or [])
        sections.append(section)
    return sections
