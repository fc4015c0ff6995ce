"""Every change to report drafts and generated reports.

Generation is split in two: ``report_generate`` (a council officer asks; the document rows are
created and the Celery task queued once the transaction commits) and the ``generation_*``
functions the task calls as it works (progress, the stored file, or the failure).
"""

import hashlib

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from trustgov.organisations.models import DeliveryBody

from .documents import has_exempt_appendices, missing_narrative
from .models import GeneratedReport, ReportDraft
from .sections import appendix_keys
from .selectors import is_council_officer

DRAFT_FIELDS = [
    f.name
    for f in ReportDraft._meta.get_fields()
    if getattr(f, "editable", False) and f.concrete and f.name not in {"id", "created_at", "updated_at", "created_by"}
]


def _check_officer(user) -> None:
    if not is_council_officer(user):
        raise ValidationError({"report_type": "Only a council officer can prepare or generate reports."})


def _check_draft(draft: ReportDraft, user) -> None:
    if not user.is_superuser and draft.council_id != user.council_id:
        raise ValidationError({"council": "Choose your own council."})
    if draft.delivery_body_id and not draft.delivery_body.is_owned_by(draft.council_id):
        raise ValidationError({"delivery_body": f"{draft.delivery_body} does not contract with {draft.council}."})
    if draft.period_start and draft.period_end and draft.period_end < draft.period_start:
        raise ValidationError({"period_end": "The end of the period must be on or after its start."})
    unknown = set(draft.exempt_appendices or []) - set(appendix_keys(draft.report_type))
    if unknown:
        raise ValidationError({"exempt_appendices": "Only this report type's appendices can be marked exempt."})
    if draft.exempt_appendices and not draft.exempt_category:
        raise ValidationError(
            {"exempt_category": "Choose the Schedule 12A paragraph that makes the exempt appendices exempt."}
        )
    draft.full_clean(exclude=["created_by"])


@transaction.atomic
def draft_create(*, user, data: dict) -> ReportDraft:
    _check_officer(user)
    draft = ReportDraft(created_by=user, **{k: v for k, v in data.items() if k in DRAFT_FIELDS})
    if isinstance(draft.delivery_body, DeliveryBody) and not draft.council_id:
        draft.council = draft.delivery_body.council
    _check_draft(draft, user)
    draft.save()
    return draft


@transaction.atomic
def draft_update(*, draft: ReportDraft, user, data: dict) -> ReportDraft:
    _check_officer(user)
    for key, value in data.items():
        if key in DRAFT_FIELDS:
            setattr(draft, key, value)
    _check_draft(draft, user)
    draft.save()
    return draft


@transaction.atomic
def report_generate(*, draft: ReportDraft, user, queue: bool = True) -> list[GeneratedReport]:
    """Create the next version's documents and queue their rendering. Earlier versions are kept.

    ``queue=False`` leaves the rendering to the caller (the demo loader renders in-process, so it
    never needs a broker); the documents stay "Queued" until then.
    """
    # Imported here: the task runs this module's services (tasks -> services), so a top-level import
    # would be a cycle. The one function-level import in the apps.
    from .tasks import generate_report

    _check_officer(user)
    errors = missing_narrative(draft)
    if errors:
        raise ValidationError(errors)
    draft = ReportDraft.objects.select_for_update().get(pk=draft.pk)
    version = (draft.generated.aggregate(v=Max("version"))["v"] or 0) + 1
    kinds = [False, True] if has_exempt_appendices(draft) else [False]
    reports = []
    for is_exempt in kinds:
        report = GeneratedReport(
            draft=draft,
            council_id=draft.council_id,
            delivery_body_id=draft.delivery_body_id,
            report_type=draft.report_type,
            title=draft.subject,
            version=version,
            is_exempt=is_exempt,
            protective_marking="OFFICIAL-SENSITIVE" if is_exempt else draft.protective_marking,
            requested_by=user,
            progress_note="Waiting for the report worker",
        )
        report.full_clean(exclude=["file"])
        report.save()
        reports.append(report)
    if queue:
        # Robust: the documents are committed by then, so a broker that cannot be reached (or, with tasks
        # run in-process, a failed render, which the task records on the document) is logged, and the
        # officer is shown the document's status rather than an error page.
        for report in reports:
            transaction.on_commit(lambda pk=report.pk: generate_report.delay(pk), robust=True)
    return reports


@transaction.atomic
def generation_progress(*, report: GeneratedReport, percent: int, note: str) -> GeneratedReport:
    report.status = GeneratedReport.Status.RENDERING
    report.progress = max(0, min(99, percent))
    report.progress_note = note[:200]
    report.save(update_fields=["status", "progress", "progress_note", "updated_at"])
    return report


@transaction.atomic
def generation_finish(*, report: GeneratedReport, pdf: bytes, snapshot_at) -> GeneratedReport:
    if report.status == GeneratedReport.Status.READY:
        raise ValidationError({"status": "This version has already been generated; generate a new version instead."})
    report.file.save(report.filename, ContentFile(pdf), save=False)
    report.sha256 = hashlib.sha256(pdf).hexdigest()
    report.size = len(pdf)
    report.page_count = getattr(pdf, "page_count", None)
    report.data_snapshot_at = snapshot_at
    report.status = GeneratedReport.Status.READY
    report.progress = 100
    report.progress_note = "Ready to download"
    report.error = ""
    report.save()
    return report


@transaction.atomic
def generation_fail(*, report: GeneratedReport, error: str) -> GeneratedReport:
    report.status = GeneratedReport.Status.FAILED
    report.progress_note = "Generation failed"
    report.error = error[:2000]
    report.save(update_fields=["status", "progress_note", "error", "updated_at"])
    return report


def checksum_ok(report: GeneratedReport) -> bool:
    """Whether the stored file still matches the checksum recorded when it was generated."""
    with report.file.open("rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest() == report.sha256


P = GeneratedReport.Publication


@transaction.atomic
def report_approve(*, report: GeneratedReport, user) -> GeneratedReport:
    """An officer approves a ready public document for publication (recording who and when)."""
    _check_officer(user)
    report = GeneratedReport.objects.select_for_update().get(pk=report.pk)
    if report.is_exempt:
        raise ValidationError({"publication": "A not for publication document is never published"})
    if report.status != GeneratedReport.Status.READY:
        raise ValidationError({"publication": "Only a document that has finished generating can be approved"})
    if report.publication != P.DRAFT:
        raise ValidationError({"publication": f"This document is already {report.get_publication_display().lower()}"})
    report.publication = P.APPROVED
    report.approved_at = timezone.now()
    report.approved_by = user
    report.save()
    return report


@transaction.atomic
def report_publish(*, report: GeneratedReport, user) -> GeneratedReport:
    """An officer publishes an approved document: scrutiny, the trust and the DfE then see it."""
    _check_officer(user)
    report = GeneratedReport.objects.select_for_update().get(pk=report.pk)
    if report.is_exempt:
        raise ValidationError({"publication": "A not for publication document is never published"})
    if report.publication != P.APPROVED:
        message = "already published" if report.publication == P.PUBLISHED else "not approved yet: approve it first"
        raise ValidationError({"publication": f"This document is {message}"})
    report.publication = P.PUBLISHED
    report.published_at = timezone.now()
    report.published_by = user
    report.save()
    return report
