"""The one PDF path: every report type renders through ``render_pdf``.

The same Django template gives the HTML preview (``render_html``) and the PDF, so what an
officer previews is what Cabinet reads. The PDF is tagged PDF/UA-1 (WeasyPrint's
``pdf_variant="pdf/ua-1"``): document language and title come from ``<html lang>`` and
``<title>``, so every report template must set both.
"""

import logging

# WeasyPrint logs every layout step at INFO (some at import): keep the worker's log for what matters.
logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from django.template.loader import render_to_string  # noqa: E402
from weasyprint import HTML  # noqa: E402

PDF_VARIANT = "pdf/ua-1"


def render_html(template_name: str, context: dict, *, for_pdf: bool = False) -> str:
    """The report as HTML. ``for_pdf`` lets the template drop screen-only links."""
    return render_to_string(template_name, {**context, "for_pdf": for_pdf})


class PdfBytes(bytes):
    """The PDF's bytes, knowing how many pages it has (its objects are compressed, so it cannot be counted later)."""

    page_count: int = 0


def render_pdf(template_name: str, context: dict) -> PdfBytes:
    """Render ``template_name`` with ``context`` to an A4, tagged (PDF/UA-1) PDF and return its bytes.

    Templates carry their own styles inline and embed charts as data URIs, so nothing is fetched.
    """
    html = render_html(template_name, context, for_pdf=True)
    document = HTML(string=html, base_url=None).render(pdf_variant=PDF_VARIANT)
    pdf = PdfBytes(document.write_pdf(pdf_variant=PDF_VARIANT))
    pdf.page_count = len(document.pages)
    return pdf
