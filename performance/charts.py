"""Server-rendered SVG charts (pygal), embedded inline so they work without JavaScript and in PDFs.

Every chart is paired with a table of the same figures in the template (the text alternative).
"""

import functools
import hashlib
import re
import uuid
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pygal
from django.core.cache import cache
from django.utils.html import escape
from django.utils.safestring import mark_safe
from pygal.style import Style

from . import spc

# The one chart style: dashboard, KPI page, comparison and the PDF reports alike.
GOVUK_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    # value, target, England benchmark, then a figure not yet accepted (dashed, dotted and named in the legend too)
    colors=("#1d70b8", "#00703c", "#d4351c", "#f47738"),
    font_family="Arial, Liberation Sans, sans-serif",
    guide_stroke_color="#d8d8d8",
    major_guide_stroke_color="#b1b4b6",
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=14,
)
NO_JS = {"js": [], "disable_xml_declaration": True}
DASHED = {"width": 3, "dasharray": "5,3"}
# A sparkline's and the comparison's second series is the provisional one (orange, as in the line charts).
SPARK_STYLE = Style(**{**GOVUK_STYLE.to_dict(), "colors": ("#1d70b8", "#f47738")})
COMPARISON_STYLE = SPARK_STYLE


SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)

# pygal draws a chart in 2-30 ms (a KPI page's chart with its process limits, the PDF appendix's hundred charts);
# the same figures always give the same drawing. So a drawing is kept in the cache under a digest of everything
# it is drawn from: its arguments (the figures, targets, labels and title themselves, so a new figure is a new
# key and nothing is ever served stale) and this module's own source (a change to how charts are drawn is a new
# key too). pygal names each drawing with a random id that its inline style selects on; the id is kept as a
# placeholder and each use gets a new one, so two equal charts on one page never share an id.
_SOURCE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
_CHART_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_PLACEHOLDER = "00000000-chrt-0000-0000-000000000000"
CHART_CACHE_SECONDS = 7 * 24 * 3600


def cached_drawing(draw):
    """Keep ``draw``'s SVG (a function of its keyword arguments alone) in the cache, keyed by their digest."""

    @functools.wraps(draw)
    def drawing(**kwargs):
        digest = hashlib.sha256(repr(sorted(kwargs.items())).encode()).hexdigest()
        key = f"chart:{draw.__name__}:{_SOURCE}:{digest}"
        svg = cache.get(key)
        if svg is None:
            svg = _CHART_ID.sub(_PLACEHOLDER, str(draw(**kwargs)))
            cache.set(key, svg, CHART_CACHE_SECONDS)
        return mark_safe(svg.replace(_PLACEHOLDER, str(uuid.uuid4())))  # noqa: S308 - our own cached drawing

    return drawing


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


PROVISIONAL = "Provisional (not yet accepted)"


def _split(values, provisional) -> tuple[list, list]:
    """Accepted and provisional figures as two series (None where the other holds the month). The provisional one
    also holds the accepted month just before each provisional run, so the line runs on without a gap."""
    numbers = _floats(values)
    flags = list(provisional or [False] * len(numbers))
    accepted = [None if flag else n for n, flag in zip(numbers, flags, strict=True)]
    later = [
        n if flag or (i + 1 < len(flags) and flags[i + 1] and not flag) else None
        for i, (n, flag) in enumerate(zip(numbers, flags, strict=True))
    ]
    return accepted, later


def _provisional_note(provisional) -> str:
    count = sum(1 for flag in provisional or [] if flag)
    return f" ({count} {'month' if count == 1 else 'months'} provisional: not yet accepted)" if count else ""


# A dashboard tile's sparkline: drawn by hand (no pygal: a dashboard of 100 KPIs drew 100 pygal charts, ~10 KB of
# SVG and ~15 ms each; issue 14), the same figures, accepted in blue, provisional months dashed in orange.
SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD = 220, 50, 4


def sparkline(values, *, label: str, provisional=None) -> str:
    """A dashboard tile's trend line: an inline SVG of well under a kilobyte, named for assistive technology (the
    tile's table of figures beside it is the full text alternative)."""
    return _line(
        values,
        label=label,
        provisional=provisional,
        size=(SPARK_WIDTH, SPARK_HEIGHT, SPARK_PAD),
        width=3,
        testid="sparkline",
    )


