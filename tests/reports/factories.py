"""Factories and small builders for report tests: drafts, plus the other apps' data a report reads."""

from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from contracts.models import BudgetMonth, Contract, ContractYearFinance, Risk
from performance.models import Kpi, MonthlyReturn, ReturnValue, ReturnVersion, Target
from reports.models import ReportDraft, ReportType

NARRATIVE = {
    "purpose": (
        "The purpose of this report is to update members on the trust's performance.\n\nIt also seeks a decision."
    ),
    "ambition_implications": "The trust supports the council's ambition for vulnerable children.",
    "background": "Ofsted rated the service Inadequate.\n\nThe council set up a trust.\n\nThe contract went live.",
    "current_position": "Performance is improving in most areas.",
    "resources": "The contract sum is £58.33m for 2018/19.",
    "legal_governance": "The council's approval is required for reserved matters.",
}


class ReportDraftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportDraft

    report_type = ReportType.CABINET
    council = factory.SelfAttribute("delivery_body.council")
    period_start = date(2026, 1, 1)
    period_end = date(2026, 3, 31)
    title = "Report to Cabinet"
    meeting_name = "Cabinet"
    meeting_date = date(2026, 5, 20)
    subject = factory.Sequence(lambda n: f"Children's Trust quarterly update {n}")
    cabinet_member = "Councillor Test - Cabinet Member for Children's Services"
    director = "Executive Director of Children's Services – A Director"
    key_decision = True
    forward_plan_reference = "TEST01/2026"
    contact_officer = "A Officer, a.officer@example.gov.uk"
    recommendations = "Note the trust's performance.\nApprove the revised targets."
    purpose = NARRATIVE["purpose"]
    ambition_implications = NARRATIVE["ambition_implications"]
    background = NARRATIVE["background"]
    current_position = NARRATIVE["current_position"]
    resources = NARRATIVE["resources"]
    legal_governance = NARRATIVE["legal_governance"]


def make_contract(body, *, reference=None, start=date(2025, 4, 1)) -> Contract:
    contract = Contract.objects.create(
        council=body.council,
        delivery_body=body,
        title=f"Service contract with {body}",
        reference=reference or f"CT-{body.slug}",
        status=Contract.Status.LIVE,
        start_date=start,
        end_date=date(start.year + 5, 3, 31),
    )
    ContractYearFinance.objects.create(
        contract=contract,
        financial_year=2025,
        contract_sum=Decimal("58330000.00"),
        support_services_income=Decimal("2150000.00"),
        accommodation_income=Decimal("630000.00"),
        grants_and_contributions=Decimal("5140000.00"),
        dfe_vat_funding=Decimal("1660000.00"),
    )
    BudgetMonth.objects.create(
        contract=contract,
        month=date(2026, 2, 1),
        budget=Decimal("4860000.00"),
        forecast_outturn=Decimal("5010000.00"),
        commentary="Placement costs above budget",
    )
    Risk.objects.create(
        contract=contract,
        title="Recruitment and retention of social workers",
        owner="Trust Chief Executive",
        likelihood=4,
        impact=4,
        mitigations_in_place="Recruitment campaign",
    )
    return contract


def make_kpi(body, code="RR1", title="Re-referral rate", *, target="22.00", tolerance="2.00", polarity="lower"):
    kpi = Kpi.objects.create(
        delivery_body=body,
        code=code,
        title=title,
        definition=f"{title} (test definition)",
        unit=Kpi.Unit.PERCENTAGE,
        polarity=polarity,
    )
    Target.objects.create(kpi=kpi, financial_year=2025, value=Decimal(target), amber_tolerance=Decimal(tolerance))
    return kpi


def make_return(body, period: date, values: dict, *, user, versions: int = 1, accepted: bool = True) -> MonthlyReturn:
    """A monthly return with ``versions`` versions (the last accepted when ``accepted``)."""
    monthly = MonthlyReturn.objects.create(
        delivery_body=body,
        period=period,
        due_date=date(period.year, period.month, 14),
        status=MonthlyReturn.Status.SUBMITTED,
    )
    version = None
    for number in range(1, versions + 1):
        version = ReturnVersion.objects.create(
            monthly_return=monthly,
            number=number,
            created_by=user,
            submitted_at=timezone.now(),
            reason="" if number == 1 else "Corrected figures",
        )
        for kpi, value in values.items():
            # Earlier versions carry a different figure, so a test can tell which version was used.
            figure = Decimal(value) + (Decimal(number - versions) * 5)
            ReturnValue.objects.create(version=version, kpi=kpi, value=figure)
    if accepted:
        monthly.status = MonthlyReturn.Status.ACCEPTED
        monthly.accepted_version = version
        monthly.accepted_at = timezone.now()
        monthly.accepted_by = user
        monthly.save()
    return monthly


def make_board(body, members: list[tuple[str, str, str]]):
    """A trust board with one seat a member: (name, seat role, professional capacity)."""
    from boards.models import Body, Membership, Person, Seat

    board = Body.objects.create(
        council=body.council, delivery_body=body, name=f"{body} Board", kind=Body.Kind.TRUST_BOARD
    )
    for order, (name, role, capacity) in enumerate(members, start=1):
        seat = Seat.objects.create(body=board, role=role, title=f"Seat {order}", order=order)
        person = Person.objects.create(council=body.council, name=name, professional_capacity=capacity)
        Membership.objects.create(seat=seat, person=person, start_date=date(2025, 1, 1))
    return board


def make_action(body, description: str, *, due: date = date(2026, 2, 27)):
    from meetings.models import Action, Meeting

    meeting = Meeting.objects.create(
        council=body.council,
        delivery_body=body,
        body_kind="strategic_partnership_board",
        title="Strategic Partnership Board",
        date=date(2026, 1, 21),
    )
    return Action.objects.create(meeting=meeting, description=description, owner="Trust Chief Executive", due_date=due)


def make_reserved_matter_decision(body, title: str, *, user, decided_on: date = date(2026, 2, 10)):
    from contracts.models import ReservedMatter, ReservedMatterRequest

    matter = ReservedMatter.objects.create(
        delivery_body=body, title="Appointment of Board members", decided_by=ReservedMatter.DecidedBy.CABINET
    )
    return ReservedMatterRequest.objects.create(
        reserved_matter=matter,
        delivery_body=body,
        title=title,
        details="Appointment of a non-executive director",
        status="approved",
        raised_by=user,
        raised_on=date(2026, 1, 5),
        decision_due=date(2026, 2, 28),
        council_decision="approved",
        council_decided_on=decided_on,
        council_decided_by=ReservedMatter.DecidedBy.CABINET,
        decision_reference="CAB-2026-07",
    )
