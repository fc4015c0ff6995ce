import io

import pytest
from pypdf import PdfReader

from tests.browser.conftest import browser, nojs_page, page, seeded  # noqa: F401
from trustgov.reports import services
from trustgov.reports.models import GeneratedReport


def pdf_text(data: bytes) -> str:
    """The PDF's text with whitespace collapsed (table cells wrap over lines)."""
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def read_pdf(report: GeneratedReport) -> bytes:
    with report.file.open("rb") as fh:
        return fh.read()


@pytest.fixture
def generate(django_capture_on_commit_callbacks):
    """Generate a draft's documents through the service and the (eager) Celery task."""

    def run(draft, user):
        with django_capture_on_commit_callbacks(execute=True):
            reports = services.report_generate(draft=draft, user=user)
        return [GeneratedReport.objects.get(pk=r.pk) for r in reports]

    return run
