"""Demo contracts from the public council papers in shared/seeds (idempotent: a rerun changes nothing).

Sources: Sandwell Cabinet 19 September 2018 (money, SSA, governance duties, KPIs and grace period);
West Sussex Cabinet 20 October 2020 (scope, five-year term, risk table §6); Bradford (SEND not
transferred); Doncaster proposal of 13 August 2013 (set-up costs met by the DfE); Torbay Council
20 July 2017 (partnership with Plymouth). Where a paper gives no figure, the demo says so.
"""

from datetime import date
from decimal import Decimal

from trustgov.accounts.models import User
from trustgov.core.demo import upsert
from trustgov.organisations.models import DeliveryBody

from .models import (
    BudgetMonth,
    Contract,
    ContractYearFinance,
    Obligation,
    ReservedMatter,
    ReservedMatterRequest,
    Risk,
    SupportServiceLine,
    Variation,
)

K, R = Obligation.Kind, Obligation.Recurrence

CONTRACTS = [
    {
        "body": "sandwell-trust",
        "reference": "SMBC-SCT-2018",
        "title": "Sandwell Children's Trust service contract",
        "status": Contract.Status.LIVE,
        "start_date": date(2018, 4, 1),
        "shadow_start_date": date(2017, 10, 1),
        "initial_term_years": 10,
        "end_date": date(2028, 3, 31),
        "break_clause_date": date(2023, 3, 31),
        "break_notice_months": 12,
        "annual_review_date": date(2027, 4, 1),
        "extension_options": "By agreement, subject to DfE consent while the direction is in force",
        "scope_early_help": True,
        "kpi_grace_months": 6,
        "description": "Cabinet approved the contract on 28 February 2018; the Trust went live on 1 April 2018.",
    },
    {
        "body": "west-sussex-trust",
        "reference": "WSCC-CT-2021",
        "title": "West Sussex Children's Trust service contract",
        "status": Contract.Status.LIVE,
        "start_date": date(2021, 10, 1),
        "shadow_start_date": date(2021, 4, 1),
        "initial_term_years": 5,
        "end_date": date(2026, 9, 30),
        "break_clause_date": date(2024, 9, 30),
        "break_notice_months": 6,
        "annual_review_date": date(2026, 4, 1),
        "extension_options": "Term could be reviewed at any point with the DfE",
        "scope_early_help": True,
        "scope_education": True,
        "description": "Children's social care, early help, and education and school support (Cabinet, 20 October 2020).",
    },
    {
        "body": "bradford-trust",
        "reference": "CBMDC-BCFT-2023",
        "title": "Bradford Children and Families Trust service contract",
        "status": Contract.Status.LIVE,
        "start_date": date(2023, 4, 1),
        "shadow_start_date": date(2022, 10, 1),
        "initial_term_years": 10,
        "end_date": date(2033, 3, 31),
        "annual_review_date": date(2027, 4, 1),
        "scope_exclusions": "SEND (special educational needs and disabilities) is not transferred",
    },
    {
        "body": "doncaster-trust",
        "reference": "DMBC-DCST-2014",
        "title": "Doncaster Children's Services Trust service contract",
        "status": Contract.Status.LIVE,
        "start_date": date(2014, 10, 1),
        "shadow_start_date": date(2014, 4, 1),
        "initial_term_years": 15,
        "end_date": date(2029, 9, 30),
        "annual_review_date": date(2027, 4, 1),
        "description": "Direct commissioning without procurement; after five years of operation, consider returning "
        "the commissioning of children's services to the council.",
    },
    {
        "body": "torbay-partnership",
        "reference": "TC-PCC-2018",
        "title": "Torbay and Plymouth children's services partnership agreement",
        "status": Contract.Status.LIVE,
        # Torbay Council, 20 July 2017, §2.19-2.20: April 2018 the target go-live; a five year agreement, subject
        # to annual review, with a three year break clause (the paper gives no notice period).
        "start_date": date(2018, 4, 1),
        "initial_term_years": 5,
        "end_date": date(2023, 3, 31),
        "break_clause_date": date(2021, 3, 31),
        "break_notice_months": None,
        "scope_education": True,
        "description": "Inter-authority partnership led by Plymouth City Council (Council decision 20 July 2017): "
        "a five year agreement, subject to annual review, with a three year break clause (Council, 20 July 2017, "
        "§2.20).",
    },
]

