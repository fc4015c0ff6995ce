"""The "as it stood on" date of a performance view: read from ``?as_of=2025-03-03`` (a link) or from the GOV.UK
date input (``as_of-day``, ``as_of-month``, ``as_of-year``: the form on the page, which works without
JavaScript), checked, and turned into the moment the read model reads to (the end of that day, Europe/London).

Every view that offers it (dashboard, KPI page, comparison, report preview: ``PAST_VIEWS``) reads it with
``as_of_from`` and passes ``AsOf.moment`` to ``positions.read_positions``; the templates show ``_as_of.html`` (the
banner and the form). Inside a past view, every link to one of those pages keeps the date (``keep_date``, the
``{% as_of_url %}`` tag of ``performance_as_of``); links to any other page lead to today's record, and the banner
says so (ADR 0307).
"""

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.dateparse import parse_date

from trustgov.core.dates import end_of_day

FIELD = "as_of"
PARTS = ("day", "month", "year")
PARAMS = (FIELD, *(f"{FIELD}-{part}" for part in PARTS))
LABEL = "Date"  # the legend says "Show the figures as they stood at the end of"
EARLIEST = date(2000, 1, 1)
# The pages that read the date (URL names): a link to one of them from a past view keeps it.
PAST_VIEWS = frozenset(
    {"performance:dashboard", "performance:kpi-detail", "performance:comparison", "reports:draft-preview"}
)


@dataclass(frozen=True)
class AsOf:
    day: date | None = None
    error: str = ""
    error_parts: tuple[str, ...] = ()  # which boxes to mark
    typed: dict[str, str] = field(default_factory=dict)  # what was typed, shown back
    current_url: str = ""  # this page without the date: today's view
    hidden: tuple[tuple[str, str], ...] = ()  # the page's other choices, kept by the form

    parts = (("day", "Day", "2"), ("month", "Month", "2"), ("year", "Year", "4"))  # the date input's boxes

    @property
    def moment(self):
        """The moment the view reads to (the end of the day), or None for today's view."""
        return end_of_day(self.day) if self.day else None

    @property
    def query(self) -> str:
        """``as_of=2025-03-03`` for links that keep the date."""
        return urlencode({FIELD: self.day.isoformat()}) if self.day else ""

    def url(self, path: str, **params) -> str:
        """``path`` with these params and the date."""
        query = {k: v for k, v in params.items() if v}
        if self.day:
            query[FIELD] = self.day.isoformat()
        return f"{path}?{urlencode(query)}" if query else path


def _error(message: str, parts=PARTS, **kwargs) -> AsOf:
    return AsOf(error=message, error_parts=tuple(parts), **kwargs)


def as_of_from(request) -> AsOf:
    """The date asked for (or none), or an error that names the field and says what to do."""
    others = [(k, v) for k, values in request.GET.lists() if k not in PARAMS for v in values]
    current_url = f"{request.path}?{urlencode(others)}" if others else request.path
    common = {"current_url": current_url, "hidden": tuple(others)}
    raw = request.GET.get(FIELD, "").strip()
    typed = {part: request.GET.get(f"{FIELD}-{part}", "").strip() for part in PARTS}
    if not raw and not any(typed.values()):
        return AsOf(**common)
    common["typed"] = typed
    if raw:
        try:
            day = parse_date(raw) if len(raw) <= 10 else None
        except ValueError:
            day = None
        if day is None:
            return _error(f"{LABEL} must be a real date, for example 3 March 2025", **common)
    else:
        missing = [part for part in PARTS if not typed[part]]
        if missing:
            return _error(f"{LABEL} must include a {' and '.join(missing)}", missing, **common)
        try:
            day = date(int(typed["year"]), int(typed["month"]), int(typed["day"]))
        except (ValueError, OverflowError):
            return _error(f"{LABEL} must be a real date, for example 3 March 2025", **common)
    if day > timezone.localdate():
        return _error(f"{LABEL} must be today or in the past", **common)
    if day < EARLIEST:
        return _error(f"{LABEL} must be on or after 1 January 2000", **common)
    if not typed["day"]:
        common["typed"] = {"day": str(day.day), "month": str(day.month), "year": str(day.year)}
    return AsOf(day=day, **common)


def shows_past(url: str) -> bool:
    """Whether the page ``url`` leads to reads the date (one of ``PAST_VIEWS``)."""
    try:
        return resolve(urlsplit(url).path).view_name in PAST_VIEWS
    except Resolver404:
        return False


def keep_date(as_of, url: str, **params) -> str:
    """``url`` with ``params`` added (empty ones left out) and, while a past view is shown and the page ``url``
    leads to reads the date, ``as_of=<the date>``: the one way a link inside a past view keeps its date. Any other
    link is left leading to today's record."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [(k, str(v)) for k, v in params.items() if v not in (None, "")]
    if isinstance(as_of, AsOf) and as_of.day and shows_past(url):
        query = [(k, v) for k, v in query if k not in PARAMS] + [(FIELD, as_of.day.isoformat())]
    return urlunsplit(parts._replace(query=urlencode(query)))
