"""Demo meetings: a year's cycle for each council, and Bradford's scrutiny committee of July 2022.

Bradford's meeting comes from the published minutes in shared/seeds (001): the item on
establishing the Children's Trust, its four resolutions and its action.
"""

from datetime import date, datetime, time, timedelta
from io import BytesIO

from django.core.files.base import ContentFile
from django.utils import timezone

from boards.models import Appointment, Person
from contracts.models import Contract, ReservedMatterRequest, Variation
from trustgov.accounts.models import User
from trustgov.accounts.recipients import council_officers, dcs_for, dfe_users, trust_executives
from trustgov.core.dates import add_months
from trustgov.core.demo import upsert
from trustgov.core.reminders import Due, deliver
from trustgov.organisations.demo import demo_councils
from trustgov.organisations.models import Council, DeliveryBody

from . import services
from .extract import paper_text
from .models import (
    Action,
    AgendaItem,
    Attendance,
    BodyKind,
    Declaration,
    Document,
    ForwardPlanEntry,
    Meeting,
    Minutes,
    Resolution,
)

BRADFORD_ITEM_REPORT = (
    "The report of the Director of Finance & IT (Document \u201cC\u201d) attaches as an appendix a report that was "
    "considered by the June Executive on 7 June 2022 (which contains a Not for Publication appendix). The progress "
    "on establishing the Children's Trust is comprehensive and the report outlines key issues and progress to date."
)
BRADFORD_MINUTES = (
    "The report of the Director of Finance and IT (Document \u201cC\u201d) was submitted to the Committee to provide "
    "Members with details of the progress made towards establishing the Children's Trust and outlined the key "
    "issues and progress to date. The report had previously been submitted to the Executive Committee in June "
    "2022.\n\nMembers asked about the transfer of staff, the Trust's budget and accountability, VAT, the scope of "
    "services (SEND not transferred), the MoU and the interim agreement for 1 August, and asked that external "
    "personnel attend future scrutiny meetings. Members were disappointed that no representatives from PWC were "
    "present."
)
BRADFORD_RESOLUTIONS = [
    "Members of the Committee were disappointed in relation to the representatives of PWC not in attendance at the "
    "meeting.",
    "This Committee requests that a further progress report be presented to the Committee in September 2022.",
    "That the Contract between the Council and Children's Trust be presented to this Committee, prior to it being "
    "finalised.",
    "The Committee requests that the most appropriate representatives from Bradford Council and PWC attend the "
    "meeting in September 2022, along with the Children's Services Commissioner and Associate Commissioner.",
]


def seed() -> None:
    today = timezone.localdate()
    start = add_months(today.replace(day=1), 1)
    # The cycle comes from each council's contract (seeded before meetings); a council whose
    # contract is not recorded yet has no cycle until it is.
    for council in demo_councils():
        contract = Contract.objects.filter(council=council).order_by("start_date").first()
        if contract is not None:
            services.cycle_generate(contract=contract, start=start, today=today)
    _seed_bradford()
    _seed_sandwell()
    _seed_joint_committee(start)
    _seed_forward_plan()
    _workflow_notifications()


def _seed_joint_committee(start: date) -> None:
    """The jointly owned trust's joint committee: both owning councils' users see it. Its first meeting is the
    second Wednesday of the month after seeding; a rerun later keeps the meeting it made."""
    body = DeliveryBody.objects.filter(slug="northamptonshire-trust").first()
    if body is None:
        return
    title = "Northamptonshire Children's Trust Joint Committee"
    if Meeting.objects.filter(delivery_body=body, title=title).exists():
        return
    day = start + timedelta(days=(2 - start.weekday()) % 7 + 7)
    Meeting.objects.create(
        council=body.council,
        delivery_body=body,
        is_joint=True,
        body_kind=BodyKind.OTHER,
        title=title,
        date=day,
        start_time=time(10, 0),
        place="One Angel Square, Northampton",
    )


