"""``seed_demo`` writes into the demo's councils and trusts only: a council adopted for real on the same
database gets no demo KPIs, targets, returns, meetings or users, however often the demo is seeded again."""

import os
from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from contracts.models import Contract
from meetings.models import Meeting
from performance.models import ImprovementPriority, Kpi, MonthlyReturn
from tests.contracts.factories import ContractFactory
from tests.factories import CouncilFactory, DeliveryBodyFactory
from trustgov.accounts.models import User
from trustgov.organisations.demo import demo_bodies, demo_body_slugs, demo_council_slugs, demo_councils


@pytest.mark.django_db
@time_machine.travel(date(2027, 2, 10), tick=False)
def test_a_real_council_is_never_given_demo_data():
    council = CouncilFactory(slug="realshire", name="Realshire Council")
    body = DeliveryBodyFactory(council=council, slug="realshire-trust", name="Realshire Children's Trust")
    ContractFactory(delivery_body=body, start_date=date(2026, 4, 1), end_date=date(2031, 3, 31))
    assert council not in demo_councils() and body not in demo_bodies()
    before_meetings = Meeting.objects.count()

    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert not Kpi.objects.filter(delivery_body=body).exists()
    assert not ImprovementPriority.objects.filter(delivery_body=body).exists()
    assert not MonthlyReturn.objects.filter(delivery_body=body).exists()
    assert not Meeting.objects.filter(delivery_body=body).exists()
    assert not User.objects.filter(username__startswith="realshire").exists()
    assert Contract.objects.get(delivery_body=body).returns_expected_from is None
    # The demo's own trusts were seeded again (the month that passed has its meetings and returns).
    assert Meeting.objects.count() >= before_meetings
    assert MonthlyReturn.objects.filter(delivery_body__in=demo_bodies()).exists()


@pytest.mark.django_db
def test_the_demo_lists_every_seeded_organisation():
    """Every council and trust the demo seeds is on the demo's list (so each is seeded in full)."""
    assert set(demo_councils().values_list("slug", flat=True)) == set(demo_council_slugs())
    assert set(demo_bodies().values_list("slug", flat=True)) == set(demo_body_slugs())
