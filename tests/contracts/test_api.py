"""The contracts API: scoped reads, and writes through the same services and rules as the web."""

from datetime import date

import pytest

from contracts.models import Contract, ReservedMatter, ReservedMatterRequest

from ..api.helpers import assert_problem, client_with, token_for
from ..factories import DirectionFactory
from .factories import ContractFactory, ReservedMatterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_today(time_machine):
    time_machine.move_to(date(2026, 11, 23), tick=False)


def _writer(user):
    return client_with(token_for(user, scope="write"))


ENDPOINTS = [
    "contracts",
    "obligations",
    "contract-finance",
    "budget-months",
    "support-services",
    "variations",
    "escalation-steps",
    "risks",
    "reserved-matters",
    "reserved-matter-requests",
]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_endpoint_reads_within_scope(endpoint):
    sandwell = client_with(token_for("sandwell-trust-exec")).get(f"/api/v1/{endpoint}/")
    assert sandwell.status_code == 200
    everyone = client_with(token_for("dfe-liaison")).get(f"/api/v1/{endpoint}/")
    assert everyone.status_code == 200
    assert everyone.json()["count"] >= sandwell.json()["count"]


def test_contract_money_is_a_decimal_string_and_dates_iso():
    c = client_with(token_for("sandwell-officer"))
    contracts = c.get("/api/v1/contracts/").json()["results"]
    assert [x["reference"] for x in contracts] == ["SMBC-SCT-2018"]
    assert contracts[0]["start_date"] == "2018-04-01" and contracts[0]["last_day_to_give_notice"] == "2022-03-31"
    finance = c.get(f"/api/v1/contract-finance/?contract={contracts[0]['id']}").json()["results"]
    assert finance[0]["contract_sum"] == "58330000.00" and finance[0]["label"] == "2018/19"


def test_other_tenants_contract_is_404():
    torbay = Contract.objects.get(reference="TC-PCC-2018")
    assert_problem(client_with(token_for("sandwell-officer")).get(f"/api/v1/contracts/{torbay.pk}/"), 404)
    assert_problem(
        _writer("sandwell-officer").post(
            f"/api/v1/contracts/{torbay.pk}/transition/",
            {"target": "in_notice", "reason": "Recorded in the test"},
            format="json",
        ),
        404,
    )


def test_request_walk_through_the_api(tenant_a, dfe_user):
    DirectionFactory(council=tenant_a.council)
    matter = ReservedMatterFactory(delivery_body=tenant_a.body, requires_dfe_consent=True)
    raised = _writer(tenant_a.trust_exec).post(
        "/api/v1/reserved-matter-requests/",
        {"reserved_matter": matter.pk, "title": "Appoint the Chair", "details": "Please", "decision_due": "2026-12-31"},
        format="json",
    )
    assert raised.status_code == 201, raised.content
    pk = raised.json()["id"]
    assert raised.json()["status"] == "raised" and raised.json()["needs_dfe_consent"] is True
    # The trust cannot decide for the council, nor the DfE before the council.
    assert_problem(
        _writer(tenant_a.trust_exec).post(
            f"/api/v1/reserved-matter-requests/{pk}/council-decision/",
            {"decision": "approved", "decided_on": "2026-11-23", "decision_reference": "x"},
            format="json",
        ),
        403,
    )
    early = _writer(dfe_user).post(
        f"/api/v1/reserved-matter-requests/{pk}/dfe-decision/",
        {"decision": "approved", "decided_on": "2026-11-23"},
        format="json",
    )
    assert "status" in assert_problem(early, 400)["errors"]
    decided = _writer(tenant_a.officer).post(
        f"/api/v1/reserved-matter-requests/{pk}/council-decision/",
        {"decision": "approved", "decided_on": "2026-11-23", "decision_reference": "Cabinet 23 Nov 2026"},
        format="json",
    )
    assert decided.status_code == 200 and decided.json()["status"] == "awaiting_dfe_consent"
    # An officer cannot consent for the DfE.
    assert_problem(
        _writer(tenant_a.officer).post(
            f"/api/v1/reserved-matter-requests/{pk}/dfe-decision/",
            {"decision": "approved", "decided_on": "2026-11-23"},
            format="json",
        ),
        403,
    )
    consented = _writer(dfe_user).post(
        f"/api/v1/reserved-matter-requests/{pk}/dfe-decision/",
        {"decision": "approved", "decided_on": "2026-11-23", "reference": "DfE/1"},
        format="json",
    )
    assert consented.status_code == 200 and consented.json()["status"] == "approved"
    request = ReservedMatterRequest.objects.get(pk=pk)
    assert request.history.first().history_user == dfe_user


