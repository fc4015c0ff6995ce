"""Working days (English bank holidays skipped) and financial years (April to March).

The single place for date arithmetic that governance rules depend on.
"""

import calendar
import re
from datetime import date, timedelta
from functools import lru_cache

import holidays
from django.utils.dateparse import parse_date


@lru_cache(maxsize=64)
def _english_bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: date) -> bool:
    return day in _english_bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    step = 1 if days >= 0 else -1
    current, remaining = start, abs(days)
    while remaining:
        current += timedelta(days=step)
        if is_working_day(current):
            remaining -= 1
    return current


def next_working_day(day: date) -> date:
    """``day`` itself when it is a working day, otherwise the next one."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def clear_working_days_between(earlier: date, later: date) -> int:
    """Working days strictly between two dates ("clear days": neither end counted)."""
    count, current = 0, earlier + timedelta(days=1)
    while current < later:
        if is_working_day(current):
            count += 1
        current += timedelta(days=1)
    return count


def month_end(year: int, month: int) -> date:
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def add_months(day: date, months: int) -> date:
    """Same day-of-month ``months`` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return min(day.replace(year=year, month=month + 1, day=1) + timedelta(days=day.day - 1), month_end(year, month + 1))


def financial_year_start(day: date) -> int:
    """The calendar year in which the financial year containing ``day`` began (2018 for 2018/19)."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(start_year: int) -> str:
    return f"{start_year}/{str(start_year + 1)[-2:]}"


def financial_year_bounds(start_year: int) -> tuple[date, date]:
    return date(start_year, 4, 1), date(start_year + 1, 3, 31)


_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": -1}
_WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}


def parse_day_rule(text: str) -> tuple[int, int]:
    """'last Tuesday of the month' -> (-1, 1); 'second Wednesday' -> (2, 2). Raises ValueError otherwise."""
    words = [w for w in text.lower().replace(",", " ").split() if w not in {"the", "of", "month", "each", "every"}]
    if len(words) != 2 or words[0] not in _ORDINALS or words[1].rstrip("s") not in _WEEKDAYS:
        raise ValueError(text)
    return _ORDINALS[words[0]], _WEEKDAYS[words[1].rstrip("s")]


def day_by_rule(year: int, month: int, nth: int, weekday: int) -> date:
    """The ``nth`` (1-4, or -1 for the last) ``weekday`` (Monday 0) of the month."""
    if nth == -1:
        last = month_end(year, month)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (nth - 1))


# --- Months and periods as written in URLs, forms and spreadsheets: the one parser ---------------------

_MONTH = re.compile(r"(\d{4})-(\d{2})")


def parse_month(value) -> date | None:
    """``YYYY-MM`` -> the first day of that month; None unless it is a real month."""
    match = _MONTH.fullmatch(str(value or "").strip())
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    return date(year, month, 1) if 1 <= month <= 12 and year >= 1 else None


def parse_period(value, *, end: bool = False) -> date | None:
    """``YYYY-MM`` (a whole month) or ``YYYY-MM-DD``: that day, or for a month its first day (its last, for ``end``).

    None unless it is a real month or date. Every ``?from=``/``?to=`` and every month typed into a
    form or a spreadsheet is read here.
    """
    text = str(value or "").strip()
    month = parse_month(text)
    if month is not None:
        return month_end(month.year, month.month) if end else month
    try:
        return parse_date(text)
    except ValueError:
        return None


def end_of_day(day: date):
    """The last moment of a day in the site's time zone (Europe/London): what an "as it stood on" view reads to.
    A moment at 23:59 that day is on or before it; midnight the next day is after it."""
    from datetime import datetime, time

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time.max), timezone.get_default_timezone())