CONTRACTS.append(
    {
        "body": "northamptonshire-trust",
        "reference": "NNC-WNC-NCT-2020",
        "title": "Northamptonshire Children's Trust service contract",
        "status": Contract.Status.LIVE,
        "is_joint": True,
        "start_date": date(2020, 11, 1),
        "initial_term_years": 10,
        "end_date": date(2030, 10, 31),
        "scope_early_help": True,
        "description": "One contract with both owning councils, North and West Northamptonshire. The initial "
        "term shown is the demo's: the papers do not give it.",
    }
)

SANDWELL_OBLIGATIONS = [
    (
        K.MONTHLY_MONITORING,
        "Monthly monitoring information to the council",
        "Trust Chief Executive",
        R.MONTHLY,
        None,
        date(2026, 12, 14),
        date(2026, 12, 14),
        "",
    ),
    (
        K.PERFORMANCE_MEETING,
        "DCS and Trust Chief Executive meet at least monthly",
        "DCS and Trust Chief Executive",
        R.MONTHLY,
        None,
        date(2026, 12, 8),
        date(2026, 12, 8),
        "",
    ),
    (
        K.STRATEGIC_PARTNERSHIP_BOARD,
        "Quarterly Strategic Partnership Board",
        "Lead Member for Children's Services",
        R.QUARTERLY,
        None,
        date(2027, 1, 27),
        date(2027, 1, 27),
        "",
    ),
    (
        K.SCRUTINY_SESSION,
        "Trust attends Children's Services and Education Scrutiny Board",
        "Trust Chief Executive",
        R.TWICE_YEARLY,
        None,
        date(2027, 3, 15),
        date(2027, 3, 15),
        "",
    ),
    (
        K.BUDGET_SCRUTINY,
        "Trust attends Budget and Corporate Scrutiny Management Board",
        "Trust Chief Executive",
        R.ANNUALLY,
        2,
        date(2027, 2, 15),
        date(2027, 2, 15),
        "",
    ),
    (
        K.KPI_AGREEMENT,
        "Key Performance Indicators agreed",
        "DCS and Trust Chief Executive",
        R.ONCE,
        None,
        date(2018, 7, 31),
        date(2018, 9, 30),
        "Extended by the first Strategic Partnership Board (25 July 2018) so the new DCS could take part",
    ),
    (K.ANNUAL_REVIEW, "Annual review of the contract", "DCS", R.ANNUALLY, 4, date(2027, 4, 1), date(2027, 4, 1), ""),
]

RESERVED_MATTERS = [
    ("Appointment of board members", "cabinet", False, "Non-executive directors are appointed by the council."),
    ("Annual business plan", "cabinet", False, "The Trust's annual business plan needs the council's approval."),
    ("Appointment of the Chair", "cabinet", True, "The DfE consents while the direction is in force."),
    ("Appointment of the Chief Executive", "lead_member", True, "The DfE consents while the direction is in force."),
    (
        "Termination or major change of the service contract",
        "cabinet",
        True,
        "Termination or a major service change needs DfE consent while the direction is in force.",
    ),
    ("Amendment of the Articles of Association", "officer", False, "Delegated to the Director of Law."),
]

# The Articles reserve these appointments: the boards workflow raises their requests.
APPOINTMENT_MATTERS = {
    "Appointment of board members": ReservedMatter.AppointmentsTo.BOARD_MEMBER,
    "Appointment of the Chair": ReservedMatter.AppointmentsTo.CHAIR,
    "Appointment of the Chief Executive": ReservedMatter.AppointmentsTo.CHIEF_EXECUTIVE,
}

WEST_SUSSEX_RISKS = [
    (
        "Slippage of timetable",
        "1. Dedicated senior leadership time has been arranged through the employment of the Children First "
        "Transformation Director.",
        "2. The contract partnership with external consultancy and legal team will add capacity and expertise in the "
        "setting up of the Trust.",
        3,
        4,
    ),
    (
        "Disruption to focus on service improvement",
        "1. The Improvement Board will maintain a strong focus on the improvement plan. 2. The Senior Leadership Team "
        "will maintain the delivery of the improvement plan as the priority.",
        "3. External resources will be used to undertake the main tasks for the establishment of the Trust.",
        3,
        5,
    ),
    (
        "Disruption to relations with key service partners",
        "",
        "A programme of engagement and information sharing with the full range of partners will be carried through.",
        2,
        4,
    ),
    (
        "Adverse impact on Council assets and resources",
        "",
        "Plans for the use of Council assets by the Trust will be assessed against the core aims for service "
        "improvement and operational independence whilst ensuring no adverse impact on the County Council's plans and "
        "resource needs.",
        2,
        3,
    ),
]


