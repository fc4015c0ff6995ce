"""The demo makes sense on whatever day seed_demo runs, and running it again later loses nothing.

`make run` seeds relative to today: the last month that has ended is the return now due (not started),
Bradford has also not sent the month before (overdue), and each reporting trust has a return queried.
A second seed_demo a month and a half later adds the months that have passed and changes no return
that exists, submitted or not.
"""

import os
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from performance import expected
from performance.demo import OVERDUE_DEMO_TRUST, demo_adopted_from, demo_months
from performance.models import MonthlyReturn, ReturnQuery, ReturnValue
from performance.services import return_due_date
from trustgov.core.dates import add_months

REPORTING = ["sandwell-trust", "west-sussex-trust", "bradford-trust", "torbay-partnership"]


def now_due(today: date) -> date:
    return add_months(today.replace(day=1), -1)


def periods(slug: str) -> set[date]:
    return set(MonthlyReturn.objects.filter(delivery_body__slug=slug).values_list("period", flat=True))


def snapshot() -> dict:
    """Every return as it stands: status, acceptance and every version's figures."""
    values: dict[int, list] = {}
    for row in ReturnValue.objects.values_list(
        "version__monthly_return_id", "version__number", "kpi__code", "value", "numerator", "denominator", "commentary"
    ).order_by("version__monthly_return_id", "version__number", "kpi__code"):
        values.setdefault(row[0], []).append(row[1:])
    return {
        (body, period): (status, accepted_version, first_submitted_at, tuple(values.get(pk, [])))
        for pk, body, period, status, accepted_version, first_submitted_at in MonthlyReturn.objects.values_list(
            "pk", "delivery_body__slug", "period", "status", "accepted_version_id", "first_submitted_at"
        )
    }


@pytest.mark.django_db
def test_the_demo_has_a_return_due_one_overdue_and_one_queried_on_the_day_it_was_seeded():
    today = timezone.localdate()
    due = now_due(today)
    for slug in REPORTING:
        have = periods(slug)
        assert due not in have, f"{slug} should not have started the {due:%B %Y} return yet"
        assert max(have) < due
    assert add_months(due, -1) in periods("sandwell-trust")
    overdue = add_months(due, -1)
    assert overdue not in periods(OVERDUE_DEMO_TRUST)
    body = MonthlyReturn.objects.filter(delivery_body__slug=OVERDUE_DEMO_TRUST).first().delivery_body
    assert return_due_date(delivery_body=body, period=overdue) < today, "the missing month's due date has passed"
    for slug in REPORTING:
        queried = MonthlyReturn.objects.filter(delivery_body__slug=slug, status=MonthlyReturn.Status.QUERIED)
        assert queried.exists(), slug
        assert ReturnQuery.objects.filter(monthly_return__in=queried, status=ReturnQuery.Status.OPEN).exists()


@pytest.mark.parametrize("day", [date(2027, 1, 1), date(2027, 3, 31), date(2027, 4, 1), date(2028, 2, 29)])
def test_the_demo_months_end_before_the_month_now_due_on_any_day(day):
    due = now_due(day)
    sandwell = demo_months("sandwell-trust", day)
    assert sandwell[-1] == add_months(due, -1) and len(sandwell) == 36 and due not in sandwell
    bradford = demo_months(OVERDUE_DEMO_TRUST, day)
    assert bradford[-1] == add_months(due, -2) and len(bradford) == 24  # one before adoption: 24 figures for SPC
    assert demo_months("doncaster-trust", day) == demo_months("doncaster-trust", date(2030, 6, 1))  # the 2013 papers
    assert len(set(sandwell)) == len(sandwell)


@pytest.mark.django_db
def test_seed_demo_run_again_later_adds_the_months_that_passed_and_changes_nothing_that_exists():
    before = snapshot()
    later = timezone.now() + timedelta(days=45)
    with time_machine.travel(later, tick=False), open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
        after = snapshot()
        call_command("seed_demo", stdout=quiet)
        again = snapshot()
        due = now_due(timezone.localdate())
    assert {k: after[k] for k in before} == before, "a return that existed was changed"
    assert again == after, "seed_demo on the same day twice changed something"
    pairs = list(MonthlyReturn.objects.values_list("delivery_body_id", "period"))
    assert len(pairs) == len(set(pairs))
    assert add_months(due, -1) in periods("sandwell-trust") and due not in periods("sandwell-trust")
    assert len(after) > len(before)


@pytest.mark.django_db
def test_the_demo_chases_only_the_months_since_the_council_adopted_trustgov():
    # Sandwell's 2018/19 returns come from the papers and the demo holds the 24 months before the one now
    # due: the five years between are not "67 earlier returns not submitted", they predate TrustGov.
    today = timezone.localdate()
    due = now_due(today)
    missing: dict[str, list[date]] = {}
    for row in expected.all_expected_returns(today=today):
        if not row.received:
            missing.setdefault(row.delivery_body.slug, []).append(row.period)
    assert missing["sandwell-trust"] == [due]
    assert missing[OVERDUE_DEMO_TRUST] == [add_months(due, -1), due]
    # Doncaster sent nothing after March 2015 (its papers' figures): every month since adoption says so.
    adopted = demo_adopted_from(today)
    assert missing["doncaster-trust"][0] == adopted and missing["doncaster-trust"][-1] == due
    assert len(missing["doncaster-trust"]) == 25
    assert periods("sandwell-trust") >= {date(2018, 4, 1), date(2019, 3, 1)}  # the papers' year is still there