def _seed_bradford() -> None:
    council = Council.objects.filter(slug="bradford").first()
    if council is None:
        return
    body = DeliveryBody.objects.filter(council=council).order_by("slug").first()
    committee = "Corporate Overview and Scrutiny Committee"
    september = upsert(
        Meeting,
        {"council": council, "body_kind": BodyKind.SCRUTINY_COMMITTEE, "date": date(2022, 9, 8)},
        {
            "delivery_body": body,
            "title": f"{committee} – September 2022",
            "start_time": time(17, 30),
            "place": "Committee Room 1, City Hall, Bradford",
            "status": Meeting.Status.HELD,
            "papers_published_on": date(2022, 8, 30),
        },
    )
    july = upsert(
        Meeting,
        {"council": council, "body_kind": BodyKind.SCRUTINY_COMMITTEE, "date": date(2022, 7, 14)},
        {
            "delivery_body": body,
            "title": f"{committee} – July 2022",
            "start_time": time(17, 30),
            "place": "Committee Room 1, City Hall, Bradford",
            "status": Meeting.Status.HELD,
            "papers_published_on": date(2022, 7, 5),
        },
    )
    item = upsert(
        AgendaItem,
        {"meeting": july, "title": "Establishing the Children's Trust"},
        {
            "order": 1,
            "report_author": "Director of Finance & IT",
            "report": BRADFORD_ITEM_REPORT,
        },
    )
    upsert(
        AgendaItem,
        {"meeting": july, "title": "Establishing the Children's Trust: appendix to the June Executive report"},
        {"order": 2, "report_author": "Director of Finance & IT", "is_exempt": True, "exempt_category": "3"},
    )
    for name, capacity in [
        ("Director of Finance and IT", "Presenting officer"),
        ("Chris Chapman", "Report contact"),
    ]:
        upsert(Attendance, {"meeting": july, "name": name}, {"capacity": capacity, "status": "in_attendance"})
    minutes = Minutes.objects.filter(meeting=july).first()
    if minutes is None:
        upsert(
            Minutes,
            {"meeting": july},
            {
                "text": BRADFORD_MINUTES,
                "status": Minutes.Status.APPROVED,
                "approved_at": september,
                "approved_on": september.date,
            },
        )
    for number, text in enumerate(BRADFORD_RESOLUTIONS, start=1):
        resolution = upsert(
            Resolution,
            {"agenda_item": item, "number": number},
            {"meeting": july, "text": text, "future_report_month": services.future_report_month(text)},
        )
        if resolution.future_report_month and not resolution.requested_items.exists():
            services._add_requested_item(resolution, september)
    upsert(
        Action,
        {"meeting": july, "owner": "Strategic Director, Corporate Resources"},
        {
            "description": "Bring back the responses on other authorities' trusts (where, whether the aims were "
            "achieved, how long it took, sustainability) and arrange for PWC to attend the September 2022 meeting.",
            "due_date": september.date,
            "resolution": Resolution.objects.get(agenda_item=item, number=4),
            "status": Action.Status.DONE,
            "completed_on": september.date,
        },
    )


def demo_pdf(title: str) -> bytes:
    """A tiny valid one-page PDF naming the paper."""
    text = title.replace("(", "").replace(")", "")
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer << /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def _document(
    item: AgendaItem, title: str, filename: str, *, exempt_category: str = "", published: bool = True
) -> Document:
    """A paper; ``published`` ones were published with the meeting's papers (that day, 09:00)."""
    existing = Document.objects.filter(agenda_item=item, title=title).first()
    if existing is not None:
        if not existing.file.storage.exists(existing.file.name):  # a fresh media directory
            existing.file.storage.save(existing.file.name, ContentFile(demo_pdf(title)))
        return existing
    content = demo_pdf(title)
    document = Document(
        agenda_item=item,
        title=title,
        file_type=Document.FileType.PDF,
        size=len(content),
        is_exempt=bool(exempt_category),
        exempt_category=exempt_category,
        text=paper_text(BytesIO(content), Document.FileType.PDF),
    )
    meeting = item.meeting
    if published and meeting.papers_published_on:
        moment = timezone.make_aware(datetime.combine(meeting.papers_published_on, time(9, 0)))
        document.publication = Document.Publication.PUBLISHED
        document.approved_at = document.published_at = moment
    document.file.save(filename, ContentFile(content), save=False)
    document.full_clean()
    document.save()
    return document