# A year's money the paper does not give: not recorded (None), never £0.00.
NOT_IN_THE_PAPER = dict.fromkeys(
    (
        "contract_sum",
        "support_services_income",
        "accommodation_income",
        "grants_and_contributions",
        "dfe_vat_funding",
        "setup_costs",
    )
)


def _m(value: str) -> Decimal:
    return Decimal(value)


def seed() -> dict[str, Contract]:
    contracts = {}
    for entry in CONTRACTS:
        data = dict(entry)
        body = DeliveryBody.objects.get(slug=data.pop("body"))
        contract = upsert(
            Contract, {"reference": data.pop("reference")}, {"council": body.council, "delivery_body": body, **data}
        )
        contracts[body.slug] = contract
        for title, decided_by, dfe, description in RESERVED_MATTERS:
            upsert(
                ReservedMatter,
                {"delivery_body": body, "title": title},
                {
                    "decided_by": decided_by,
                    "requires_dfe_consent": dfe,
                    "description": description,
                    "appointments_to": APPOINTMENT_MATTERS.get(title, ""),
                },
            )
    _sandwell(contracts["sandwell-trust"])
    _west_sussex(contracts["west-sussex-trust"])
    _doncaster(contracts["doncaster-trust"])
    _northamptonshire(contracts["northamptonshire-trust"])
    return contracts


def _northamptonshire(contract: Contract) -> None:
    upsert(
        ContractYearFinance,
        {"contract": contract, "financial_year": 2025},
        {
            "contract_sum": _m("185651000.00"),
            "notes": "Contract sum £185.651m against a forecast outturn of £205.290m (2025/26).",
        },
    )


