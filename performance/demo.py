"""Demo data: catalogue, targets, England benchmarks, 24+ months of returns per trust, improvement plan, Ofsted.

Idempotent and fast: reference data goes through ``upsert``; historic returns are created once
(a month that already has a return is left alone), one ``save()`` per record so history is kept.
Figures are Doncaster's published 2013 numbers where they exist, otherwise deterministic values
around target (no randomness).
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from contracts.models import Contract
from trustgov.accounts.models import User
from trustgov.core.dates import add_months, financial_year_start
from trustgov.core.demo import upsert
from trustgov.organisations.demo import demo_bodies

from . import calculations, models, positions
from .catalogue import SANDWELL_PRIORITIES, STANDARD_KPIS
from .services import contract_for, return_due_date

S = models.MonthlyReturn.Status

# Doncaster, 2013: the figures the paper gives, as it gives them, by the month they are stored in. "At the start
# of the year" is January 2013 and "on 4th August 2013" is August 2013; the paper states no month between, so
# every other Doncaster figure of these KPIs is the demo's and says so in its commentary. Demo noise, corrections
# and rounding never touch these (tests/performance/test_demo_papers.py reads them from the paper itself).
DONCASTER_PAPER = (
    "Proposal for a Doncaster Children's Trust, Report on Progress this Year "
    "(Mayor of Doncaster to the Secretary of State, 13 August 2013)"
)
DONCASTER_PAPER_SOURCE = "Proposal for a Doncaster Children's Trust (13 August 2013); other months illustrative"
START_2013, AUGUST_2013 = date(2013, 1, 1), date(2013, 8, 1)
DONCASTER_2013 = {
    "IAIP": {
        START_2013: (552, "over 552 initial assessments in progress at the start of the year"),
        AUGUST_2013: (165, "165 initial assessments in progress on 4 August 2013"),
    },
    "IAOOT": {
        START_2013: (344, "344 initial assessments out of timescale at the start of the year"),
        AUGUST_2013: (40, "40 out of timescale on 4 August 2013"),
    },
    "CIN": {
        START_2013: (2510, "2,510 children in need cases at the start of the period reported on"),
        AUGUST_2013: (1645, "reduced to 1,645 by the report of August 2013"),
    },
}
# Caseloads by team, a range each (the paper gives no month beyond its report): stored as the commentary on
# Doncaster's average caseload for August 2013, whose figure is the demo's.
DONCASTER_CASELOADS = (("CMARAS", 16, 25), ("Targeted Family Support", 16, 24), ("Children in Care", 10, 13))
ILLUSTRATIVE = "Illustrative demo figure: the paper gives no figure for this month."


def doncaster_paper_figure(code: str, period: date) -> tuple[int, str] | None:
    """The paper's figure for a Doncaster KPI and month, with its words, or None where the paper gives none."""
    return DONCASTER_2013.get(code, {}).get(period)


def doncaster_caseloads_text() -> str:
    teams = ", ".join(f"{team} {low}\N{EN DASH}{high}" for team, low, high in DONCASTER_CASELOADS)
    return f"Caseloads by team (cases per social worker): {teams}. Source: {DONCASTER_PAPER}."


SANDWELL_ACTIONS = [
    (
        1,
        "Appoint a permanent Trust Chief Executive and senior leadership team",
        "Trust Chair",
        date(2018, 9, 30),
        "complete",
        "Appointment ratified by the Trust Board.",
    ),
    (
        2,
        "Reduce reliance on agency social workers through a recruitment and retention offer",
        "Director of Resources",
        date(2019, 3, 31),
        "in_progress",
        "",
    ),
    (
        3,
        "Audit the quality of social work assessments monthly",
        "Director of Quality and Performance",
        date(2018, 12, 31),
        "complete",
        "Audit reports to the Improvement Board.",
    ),
    (
        4,
        "Review placement sufficiency for children looked after",
        "Head of Children Looked After",
        date(2019, 6, 30),
        "in_progress",
        "",
    ),
    (
        5,
        "Launch the multi-agency exploitation and missing hub",
        "Head of Safeguarding",
        date(2019, 1, 31),
        "overdue",
        "",
    ),
    (
        6,
        "Publish a monthly performance scorecard to the Trust Board",
        "Director of Quality and Performance",
        date(2018, 10, 31),
        "complete",
        "Scorecard presented from October 2018.",
    ),
    (
        7,
        "Establish a Strategic Children's Partnership",
        "Executive Director of Children's Services",
        date(2019, 4, 30),
        "in_progress",
        "On track (Cabinet report, 2018).",
    ),
    (
        8,
        "Set up a Children in Care Council feedback loop to the Trust Board",
        "Participation Lead",
        date(2019, 3, 31),
        "not_started",
        "",
    ),
]


