"""Each series' SPC reading, cached per data version (ADR 0308, amended; docs/scaling.md).

A page that shows SPC for many series (the national grid's page of trusts, the dashboard's scorecard) reads
the whole series and runs ``spc.xmr`` only for the series whose inputs changed since the reading was last
computed; the others come from the shared cache (``django.core.cache``: Redis in production, one process's
memory locally and in tests). ``positions.read_positions(..., spc=True, cached=True)`` is the one caller.

A reading's key names everything it depends on:

- the KPI, its polarity, the months shown (``start``, ``end``) and whether only accepted figures count;
- the reasons its baseline is recalculated (definition changes and recorded recalculations, already read by
  the page), as a digest;
- its trust's data version (``data_versions``): the latest history row of the trust's returns, of their
  versions and of its KPIs' targets. Every change to a return, a version or a target writes a history row
  (submission, acceptance, a correction, a new target), so any change gives a new key and the old reading is
  never read again (it expires).

A view "as it stood on" a day never uses the cache. The cached value is small: the chart's points for the
months shown only (and the latest point), its baselines and the reasons, never model instances.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from django.core.cache import cache
from django.db.models import IntegerField, Max, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from trustgov.organisations.models import DeliveryBody

from . import spc
from .models import MonthlyReturn, ReturnVersion, Target

PREFIX = "spc:v1"  # change when a reading's computation or its cached shape changes
TIMEOUT = 60 * 60 * 24 * 7  # a key no longer asked for (its data changed) goes in a week


def _latest(history, **match) -> Subquery:
    rows = history.filter(**match).order_by().values(*match).annotate(latest=Max("history_id")).values("latest")
    return Coalesce(Subquery(rows[:1], output_field=IntegerField()), Value(0))


def data_versions(body_ids: Iterable[int]) -> dict[int, str]:
    """Each trust's data version, in ONE query whatever the number of trusts: the latest history row of its
    returns, of their versions and of its KPIs' targets, as "returns.versions.targets"."""
    ids = sorted(set(body_ids))
    if not ids:
        return {}
    rows = (
        DeliveryBody.objects.filter(pk__in=ids)
        .annotate(
            r=_latest(MonthlyReturn.history, delivery_body_id=OuterRef("pk")),
            v=_latest(ReturnVersion.history, monthly_return__delivery_body_id=OuterRef("pk")),
            t=_latest(Target.history, kpi__delivery_body_id=OuterRef("pk")),
        )
        .values_list("pk", "r", "v", "t")
    )
    return {pk: f"{r}.{v}.{t}" for pk, r, v, t in rows}


def key(kpi, *, start: date, end: date, accepted_only: bool, reasons: dict[date, str], version: str) -> str:
    """The reading's cache key: it changes whenever anything the reading is computed from changes."""
    why = hashlib.sha256(repr(sorted(reasons.items())).encode()).hexdigest()[:16]
    figures = "accepted" if accepted_only else "all"
    return f"{PREFIX}:{kpi.pk}:{kpi.polarity}:{start:%Y-%m}:{end:%Y-%m}:{figures}:{version}:{why}"


def trimmed(chart: spc.SpcChart, start: date) -> spc.SpcChart:
    """The chart with only the points of the months shown (from ``start``) and the latest point: what a page
    asks of a reading (each shown month's signal, the latest point's variation and baseline, the baselines)."""
    points = tuple(p for i, p in enumerate(chart.points) if p.period >= start or i == len(chart.points) - 1)
    return replace(chart, points=points, _by_period={p.period: p for p in points})


def get_many(keys: Iterable[str]) -> dict[str, tuple[spc.SpcChart, dict[date, str]]]:
    return cache.get_many(list(keys))


def set_many(readings: dict[str, tuple[spc.SpcChart, dict[date, str]]]) -> None:
    if readings:
        cache.set_many(readings, timeout=TIMEOUT)