def _sandwell(contract: Contract) -> None:
    upsert(
        ContractYearFinance,
        {"contract": contract, "financial_year": 2018},
        {
            "contract_sum": _m("58330000.00"),
            "support_services_income": _m("2150000.00"),
            "accommodation_income": _m("630000.00"),
            "grants_and_contributions": _m("5140000.00"),
            "dfe_vat_funding": _m("1660000.00"),
            "notes": "Approximate figures from the Cabinet report of 19 September 2018. Accommodation: the Wellman, "
            "Metsec and other buildings.",
        },
    )
    monthly_budget = _m("4860833.33")
    for month, forecast in ((4, "4860833.33"), (5, "4912400.00"), (6, "4987150.00"), (7, "4851200.00")):
        upsert(
            BudgetMonth,
            {"contract": contract, "month": date(2018, month, 1)},
            {
                "budget": monthly_budget,
                "forecast_outturn": _m(forecast),
                "commentary": "Illustrative monthly profile of the £58.33m contract sum.",
            },
        )
    upsert(
        SupportServiceLine,
        {"contract": contract, "service": "HR, finance, payroll, ICT and property"},
        {
            "term_start": date(2018, 4, 1),
            "term_end": date(2019, 3, 31),
            "annual_charge": _m("2000000.00"),
            "review_date": date(2019, 1, 31),
        },
    )
    upsert(
        SupportServiceLine,
        {"contract": contract, "service": "Leased cars"},
        {
            "term_start": date(2018, 4, 1),
            "term_end": date(2021, 3, 31),
            "annual_charge": _m("150000.00"),
            "review_date": date(2020, 12, 31),
        },
    )
    for kind, title, owner, recurrence, month, original, due, reason in SANDWELL_OBLIGATIONS:
        upsert(
            Obligation,
            {"contract": contract, "title": title},
            {
                "kind": kind,
                "owner": owner,
                "recurrence": recurrence,
                "month_of_year": month,
                "original_due_date": original,
                "due_date": due,
                "extension_reason": reason,
            },
        )
    upsert(
        Variation,
        {"contract": contract, "title": "Transfer the edge-of-care service to the Trust"},
        {
            "is_major": True,
            "proposed_on": date(2026, 10, 1),
            "description": "A major service change: needs DfE consent while the direction is in force.",
        },
    )
    # A minor variation the council has made effective (no DfE consent needed): the demo's "variation decided".
    upsert(
        Variation,
        {"contract": contract, "title": "Update the named contract managers (Schedule 1)"},
        {
            "is_major": False,
            "status": Variation.Status.IN_EFFECT,
            "proposed_on": date(2026, 6, 1),
            "effective_on": date(2026, 7, 1),
            "description": "An administrative change: the council's and the Trust's named contract managers.",
        },
    )
    upsert(
        Risk,
        {"contract": contract, "title": "Recruitment and retention of social workers"},
        {
            "cause_effect": "Reliance on agency staff raises cost and weakens practice consistency.",
            "owner": "Trust Chief Executive",
            "likelihood": 4,
            "impact": 4,
            "mitigations_in_place": "Recruitment and retention strategy; market supplement.",
            "mitigations_planned": "Social work academy for newly qualified staff.",
            "review_date": date(2027, 1, 31),
            # The Cabinet report's risk register appendix is exempt (Schedule 12A, paragraph 3).
            "is_exempt": True,
            "exempt_category": "3",
        },
    )
    trust_exec = User.objects.filter(username="sandwell-trust-exec").first()
    if trust_exec is None:
        return
    body = contract.delivery_body
    matters = {m.title: m for m in ReservedMatter.objects.filter(delivery_body=body)}
    upsert(
        ReservedMatterRequest,
        {"delivery_body": body, "title": "Annual business plan 2019/20"},
        {
            "reserved_matter": matters["Annual business plan"],
            "details": "The Trust Board asks the council to approve its business plan for 2019/20.",
            "status": ReservedMatterRequest.Status.APPROVED,
            "raised_by": trust_exec,
            "raised_on": date(2019, 2, 1),
            "decision_due": date(2019, 3, 31),
            "council_decision": "approved",
            "council_decided_on": date(2019, 3, 20),
            "council_decided_by": "cabinet",
            "decision_reference": "Cabinet, 20 March 2019, minute 45/19",
        },
    )
    upsert(
        ReservedMatterRequest,
        {"delivery_body": body, "title": "Appoint a non-executive director with finance experience"},
        {
            "reserved_matter": matters["Appointment of board members"],
            "details": "The Board recommends appointing a non-executive director to chair the Finance and "
            "Resources Committee.",
            "status": ReservedMatterRequest.Status.RAISED,
            "raised_by": trust_exec,
            "raised_on": date(2026, 11, 2),
            "decision_due": date(2026, 12, 16),
        },
    )
    upsert(
        ReservedMatterRequest,
        {"delivery_body": body, "title": "Reappoint the Trust Chair for a further term"},
        {
            "reserved_matter": matters["Appointment of the Chair"],
            "details": "The Board asks that the Chair be reappointed for three years from 1 April 2027.",
            "status": ReservedMatterRequest.Status.AWAITING_DFE,
            "raised_by": trust_exec,
            "raised_on": date(2026, 10, 5),
            "decision_due": date(2026, 12, 31),
            "council_decision": "approved",
            "council_decided_on": date(2026, 11, 11),
            "council_decided_by": "cabinet",
            "decision_reference": "Cabinet, 11 November 2026",
            "needs_dfe_consent": True,
        },
    )


def _west_sussex(contract: Contract) -> None:
    upsert(
        ContractYearFinance,
        {"contract": contract, "financial_year": 2021},
        {
            **NOT_IN_THE_PAPER,
            "setup_costs_funder": "Department for Education",
            "notes": "The cost of implementing the Trust falls to the DfE (Cabinet report §5.2); no contract sum "
            "published in the paper.",
        },
    )
    for title, in_place, planned, likelihood, impact in WEST_SUSSEX_RISKS:
        upsert(
            Risk,
            {"contract": contract, "title": title},
            {
                "owner": "Children First Transformation Director",
                "mitigations_in_place": in_place,
                "mitigations_planned": planned,
                "likelihood": likelihood,
                "impact": impact,
                "review_date": date(2027, 1, 31),
            },
        )


def _doncaster(contract: Contract) -> None:
    upsert(
        ContractYearFinance,
        {"contract": contract, "financial_year": 2014},
        {
            **NOT_IN_THE_PAPER,
            "setup_costs": _m("2000000.00"),
            "setup_costs_funder": "Department for Education (estimate £1.5m to £2.0m, plus £170k to £300k analysis)",
            "notes": "Set-up costs of about £2m and an extra running cost of about £0.75m a year (letter of 13 August "
            "2013); contract sum not given in the paper.",
        },
    )
