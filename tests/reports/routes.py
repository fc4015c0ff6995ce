from reports.models import GeneratedReport, ReportDraft

from ..matrix import DFE, OFFICER, SCRUTINY, TRUST, Route, everyone_but

OFFICERS_ONLY = everyone_but(**{TRUST: 403, SCRUTINY: 403, DFE: 403})
POST_ONLY_FOR_OFFICERS = everyone_but(**{OFFICER: 405, TRUST: 403, SCRUTINY: 403, DFE: 403})


def sandwell_draft() -> dict:
    return {"pk": ReportDraft.objects.get(council__slug="sandwell", subject__startswith="Sandwell Children's Trust").pk}


def sandwell_document() -> dict:
    report = GeneratedReport.objects.filter(
        council__slug="sandwell", is_exempt=False, status=GeneratedReport.Status.READY, publication="published"
    ).order_by("version")
    return {"pk": report.first().pk}


def sandwell_meeting() -> dict:
    from meetings.models import Meeting

    return {"pk": Meeting.objects.filter(council__slug="sandwell", items__documents__isnull=False).first().pk}


ROUTES = [
    Route("reports:index", everyone_but(), browser_role=OFFICER),
    Route("reports:draft-create", OFFICERS_ONLY),
    Route("reports:draft-detail", OFFICERS_ONLY, kwargs=sandwell_draft),
    Route("reports:draft-edit", OFFICERS_ONLY, kwargs=sandwell_draft),
    Route("reports:draft-preview", OFFICERS_ONLY, kwargs=sandwell_draft),
    Route("reports:draft-generate", POST_ONLY_FOR_OFFICERS, kwargs=sandwell_draft, browser_role=None),
    Route("reports:generated-detail", everyone_but(), kwargs=sandwell_document, browser_role=SCRUTINY),
    Route("reports:generated-download", everyone_but(), kwargs=sandwell_document, browser_role=None),
    Route("reports:generated-approve", POST_ONLY_FOR_OFFICERS, kwargs=sandwell_document, browser_role=None),
    Route("reports:generated-publish", POST_ONLY_FOR_OFFICERS, kwargs=sandwell_document, browser_role=None),
    # The agenda pack (ADR 0605): a PDF for anyone who reads the meeting.
    Route("reports:agenda-pack", everyone_but(), kwargs=sandwell_meeting, browser_role=None),
    Route("reports:generated-retry", POST_ONLY_FOR_OFFICERS, kwargs=sandwell_document, browser_role=None),
]
