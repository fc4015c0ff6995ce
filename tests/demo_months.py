"""Months of the demo data, asked of the data itself.

seed_demo writes returns relative to the day it runs (the last ended month is the one now due), so a
test never names a month: it asks which month a trust has not started, or which months have figures.
"""

from datetime import date

from django.utils import timezone

from performance.models import MonthlyReturn
from trustgov.core.dates import add_months, financial_year_bounds, financial_year_start


def ym(month: date) -> str:
    return f"{month:%Y-%m}"


def month_not_started(slug: str) -> date:
    """The latest month that has ended and for which the trust has no return at all."""
    have = set(MonthlyReturn.objects.filter(delivery_body__slug=slug).values_list("period", flat=True))
    month = add_months(timezone.localdate().replace(day=1), -1)
    while month in have:
        month = add_months(month, -1)
    return month


def latest_month_with_returns(slugs: list[str] | None = None, at_least: int = 2) -> date:
    """The latest month for which at least ``at_least`` trusts (of ``slugs``, if given) have a return."""
    returns = MonthlyReturn.objects.all()
    if slugs:
        returns = returns.filter(delivery_body__slug__in=slugs)
    months: dict[date, set[int]] = {}
    for period, body in returns.values_list("period", "delivery_body_id"):
        months.setdefault(period, set()).add(body)
    return max(m for m, bodies in months.items() if len(bodies) >= at_least)


def last_full_financial_year(slug: str) -> tuple[date, date]:
    """First and last month of the latest financial year in which the trust has a return every month."""
    have = set(MonthlyReturn.objects.filter(delivery_body__slug=slug).values_list("period", flat=True))
    year = financial_year_start(max(have))
    while True:
        start, _end = financial_year_bounds(year)
        months = {add_months(start, i) for i in range(12)}
        if months <= have:
            return start, add_months(start, 11)
        year -= 1
