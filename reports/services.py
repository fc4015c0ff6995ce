"""Every change to report drafts and generated reports.

Generation is split in two: ``report_generate`` (a council officer asks; the document rows are
created and handed to the Celery queue once the transaction commits, by ``report_dispatch``) and the
``generation_*`` functions the task calls as it works (claiming the document, progress, the stored
file, or the failure). ``generation_sweep`` hands on what the queue lost, and ``report_retry`` is an
officer's "Try again" for a failed document (ADR 0502).
"""

import hashlib
import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from trustgov.organisations.models import DeliveryBody

from .documents import has_exempt_appendices, missing_narrative
from .models import GeneratedReport, ReportDraft
from .sections import appendix_keys
from .selectors import is_council_officer

logger = logging.getLogger(__name__)

WAITING_FOR_WORKER = "Waiting for the report worker"
WAITING_FOR_SERVICE = (
    "Saved. The report service is not available just now: generation will start shortly, without you doing anything"
)

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
            progress_note=WAITING_FOR_WORKER,
        )
        report.full_clean(exclude=["file"])
        report.save()
        reports.append(report)
    if queue:
        for report in reports:
            _dispatch_on_commit(report.pk)
    return reports


def _dispatch_on_commit(report_id: int) -> None:
    # Robust: the documents are committed by then. A broker that cannot be reached is handled by report_dispatch
    # (the document waits for the sweep); with tasks run in-process, a failed render is recorded on the document
    # by the task and logged here, so the officer is shown the document's status rather than an error page.
    transaction.on_commit(lambda: report_dispatch(report_id=report_id), robust=True)


def _generate_task():
    # Imported here: the task runs this module's services (tasks -> services), so a top-level import
    # would be a cycle. The one function-level import in the apps.
    from .tasks import generate_report

    return generate_report


def _save(report: GeneratedReport, reason: str, fields: list[str] | None = None) -> None:
    """Save with the reason in the document's history (the request user, if any, is recorded by the middleware)."""
    report._change_reason = reason
    try:
        report.save(update_fields=[*fields, "updated_at"] if fields else None)
    finally:
        del report._change_reason  # the instance is saved again (progress): the reason belongs to this save only


def report_dispatch(*, report_id: int) -> bool:
    """Hand a queued document to the report worker's queue. Called after commit, never inside the caller's work.

    The send is recorded first (a new task id: only that message, or a redelivery of it, may start the
    document), then made; when the broker cannot be reached the record is undone and the document waits,
    saying so, for the sweep to send it when the broker is back. Returns whether it was sent.
    """
    task_id = str(uuid.uuid4())
    with transaction.atomic():
        report = GeneratedReport.objects.select_for_update().get(pk=report_id)
        if report.status != GeneratedReport.Status.QUEUED:
            return False
        report.task_id = task_id
        report.sends += 1
        report.queued_at = timezone.now()
        report.progress_note = WAITING_FOR_WORKER
        _save(report, f"Handed to the report worker (send {report.sends})")
    try:
        _generate_task().apply_async(args=[report_id], task_id=task_id)
    except (BrokerError, ConnectionError) as exc:
        logger.warning("Report %s not queued, the broker cannot be reached: %s", report_id, exc)
        with transaction.atomic():
            report = GeneratedReport.objects.select_for_update().get(pk=report_id)
            if report.status == GeneratedReport.Status.QUEUED and report.task_id == task_id:
                report.sends -= 1
                report.queued_at = None
                report.task_id = ""
                report.progress_note = WAITING_FOR_SERVICE
                _save(report, "Not handed to the report worker: the report service could not be reached")
        return False
    return True


def _max_attempts() -> int:
    return settings.REPORTS_GENERATION_MAX_ATTEMPTS


@transaction.atomic
def generation_claim(*, report_id: int, task_id: str | None) -> GeneratedReport | None:
    """The task starts a document: at most one run renders it at a time. None when this run must do nothing.

    Under the row lock, a queued document is taken; a "rendering" one only by a redelivery of the very message
    that started it (its earlier run is gone: its pool child died, or the visibility timeout, longer than the
    time limit, has passed). Another message finds it taken, or finished, and does nothing. After
    REPORTS_GENERATION_MAX_ATTEMPTS starts the document is marked failed instead.
    """
    report = GeneratedReport.objects.select_for_update().get(pk=report_id)
    status = GeneratedReport.Status
    redelivered = bool(task_id) and report.status == status.RENDERING and report.task_id == task_id
    if report.status != status.QUEUED and not redelivered:
        return None
    if report.attempts >= _max_attempts():
        _mark_failed(report, f"Generation started {report.attempts} times and did not finish.")
        return None
    report.attempts += 1
    report.status = status.RENDERING
    report.started_at = timezone.now()
    report.task_id = task_id or report.task_id
    report.progress = 5
    report.progress_note = "Reading the data"
    if redelivered:
        reason = f"Started again after its worker stopped (attempt {report.attempts} of {_max_attempts()})"
    else:
        reason = f"Started by the report worker (attempt {report.attempts} of {_max_attempts()})"
    _save(report, reason)
    return report


