"""Demo reports, each with one generated version:

- Sandwell's Cabinet paper of 19 September 2018 (Trust update, Improvement Plan and the ratification
  of the Trust Board in Appendix 3), as a board ratification paper;
- a quarterly performance report to Sandwell's Strategic Partnership Board for the last complete
  quarter of the demo returns, with its risk register exempt (Schedule 12A, paragraph 3), so the demo
  has a public report and its separate "not for publication" document.

Idempotent: a rerun writes nothing; the PDFs are rendered in-process (no broker needed) only when a
draft has no version yet. The quarterly report's subject names its quarter, so a later quarter adds a
new draft rather than changing the old one.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from trustgov.accounts.models import User
from trustgov.core.dates import add_months, financial_year_label, financial_year_start, month_end
from trustgov.core.demo import upsert
from trustgov.organisations.models import Council, DeliveryBody

from .models import ReportDraft, ReportType
from .services import report_approve, report_generate, report_publish
from .tasks import generate_report

SANDWELL_SUBJECT = "Sandwell Children's Trust Update and Improvement Plan"

SANDWELL_PAPER = {
    "title": "Report to Cabinet",
    "meeting_name": "Cabinet",
    "meeting_date": date(2018, 9, 19),
    "period_start": date(2018, 4, 1),
    "period_end": date(2018, 9, 19),
    "protective_marking": "OFFICIAL",
    "cabinet_member": "Councillor Simon Hackett - Cabinet Member for Children's Services",
    "director": "Executive Director of Children's Services – Lesley Hagger",
    "ambition_contribution": "Vision 2030: caring for vulnerable children and families",
    "key_decision": True,
    "forward_plan_reference": "SMBC14/07/2018",
    "cabinet_member_approval": "Leader Cllr Hackett",
    "director_approval": "Jan Britton, Lesley Hagger",
    "urgency_reason": "Urgency provisions do not apply",
    "exempt_information": "Exemption provisions do not apply",
    "wards_consulted": "This is a boroughwide initiative",
    "scrutiny_consultation": "Scrutiny have not been consulted",
    "contact_officer": "Lesley Hagger, Executive Director of Children's Services, Lesley_hagger@sandwell.gov.uk",
    "recommendations_intro": "That Cabinet:",
    "recommendations": (
        "Note the Children's Improvement Plan, attached in Appendix 1, as submitted to Ofsted.\n"
        "Ratify the appointments to the Sandwell Children's Trust Board as set out in Appendix 3.\n"
        "Note the update information on the early stages of the Sandwell Children's Trust."
    ),
    "purpose": (
        "The purpose of this report is to provide an update on the outcomes of the November Ofsted inspection, to seek "
        "approval of the Improvement Plan submitted to Ofsted and to consider details on the first few months of the "
        "Sandwell Children's Trust, in particular, focussing on establishing contract governance arrangements."
    ),
    "ambition_implications": (
        "Sandwell Children's Trust aims to improve outcomes for vulnerable children and families and improve social care "
        "practice. Therefore, the Trust will support the ambitions around caring for vulnerable children and families and "
        "helping the community feel safer."
    ),
    "background": (
        "Ofsted re-inspected Sandwell's services for children in need of help and protection, children looked after and "
        "care leavers in November 2017 and reported on its findings on 19 January 2018. Ofsted rated the service as "
        "Inadequate.\n\n"
        "In response, the Sandwell Children's Trust, in consultation with the Cabinet Member for Children's Services and "
        "the Chief Executive (in the capacity as Acting Director of Children's Services) have developed and submitted an "
        "Improvement Plan to Ofsted, on behalf of the Council.\n\n"
        "At its meeting of the 28 February 2018, Cabinet gave its approval to the contract between the Council and the "
        "Sandwell Children's Trust in order for the Trust to 'Go Live' on the 1st April 2018."
    ),
    "current_position": (
        "The Trust's Articles of Association require the Trust to obtain Council approval to certain reserved matters "
        "which were listed in the 28 February 2018 Cabinet Report. One of the reserved matters is the appointment of "
        "Board members.\n\n"
        "The Trust Board operated in shadow form in the months before the commencement of the contract before moving to "
        "its current full status in March 2018. A number of appointments to the Board have been made by the Trust in "
        "that period. The current Trust Board membership is listed in Appendix 3.\n\n"
        "Cabinet are asked to approve the appointment of Trust Board members listed in Appendix 3."
    ),
    "consultation": (
        "The Children's Trust and the Council regularly meet via the Strategic Partnership Board to consider performance "
        "and operational matters."
    ),
    "alternative_options": (
        "The report provides an update on the outcome of the Ofsted visit and the Improvement plan. No alternative "
        "options were required."
    ),
    "resources": (
        "The overall contract sum for the provision of the service from the Trust is approximately £58.33m which has "
        "been incorporated in the Executive Director of Children's Services budget for 2018/19.\n\n"
        "In addition to the contract sum the Trust is estimated to receive a further £5.14m from Grants and Partner "
        "Contributions, and DfE funding for irrecoverable VAT estimated at £1.66m in 2018/19."
    ),
    "legal_governance": (
        "In accordance with the Trust's Articles of Association, the Council's approval is required for reserved matters "
        "which includes the appointment of Board members.\n\n"
        "In accordance with the terms of the contract, the Trust will provide the Council with monthly monitoring "
        "information."
    ),
    "equality": "An equality impact assessment is not required for this proposal.",
    "data_protection": "There are no data protection implications arising from the proposals.",
    "risk": "There are no crime or disorder implications arising from the proposals.",
    "sustainability": (
        "Ongoing dialogue between the Trust and the Council will be undertaken to ensure the needs of vulnerable "
        "children and families are met."
    ),
    "health_wellbeing": (
        "The Improvement Plan sets out how the Trust aim to improve the lives of vulnerable children and families in "
        "Sandwell."
    ),
    "property": "There is no direct impact to Council land or property as a result of the proposals.",
    "background_papers": "'Working Together to Safeguard Children' – Department for Education",
    "other_appendices": ("Sandwell Improvement Plan\nOfsted letter following monitoring visit 30/31 May 2018"),
}


QUARTERLY_NARRATIVE = {
    "purpose": (
        "To report the Trust's performance in the quarter against the contract's key performance indicators, "
        "the contract finance and the risk register, and the actions open from earlier meetings."
    ),
    "current_position": (
        "The Trust submitted each monthly return in the quarter and the council reviewed them. Appendix 1 sets out "
        "each indicator's value against its target, with its RAG rating and direction of travel, from the return "
        "version the council accepted.\n\n"
        "Where an indicator is red the Trust reports its recovery actions at the Strategic Partnership Board."
    ),
    "resources": "Contract finance for the year is in Appendix 2.",
    "risk": "The contract risk register is in Appendix 3; it is not for publication.",
}


def last_complete_quarter(today: date) -> tuple[date, date]:
    """The quarter (January–March, April–June …: financial and calendar quarters coincide) before today's."""
    this_quarter = today.replace(day=1, month=(today.month - 1) // 3 * 3 + 1)
    start = add_months(this_quarter, -3)
    last = add_months(start, 2)
    return start, month_end(last.year, last.month)


def generate_now(draft: ReportDraft, officer: User, *, publish: bool = False) -> None:
    """The draft's first version, rendered in-process so the demo has documents to list and download.

    ``publish``: the officer approves and publishes the public document (scrutiny then sees it);
    otherwise it stays a draft only the council's officers see.
    """
    if draft.generated.exists():
        return
    with transaction.atomic():
        reports = report_generate(draft=draft, user=officer, queue=False)
    for report in reports:
        generate_report(report.pk)
    if publish:
        for report in draft.generated.filter(is_exempt=False, status="ready"):
            report_publish(report=report_approve(report=report, user=officer), user=officer)


def seed() -> None:
    council = Council.objects.filter(slug="sandwell").first()
    body = DeliveryBody.objects.filter(slug="sandwell-trust").first()
    officer = User.objects.filter(username="sandwell-officer").first()
    if not (council and body and officer):
        return
    paper = upsert(
        ReportDraft,
        {"council": council, "delivery_body": body, "subject": SANDWELL_SUBJECT},
        {"report_type": ReportType.BOARD_RATIFICATION, "created_by": officer, **SANDWELL_PAPER},
    )
    generate_now(paper, officer, publish=True)  # the Cabinet paper is published; the quarterly report is a draft

    start, end = last_complete_quarter(timezone.localdate())
    quarter = (start.month - 4) % 12 // 3 + 1
    label = f"quarter {quarter} {financial_year_label(financial_year_start(start))}"
    quarterly = upsert(
        ReportDraft,
        {
            "council": council,
            "delivery_body": body,
            "subject": f"Quarterly performance of Sandwell Children's Trust, {label}",
        },
        {
            "report_type": ReportType.SPB_QUARTERLY,
            "created_by": officer,
            "title": "Quarterly performance report to the Strategic Partnership Board",
            "meeting_name": "Strategic Partnership Board",
            "meeting_date": add_months(end.replace(day=1), 1).replace(day=21),
            "period_start": start,
            "period_end": end,
            "protective_marking": "OFFICIAL",
            "director": "Executive Director of Children's Services",
            "contact_officer": "Contract Manager, Children's Services",
            "recommendations_intro": "That the Strategic Partnership Board:",
            "recommendations": "Note the Trust's performance in the quarter.\nAgree the recovery actions for red KPIs.",
            "exempt_appendices": ["risks"],
            "exempt_category": "3",
            "exempt_information": "Appendix 3 is exempt under Schedule 12A, paragraph 3",
            **QUARTERLY_NARRATIVE,
        },
    )
    generate_now(quarterly, officer)
