"""A council with everything its public pages must show, and everything they must never show, planted.

Every planted word that must never reach the public is in ``NEVER``; ``build`` returns the records so a test can
name them. Dates are fixed and the tests freeze the clock at ``TODAY``, so nothing depends on the day they run.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from contracts.models import ReservedMatter
from meetings.models import AgendaItem, BodyKind, ForwardPlanEntry, Meeting, Minutes, Resolution
from performance.models import Kpi, ReturnValue, ReturnVersion, Target
from tests.contracts.factories import RequestFactory, ReservedMatterFactory
from tests.factories import CouncilFactory, DeliveryBodyFactory, make_user
from tests.meetings.factories import MeetingFactory, paper
from tests.reports.factories import make_board, make_return
from trustgov.accounts.roles import Role

TODAY = datetime(2027, 1, 15, 10, 0, tzinfo=ZoneInfo("Europe/London"))
REPORTED = date(2026, 11, 1)  # the latest month the council accepted
PROVISIONAL_MONTH = date(2026, 12, 1)  # submitted, not accepted

# Words and figures that must never reach the public.
NEVER = {
    "exempt item": "ZZEXEMPTTITLE",
    "exempt item's report": "ZZEXEMPTREPORT",
    "paper on the exempt item": "ZZEXEMPTITEMPAPER",
    "exempt paper": "ZZEXEMPTPAPER",
    "draft paper": "ZZDRAFTPAPER",
    "draft minutes": "ZZDRAFTMINUTES",
    "meeting with no agenda out": "ZZUNPUBLISHEDMEETING",
    "cancelled meeting": "ZZCANCELLEDMEETING",
    "another council's meeting": "ZZOTHERCOUNCILMEETING",
    "provisional figure": "987.65",
    "provisional resubmission": "876.54",
    "another council's trust": "ZZOTHERTRUST",
    "exempt item decided at a held meeting": "ZZEXEMPTDECIDEDITEM",
    "resolution on an exempt item": "ZZEXEMPTRESOLUTION",
    "resolution under draft minutes": "ZZDRAFTRESOLUTION",
    "exempt reserved-matter request": "ZZEXEMPTREQUEST",
    "exempt reserved-matter decision reference": "ZZEXEMPTREQUESTREF",
    "undecided reserved-matter request": "ZZUNDECIDEDREQUEST",
    "another council's reserved-matter decision": "ZZOTHERCOUNCILREQUEST",
    "another council's forward plan": "ZZOTHERCOUNCILPLAN",
}
PUBLIC = {
    "meeting": "Strategic Partnership Board – January 2027",
    "held meeting": "Strategic Partnership Board – December 2026",
    "item": "Children's social care performance",
    "paper": "Quarterly performance report",
    "minutes": "The board noted the quarterly performance report.",
    "board member": "Jane Publicchair",
    "decided item": "Placement sufficiency strategy",
    "resolution": "The board endorsed the placement sufficiency strategy.",
    "reserved-matter decision": "Approve the annual business plan 2027-28",
    "forward plan entry": "Annual review of the service contract",
    "private forward plan entry": "Commercial terms of the contract review",
}


@dataclass
class Planted:
    council: object
    trust: object
    other_council: object
    meeting: Meeting
    held: Meeting
    public_paper: object
    hidden_papers: list
    unpublished_meeting: Meeting
    other_meeting: Meeting
    officer: object
    exempt_request: object = None
    private_entry: object = None


def build() -> Planted:
    council = CouncilFactory(slug="opentown", name="Opentown Borough Council")
    trust = DeliveryBodyFactory(slug="opentown-trust", name="Opentown Children's Trust", council=council)
    officer = make_user(Role.COUNCIL_OFFICER, council=council, username="opentown-officer")
    trust_exec = make_user(Role.TRUST_EXECUTIVE, delivery_body=trust, username="opentown-exec")

    held = MeetingFactory(
        delivery_body=trust,
        title=PUBLIC["held meeting"],
        date=date(2026, 12, 9),
        status=Meeting.Status.HELD,
        papers_published_on=date(2026, 12, 1),
    )
    meeting = MeetingFactory(
        delivery_body=trust,
        title=PUBLIC["meeting"],
        date=date(2027, 1, 20),
        status=Meeting.Status.PAPERS_PUBLISHED,
        papers_published_on=date(2027, 1, 12),
    )
    item = AgendaItem.objects.create(meeting=meeting, order=1, title=PUBLIC["item"], report_author="Director")
    secret = AgendaItem.objects.create(
        meeting=meeting,
        order=2,
        title=NEVER["exempt item"],
        report=NEVER["exempt item's report"],
        is_exempt=True,
        exempt_category="1",
    )
    AgendaItem.objects.create(meeting=meeting, order=3, title="Any other business")
    public_paper = paper(item, PUBLIC["paper"])
    hidden = [
        paper(item, NEVER["exempt paper"], exempt_category="2"),
        paper(item, NEVER["draft paper"], published=False),
        paper(secret, NEVER["paper on the exempt item"]),
    ]
    Minutes.objects.create(
        meeting=held,
        text=PUBLIC["minutes"],
        status=Minutes.Status.APPROVED,
        approved_at=meeting,
        approved_on=date(2027, 1, 12),
    )
    Minutes.objects.create(meeting=meeting, text=NEVER["draft minutes"], status=Minutes.Status.DRAFT)
    unpublished = MeetingFactory(delivery_body=trust, title=NEVER["meeting with no agenda out"], date=date(2027, 2, 17))
    MeetingFactory(
        delivery_body=trust,
        title=NEVER["cancelled meeting"],
        date=date(2027, 1, 27),
        status=Meeting.Status.CANCELLED,
        papers_published_on=date(2027, 1, 19),
    )

    other_council = CouncilFactory(slug="elsewhere", name="Elsewhere Council")
    other_trust = DeliveryBodyFactory(
        slug="elsewhere-trust", name=NEVER["another council's trust"], council=other_council
    )
    other_meeting = MeetingFactory(
        delivery_body=other_trust,
        title=NEVER["another council's meeting"],
        body_kind=BodyKind.SCRUTINY_COMMITTEE,
        date=date(2027, 1, 21),
        status=Meeting.Status.PAPERS_PUBLISHED,
        papers_published_on=date(2027, 1, 13),
    )

    make_board(trust, [(PUBLIC["board member"], "chair", "Independent chair")])

    count = Kpi.objects.create(
        delivery_body=trust,
        code="CLA",
        title="Children looked after placed far away",
        definition="A count.",
        unit=Kpi.Unit.COUNT,
        polarity=Kpi.Polarity.LOWER,
        display_order=1,
    )
    share = Kpi.objects.create(
        delivery_body=trust,
        code="RR",
        title="Re-referral rate",
        definition="A percentage.",
        unit=Kpi.Unit.PERCENTAGE,
        polarity=Kpi.Polarity.LOWER,
        display_order=2,
    )
    big = Kpi.objects.create(
        delivery_body=trust,
        code="CIN",
        title="Children in need",
        definition="A count.",
        unit=Kpi.Unit.COUNT,
        polarity=Kpi.Polarity.LOWER,
        display_order=3,
    )
    few = Kpi.objects.create(
        delivery_body=trust,
        code="AS",
        title="Adoptions within a year",
        definition="A percentage of few children.",
        unit=Kpi.Unit.PERCENTAGE,
        polarity=Kpi.Polarity.HIGHER,
        display_order=4,
    )
    for kpi, value in ((count, "10"), (share, "25"), (big, "2000"), (few, "50")):
        Target.objects.create(kpi=kpi, financial_year=2026, value=Decimal(value), amber_tolerance=Decimal("1"))
    accepted = make_return(trust, REPORTED, {count: "3", share: "23.4", big: "1712", few: "37.5"}, user=trust_exec)
    # 3 children of 8: a percentage worked out from a small number.
    ReturnValue.objects.filter(version=accepted.accepted_version, kpi=few).update(numerator=3, denominator=8)
    # The trust resubmits the accepted month after acceptance: the new figure is not accepted.
    resubmitted = ReturnVersion.objects.create(
        monthly_return=accepted, number=2, created_by=trust_exec, submitted_at=timezone.now(), reason="Corrected"
    )
    ReturnValue.objects.create(version=resubmitted, kpi=big, value=Decimal(NEVER["provisional resubmission"]))
    make_return(trust, PROVISIONAL_MONTH, {big: NEVER["provisional figure"]}, user=trust_exec, accepted=False)
    exempt_request, private_entry = _plant_decisions(
        council, trust, held, meeting, item, other_council, other_trust, trust_exec
    )
    return Planted(
        exempt_request=exempt_request,
        private_entry=private_entry,
        council=council,
        trust=trust,
        other_council=other_council,
        meeting=meeting,
        held=held,
        public_paper=public_paper,
        hidden_papers=hidden,
        unpublished_meeting=unpublished,
        other_meeting=other_meeting,
        officer=officer,
    )


def _plant_decisions(council, trust, held, meeting, item, other_council, other_trust, trust_exec):
    """Decisions for the register and the forward plan: public ones, and exempt or undecided ones that never are."""
    decided = AgendaItem.objects.create(meeting=held, order=1, title=PUBLIC["decided item"])
    Resolution.objects.create(meeting=held, agenda_item=decided, number=1, text=PUBLIC["resolution"])
    exempt = AgendaItem.objects.create(
        meeting=held, order=2, title=NEVER["exempt item decided at a held meeting"], is_exempt=True, exempt_category="3"
    )
    Resolution.objects.create(meeting=held, agenda_item=exempt, number=1, text=NEVER["resolution on an exempt item"])
    Resolution.objects.create(meeting=meeting, agenda_item=item, number=1, text=NEVER["resolution under draft minutes"])

    matter = ReservedMatterFactory(delivery_body=trust, title="Annual business plan")
    decision = {
        "council_decision": "approved",
        "council_decided_on": date(2026, 12, 15),
        "council_decided_by": ReservedMatter.DecidedBy.CABINET,
        "status": "approved",
        "raised_by": trust_exec,
    }
    RequestFactory(
        reserved_matter=matter,
        title=PUBLIC["reserved-matter decision"],
        decision_reference="Cabinet minute 7",
        **decision,
    )
    exempt_request = RequestFactory(
        reserved_matter=matter,
        title=NEVER["exempt reserved-matter request"],
        decision_reference=NEVER["exempt reserved-matter decision reference"],
        is_exempt=True,
        exempt_category="3",
        **decision,
    )
    RequestFactory(reserved_matter=matter, title=NEVER["undecided reserved-matter request"], raised_by=trust_exec)
    RequestFactory(
        reserved_matter=ReservedMatterFactory(delivery_body=other_trust),
        title=NEVER["another council's reserved-matter decision"],
        **decision,
    )

    plan = {
        "decision_maker": ReservedMatter.DecidedBy.CABINET,
        "planned_on": date(2027, 4, 1),
        "notice_published_on": date(2027, 1, 4),
    }
    ForwardPlanEntry.objects.create(council=council, delivery_body=trust, title=PUBLIC["forward plan entry"], **plan)
    private_entry = ForwardPlanEntry.objects.create(
        council=council, title=PUBLIC["private forward plan entry"], is_private=True, exempt_category="3", **plan
    )
    ForwardPlanEntry.objects.create(council=other_council, title=NEVER["another council's forward plan"], **plan)
    return exempt_request, private_entry