def _mark_failed(report: GeneratedReport, cause: str) -> None:
    report.status = GeneratedReport.Status.FAILED
    report.progress_note = "Generation failed"
    report.error = f"{cause} A council officer can try again."
    _save(report, f"Marked failed: {cause}")


def generation_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Hand on, once, what the queue lost; run every minute by beat. Safe to rerun and to run on two workers.

    - queued, never handed to the queue (the broker was down), and untouched for the grace period: send it;
    - queued and sent REPORTS_QUEUED_TIMEOUT_MINUTES ago or more, never picked up: send it again, or, after
      REPORTS_GENERATION_MAX_ATTEMPTS sends, mark it failed;
    - rendering since the task time limit plus the grace period or more (its worker died): queue it again,
      or, after REPORTS_GENERATION_MAX_ATTEMPTS starts, mark it failed.
    """
    now = now or timezone.now()
    grace = timedelta(seconds=settings.REPORTS_STALL_GRACE_SECONDS)
    status = GeneratedReport.Status
    never_sent = Q(status=status.QUEUED, queued_at__isnull=True, updated_at__lte=now - grace)
    not_picked_up = Q(
        status=status.QUEUED, queued_at__lte=now - timedelta(minutes=settings.REPORTS_QUEUED_TIMEOUT_MINUTES)
    )
    time_limit = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    stalled = Q(status=status.RENDERING, started_at__lte=now - time_limit - grace)
    counts = {"sent": 0, "requeued": 0, "failed": 0}
    to_send = []
    with transaction.atomic():
        # skip_locked: a document a worker is claiming, or another sweep is handling, is left to it.
        for report in GeneratedReport.objects.select_for_update(skip_locked=True).filter(
            never_sent | not_picked_up | stalled
        ):
            if report.status == status.RENDERING:
                if report.attempts >= _max_attempts():
                    _mark_failed(report, f"Generation started {report.attempts} times and did not finish.")
                    counts["failed"] += 1
                    continue
                report.status = status.QUEUED
                report.progress = 0
                report.progress_note = (
                    f"Queued again: the report worker stopped before finishing (attempt {report.attempts} "
                    f"of {_max_attempts()})"
                )
                _save(report, "Queued again: still rendering after the task time limit")
                counts["requeued"] += 1
            elif report.queued_at is not None and report.sends >= _max_attempts():
                _mark_failed(report, f"No report worker picked it up (handed to the queue {report.sends} times).")
                counts["failed"] += 1
                continue
            to_send.append(report.pk)
    for pk in to_send:
        counts["sent"] += report_dispatch(report_id=pk)
    return counts


@transaction.atomic
def report_retry(*, report: GeneratedReport, user) -> GeneratedReport:
    """An officer's "Try again" for a failed document: the same version is queued afresh (recorded in history)."""
    _check_officer(user)
    report = GeneratedReport.objects.select_for_update().get(pk=report.pk)
    if report.status != GeneratedReport.Status.FAILED:
        raise ValidationError({"status": "Only a document whose generation failed can be tried again"})
    report.status = GeneratedReport.Status.QUEUED
    report.progress = 0
    report.progress_note = WAITING_FOR_WORKER
    report.error = ""
    report.task_id = ""
    report.sends = report.attempts = 0
    report.queued_at = report.started_at = None
    _save(report, "Try again: generation requested again after it failed")
    _dispatch_on_commit(report.pk)
    return report


@transaction.atomic
def generation_progress(*, report: GeneratedReport, percent: int, note: str) -> GeneratedReport:
    report.progress = max(0, min(99, percent))
    report.progress_note = note[:200]
    report.save(update_fields=["progress", "progress_note", "updated_at"])
    return report


@transaction.atomic
def generation_finish(*, report: GeneratedReport, pdf: bytes, snapshot_at) -> GeneratedReport:
    current = GeneratedReport.objects.select_for_update().get(pk=report.pk)
    if current.status == GeneratedReport.Status.READY:
        raise ValidationError({"status": "This version has already been generated; generate a new version instead."})
    if current.status != GeneratedReport.Status.RENDERING or current.task_id != report.task_id:
        raise ValidationError({"status": "Another run has taken this document over; this run stores nothing."})
    report.file.save(report.filename, ContentFile(pdf), save=False)
    report.sha256 = hashlib.sha256(pdf).hexdigest()
    report.size = len(pdf)
    report.page_count = getattr(pdf, "page_count", None)
    report.data_snapshot_at = snapshot_at
    report.status = GeneratedReport.Status.READY
    report.progress = 100
    report.progress_note = "Ready to download"
    report.error = ""
    _save(report, "Generated")
    return report


@transaction.atomic
def generation_fail(*, report: GeneratedReport, error: str) -> GeneratedReport:
    current = GeneratedReport.objects.select_for_update().get(pk=report.pk)
    if current.status != GeneratedReport.Status.RENDERING or current.task_id != report.task_id:
        return current  # finished, or taken over by another run: this run's failure is not the document's
    report.status = GeneratedReport.Status.FAILED
    report.progress_note = "Generation failed"
    report.error = error[:2000]
    _save(report, "Generation failed", ["status", "progress_note", "error"])
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
