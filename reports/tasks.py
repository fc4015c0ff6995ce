"""Report generation runs in Celery: the task takes the document's id, never an instance."""

from celery import shared_task
from django.utils import timezone

from . import services
from .documents import TEMPLATE, build_context
from .models import GeneratedReport
from .rendering import render_pdf
from .sections import appendix_keys, read_sections


@shared_task(name="reports.generate_report", time_limit=10 * 60, soft_time_limit=9 * 60)
def generate_report(report_id: int) -> str:
    """Read the live data, render the PDF and store it as the document's file, reporting progress."""
    report = GeneratedReport.objects.select_related("draft__council", "draft__delivery_body").get(pk=report_id)
    if report.status == GeneratedReport.Status.READY:
        return report.sha256  # already done: a rerun changes nothing
    draft = report.draft
    total = len(appendix_keys(draft.report_type)) or 1
    step = {"n": 0}

    def progress(note: str) -> None:
        step["n"] += 1
        services.generation_progress(report=report, percent=10 + 50 * step["n"] // total, note=note)

    try:
        services.generation_progress(report=report, percent=5, note="Reading the data")
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