def test_trust_exec_cannot_raise_for_another_trust_by_api(tenant_a, tenant_b):
    other = ReservedMatterFactory(delivery_body=tenant_b.body)
    response = _writer(tenant_a.trust_exec).post(
        "/api/v1/reserved-matter-requests/",
        {"reserved_matter": other.pk, "title": "x", "details": "y", "decision_due": "2026-12-31"},
        format="json",
    )
    assert "reserved_matter" in assert_problem(response, 400)["errors"]
    assert not ReservedMatterRequest.objects.filter(reserved_matter=other).exists()


def test_scrutiny_cannot_raise_by_api(tenant_a):
    matter = ReservedMatterFactory(delivery_body=tenant_a.body)
    response = _writer(tenant_a.scrutiny).post(
        "/api/v1/reserved-matter-requests/",
        {"reserved_matter": matter.pk, "title": "x", "details": "y", "decision_due": "2026-12-31"},
        format="json",
    )
    assert_problem(response, 403)


@pytest.mark.parametrize(
    ("field", "value"), [("contract_sum", "-1.00"), ("contract_sum", "lots"), ("dfe_vat_funding", "-5")]
)
def test_bad_money_by_api_is_400_naming_the_field(tenant_a, field, value):
    contract = ContractFactory(delivery_body=tenant_a.body)
    body = {"contract": contract.pk, "financial_year": 2024, "contract_sum": "100.00", field: value}
    response = _writer(tenant_a.officer).post("/api/v1/contract-finance/", body, format="json")
    assert field in assert_problem(response, 400)["errors"]
    assert not contract.finance_years.exists()


def test_officer_records_money_by_api(tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body)
    body = {"contract": contract.pk, "financial_year": 2024, "contract_sum": "58330000.00"}
    response = _writer(tenant_a.officer).post("/api/v1/contract-finance/", body, format="json")
    assert response.status_code == 201 and response.json()["contract_sum"] == "58330000.00"
    assert_problem(_writer(tenant_a.trust_exec).post("/api/v1/contract-finance/", body, format="json"), 403)


def test_contract_transition_by_api_obeys_the_lifecycle(tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body, status=Contract.Status.DRAFT)
    url = f"/api/v1/contracts/{contract.pk}/transition/"
    assert (
        "status"
        in assert_problem(
            _writer(tenant_a.officer).post(url, {"target": "live", "reason": "Recorded in the test"}, format="json"),
            400,
        )["errors"]
    )
    assert_problem(
        _writer(tenant_a.trust_exec).post(url, {"target": "signed", "reason": "Recorded in the test"}, format="json"),
        403,
    )
    ok = _writer(tenant_a.officer).post(url, {"target": "signed", "reason": "Recorded in the test"}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "signed"


def test_termination_by_api_needs_dfe_consent(tenant_a, dfe_user):
    DirectionFactory(council=tenant_a.council)
    contract = ContractFactory(delivery_body=tenant_a.body, status=Contract.Status.IN_NOTICE)
    url = f"/api/v1/contracts/{contract.pk}/transition/"
    assert_problem(
        _writer(tenant_a.officer).post(url, {"target": "terminated", "reason": "Recorded in the test"}, format="json"),
        400,
    )
    consent = f"/api/v1/contracts/{contract.pk}/termination-consent/"
    assert_problem(
        _writer(tenant_a.officer).post(consent, {"consented_on": "2026-11-01", "reference": "x"}, format="json"), 403
    )
    assert (
        _writer(dfe_user).post(consent, {"consented_on": "2026-11-01", "reference": "DfE/7"}, format="json").status_code
        == 200
    )
    assert _writer(tenant_a.officer).post(
        url, {"target": "terminated", "reason": "Recorded in the test"}, format="json"
    ).json()["status"] == ("terminated")


def test_variation_consent_by_api_is_the_dfes(tenant_a, dfe_user):
    from .factories import VariationFactory

    variation = VariationFactory(contract=ContractFactory(delivery_body=tenant_a.body))
    url = f"/api/v1/variations/{variation.pk}/dfe-consent/"
    body = {"consented_on": "2026-11-01", "reference": "DfE/8"}
    assert_problem(_writer(tenant_a.officer).post(url, body, format="json"), 403)
    assert _writer(dfe_user).post(url, body, format="json").json()["dfe_consent_reference"] == "DfE/8"


def test_reserved_matter_catalogue_is_scoped():
    rows = client_with(token_for("sandwell-trust-exec")).get("/api/v1/reserved-matters/?page_size=100").json()
    assert rows["count"] == ReservedMatter.objects.filter(delivery_body__slug="sandwell-trust").count()
    assert {r["delivery_body"] for r in rows["results"]} == {"sandwell-trust"}