def _month_floor(day: date) -> date:
    return day.replace(day=1)


def _months(start: date, count: int) -> list[date]:
    return [add_months(start, i) for i in range(count)]


# The demo's month is whatever month it is when seed_demo runs: the last month that has ended is the
# return now due (not started by any trust), and this trust has not sent the one before it either, so
# the demo always has a return due, one overdue and one queried. Run again later, seed_demo adds the
# months that have passed since and leaves every existing month as it is.
OVERDUE_DEMO_TRUST = "bradford-trust"
# And this trust has answered the officer's query on the return two before its latest, which waits for the
# officer to accept it or ask again.
ANSWERED_QUERY_DEMO_TRUST = "sandwell-trust"
ANSWERED_QUERY_FROM_END = 2


def demo_adopted_from(today: date) -> date:
    """The month the demo councils started holding monthly returns in TrustGov: the first of the 24 months
    before the month now due. Earlier returns (Sandwell's 2018/19 figures, Doncaster's 2013-15 ones, from the
    papers) are history, shown but not chased."""
    return add_months(add_months(_month_floor(today), -1), -24)


def _adopt(body, today: date) -> None:
    """Each demo contract expects returns in TrustGov from the month the demo adopted it. A rerun on a later
    date keeps the earlier month, so a month once chased is never dropped."""
    adopted = demo_adopted_from(today)
    for contract in Contract.objects.filter(delivery_body=body, returns_expected_from__isnull=True):
        contract.returns_expected_from = max(adopted, contract.start_date.replace(day=1))
        contract._change_reason = "Demo: the council holds monthly returns in TrustGov from this month"
        contract.save(update_fields=["returns_expected_from"])


def demo_months(slug: str, today: date) -> list[date]:
    """The months the demo has a return for, as of ``today``: the 24 before the month now due (at least 24
    figures a KPI, so SPC has limits and its special causes show)."""
    if slug == "doncaster-trust":
        return _months(START_2013, 27)  # January 2013 (the paper's "start of the year") to March 2015
    now_due = add_months(_month_floor(today), -1)
    months = _months(add_months(now_due, -24), 24)
    if slug == OVERDUE_DEMO_TRUST:  # one month earlier too (before adoption: history), so 24 figures for SPC
        months = [add_months(now_due, -25), *months[:-1]]
    if slug == "sandwell-trust":
        months = _months(date(2018, 4, 1), 12) + months
    return months


def seed() -> None:
    today = timezone.localdate()
    last_complete = add_months(_month_floor(today), -1)
    for index, body in enumerate(demo_bodies()):
        priorities = _priorities(body)
        kpis = _catalogue(body, priorities)
        months = demo_months(body.slug, today)
        _adopt(body, today)
        _targets(kpis, {financial_year_start(m) for m in months} | {financial_year_start(last_complete)})
        _returns(body, index, kpis, months)
        if body.slug == "sandwell-trust":
            _sandwell_plan(priorities)
            _sandwell_ofsted(body)
            _sandwell_neighbours(body, kpis)


def _priorities(body) -> dict[int, models.ImprovementPriority]:
    return {
        n: upsert(
            models.ImprovementPriority, {"delivery_body": body, "number": n}, {"title": title, "description": text}
        )
        for n, title, text in SANDWELL_PRIORITIES
    }


def _formal_start(body) -> date | None:
    contract = contract_for(body)
    if contract is not None:
        return add_months(_month_floor(contract.start_date), contract.kpi_grace_months)
    if body.operational_from:
        grace = 6 if body.slug == "sandwell-trust" else 0  # Sandwell: a 6 months grace period (Cabinet, 2018)
        return add_months(_month_floor(body.operational_from), grace)
    return None


def _catalogue(body, priorities) -> list[models.Kpi]:
    formal = _formal_start(body)
    kpis = []
    for order, spec in enumerate(STANDARD_KPIS, start=1):
        if spec["code"] in DONCASTER_2013 and body.slug != "doncaster-trust":
            continue  # Doncaster's own monitoring measures
        kpi = upsert(
            models.Kpi,
            {"delivery_body": body, "code": spec["code"]},
            {
                "title": spec["title"],
                "definition": spec["definition"],
                "unit": spec["unit"],
                "polarity": spec["polarity"],
                "numerator_definition": spec["numerator_definition"],
                "denominator_definition": spec["denominator_definition"],
                "data_source": DONCASTER_PAPER_SOURCE
                if body.slug == "doncaster-trust" and spec["code"] in DONCASTER_2013
                else spec["data_source"],
                "priority": priorities[spec["priority"]],
                "contractual": spec["contractual"],
                "formal_reporting_start": formal,
                "display_order": order,
            },
        )
        kpi.spec = spec
        kpis.append(kpi)
        for year, value, source in spec["england"]:
            upsert(
                models.Benchmark,
                {"kpi": kpi, "kind": models.Benchmark.Kind.ENGLAND, "year": year},
                {"value": value, "source": source},
            )
    return kpis


