"""Report generation runs in Celery: the task takes the document's id, never an instance.

The sweep (every minute, CELERY_BEAT_SCHEDULE) hands on what the queue lost (ADR 0502).
"""

import time

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import services
from .documents import TEMPLATE, build_context
from .models import GeneratedReport
from .rendering import render_pdf
from .sections import appendix_keys, read_sections


# The time limits are the settings' (CELERY_TASK_TIME_LIMIT), which the sweep's "still rendering" rule reads too.
@shared_task(name="reports.generate_report", bind=True, ignore_result=True)
def generate_report(self, report_id: int) -> str:
    """Read the live data, render the PDF and store it as the document's file, reporting progress."""
    report = services.generation_claim(report_id=report_id, task_id=self.request.id)
    if report is None:
        # Already done, failed, or being rendered by another run: a rerun changes nothing.
        return GeneratedReport.objects.get(pk=report_id).sha256
    pause = getattr(settings, "REPORTS_TEST_PAUSE_SECONDS", 0)  # test-only (settings/test.py); off elsewhere
    if pause:
        time.sleep(pause)
    draft = report.draft
    total = len(appendix_keys(draft.report_type)) or 1
    step = {"n": 0}

    def progress(note: str) -> None:
        step["n"] += 1
        services.generation_progress(report=report, percent=10 + 50 * step["n"] // total, note=note)

    try:
        snapshot_at = timezone.now()
        sections = read_sections(draft, progress=progress)
        context = build_context(draft, exempt_document=report.is_exempt, sections=sections, snapshot_at=snapshot_at)
        context["version"] = report.version
        services.generation_progress(report=report, percent=65, note="Rendering the PDF")
        pdf = render_pdf(TEMPLATE, context)
        services.generation_progress(report=report, percent=95, note="Storing the document")
        services.generation_finish(report=report, pdf=pdf, snapshot_at=snapshot_at)
    except Exception as exc:
        services.generation_fail(report=report, error=f"{type(exc).__name__}: {exc}")
        raise
    return report.sha256


@shared_task(name="reports.sweep_generation", time_limit=120, soft_time_limit=100, ignore_result=True)
def sweep_generation() -> dict[str, int]:
    """Send what never reached the queue, queue again what a dead worker left, fail what keeps stalling."""
    return services.generation_sweep()
