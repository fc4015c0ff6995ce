"""Input that used to be a server error or to show Python's own text: a 400 with a GOV.UK message."""

from datetime import date

import pytest
from django.urls import reverse

from contracts.models import BudgetMonth
from meetings.models import Meeting
from performance.models import OfstedEvent

from ..contracts.factories import ContractFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_today(time_machine):
    time_machine.move_to(date(2026, 11, 23), tick=False)


BUDGET = {"month_0": "1", "month_1": "5", "month_2": "2026", "budget": "100", "forecast_outturn": "90"}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"month_0": "1" * 20}, "Month (any day in it) must be a real date"),
        ({"month_2": "9" * 20}, "Month (any day in it) must be a real date"),
        ({"month_0": "31", "month_1": "2"}, "Month (any day in it) must be a real date"),
        ({"month_2": "0"}, "Month (any day in it) must be a real date"),
        ({"budget": "١٠٠"}, "Budget must be an amount in pounds"),  # Arabic-Indic digits
        ({"budget": "1e3"}, "Budget must be an amount in pounds"),
        ({"forecast_outturn": "NaN"}, "Forecast outturn must be an amount in pounds"),
    ],
)
def test_the_budget_month_form_refuses_bad_days_and_digits(client, tenant_a, changes, message):
    contract = ContractFactory(delivery_body=tenant_a.body)
    client.force_login(tenant_a.officer)
    response = client.post(reverse("contracts:budget-month-create", args=[contract.pk]), {**BUDGET, **changes})
    page = response.content.decode()
    assert response.status_code == 400 and message in page
    assert "out of range" not in page and "too large to convert" not in page
    assert not BudgetMonth.objects.filter(contract=contract).exists()


@pytest.mark.parametrize(("day", "month", "year"), [("31", "2", "2027"), ("1" * 20, "1", "2027"), ("1", "13", "2027")])
def test_a_meeting_date_error_is_the_design_systems_message(client, tenant_a, day, month, year):
    client.force_login(tenant_a.officer)
    response = client.post(
        reverse("meetings:meeting-create"),
        {
            "body_kind": "strategic_partnership_board",
            "title": "Board",
            "date_0": day,
            "date_1": month,
            "date_2": year,
            "delivery_body": tenant_a.body.pk,
        },
    )
    page = response.content.decode()
    assert response.status_code == 400 and "Date of the meeting must be a real date" in page
    assert "day is out of range" not in page and "month must be in 1..12" not in page
    assert not Meeting.objects.filter(title="Board", council=tenant_a.council).exists()


@pytest.mark.parametrize(("day", "month", "year"), [("30", "2", "2018"), ("9" * 20, "5", "2018")])
def test_an_ofsted_date_error_is_the_design_systems_message(client, tenant_a, day, month, year):
    client.force_login(tenant_a.officer)
    url = reverse("performance:ofsted-add") + f"?body={tenant_a.body.slug}"
    response = client.post(
        url, {"date_0": day, "date_1": month, "date_2": year, "kind": "monitoring_visit", "judgement": ""}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "Date must be a real date" in page
    assert "day is out of range" not in page and "too large" not in page
    assert not OfstedEvent.objects.filter(delivery_body=tenant_a.body).exists()