# Statistical process control on the KPI chart (ADR 0305): the mean (solid) and process limits (dashed) of each
# baseline, broken where a baseline is recalculated, and special-cause points as large dots in their own named
# series (blue improving, orange concerning, as Making Data Count colours them; the legend and the table beside
# the chart say which, so colour is never the only cue).
SPC_LINE = "#505a5f"
IMPROVING, CONCERNING = "#1d70b8", "#f47738"
MEAN = "Mean"
LIMITS = "Process limits"
# A comparator's median (purple, dashed) and the quartiles either side of it (lighter, dotted): ADR 0306.
MEDIAN, BAND = "#4c2c92", "#9b8ec4"
DOTTED = {"width": 2, "dasharray": "1,4"}
SPECIAL = {spc.Signal.IMPROVING: "Special cause: improving", spc.Signal.CONCERNING: "Special cause: concerning"}


def _spc_series(points: Sequence[spc.SpcPoint | None]) -> list[tuple[str | None, list, dict, str]]:
    """(title, values, options, colour) for each baseline's mean and limits and each kind of special cause."""
    out: list[tuple[str | None, list, dict, str]] = []
    baselines: list[spc.Baseline] = []
    for point in points:
        if point is not None and point.baseline.has_limits and point.baseline not in baselines:
            baselines.append(point.baseline)
    line = {"show_dots": False, "allow_interruptions": True}
    for n, b in enumerate(baselines):

        def level(figure, b=b):
            return [float(figure) if p is not None and p.baseline == b else None for p in points]

        out.append((None if n else MEAN, level(b.mean), {**line, "stroke_style": {"width": 2}}, SPC_LINE))
        out.append((None if n else LIMITS, level(b.upper_limit), {**line, "stroke_style": DASHED}, SPC_LINE))
        out.append((None, level(b.lower_limit), {**line, "stroke_style": DASHED}, SPC_LINE))
    for signal, colour in ((spc.Signal.IMPROVING, IMPROVING), (spc.Signal.CONCERNING, CONCERNING)):
        dots = [float(p.value) if p is not None and p.signal == signal else None for p in points]
        if any(d is not None for d in dots):
            out.append((SPECIAL[signal], dots, {"stroke": False, "dots_size": 6, "allow_interruptions": True}, colour))
    return out


def _spc_note(points: Sequence[spc.SpcPoint | None]) -> str:
    counts = {s: sum(1 for p in points if p is not None and p.signal == s) for s in SPECIAL}
    parts = [f"{n} {SPECIAL[s].lower()}" for s, n in counts.items() if n]
    return f" (statistical process control: {', '.join(parts)})" if parts else ""