def _targets(kpis, years: set[int]) -> None:
    have = set(models.Target.objects.filter(kpi__in=kpis).values_list("kpi_id", "financial_year"))
    for kpi in kpis:
        target, tolerance = kpi.spec["target"]
        for year in sorted(years):
            if (kpi.pk, year) not in have:
                models.Target(kpi=kpi, financial_year=year, value=target, amber_tolerance=tolerance).save()


def _figures(
    kpi, body_index: int, k: int, i: int, n: int, period: date
) -> tuple[Decimal, Decimal | None, Decimal | None]:
    spec = kpi.spec
    target, tol = spec["target"]
    donc = DONCASTER_2013.get(spec["code"]) if kpi.delivery_body.slug == "doncaster-trust" else None
    if donc is not None:
        raw = _doncaster_illustrative(donc, period, k, i, tol)
    else:
        wave = Decimal(((i * 7 + k * 3 + body_index * 5) % 13) - 6) / 6
        worse = Decimal(1.6) * tol * (1 - Decimal(i) / n)
        offset = worse + wave * tol * Decimal("0.9")
        raw = target + offset if spec["polarity"] == "lower" else target - offset
    raw = max(raw, Decimal(0))
    unit = spec["unit"]
    if not kpi.is_fraction:
        return raw.quantize(Decimal(1)), None, None
    if unit == "ratio":
        den = Decimal(40 + body_index * 6 + (i % 3))
        num = (raw * den).quantize(Decimal(1))
    else:
        raw = min(raw, Decimal(100))
        den = Decimal(120 + (i * 13 + k * 7 + body_index * 11) % 90)
        num = (den * raw / 100).quantize(Decimal(1))
    return calculations.compute_value(unit, num, den), num, den


def _doncaster_illustrative(paper: dict[date, tuple[int, str]], period: date, k: int, i: int, tol) -> Decimal:
    """A Doncaster month: the paper's figure where it gives one; between its two months a straight line from one
    to the other; after them its last figure with the demo's wobble."""
    if period in paper:
        return Decimal(paper[period][0])
    (first, (a, _)), (last, (b, _)) = min(paper.items()), max(paper.items())
    if first < period < last:
        span = (last.year - first.year) * 12 + last.month - first.month
        step = (period.year - first.year) * 12 + period.month - first.month
        return Decimal(a) + (Decimal(b) - Decimal(a)) * step / span
    return Decimal(b) + Decimal(((i * 7 + k * 3) % 9) - 4) * (tol / 4)


def _commentary(kpi, period: date, status_rag: str) -> str:
    """A Doncaster paper figure names its paper; a demo month of a paper KPI says it is illustrative."""
    parts = []
    if kpi.delivery_body.slug == "doncaster-trust":
        if kpi.code in DONCASTER_2013:
            paper = doncaster_paper_figure(kpi.code, period)
            parts.append(f"Paper figure: {paper[1]}. Source: {DONCASTER_PAPER}." if paper else ILLUSTRATIVE)
        elif kpi.code == "CL" and period == AUGUST_2013:
            parts.append(doncaster_caseloads_text())
    if status_rag == calculations.RED:
        parts.append(
            f"{kpi.title} is off target this month. Recovery actions are in the improvement plan "
            f"(priority {kpi.priority.number if kpi.priority else '-'}) and are reviewed at the monthly "
            "performance meeting."
        )
    return " ".join(parts)


