"""Read models for the dashboards: tiles, a KPI's series, the cross-trust comparison.

The number of queries does not depend on how many years of returns exist: each read is a
fixed handful of queries over a bounded window (see benchmarks/run.py).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Max

from trustgov.core.dates import add_months, financial_year_label, financial_year_start

from . import calculations, charts
from .models import Kpi, MonthlyReturn
from .selectors import england_benchmarks, latest_submitted_values, targets_by_kpi

WINDOW = 13  # this month and the same month last year


@dataclass
class Tile:
    kpi: Kpi
    period: date | None
    value: Decimal | None
    rag: str
    rag_label: str
    rag_tag: str
    target: object
    benchmark: object
    vs_last_month: str
    vs_last_year: str
    trend: str
    chart: str
    series: list[tuple[date, Decimal | None]]
    version: int | None

    @property
    def unit_suffix(self) -> str:
        return {"percentage": "%", "rate_per_10000": " per 10,000", "days": " days"}.get(self.kpi.unit, "")


def latest_period(body) -> date | None:
    return MonthlyReturn.objects.filter(delivery_body=body, first_submitted_at__isnull=False).aggregate(
        latest=Max("period")
    )["latest"]


def rag_for(kpi: Kpi, value, period: date, targets: dict[int, dict[int, object]]) -> str:
    target = targets.get(kpi.pk, {}).get(financial_year_start(period))
    return calculations.rag(
        value,
        target.value if target else None,
        target.amber_tolerance if target else None,
        kpi.polarity,
        period=period,
        formal_start=kpi.formal_reporting_start,
    )


def tiles_for(body, *, charts_on: bool = True) -> tuple[list[Tile], date | None]:
    kpis = list(Kpi.objects.filter(delivery_body=body).select_related("priority"))
    end = latest_period(body)
    if end is None:
        return [], None
    months = [add_months(end, -i) for i in range(WINDOW - 1, -1, -1)]
    values = latest_submitted_values(body_ids=[body.pk], start=months[0], end=end)
    ids = [k.pk for k in kpis]
    targets = targets_by_kpi(ids)
    benchmarks = england_benchmarks(ids)
    tiles = []
    for kpi in kpis:
        series = [(m, (values.get((kpi.pk, m)) or {}).get("value")) for m in months]
        nums = [v for _, v in series]
        current, previous, last_year = nums[-1], nums[-2], nums[0]
        status = rag_for(kpi, current, end, targets)
        target = targets.get(kpi.pk, {}).get(financial_year_start(end))
        tiles.append(
            Tile(
                kpi=kpi,
                period=end,
                value=current,
                rag=status,
                rag_label=calculations.RAG_LABELS[status]
                if status != calculations.GREY
                else _grey_label(kpi, end, target),
                rag_tag=calculations.RAG_TAG[status],
                target=target,
                benchmark=benchmarks.get(kpi.pk),
                vs_last_month=calculations.direction(current, previous, kpi.polarity),
                vs_last_year=calculations.direction(current, last_year, kpi.polarity),
                trend=calculations.rolling_trend(nums, kpi.polarity),
                chart=charts.sparkline(nums, label=f"{kpi.title}: last 13 months") if charts_on else "",
                series=series,
                version=(values.get((kpi.pk, end)) or {}).get("version"),
            )
        )
    return tiles, end


def _grey_label(kpi: Kpi, period: date, target) -> str:
    if kpi.formal_reporting_start and period < kpi.formal_reporting_start:
        return f"Grey: grace period (formal reporting from {kpi.formal_reporting_start:%B %Y})"
    if target is None:
        return f"Grey: no target for {financial_year_label(financial_year_start(period))}"
    return "Grey: no value"