def _seed_sandwell() -> None:
    """A held Strategic Partnership Board with papers (one exempt), draft minutes, a resolution and actions; it
    approves the minutes of the Board before it (July's)."""
    council = Council.objects.filter(slug="sandwell").first()
    if council is None:
        return
    body = DeliveryBody.objects.filter(council=council).order_by("slug").first()
    meeting = upsert(
        Meeting,
        {"council": council, "body_kind": BodyKind.STRATEGIC_PARTNERSHIP_BOARD, "date": date(2026, 10, 21)},
        {
            "delivery_body": body,
            "title": "Strategic Partnership Board – October 2026",
            "start_time": time(14, 0),
            "place": "Council House, Oldbury",
            "status": Meeting.Status.HELD,
            "papers_published_on": date(2026, 10, 12),
            "quorum": 3,
        },
    )
    for name, capacity, status in [
        ("Lead Member for Children's Services", "Chair", "present"),
        ("Council Chief Executive", "Member", "present"),
        ("Director of Children's Services", "Member", "present"),
        ("Trust Chair", "Member", "present"),
        ("Trust Chief Executive", "Member", "apologies"),
    ]:
        upsert(Attendance, {"meeting": meeting, "name": name}, {"capacity": capacity, "status": status})
    upsert(AgendaItem, {"meeting": meeting, "title": "Apologies and declarations of interest"}, {"order": 1})
    report = upsert(
        AgendaItem,
        {"meeting": meeting, "title": "Quarterly performance and finance report"},
        {
            "order": 2,
            "minute_number": "14",
            "report_author": "Director of Children's Services",
            "report": "Performance against the contract KPIs for July to September 2026 and the forecast outturn.",
        },
    )
    exempt = upsert(
        AgendaItem,
        {"meeting": meeting, "title": "Contract sum negotiation 2027/28"},
        {"order": 3, "report_author": "Director of Finance", "is_exempt": True, "exempt_category": "3"},
    )
    _document(report, "Quarterly performance report", "sandwell-spb-performance-report.pdf")
    _document(report, "Appendix B: forecast outturn by service", "sandwell-spb-appendix-b.pdf", exempt_category="3")
    _document(exempt, "Contract sum proposal 2027/28", "sandwell-spb-contract-sum.pdf", exempt_category="3")
    # Added after the meeting and not yet approved: the officer sees it as a draft, nobody else sees it.
    _document(report, "Placement sufficiency briefing (draft)", "sandwell-spb-placements-draft.pdf", published=False)
    # The Trust Chair's entry in the boards register (seeded by boards.demo), when it is there.
    chair = _register_person(council, "Jacqui Smith")
    declaration = Declaration.objects.filter(meeting=meeting).first() or Declaration.objects.create(
        meeting=meeting,
        agenda_item=report,
        person_name="Trust Chair",
        text="Non-executive director of a provider of residential placements used by the Trust.",
    )
    if chair is not None and declaration.person_id is None:
        declaration.person = chair
        declaration.save(update_fields=["person"])
    if not Minutes.objects.filter(meeting=meeting).exists():
        Minutes.objects.create(
            meeting=meeting,
            text="The Board received the quarterly performance and finance report. Members noted the improvement "
            "in assessment timeliness and asked for a deep dive on placement sufficiency.",
        )
    resolution = upsert(
        Resolution,
        {"agenda_item": report, "number": 1},
        {"meeting": meeting, "text": "That the quarterly performance and finance report be noted."},
    )
    _july_board_approved_in_october(council, body, meeting)
    trust_exec = User.objects.filter(username="sandwell-trust-exec").first()
    upsert(
        Action,
        {"meeting": meeting, "owner": "Trust Chief Executive"},
        {
            "description": "Bring a deep dive on placement sufficiency to the next Board.",
            "owner_user": trust_exec,
            "due_date": date(2027, 1, 15),
            "resolution": resolution,
        },
    )
    upsert(
        Action,
        {"meeting": meeting, "owner": "Director of Children's Services"},
        {"description": "Circulate the revised KPI definitions to Board members.", "due_date": date(2026, 11, 13)},
    )