def _returns(body, body_index: int, kpis: list[models.Kpi], months: list[date]) -> None:
    exec_user = User.objects.filter(delivery_body=body).order_by("pk").first()
    officer = User.objects.filter(council=body.council, groups__name="Council officer").order_by("pk").first()
    if exec_user is None or officer is None:
        return
    existing = set(models.MonthlyReturn.objects.filter(delivery_body=body).values_list("period", flat=True))
    contract = contract_for(body)
    targets = positions.targets_for(k.pk for k in kpis)
    n = len(months)
    tz = timezone.get_current_timezone()
    for i, period in enumerate(months):
        if period in existing:
            continue
        from_end = n - 1 - i
        status = {0: S.SUBMITTED, 1: S.QUERIED, 3: S.RESUBMITTED}.get(from_end, S.ACCEPTED)
        answered = body.slug == ANSWERED_QUERY_DEMO_TRUST and from_end == ANSWERED_QUERY_FROM_END
        if answered:
            status = S.QUERIED
        due = return_due_date(delivery_body=body, period=period, contract=contract)
        late = (i * 5 + body_index) % 7 == 0
        submitted = timezone.make_aware(datetime.combine(due + timedelta(days=3 if late else -2), time(16, 0)), tz)
        ret = models.MonthlyReturn(
            delivery_body=body, period=period, status=status, due_date=due, first_submitted_at=submitted
        )
        ret.save()
        # A correction re-reads the next month's wobble: never on a month that holds a paper figure.
        paper_month = body.slug == "doncaster-trust" and period in (START_2013, AUGUST_2013)
        corrected = not paper_month and (status == S.RESUBMITTED or (i % 9 == 4))
        versions = [1, 2] if corrected else [1]
        version = None
        for number in versions:
            version = models.ReturnVersion(
                monthly_return=ret,
                number=number,
                created_by=exec_user,
                channel="upload" if number == 1 else "web",
                reason="" if number == 1 else "Case management extract re-run after late recording of assessments",
                submitted_at=submitted + timedelta(days=(number - 1) * 4),
                signed_off_by=exec_user,
                signed_off_name=f"{exec_user.get_full_name()}, {exec_user.job_title}".strip(", "),
            )
            version.save()
            for k, kpi in enumerate(kpis):
                value, num, den = _figures(kpi, body_index, k, i + (number - 1), n, period)
                status_rag, _ = positions.rate(kpi, value, period, positions.target_in_force(targets, kpi, period))
                commentary = _commentary(kpi, period, status_rag)
                models.ReturnValue(
                    version=version, kpi=kpi, value=value, numerator=num, denominator=den, commentary=commentary
                ).save()
        if status == S.ACCEPTED:
            ret.accepted_at = submitted + timedelta(days=10)
            ret.accepted_by = officer
            ret.accepted_version = version
            ret.save()
        if status in (S.QUERIED, S.RESUBMITTED) or i % 11 == 5:
            _query(ret, kpis[1], officer, exec_user, submitted, answered=answered, corrected=len(versions) > 1)


def _query(ret, kpi, officer, exec_user, submitted: datetime, *, answered: bool, corrected: bool) -> None:
    """The officer's query on a return, dated the day after version 1 came in; the trust's answer the day
    after that, before any corrected version (four days after version 1) and the acceptance (ten days).

    Open on a queried return; answered and waiting for the officer on the one ``answered`` return; closed on
    the rest (the officer accepted or the trust resubmitted).
    """
    QS = models.ReturnQuery.Status
    still_queried = ret.status == S.QUERIED
    status = QS.ANSWERED if answered else QS.OPEN if still_queried else QS.CLOSED
    asked, replied = submitted + timedelta(days=1), submitted + timedelta(days=2)
    query = models.ReturnQuery(
        monthly_return=ret,
        kpi=kpi,
        raised_by=officer,
        question=f"{kpi.title} has moved sharply since last month. Please explain the change and confirm the denominator.",
        status=status,
    )
    query.save()
    _stamp(query, asked, replied if status != QS.OPEN else asked)
    _stamp(models.QueryMessage.objects.create(query=query, author=officer, text=query.question), asked)
    if status == QS.OPEN:
        return
    if corrected:
        text = "Assessments recorded late have now been added; the figure is corrected in the next version."
    elif answered:
        text = (
            "The rise follows a review of open cases in the month: cases found closed late were closed, which "
            "changed the denominator. The denominator is the case management system's month-end extract."
        )
    else:
        text = "Checked against the case management system: the figure and the denominator stand."
    _stamp(models.QueryMessage.objects.create(query=query, author=exec_user, text=text), replied)


def _stamp(record, created: datetime, updated: datetime | None = None) -> None:
    """Date a demo record (and its history) when it happened in the demo's story, not when seed_demo ran.

    ``created_at`` is ``auto_now_add``, so the moment is written after the insert; the history rows get the
    same dates, so the record's history reads as its thread does."""
    updated = updated or created
    type(record).objects.filter(pk=record.pk).update(created_at=created, updated_at=updated)
    record.history.update(created_at=created, updated_at=updated, history_date=updated)
    record.created_at, record.updated_at = created, updated


