"""When the suite runs with TRUSTGOV_TEST_CLOCK (make test-clock), the clock really is there, and the
demo data was seeded under it: the runs at other dates prove something only if both hold."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from performance.models import MonthlyReturn
from trustgov.core.dates import add_months

MOMENT = os.environ.get("TRUSTGOV_TEST_CLOCK", "").strip()

pytestmark = pytest.mark.skipif(not MOMENT, reason="runs when make test-clock moves the clock")


@pytest.mark.django_db
def test_the_clock_and_the_demo_data_are_at_the_moved_date():
    moment = timezone.make_aware(parse_datetime(MOMENT.replace("T", " ")), timezone.get_current_timezone())
    assert moment <= timezone.now() < moment + timedelta(hours=6)
    latest = MonthlyReturn.objects.filter(delivery_body__slug="sandwell-trust").latest("period").period
    assert latest == add_months(timezone.localdate().replace(day=1), -2)
