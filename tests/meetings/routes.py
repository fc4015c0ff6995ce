from meetings.models import Action, AgendaItem, Document, ForwardPlanEntry, Meeting

from ..matrix import DFE, OFFICER, SCRUTINY, TRUST, Route, everyone_but

OFFICERS_ONLY = everyone_but(**{TRUST: 403, SCRUTINY: 403, DFE: 403})
POST_ONLY = everyone_but(**{OFFICER: 405, TRUST: 405, SCRUTINY: 405, DFE: 405})


def spb() -> dict:
    return {"pk": Meeting.objects.get(council__slug="sandwell", title="Strategic Partnership Board – October 2026").pk}


def upcoming() -> dict:
    meeting = Meeting.objects.filter(council__slug="sandwell", status=Meeting.Status.SCHEDULED).order_by("date").first()
    return {"pk": meeting.pk}


def report_item() -> dict:
    return {"pk": AgendaItem.objects.get(meeting__council__slug="sandwell", minute_number="14").pk}


def public_document() -> dict:
    return {"pk": Document.objects.get(title="Quarterly performance report").pk}


def draft_document() -> dict:
    return {"pk": Document.objects.get(title="Placement sufficiency briefing (draft)").pk}


def trust_action() -> dict:
    return {"pk": Action.objects.get(meeting__council__slug="sandwell", owner="Trust Chief Executive").pk}


def forward_plan_entry() -> dict:
    return {"pk": ForwardPlanEntry.objects.filter(council__slug="sandwell").order_by("pk").first().pk}


ROUTES = [
    Route("meetings:meeting-list", everyone_but(), browser_role=SCRUTINY),
    Route("meetings:meeting-create", OFFICERS_ONLY),
    Route("meetings:cycle-generate", OFFICERS_ONLY),
    Route("meetings:meeting-detail", everyone_but(), kwargs=spb, browser_role=SCRUTINY),
    Route("meetings:meeting-edit", OFFICERS_ONLY, kwargs=upcoming),
    Route("meetings:meeting-status", OFFICERS_ONLY, kwargs=upcoming),
    Route("meetings:item-create", OFFICERS_ONLY, kwargs=spb),
    Route("meetings:attendance-create", OFFICERS_ONLY, kwargs=spb),
    Route("meetings:declaration-create", OFFICERS_ONLY, kwargs=spb),
    Route("meetings:minutes-edit", OFFICERS_ONLY, kwargs=spb),
    Route("meetings:minutes-approve", OFFICERS_ONLY, kwargs=spb),
    Route("meetings:action-create", OFFICERS_ONLY, kwargs=spb),
    Route("meetings:item-edit", OFFICERS_ONLY, kwargs=report_item),
    Route("meetings:document-upload", OFFICERS_ONLY, kwargs=report_item),
    Route("meetings:resolution-create", OFFICERS_ONLY, kwargs=report_item),
    Route("meetings:document-download", everyone_but(), kwargs=public_document, browser_role=None),
    Route("meetings:document-publication", OFFICERS_ONLY, kwargs=draft_document),
    Route("meetings:action-list", everyone_but(), browser_role=TRUST),
    Route("meetings:action-detail", everyone_but(), kwargs=trust_action, browser_role=TRUST),
    Route("meetings:forward-plan", everyone_but(), browser_role=OFFICER),
    Route("meetings:forward-plan-create", OFFICERS_ONLY),
    Route("meetings:forward-plan-edit", OFFICERS_ONLY, kwargs=forward_plan_entry),
    Route("meetings:decision-register", everyone_but(), browser_role=SCRUTINY),
    Route("meetings:feed-list", everyone_but(), browser_role=DFE),
    Route("meetings:feed-revoke", POST_ONLY, kwargs=lambda: {"pk": 1}, browser_role=None),
    Route(
        "meetings:feed",
        everyone_but(**{OFFICER: 404, TRUST: 404, SCRUTINY: 404, DFE: 404}),
        kwargs=lambda: {"token": "not-a-real-token"},
        browser_role=None,
        anon=404,
    ),
    Route("meetings:notification-list", everyone_but(), browser_role=TRUST),
]
