"""A jointly owned trust, model by model: every model with a scoping function has a case here.

Alpha Council leads and Beta Council co-owns Alpha's trust; Gamma Council, with a trust of its own, owns
nothing of it (and Beta has a trust of its own too). Each case builds one record of the joint arrangement (or,
where a model is per-council by design, one that a single owner holds alone) and names exactly who sees it
through ``visible(Model, user)``; everyone else must not. Gamma's users never see anything here, and its
officer gets a 404 from every detail page, API endpoint and history page of each record.

A model registered with ``@scope_for`` later and missing from ``CASES`` fails
``test_every_scoped_model_has_a_joint_case``, naming it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from boards.models import Appointment, AppointmentStep, Body, InterestDeclaration, Membership, Person, Seat
from contracts.models import (
    BudgetMonth,
    Contract,
    ContractYearFinance,
    EndOfTermDecision,
    EscalationStep,
    Obligation,
    ReservedMatter,
    ReservedMatterRequest,
    Risk,
    SupportServiceLine,
    Variation,
)
from meetings.models import (
    Action,
    ActionUpdate,
    AgendaItem,
    Attendance,
    Declaration,
    Document,
    ForwardPlanEntry,
    Meeting,
    Minutes,
    Resolution,
)
from performance.models import (
    Benchmark,
    ImprovementAction,
    ImprovementPriority,
    Kpi,
    KpiBaseline,
    KpiDefinition,
    MonthlyReturn,
    OfstedEvent,
    QueryMessage,
    ReturnQuery,
    ReturnValue,
    ReturnVersion,
    StatisticalNeighbourList,
    Target,
    TrajectoryMilestone,
)
from public.models import PublicSubscription
from reports.models import GeneratedReport, ReportDraft
from tests.api.helpers import client_with, token_for
from tests.boards.factories import BodyFactory, MembershipFactory, PersonFactory, SeatFactory
from tests.conftest import Tenant, build_tenant
from tests.contracts.factories import (
    ContractFactory,
    EscalationFactory,
    FinanceYearFactory,
    ObligationFactory,
    RequestFactory,
    ReservedMatterFactory,
    RiskFactory,
    SupportServiceFactory,
    VariationFactory,
)
from tests.factories import DirectionFactory, MemorandumFactory
from tests.meetings.factories import MeetingFactory, paper
from tests.performance.factories import KpiFactory, TargetFactory
from tests.reports.factories import ReportDraftFactory
from trustgov.accounts.models import ApiToken, User
from trustgov.accounts.services import api_token_issue
from trustgov.core.scoping import registered_models, visible
from trustgov.organisations.models import (
    Council,
    DeliveryBody,
    Direction,
    MemorandumOfUnderstanding,
    OfficeHolding,
    Ownership,
)

pytestmark = pytest.mark.django_db

# A Monday in term: nothing here depends on the day the suite runs.
NOW = datetime(2026, 11, 16, 10, 0, tzinfo=ZoneInfo("Europe/London"))

# Who is asked, by a name the cases use.
ALPHA_OFFICER, ALPHA_SCRUTINY = "alpha officer", "alpha scrutiny"
BETA_OFFICER, BETA_SCRUTINY = "beta officer", "beta scrutiny"
JOINT_TRUST = "joint trust executive"  # the executive of Alpha's trust, the jointly owned one
BETA_TRUST = "beta trust executive"  # the executive of Beta's own trust, which Alpha does not own
GAMMA_OFFICER, GAMMA_SCRUTINY, GAMMA_TRUST = "gamma officer", "gamma scrutiny", "gamma trust executive"

EVERYONE = frozenset(
    {
        ALPHA_OFFICER,
        ALPHA_SCRUTINY,
        BETA_OFFICER,
        BETA_SCRUTINY,
        JOINT_TRUST,
        BETA_TRUST,
        GAMMA_OFFICER,
        GAMMA_SCRUTINY,
        GAMMA_TRUST,
    }
)
GAMMA = frozenset({GAMMA_OFFICER, GAMMA_SCRUTINY, GAMMA_TRUST})
OWNERS = frozenset({ALPHA_OFFICER, ALPHA_SCRUTINY, BETA_OFFICER, BETA_SCRUTINY})
# A record of the joint arrangement: each owner's officers and scrutiny members, and the trust itself.
JOINT = OWNERS | {JOINT_TRUST}
# Exempt material, drafts and query threads: each owner's officers (scrutiny never).
OWNERS_OFFICERS = frozenset({ALPHA_OFFICER, BETA_OFFICER})
# A record one owner holds alone (per-council by design): that owner's users, never the other owner's.
ALPHA_ALONE = frozenset({ALPHA_OFFICER, ALPHA_SCRUTINY})
BETA_ALONE = frozenset({BETA_OFFICER, BETA_SCRUTINY})
NOBODY = frozenset()

OFFICERS = (ALPHA_OFFICER, BETA_OFFICER, GAMMA_OFFICER)


@dataclass
class World:
    """The joint arrangement each case adds one record to."""

    alpha: Tenant
    beta: Tenant
    gamma: Tenant
    trust: DeliveryBody
    contract: Contract  # the joint contract, held by Alpha as lead
    board: Body  # the trust's board
    seat: Seat
    member: Person  # on Alpha's register, sitting on the trust's board
    committee: Meeting  # the joint committee
    item: AgendaItem  # a public item on its agenda
    kpi: Kpi
    monthly_return: MonthlyReturn  # submitted
    version: ReturnVersion  # its submitted version

    def users(self) -> dict[str, User]:
        return {
            ALPHA_OFFICER: self.alpha.officer,
            ALPHA_SCRUTINY: self.alpha.scrutiny,
            BETA_OFFICER: self.beta.officer,
            BETA_SCRUTINY: self.beta.scrutiny,
            JOINT_TRUST: self.alpha.trust_exec,
            BETA_TRUST: self.beta.trust_exec,
            GAMMA_OFFICER: self.gamma.officer,
            GAMMA_SCRUTINY: self.gamma.scrutiny,
            GAMMA_TRUST: self.gamma.trust_exec,
        }


def _neighbour_list(council) -> StatisticalNeighbourList:
    return StatisticalNeighbourList.objects.create(
        council=council,
        year="2024",
        source="Illustrative",
        neighbours=[{"la_code": f"{330 + n}", "name": f"Authority {n}"} for n in range(10)],
    )


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(tenant_a, tenant_b) -> World:
    trust = tenant_a.body
    Ownership.objects.create(delivery_body=trust, council=tenant_b.council, since=date(2021, 4, 1))
    gamma = build_tenant("gamma")
    board = BodyFactory(council=tenant_a.council, delivery_body=trust, kind=Body.Kind.TRUST_BOARD, name="Trust Board")
    seat = SeatFactory(body=board, role=Seat.Role.CHAIR, title="Chair", order=1)
    member = PersonFactory(council=tenant_a.council, name="Joan Joint")
    MembershipFactory(person=member, seat=seat, start_date=date(2024, 1, 1))
    committee = MeetingFactory(
        council=tenant_a.council, delivery_body=trust, is_joint=True, title="Joint Committee", date=date(2026, 12, 2)
    )
    kpi = KpiFactory(delivery_body=trust, code="RR", title="Re-referral rate")
    monthly_return = MonthlyReturn.objects.create(
        delivery_body=trust,
        period=date(2026, 9, 1),
        due_date=date(2026, 10, 14),
        status=MonthlyReturn.Status.SUBMITTED,
        first_submitted_at=timezone.now(),
    )
    version = ReturnVersion.objects.create(
        monthly_return=monthly_return, number=1, created_by=tenant_a.trust_exec, submitted_at=timezone.now()
    )
    return World(
        alpha=tenant_a,
        beta=tenant_b,
        gamma=gamma,
        trust=trust,
        contract=ContractFactory(
            council=tenant_a.council, delivery_body=trust, is_joint=True, reference="JOINT-1", title="Joint contract"
        ),
        board=board,
        seat=seat,
        member=member,
        committee=committee,
        item=AgendaItem.objects.create(meeting=committee, order=1, title="Performance of the trust"),
        kpi=kpi,
        monthly_return=monthly_return,
        version=version,
    )


# --- the records -------------------------------------------------------------------------------------------------

EXEMPT = {"is_exempt": True, "exempt_category": "3"}


def _office(w: World, office: str, *, trust: bool) -> OfficeHolding:
    return OfficeHolding.objects.create(
        council=w.alpha.council,
        delivery_body=w.trust if trust else None,
        office=office,
        holder_name="Pat Holder",
        start_date=date(2025, 4, 1),
    )


def _candidate_appointment(w: World) -> Appointment:
    """Someone on Alpha's register proposed for the trust's board, not yet a member of it."""
    candidate = PersonFactory(council=w.alpha.council, name="Carol Candidate")
    return Appointment.objects.create(
        body=w.board, seat=w.seat, person=candidate, term_start=date(2027, 1, 1), proposed_by=w.alpha.trust_exec
    )


def _interest(w: World, person: Person) -> InterestDeclaration:
    return InterestDeclaration.objects.create(
        person=person, body=w.board, kind=InterestDeclaration.Kind.DIRECTORSHIP, declared_on=date(2026, 4, 1)
    )


def _query(w: World) -> ReturnQuery:
    return ReturnQuery.objects.create(
        monthly_return=w.monthly_return, kpi=w.kpi, raised_by=w.beta.officer, question="Why did re-referrals rise?"
    )


def _action(w: World) -> Action:
    return Action.objects.create(
        meeting=w.committee,
        description="Report on re-referrals",
        owner="Trust Chief Executive",
        due_date=date(2027, 1, 31),
    )


def _minutes(w: World, *, approved: bool) -> Minutes:
    if not approved:
        return Minutes.objects.create(meeting=w.committee, text="Draft minutes of the joint committee")
    next_meeting = MeetingFactory(
        council=w.alpha.council, delivery_body=w.trust, is_joint=True, title="Joint Committee", date=date(2027, 3, 3)
    )
    return Minutes.objects.create(
        meeting=w.committee,
        text="Minutes of the joint committee",
        status=Minutes.Status.APPROVED,
        approved_at=next_meeting,
        approved_on=next_meeting.date,
    )


def _report(w: World, *, published: bool) -> GeneratedReport:
    draft = ReportDraftFactory(delivery_body=w.trust, council=w.alpha.council, created_by=w.alpha.officer)
    report = GeneratedReport(
        draft=draft,
        council=draft.council,
        delivery_body=draft.delivery_body,
        report_type=draft.report_type,
        title=draft.subject,
        version=1,
        protective_marking="OFFICIAL",
        status=GeneratedReport.Status.READY,
        requested_by=w.alpha.officer,
    )
    if published:
        report.publication = GeneratedReport.Publication.PUBLISHED
        report.approved_at = report.published_at = timezone.now()
        report.approved_by = report.published_by = w.alpha.officer
    report.save()
    return report


@dataclass(frozen=True)
class Case:
    model: type[Model]
    record: str  # what the record is, as the test id reads
    build: Callable[[World], Model]
    seen_by: frozenset[str]
    # The API's endpoint shows less than the scoping function where it never carries exempt or unpublished
    # material (None: the same users as ``seen_by``).
    api_seen_by: frozenset[str] | None = None

    @property
    def id(self) -> str:
        return f"{self.model._meta.label}: {self.record}"


CASES: list[Case] = [
    # --- organisations -----------------------------------------------------------------------------------------
    # Councils are per-council by design: each council's users see their own council; the trust sees its owners.
    Case(Council, "the lead council, Alpha", lambda w: w.alpha.council, ALPHA_ALONE | {JOINT_TRUST}),
    Case(Council, "the co-owning council, Beta", lambda w: w.beta.council, BETA_ALONE | {JOINT_TRUST, BETA_TRUST}),
    Case(DeliveryBody, "the jointly owned trust", lambda w: w.trust, JOINT),
    Case(Ownership, "Beta's ownership of the trust", lambda w: w.trust.ownerships.get(council=w.beta.council), JOINT),
    Case(
        Ownership,
        "Alpha's (lead) ownership of the trust",
        lambda w: w.trust.ownerships.get(council=w.alpha.council),
        JOINT,
    ),
    # A direction is issued to one council (per-council): its users and the trusts it owns see it.
    Case(
        Direction,
        "a direction to Alpha",
        lambda w: DirectionFactory(council=w.alpha.council),
        ALPHA_ALONE | {JOINT_TRUST},
    ),
    Case(
        Direction,
        "a direction to Beta",
        lambda w: DirectionFactory(council=w.beta.council),
        BETA_ALONE | {JOINT_TRUST, BETA_TRUST},
    ),
    Case(
        MemorandumOfUnderstanding,
        "the trust's memorandum with Alpha",
        lambda w: MemorandumFactory(council=w.alpha.council, delivery_body=w.trust),
        JOINT,
    ),
    Case(
        OfficeHolding,
        "the Chair of the trust",
        lambda w: _office(w, OfficeHolding.Office.TRUST_CHAIR, trust=True),
        JOINT,
    ),
    # A council's own office is per-council: Alpha's DCS is Alpha's (and its trust's) to see, not Beta's.
    Case(
        OfficeHolding,
        "Alpha's DCS",
        lambda w: _office(w, OfficeHolding.Office.DCS, trust=False),
        ALPHA_ALONE | {JOINT_TRUST},
    ),
    # --- accounts ------------------------------------------------------------------------------------------------
    # Tokens: the holder's own, and every owner's officers see the tokens of the trust's users (scrutiny never).
    Case(
        ApiToken,
        "a token of the joint trust's executive",
        lambda w: api_token_issue(user=w.alpha.trust_exec, name="Returns feed").token,
        OWNERS_OFFICERS | {JOINT_TRUST},
    ),
    # A council officer's own token is per-council: their council's officers see it, the other owner's don't.
    Case(
        ApiToken,
        "a token of Beta's officer",
        lambda w: api_token_issue(user=w.beta.officer, name="Beta's reporting").token,
        frozenset({BETA_OFFICER}),
    ),
    # --- contracts -----------------------------------------------------------------------------------------------
    Case(Contract, "the joint contract", lambda w: w.contract, JOINT),
    # A contract one owner holds alone with the trust is that owner's (and the trust's, which is party to it).
    Case(
        Contract,
        "a contract Alpha holds alone",
        lambda w: ContractFactory(council=w.alpha.council, delivery_body=w.trust, reference="ALPHA-ONLY"),
        ALPHA_ALONE | {JOINT_TRUST},
    ),
    Case(
        Contract,
        "a contract Beta holds alone",
        lambda w: ContractFactory(council=w.beta.council, delivery_body=w.trust, reference="BETA-ONLY"),
        BETA_ALONE | {JOINT_TRUST},
    ),
    Case(Obligation, "an obligation of the joint contract", lambda w: ObligationFactory(contract=w.contract), JOINT),
    Case(
        EndOfTermDecision,
        "the joint contract's extension",
        lambda w: EndOfTermDecision.objects.create(
            contract=w.contract,
            outcome=EndOfTermDecision.Outcome.EXTENSION,
            decided_on=date(2026, 10, 1),
            decision_reference="Cabinet minute 12",
            reason="Performance is improving",
            previous_end_date=w.contract.end_date,
            new_end_date=date(2032, 3, 31),
            recorded_by=w.alpha.officer,
        ),
        JOINT,
    ),
    Case(
        ContractYearFinance,
        "the joint contract's 2024/25 sum",
        lambda w: FinanceYearFactory(contract=w.contract),
        JOINT,
    ),
    Case(
        BudgetMonth,
        "a month of the joint contract's budget",
        lambda w: BudgetMonth.objects.create(
            contract=w.contract, month=date(2026, 9, 1), budget=Decimal("4860000"), forecast_outturn=Decimal("5010000")
        ),
        JOINT,
    ),
    Case(
        SupportServiceLine,
        "a support service to the trust",
        lambda w: SupportServiceFactory(contract=w.contract),
        JOINT,
    ),
    Case(Variation, "a variation of the joint contract", lambda w: VariationFactory(contract=w.contract), JOINT),
    # Exempt (Schedule 12A) records: officers and the trust party to them; scrutiny never (trustgov.core.exempt).
    Case(
        Variation,
        "an exempt variation",
        lambda w: VariationFactory(contract=w.contract, **EXEMPT),
        OWNERS_OFFICERS | {JOINT_TRUST},
    ),
    Case(
        EscalationStep, "an escalation on the joint contract", lambda w: EscalationFactory(contract=w.contract), JOINT
    ),
    Case(
        EscalationStep,
        "an exempt escalation",
        lambda w: EscalationFactory(contract=w.contract, **EXEMPT),
        OWNERS_OFFICERS | {JOINT_TRUST},
    ),
    Case(Risk, "a risk of the joint contract", lambda w: RiskFactory(contract=w.contract), JOINT),
    Case(Risk, "an exempt risk", lambda w: RiskFactory(contract=w.contract, **EXEMPT), OWNERS_OFFICERS | {JOINT_TRUST}),
    Case(
        ReservedMatter, "a reserved matter of the trust", lambda w: ReservedMatterFactory(delivery_body=w.trust), JOINT
    ),
    Case(
        ReservedMatterRequest,
        "a reserved matter request of the trust",
        lambda w: RequestFactory(
            reserved_matter=ReservedMatterFactory(delivery_body=w.trust), raised_by=w.alpha.trust_exec
        ),
        JOINT,
    ),
    Case(
        ReservedMatterRequest,
        "an exempt reserved matter request",
        lambda w: RequestFactory(
            reserved_matter=ReservedMatterFactory(delivery_body=w.trust), raised_by=w.alpha.trust_exec, **EXEMPT
        ),
        OWNERS_OFFICERS | {JOINT_TRUST},
    ),
    # --- boards --------------------------------------------------------------------------------------------------
    Case(Person, "a member of the trust's board", lambda w: w.member, JOINT),
    Case(Person, "a candidate proposed for the trust's board", lambda w: _candidate_appointment(w).person, JOINT),
    Case(
        Person,
        "someone who declared an interest on the trust's board",
        lambda w: _interest(w, PersonFactory(council=w.alpha.council, name="Dee Declarer")).person,
        JOINT,
    ),
    # Someone on Alpha's register and on no board of the trust is Alpha's (per-council); the trust sees its
    # owners' registers, from which it proposes people.
    Case(
        Person,
        "someone on Alpha's register alone",
        lambda w: PersonFactory(council=w.alpha.council, name="Alan Alpha"),
        ALPHA_ALONE | {JOINT_TRUST},
    ),
    Case(Body, "the trust's board", lambda w: w.board, JOINT),
    # A council's own body (no trust) is per-council: Alpha's panel is not Beta's.
    Case(
        Body,
        "Alpha's corporate parenting panel",
        lambda w: BodyFactory(council=w.alpha.council, kind=Body.Kind.CORPORATE_PARENTING_PANEL, name="Panel"),
        ALPHA_ALONE | {JOINT_TRUST},
    ),
    Case(Seat, "a seat on the trust's board", lambda w: w.seat, JOINT),
    Case(Membership, "a membership of the trust's board", lambda w: w.member.memberships.get(), JOINT),
    Case(Appointment, "an appointment to the trust's board", _candidate_appointment, JOINT),
    Case(
        AppointmentStep,
        "a step of an appointment to the trust's board",
        lambda w: AppointmentStep.objects.create(
            appointment=_candidate_appointment(w),
            to_status="proposed",
            decided_on=date(2026, 11, 2),
            by=w.alpha.officer,
        ),
        JOINT,
    ),
    Case(InterestDeclaration, "an interest declared on the trust's board", lambda w: _interest(w, w.member), JOINT),
    # --- performance ---------------------------------------------------------------------------------------------
    Case(Kpi, "a KPI of the trust", lambda w: w.kpi, JOINT),
    Case(Target, "a target of the trust's KPI", lambda w: TargetFactory(kpi=w.kpi), JOINT),
    Case(
        Benchmark,
        "a benchmark of the trust's KPI",
        lambda w: Benchmark.objects.create(
            kpi=w.kpi, kind=Benchmark.Kind.ENGLAND, year="2024-25", value=Decimal("22.6"), source="DfE"
        ),
        JOINT,
    ),
    # A council's statistical neighbours are per-council: its users and the trusts it owns see them.
    Case(
        StatisticalNeighbourList,
        "Alpha's statistical neighbours",
        lambda w: _neighbour_list(w.alpha.council),
        ALPHA_ALONE | {JOINT_TRUST},
    ),
    Case(
        StatisticalNeighbourList,
        "Beta's statistical neighbours",
        lambda w: _neighbour_list(w.beta.council),
        BETA_ALONE | {JOINT_TRUST, BETA_TRUST},
    ),
    Case(
        Benchmark,
        "a statistical neighbours median of the trust's KPI, with a suppressed figure",
        lambda w: Benchmark.objects.create(
            kpi=w.kpi,
            kind=Benchmark.Kind.STATISTICAL_NEIGHBOURS,
            year="2023-24",
            value=Decimal("20"),
            figures_used=1,
            figures_excluded=1,
            figures=[{"la_code": "330", "name": "A", "value": "20"}, {"la_code": "331", "name": "B", "value": "c"}],
            neighbour_list=_neighbour_list(w.alpha.council),
            source="Illustrative",
        ),
        JOINT,
    ),
    Case(MonthlyReturn, "a submitted return of the trust", lambda w: w.monthly_return, JOINT),
    # A draft is the trust's own: councils and scrutiny see a return once it is submitted.
    Case(
        MonthlyReturn,
        "a draft return",
        lambda w: MonthlyReturn.objects.create(
            delivery_body=w.trust, period=date(2026, 10, 1), due_date=date(2026, 11, 14)
        ),
        frozenset({JOINT_TRUST}),
    ),
    Case(ReturnVersion, "a submitted version of the return", lambda w: w.version, JOINT),
    Case(
        ReturnVersion,
        "a correction not yet submitted",
        lambda w: ReturnVersion.objects.create(
            monthly_return=w.monthly_return, number=2, created_by=w.alpha.trust_exec
        ),
        frozenset({JOINT_TRUST}),
    ),
    Case(
        ReturnValue,
        "a figure of the submitted version",
        lambda w: ReturnValue.objects.create(version=w.version, kpi=w.kpi, value=Decimal("21.5")),
        JOINT,
    ),
    # Query threads are between the councils and the trust: scrutiny never reads them.
    Case(ReturnQuery, "a query on the return", _query, OWNERS_OFFICERS | {JOINT_TRUST}),
    Case(
        QueryMessage,
        "a reply in a query thread",
        lambda w: QueryMessage.objects.create(
            query=_query(w), author=w.alpha.trust_exec, text="Two large sibling groups"
        ),
        OWNERS_OFFICERS | {JOINT_TRUST},
    ),
    Case(
        ImprovementPriority,
        "a priority of the trust's improvement plan",
        lambda w: ImprovementPriority.objects.create(delivery_body=w.trust, number=1, title="Stable workforce"),
        JOINT,
    ),
    Case(
        ImprovementAction,
        "an action of the improvement plan",
        lambda w: ImprovementAction.objects.create(
            priority=ImprovementPriority.objects.create(delivery_body=w.trust, number=2, title="Early help"),
            title="Recruit team managers",
            owner="Trust Chief Executive",
            due_date=date(2027, 3, 31),
        ),
        JOINT,
    ),
    Case(
        OfstedEvent,
        "an Ofsted visit to the trust",
        lambda w: OfstedEvent.objects.create(delivery_body=w.trust, date=date(2026, 6, 10), kind="monitoring_visit"),
        JOINT,
    ),
    Case(
        TrajectoryMilestone,
        "a milestone of the trust's trajectory",
        lambda w: TrajectoryMilestone.objects.create(
            delivery_body=w.trust, judgement="good", by_date=date(2028, 3, 31)
        ),
        JOINT,
    ),
    Case(
        KpiDefinition,
        "a revised definition of the trust's KPI",
        lambda w: KpiDefinition.objects.create(kpi=w.kpi, effective_from=date(2026, 4, 1), definition="Revised"),
        JOINT,
    ),
    Case(
        KpiBaseline,
        "a recalculated SPC baseline of the trust's KPI",
        lambda w: KpiBaseline.objects.create(
            kpi=w.kpi, effective_from=date(2025, 4, 1), reason="new_contract", note="New contract"
        ),
        JOINT,
    ),
    # --- meetings ------------------------------------------------------------------------------------------------
    Case(Meeting, "the joint committee", lambda w: w.committee, JOINT),
    # A meeting Alpha holds with the trust, not marked joint, is Alpha's (per-council) and the trust's.
    Case(
        Meeting,
        "Alpha's own meeting with the trust",
        lambda w: MeetingFactory(council=w.alpha.council, delivery_body=w.trust, title="Alpha Cabinet"),
        ALPHA_ALONE | {JOINT_TRUST},
    ),
    Case(AgendaItem, "a public item of the joint committee", lambda w: w.item, JOINT),
    # Exempt items: only users allowed exempt material (the officers); the API never carries them.
    Case(
        AgendaItem,
        "an exempt item",
        lambda w: AgendaItem.objects.create(meeting=w.committee, order=2, title="Staffing", **EXEMPT),
        OWNERS_OFFICERS,
        api_seen_by=NOBODY,
    ),
    Case(Document, "a published paper", lambda w: paper(w.item, "Performance report"), JOINT),
    # A draft paper: those who manage papers (the officers); everyone else once it is published.
    Case(Document, "a draft paper", lambda w: paper(w.item, "Draft briefing", published=False), OWNERS_OFFICERS),
    Case(
        Document,
        "an exempt paper",
        lambda w: paper(w.item, "Exempt appendix", exempt_category="3"),
        OWNERS_OFFICERS,
        api_seen_by=NOBODY,
    ),
    Case(
        Attendance,
        "an attendance at the joint committee",
        lambda w: Attendance.objects.create(meeting=w.committee, name="Joan Joint"),
        JOINT,
    ),
    Case(
        Declaration,
        "a declaration at the joint committee",
        lambda w: Declaration.objects.create(
            meeting=w.committee, person_name="Joan Joint", text="Governor of a school"
        ),
        JOINT,
    ),
    Case(Minutes, "approved minutes of the joint committee", lambda w: _minutes(w, approved=True), JOINT),
    # Draft minutes are for officers; everyone else reads approved minutes only.
    Case(Minutes, "draft minutes", lambda w: _minutes(w, approved=False), OWNERS_OFFICERS),
    Case(
        Resolution,
        "a resolution of the joint committee",
        lambda w: Resolution.objects.create(meeting=w.committee, agenda_item=w.item, number=1, text="Noted"),
        JOINT,
    ),
    # The forward plan is each council's own (per-council): Alpha's entry on the trust is Alpha's and the trust's
    # (the plan is public in any case, ADR 0604).
    Case(
        ForwardPlanEntry,
        "Alpha's forward plan entry on the trust",
        lambda w: ForwardPlanEntry.objects.create(
            council=w.alpha.council,
            delivery_body=w.trust,
            title="Annual review of the contract",
            decision_maker="cabinet",
            planned_on=date(2027, 4, 1),
            notice_published_on=date(2027, 2, 1),
        ),
        ALPHA_ALONE | {JOINT_TRUST},
    ),
    Case(Action, "an action of the joint committee", _action, JOINT),
    Case(
        ActionUpdate,
        "an update on the action",
        lambda w: ActionUpdate.objects.create(
            action=_action(w), author=w.alpha.trust_exec, text="Report drafted", status=Action.Status.IN_PROGRESS
        ),
        JOINT,
    ),
    # --- reports -------------------------------------------------------------------------------------------------
    # Drafts are one council's working papers (per-council): only that council's officers, whichever trust.
    Case(
        ReportDraft,
        "Alpha's draft report on the trust",
        lambda w: ReportDraftFactory(delivery_body=w.trust, council=w.alpha.council, created_by=w.alpha.officer),
        frozenset({ALPHA_OFFICER}),
    ),
    Case(
        ReportDraft,
        "Beta's draft report on the trust",
        lambda w: ReportDraftFactory(delivery_body=w.trust, council=w.beta.council, created_by=w.beta.officer),
        frozenset({BETA_OFFICER}),
    ),
    # Each owner sees its own reports on the trust (per-council): Alpha's published one is Alpha's and the trust's.
    Case(
        GeneratedReport,
        "Alpha's published report on the trust",
        lambda w: _report(w, published=True),
        ALPHA_ALONE | {JOINT_TRUST},
    ),
    # Until an officer publishes it, a document is the council's working paper; the API lists published ones only.
    Case(
        GeneratedReport,
        "Alpha's report not yet published",
        lambda w: _report(w, published=False),
        frozenset({ALPHA_OFFICER}),
        api_seen_by=NOBODY,
    ),
    # --- public ----------------------------------------------------------------------------------------------------
    # A member of the public's email subscription is their personal data: no signed-in user reads it (ADR 0609).
    Case(
        PublicSubscription,
        "a member of the public's email alerts from Alpha",
        lambda w: PublicSubscription.objects.create(council=w.alpha.council, email="resident@example.com"),
        NOBODY,
    ),
]


def _ids(cases):
    return [case.id for case in cases]


# --- coverage ----------------------------------------------------------------------------------------------------


def test_every_scoped_model_has_a_joint_case():
    registered = {m._meta.label for m in registered_models()}
    covered = {case.model._meta.label for case in CASES}
    missing = sorted(registered - covered)
    assert not missing, f"Add a joint-ownership case to CASES for each scoped model: {missing}"
    assert covered == registered, f"Cases for models with no scoping function: {sorted(covered - registered)}"
    assert len(set(_ids(CASES))) == len(CASES), "Two cases share an id"


def test_no_case_lets_the_third_council_see_anything():
    for case in CASES:
        assert case.seen_by <= EVERYONE - GAMMA, case.id
        assert case.api_seen_by is None or case.api_seen_by <= case.seen_by, case.id


# --- visible(Model, user) ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_who_sees_each_record(world, case):
    obj = case.build(world)
    assert type(obj) is case.model
    for name, user in world.users().items():
        seen = visible(case.model, user).filter(pk=obj.pk).exists()
        if name in case.seen_by:
            assert seen, f"The {name} should see {case.record}"
        else:
            assert not seen, f"The {name} must not see {case.record}"


# --- pages and API -----------------------------------------------------------------------------------------------


@cache
def _api_detail_routes() -> dict[type[Model], list[tuple[str, type]]]:
    """Every ``/api/v1/<name>/<id>/`` route, by the model its viewset serves."""
    routes: dict[type[Model], dict[str, type]] = {}

    def walk(patterns, namespaces):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, [*namespaces, pattern.namespace] if pattern.namespace else namespaces)
            elif isinstance(pattern, URLPattern) and namespaces == ["api"] and (pattern.name or "").endswith("-detail"):
                viewset = pattern.callback.cls
                model = getattr(viewset, "model", None) or viewset.serializer_class.Meta.model
                routes.setdefault(model, {})[f"api:{pattern.name}"] = viewset

    walk(get_resolver().url_patterns, [])
    return {model: sorted(by_name.items()) for model, by_name in routes.items()}


def _api_urls(obj) -> list[str]:
    urls = []
    for name, viewset in _api_detail_routes().get(type(obj), []):
        kwarg = viewset.lookup_url_kwarg or viewset.lookup_field
        urls.append(reverse(name, kwargs={kwarg: getattr(obj, viewset.lookup_field)}))
    return urls


# The web pages that show one record (a 404 for anyone the record's scoping function does not show it to).
WEB_DETAIL: dict[type[Model], Callable[[Model], str]] = {
    Council: lambda o: reverse("organisations:council-detail", kwargs={"slug": o.slug}),
    DeliveryBody: lambda o: reverse("organisations:delivery-body-detail", kwargs={"slug": o.slug}),
    Contract: lambda o: reverse("contracts:contract-detail", kwargs={"pk": o.pk}),
    ReservedMatterRequest: lambda o: reverse("contracts:request-detail", kwargs={"pk": o.pk}),
    Body: lambda o: reverse("boards:body-detail", kwargs={"pk": o.pk}),
    Person: lambda o: reverse("boards:person-detail", kwargs={"pk": o.pk}),
    Appointment: lambda o: reverse("boards:appointment-detail", kwargs={"pk": o.pk}),
    Kpi: lambda o: reverse("performance:kpi-detail", kwargs={"pk": o.pk}),
    MonthlyReturn: lambda o: reverse("performance:return-detail", kwargs={"pk": o.pk}),
    Meeting: lambda o: reverse("meetings:meeting-detail", kwargs={"pk": o.pk}),
    Action: lambda o: reverse("meetings:action-detail", kwargs={"pk": o.pk}),
    Document: lambda o: reverse("meetings:document-download", kwargs={"pk": o.pk}),
    ReportDraft: lambda o: reverse("reports:draft-detail", kwargs={"pk": o.pk}),
    GeneratedReport: lambda o: reverse("reports:generated-detail", kwargs={"pk": o.pk}),
}


def _web_urls(obj) -> list[str]:
    urls = [WEB_DETAIL[type(obj)](obj)] if type(obj) in WEB_DETAIL else []
    if hasattr(type(obj), "history"):
        urls.append(reverse("history", args=[obj._meta.app_label, obj._meta.model_name, obj.pk]))
    return urls


def test_the_api_detail_routes_are_found_and_serve_scoped_models():
    routes = _api_detail_routes()
    assert {Contract, Kpi, MonthlyReturn, Meeting, Body, Person, ReservedMatterRequest, DeliveryBody} <= set(routes)
    assert set(routes) <= set(registered_models()), "An API detail endpoint serves a model with no scoping function"


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_each_officer_gets_the_records_pages_or_a_404(client, world, case):
    obj = case.build(world)
    users = world.users()
    api_seen_by = case.seen_by if case.api_seen_by is None else case.api_seen_by
    checked = 0
    for name in OFFICERS:
        client.force_login(users[name])
        for url in _web_urls(obj):
            expected = 200 if name in case.seen_by else 404
            assert client.get(url).status_code == expected, f"{name}: {url}"
            checked += 1
        api = client_with(token_for(users[name]))
        for url in _api_urls(obj):
            expected = 200 if name in api_seen_by else 404
            assert api.get(url).status_code == expected, f"{name}: {url}"
            checked += 1
    # Every scoped model has at least its history page: a case that checked nothing would be a gap, not a pass.
    assert checked, f"{case.model._meta.label} has no page, API endpoint or history of its own"
