"""Server-rendered SVG charts (pygal), embedded inline so they work without JavaScript and in PDFs.

Every chart is paired with a table of the same figures in the template (the text alternative).
"""

import re
from decimal import Decimal

import pygal
from django.utils.html import escape
from django.utils.safestring import mark_safe
from pygal.style import Style

# The one chart style: dashboard, KPI page, comparison and the PDF reports alike.
GOVUK_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    colors=("#1d70b8", "#00703c", "#d4351c"),  # value, target, England benchmark
    font_family="Arial, Liberation Sans, sans-serif",
    guide_stroke_color="#d8d8d8",
    major_guide_stroke_color="#b1b4b6",
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=14,
)
NO_JS = {"js": [], "disable_xml_declaration": True}


SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)


def _accessible(svg: str, label: str) -> str:
    """Drop pygal's inline config script (no JavaScript needed) and name the SVG for assistive technology.

    The table beside each chart carries the same figures.
    """
    svg = SCRIPT.sub("", svg)
    # An SVG presentation attribute, not a style attribute: the CSP allows no inline style (ADR 0011).
    svg = svg.replace(' style="opacity: 0"', ' opacity="0"')
    return mark_safe(  # noqa: S308 - pygal output; the label is escaped
        svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" focusable="false" ', 1)
    )


def _floats(values) -> list[float | None]:
    return [float(v) if isinstance(v, Decimal | int | float) else None for v in values]


def sparkline(values, *, label: str) -> str:
    chart = pygal.Line(style=GOVUK_STYLE, width=220, height=50, show_dots=False, stroke_style={"width": 3}, **NO_JS)
    chart.add("", _floats(values), allow_interruptions=True)
    return _accessible(chart.render_sparkline(width=220, height=50, **NO_JS), label)


def series_chart(*, labels: list[str], values, target=None, benchmark=None, title: str) -> str:
    chart = pygal.Line(
        style=GOVUK_STYLE,
        width=900,
        height=360,
        x_label_rotation=45,
        show_minor_x_labels=False,
        x_labels_major_every=max(1, len(labels) // 12),
        legend_at_bottom=True,
        truncate_legend=-1,
        **NO_JS,
    )
    chart.x_labels = labels
    chart.add("Value", _floats(values), allow_interruptions=True)
    if target is not None and any(t is not None for t in target):
        chart.add(
            "Target", _floats(target), show_dots=False, stroke_style={"dasharray": "6,4"}, allow_interruptions=True
        )
    if benchmark is not None:
        chart.add("England", [float(benchmark)] * len(labels), show_dots=False, stroke_style={"dasharray": "2,4"})
    return _accessible(chart.render(**NO_JS), title)


def comparison_chart(*, labels: list[str], values, title: str) -> str:
    chart = pygal.HorizontalBar(style=GOVUK_STYLE, width=900, height=80 + 40 * len(labels), show_legend=False, **NO_JS)
    chart.x_labels = labels
    chart.add("Latest value", _floats(values))
    return _accessible(chart.render(**NO_JS), title)


def report_chart(*, labels: list[str], values, target=None, label: str) -> str:
    """The line chart of a PDF report's KPI appendix (an SVG document): the same style, a page's width."""
    chart = pygal.Line(
        style=GOVUK_STYLE,
        width=640,
        height=260,
        show_legend=target is not None,
        legend_at_bottom=True,
        dots_size=3,
        truncate_legend=-1,
        **NO_JS,
    )
    chart.x_labels = labels
    chart.add("Accepted value", _floats(values))
    if target is not None:
        chart.add("Target", [float(target)] * len(labels), stroke_style={"dasharray": "6,4"}, show_dots=False)
    return str(_accessible(chart.render(is_unicode=True, **NO_JS), label))