# The Board before October's (a demo meeting, as October's is: the seed papers record no decision of a meeting
# whose minutes and their approval they also record, so none is taken from them). The Board meets quarterly; its
# minutes are approved as a correct record at the October Board, so its resolution is on the public register.
SANDWELL_JULY_BOARD = date(2026, 7, 15)


def _july_board_approved_in_october(council, body, october: Meeting) -> None:
    """July's Board: its quarterly report noted, its minutes approved at the October Board through the service an
    officer uses (the history says who and why). No clock is read: both meetings are held, by the demo's data."""
    officer = User.objects.filter(username="sandwell-officer").first()
    if officer is None:
        return
    july = upsert(
        Meeting,
        {"council": council, "body_kind": BodyKind.STRATEGIC_PARTNERSHIP_BOARD, "date": SANDWELL_JULY_BOARD},
        {
            "delivery_body": body,
            "title": "Strategic Partnership Board – July 2026",
            "start_time": time(14, 0),
            "place": "Council House, Oldbury",
            "status": Meeting.Status.HELD,
            "papers_published_on": date(2026, 7, 6),
        },
    )
    report = upsert(
        AgendaItem,
        {"meeting": july, "title": "Quarterly performance and finance report"},
        {
            "order": 1,
            "minute_number": "7",
            "report_author": "Director of Children's Services",
            "report": "Performance against the contract KPIs for April to June 2026 and the forecast outturn.",
        },
    )
    upsert(
        Resolution,
        {"agenda_item": report, "number": 1},
        {"meeting": july, "text": "That the quarterly performance and finance report be noted."},
    )
    minutes = Minutes.objects.filter(meeting=july).first() or Minutes.objects.create(
        meeting=july, text="The Board received the quarterly performance and finance report and noted it."
    )
    if minutes.status != Minutes.Status.APPROVED:
        minutes._history_user = officer
        minutes._change_reason = "Approved as a correct record at the Board of 21 October 2026"
        services.minutes_approve(minutes=minutes, approving_meeting=october, user=officer)


# Demo entries, marked as such: the decision on the contract's next annual review (1 April 2027 in the contract),
# in public and, for its commercial terms, in private. No real decision is described.
SANDWELL_FORWARD_PLAN = [
    ("Annual review of the Sandwell Children's Trust service contract (demo entry)", False, ""),
    ("Annual review of the service contract: commercial terms (demo entry)", True, "3"),
]


def _seed_forward_plan() -> None:
    council = Council.objects.filter(slug="sandwell").first()
    if council is None:
        return
    body = DeliveryBody.objects.filter(council=council).order_by("slug").first()
    for title, private, paragraph in SANDWELL_FORWARD_PLAN:
        upsert(
            ForwardPlanEntry,
            {"council": council, "title": title},
            {
                "delivery_body": body,
                "decision_maker": "cabinet",
                "planned_on": date(2027, 4, 1),
                "notice_published_on": date(2027, 2, 1),
                "is_key_decision": True,
                "route": ForwardPlanEntry.Route.STANDARD,
                "is_private": private,
                "exempt_category": paragraph,
            },
        )


def _register_person(council, name: str):
    return Person.objects.filter(council=council, name=name).first()


# --- A notification of each workflow kind, for the people the workflow tells ----------------------------------