def _sandwell_plan(priorities) -> None:
    for number, title, owner, due, status, evidence in SANDWELL_ACTIONS:
        upsert(
            models.ImprovementAction,
            {"priority": priorities[number], "title": title},
            {"owner": owner, "due_date": due, "status": status, "evidence": evidence},
        )


def _sandwell_ofsted(body) -> None:
    upsert(
        models.OfstedEvent,
        {"delivery_body": body, "date": date(2018, 1, 19), "kind": models.OfstedEvent.Kind.INSPECTION},
        {
            "focus": "Children in need of help and protection, children looked after and care leavers "
            "(re-inspection, November 2017)",
            "judgement": models.OfstedEvent.Judgement.INADEQUATE,
            "summary": "Ofsted rated the service Inadequate and highlighted areas for improvement.",
        },
    )
    upsert(
        models.OfstedEvent,
        {"delivery_body": body, "date": date(2018, 5, 31), "kind": models.OfstedEvent.Kind.MONITORING_VISIT},
        {
            "focus": "Help and protection and children looked after: the quality of social work assessments "
            "(visit on 30 and 31 May 2018)",
            "judgement": "",
            "summary": "Monitoring visit letter: Appendix 2 of the Cabinet report.",
        },
    )
    upsert(
        models.TrajectoryMilestone,
        {"delivery_body": body, "by_date": date(2020, 12, 31)},
        {"judgement": "requires_improvement"},
    )
    upsert(models.TrajectoryMilestone, {"delivery_body": body, "by_date": date(2022, 12, 31)}, {"judgement": "good"})


# Benchmarks beyond England (ADR 0306). ILLUSTRATIVE, not from a published paper or the DfE's tool: a plausible
# list of ten authorities like Sandwell, and made-up neighbour and regional figures for the re-referral KPI (one
# suppressed as "c"), so the demo shows medians, quartiles and a suppressed figure. Replace them with the DfE
# children's services statistical neighbour benchmarking tool's list and LAIT's figures for real use.
DEMO_NEIGHBOURS_SOURCE = "Illustrative list for the demo (not the DfE statistical neighbour benchmarking tool's)"
DEMO_NEIGHBOURS = [
    ("336", "Wolverhampton"),
    ("335", "Walsall"),
    ("330", "Birmingham"),
    ("354", "Rochdale"),
    ("353", "Oldham"),
    ("892", "Nottingham"),
    ("380", "Bradford"),
    ("331", "Coventry"),
    ("861", "Stoke-on-Trent"),
    ("856", "Leicester"),
]
DEMO_NEIGHBOUR_FIGURES = ["21.8", "24.1", "19.6", "c", "22.9", "20.4", "23.5", "18.7", "25.2", "21.1"]  # illustrative


def _sandwell_neighbours(body, kpis) -> None:
    from .quartiles import parse_figure, quartiles, rounded

    neighbour_list = upsert(
        models.StatisticalNeighbourList,
        {"council": body.council, "year": "2024"},
        {"source": DEMO_NEIGHBOURS_SOURCE, "neighbours": [{"la_code": c, "name": n} for c, n in DEMO_NEIGHBOURS]},
    )
    rr = next((k for k in kpis if k.code == "RR"), None)
    if rr is None:
        return
    rows = [
        {"la_code": code, "name": name, "value": value}
        for (code, name), value in zip(DEMO_NEIGHBOURS, DEMO_NEIGHBOUR_FIGURES, strict=True)
    ]
    q = quartiles([parse_figure(v) for v in DEMO_NEIGHBOUR_FIGURES])
    upsert(
        models.Benchmark,
        {"kpi": rr, "kind": models.Benchmark.Kind.STATISTICAL_NEIGHBOURS, "year": "2023-24"},
        {
            "value": rounded(q.median),
            "lower_quartile": rounded(q.lower),
            "upper_quartile": rounded(q.upper),
            "figures_used": q.used,
            "figures_excluded": q.excluded,
            "figures": rows,
            "neighbour_list": neighbour_list,
            "source": "Illustrative figures for the demo (not LAIT's)",
        },
    )
    upsert(
        models.Benchmark,
        {"kpi": rr, "kind": models.Benchmark.Kind.REGION, "year": "2023-24"},
        {
            "value": Decimal("21.3"),
            "lower_quartile": Decimal("19.2"),
            "upper_quartile": Decimal("23.4"),
            "figures_used": 14,
            "source": "Illustrative West Midlands figures for the demo (not LAIT's)",
        },
    )