@cached_drawing
def series_chart(
    *,
    labels: list[str],
    values,
    target=None,
    benchmark=None,
    title: str,
    provisional=None,
    spc_points: Sequence[spc.SpcPoint | None] | None = None,
    median: tuple[str, Decimal, Decimal | None, Decimal | None] | None = None,
) -> str:
    """The KPI page's chart: values, target, England benchmark, provisional months and, given ``spc_points``
    (one per label), each baseline's mean and process limits and the special-cause points. ``median`` is a
    comparator's (label, median, lower quartile, upper quartile): its median as a line and its quartiles as the
    edges of a band (ADR 0306)."""
    accepted, later = _split(values, provisional)
    series: list[tuple[str | None, list, dict, str]] = [("Value", accepted, {"allow_interruptions": True}, "#1d70b8")]
    if target is not None and any(t is not None for t in target):
        series.append(
            (
                "Target",
                _floats(target),
                {"show_dots": False, "stroke_style": {"dasharray": "6,4"}, "allow_interruptions": True},
                "#00703c",
            )
        )
    if benchmark is not None:
        series.append(
            (
                "England",
                [float(benchmark)] * len(labels),
                {"show_dots": False, "stroke_style": {"dasharray": "2,4"}},
                "#d4351c",
            )
        )
    if median is not None:
        name, middle, lower, upper = median
        flat = {"show_dots": False, "allow_interruptions": True}
        series.append((f"{name} median", [float(middle)] * len(labels), {**flat, "stroke_style": DASHED}, MEDIAN))
        if lower is not None and upper is not None:
            series.append((f"{name} quartiles", [float(lower)] * len(labels), {**flat, "stroke_style": DOTTED}, BAND))
            series.append((None, [float(upper)] * len(labels), {**flat, "stroke_style": DOTTED}, BAND))
    if any(provisional or []):
        series.append((PROVISIONAL, later, {"allow_interruptions": True, "stroke_style": DASHED}, "#f47738"))
    series += _spc_series(spc_points or [])
    chart = pygal.Line(
        # each series its own colour, whichever of them the chart has
        style=Style(**{**GOVUK_STYLE.to_dict(), "colors": tuple(colour for *_, colour in series)}),
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
    for name, numbers, options, _ in series:
        chart.add(name, numbers, **options)
    label = title + _provisional_note(provisional) + _spc_note(spc_points or [])
    if median is not None:
        label += f" ({median[0].lower()} median shown{' with its quartiles' if median[2] is not None else ''})"
    return _accessible(chart.render(**NO_JS), label)


@cached_drawing
def comparison_chart(*, labels: list[str], values, title: str, provisional=None) -> str:
    marked = any(provisional or [])
    chart = pygal.HorizontalBar(
        style=COMPARISON_STYLE,
        width=900,
        height=80 + 40 * len(labels),
        show_legend=marked,
        legend_at_bottom=True,
        **NO_JS,
    )
    chart.x_labels = labels
    numbers = _floats(values)
    flags = list(provisional or [False] * len(numbers))
    chart.add("Accepted", [None if flag else n for n, flag in zip(numbers, flags, strict=True)])
    if marked:
        chart.add(PROVISIONAL, [n if flag else None for n, flag in zip(numbers, flags, strict=True)])
    return _accessible(
        chart.render(**NO_JS), title + (" (orange bars: provisional, not yet accepted)" if marked else "")
    )


@cached_drawing
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


# The scorecard's trend: a tiny line drawn by hand (no pygal: a row per KPI must stay cheap), the provisional
# months dashed in orange as in the sparkline; the label (its text alternative) states every month's value.
MINI_WIDTH, MINI_HEIGHT, MINI_PAD = 72, 16, 2


def _runs(numbers: list[float | None]) -> list[list[tuple[int, float]]]:
    """Consecutive months with a figure (a month without one breaks the line, never reads as zero)."""
    out: list[list[tuple[int, float]]] = [[]]
    for i, n in enumerate(numbers):
        if n is None:
            if out[-1]:
                out.append([])
        else:
            out[-1].append((i, n))
    return [run for run in out if run]


def mini_sparkline(values, *, label: str, provisional=None) -> str:
    """A scorecard cell's trend line: an inline SVG of a few hundred bytes, named for assistive technology."""
    return _line(
        values,
        label=label,
        provisional=provisional,
        size=(MINI_WIDTH, MINI_HEIGHT, MINI_PAD),
        width=2,
        testid="scorecard-trend",
        shape="polyline",
    )


def _line(values, *, label: str, provisional, size, width: int, testid: str, shape: str = "path") -> str:
    """A line of the figures scaled to the box, broken where a month has none; provisional months dashed orange.
    Coordinates to one decimal, so the SVG stays small."""
    box_width, box_height, pad = size
    numbers = _floats(values)
    present = [n for n in numbers if n is not None]
    if not present:
        return ""
    low, high = min(present), max(present)
    span = (high - low) or 1.0
    step = (box_width - 2 * pad) / max(len(numbers) - 1, 1)

    def point(i: int, n: float) -> tuple[str, str]:
        y = box_height - pad - (n - low) / span * (box_height - 2 * pad)
        return f"{pad + i * step:.1f}", f"{y:.1f}"

    accepted, later = _split(values, provisional)
    shapes = []
    for series, colour, dashed in ((accepted, "#1d70b8", False), (later, "#f47738", True)):
        for run in _runs(series):
            if len(run) == 1:
                x, y = point(*run[0])
                shapes.append(f'<circle cx="{x}" cy="{y}" r="{width / 2 + 0.5:g}" fill="{colour}"></circle>')
                continue
            dash = f' stroke-dasharray="{"3,2" if width < 3 else "5,3"}"' if dashed else ""
            points = [point(i, n) for i, n in run]
            if shape == "polyline":
                drawn = f'<polyline points="{" ".join(f"{x},{y}" for x, y in points)}"'
            else:
                drawn = f'<path d="M{" L".join(f"{x} {y}" for x, y in points)}"'
            shapes.append(f'{drawn} fill="none" stroke="{colour}" stroke-width="{width}"{dash}></{shape}>')
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{box_width}" height="{box_height}" '
        f'viewBox="0 0 {box_width} {box_height}" data-testid="{testid}">{"".join(shapes)}</svg>'
    )
    return _accessible(svg, label + _provisional_note(provisional))
