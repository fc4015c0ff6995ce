"""The web form: the same service as upload and API, errors on the named field, corrections need a reason."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from performance import services
from performance.models import MonthlyReturn

from .factories import small_catalogue

URL = reverse("performance:return-enter") + "?period=2025-06"
GOOD = {
    "RR-numerator": "40",
    "RR-denominator": "200",
    "AS45-numerator": "170",
    "AS45-denominator": "200",
    "CIN-value": "1650",
}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(date(2025, 7, 10), tick=False):
        yield


@pytest.fixture
def trust(client, tenant_a):
    small_catalogue(tenant_a.body)
    client.force_login(tenant_a.trust_exec)
    return tenant_a


def test_form_saves_a_draft_and_the_detail_page_submits_it(client, trust):
    response = client.post(URL, GOOD)
    assert response.status_code == 302
    ret = MonthlyReturn.objects.get(delivery_body=trust.body)
    response = client.post(reverse("performance:return-submit", kwargs={"pk": ret.pk}), {"confirm": "on"})
    assert response.status_code == 302
    ret.refresh_from_db()
    assert ret.status == "submitted"


def test_submit_needs_the_sign_off_confirmation(client, trust):
    client.post(URL, GOOD)
    ret = MonthlyReturn.objects.get(delivery_body=trust.body)
    response = client.post(reverse("performance:return-submit", kwargs={"pk": ret.pk}), {})
    assert response.status_code == 400 and "Confirm that you sign off the figures" in response.content.decode()


def test_errors_name_the_field_and_nothing_is_saved(client, trust):
    response = client.post(URL, {**GOOD, "RR-numerator": "300", "CIN-value": "many"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "enter a number" in page
    assert not MonthlyReturn.objects.exists() or not MonthlyReturn.objects.filter(delivery_body=trust.body).exists()
    response = client.post(URL, {**GOOD, "RR-numerator": "300"})
    assert "cannot be more than its denominator" in response.content.decode()
    assert not MonthlyReturn.objects.filter(delivery_body=trust.body).exists()


def test_after_submission_the_form_asks_for_a_reason_and_makes_a_new_version(client, trust):
    client.post(URL, GOOD)
    ret = MonthlyReturn.objects.get(delivery_body=trust.body)
    services.return_submit(monthly_return=ret, user=trust.trust_exec)
    response = client.post(URL, {**GOOD, "CIN-value": "1600"})
    assert response.status_code == 400 and "Enter the reason for the correction" in response.content.decode()
    response = client.post(URL, {**GOOD, "CIN-value": "1600", "reason": "Recount"})
    assert response.status_code == 302
    assert [v.number for v in ret.versions.order_by("number")] == [1, 2]
    assert ret.versions.get(number=1).values.get(kpi__code="CIN").value == 1650


def test_officer_cannot_open_the_form(client, tenant_a):
    client.force_login(tenant_a.officer)
    assert client.get(URL).status_code == 403
