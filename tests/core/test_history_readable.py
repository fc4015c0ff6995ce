"""The history page says why, in words: field labels and human values, never raw codes or ids."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from contracts import services
from contracts.models import Contract, ReservedMatterRequest
from tests.contracts.factories import ContractFactory
from trustgov.core import history

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(tenant_a):
    return ContractFactory(
        council=tenant_a.council,
        delivery_body=tenant_a.body,
        status=Contract.Status.LIVE,
        start_date=date(2024, 4, 1),
        end_date=date(2029, 3, 31),
        break_clause_date=None,
        break_notice_months=None,
        annual_review_date=None,
    )


def history_page(client, user, obj) -> str:
    client.force_login(user)
    url = reverse("history", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_status_change_shows_labels_and_why(client, tenant_a, contract):
    services.contract_transition(
        contract=contract, user=tenant_a.officer, target="in_notice", reason="Cabinet gave notice on 3 June (min. 14)"
    )
    page = history_page(client, tenant_a.officer, contract)
    assert "<strong>Status</strong>: Live → In notice" in page
    assert "Live → In notice: Cabinet gave notice on 3 June (min. 14)" in page
    assert "in_notice" not in page


def test_a_status_change_without_a_reason_is_refused_naming_the_field_and_changes_nothing(client, tenant_a, contract):
    before = contract.history.count()
    client.force_login(tenant_a.officer)
    response = client.post(reverse("contracts:contract-status", args=[contract.pk]), {"target": "in_notice"})
    assert response.status_code == 400 and "Enter the reason for the change" in response.content.decode()
    api = APIClient()
    api.force_authenticate(tenant_a.officer)
    refused = api.post(
        f"/api/v1/contracts/{contract.pk}/transition/", {"target": "in_notice", "reason": " "}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"reason": ["Give the reason for the change of status."]}
    contract.refresh_from_db()
    assert contract.status == Contract.Status.LIVE and contract.history.count() == before


def test_values_read_as_words(tenant_a, contract):
    status = Contract._meta.get_field("status")
    assert history.human_value(status, "in_notice") == "In notice"
    assert history.human_value(Contract._meta.get_field("council"), tenant_a.council.pk) == tenant_a.council.name
    decided_by = ReservedMatterRequest._meta.get_field("dfe_decided_by")
    tenant_a.officer.first_name, tenant_a.officer.last_name = "Olive", "Officer"
    tenant_a.officer.save()
    assert history.human_value(decided_by, tenant_a.officer.pk) == "Olive Officer"
    assert history.label(decided_by) == "DfE decided by"
    assert history.human_value(Contract._meta.get_field("scope_education"), True) == "Yes"
    assert history.human_value(Contract._meta.get_field("end_date"), date(2029, 3, 31)) == "31 March 2029"
    assert history.human_value(Contract._meta.get_field("break_clause_date"), None) == "(blank)"
    assert history.human_value(Contract._meta.get_field("council"), 10**9).endswith("(no longer held)")


def test_an_edit_shows_dates_in_words(client, tenant_a, contract):
    services.contract_update(contract=contract, user=tenant_a.officer, returns_expected_from=date(2025, 4, 9))
    page = history_page(client, tenant_a.officer, contract)
    assert "<strong>Returns expected in TrustGov from</strong>: (blank) → 1 April 2025" in page