def _workflow_notifications() -> None:
    """In-app notifications of the demo's reserved matters, variations and appointments, as the services send them.

    Each is keyed on its record and step and dated by the step (never today), so a rerun, on any day, adds
    nothing; nobody is emailed by seeding.
    """
    sandwell = Council.objects.filter(slug="sandwell").first()
    trust = DeliveryBody.objects.filter(slug="sandwell-trust").first()
    if sandwell is None or trust is None:
        return
    officers, dcs, dfe = council_officers(sandwell.pk), dcs_for(sandwell.pk), dfe_users()
    executives = trust_executives(trust.pk)
    events = []  # (kind, record key and step, the step's date, title, url, recipients)
    requests = {r.title: r for r in ReservedMatterRequest.objects.filter(delivery_body=trust)}
    if raised := requests.get("Appoint a non-executive director with finance experience"):
        events.append(
            (
                "reserved_matter_submitted",
                f"contracts.reservedmatterrequest:{raised.pk}:raised",
                raised.raised_on,
                f"{trust.name} asks the council to decide '{raised.title}' by {raised.decision_due:%-d %B %Y}",
                raised.get_absolute_url(),
                officers + dcs,
            )
        )
    if waiting := requests.get("Reappoint the Trust Chair for a further term"):
        events.append(
            (
                "reserved_matter_awaiting_dfe",
                f"contracts.reservedmatterrequest:{waiting.pk}:awaiting_dfe",
                waiting.council_decided_on,
                f"{sandwell} approved the reserved matter '{waiting.title}' ({trust.name}): it needs the DfE's consent",
                waiting.get_absolute_url(),
                dfe,
            )
        )
    if decided := requests.get("Annual business plan 2019/20"):
        events.append(
            (
                "reserved_matter_decided",
                f"contracts.reservedmatterrequest:{decided.pk}:{decided.status}",
                decided.council_decided_on,
                f"The council approved the reserved matter '{decided.title}' ({trust.name})",
                decided.get_absolute_url(),
                executives,
            )
        )
    variations = {v.title: v for v in Variation.objects.filter(contract__delivery_body=trust)}
    if major := variations.get("Transfer the edge-of-care service to the Trust"):
        events.append(
            (
                "variation_awaiting_dfe",
                f"contracts.variation:{major.pk}:proposed",
                major.proposed_on,
                f"{sandwell}: the major variation '{major.title}' to {major.contract} needs the DfE's consent",
                f"{major.contract.get_absolute_url()}#variations",
                dfe,
            )
        )
    if minor := variations.get("Update the named contract managers (Schedule 1)"):
        events.append(
            (
                "variation_decided",
                f"contracts.variation:{minor.pk}:{minor.status}",
                minor.effective_on,
                f"The variation '{minor.title}' to {minor.contract} takes effect on {minor.effective_on:%-d %B %Y}",
                f"{minor.contract.get_absolute_url()}#variations",
                executives,
            )
        )
    for appointment in Appointment.objects.filter(body__council=sandwell).select_related("body", "seat", "person"):
        what = f"{appointment.person} to '{appointment.seat.title}' on {appointment.body}"
        proposed = appointment.steps.filter(to_status=Appointment.Status.PROPOSED).first()
        if appointment.status == Appointment.Status.PROPOSED and proposed:
            events.append(
                (
                    "appointment_awaiting_council",
                    f"boards.appointment:{appointment.pk}:proposed",
                    proposed.decided_on,
                    f"{appointment.person} is proposed for '{appointment.seat.title}' on {appointment.body}: "
                    "the council's approval is needed",
                    appointment.get_absolute_url(),
                    [u for u in officers if u != appointment.proposed_by],
                )
            )
        approved = appointment.steps.filter(to_status=Appointment.Status.COUNCIL_APPROVED).first()
        if appointment.status == Appointment.Status.COUNCIL_APPROVED and approved and appointment.needs_dfe_approval:
            events.append(
                (
                    "appointment_awaiting_dfe",
                    f"boards.appointment:{appointment.pk}:council_approved",
                    approved.decided_on,
                    f"{sandwell} approved the appointment of {what}: the DfE's approval is needed",
                    appointment.get_absolute_url(),
                    dfe,
                )
            )
            events.append(
                (
                    "appointment_decided",
                    f"boards.appointment:{appointment.pk}:council_approved",
                    approved.decided_on,
                    f"The council approved the appointment of {what}: the DfE's approval is next",
                    appointment.get_absolute_url(),
                    executives + [appointment.proposed_by],
                )
            )
    for kind, key, day, title, url, recipients in events:
        due = Due(kind, key, day, title, url)
        for person in {u.pk: u for u in recipients if u.is_active}.values():
            deliver(due, person, email=False)
