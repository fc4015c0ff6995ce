"""Bad input on the web and the API: a message naming the field or the rule, nothing saved, a 4xx.

Dates out of order, negative or non-numeric money, a consent by the wrong role and a request for
another trust; plus the break-clause notice date that the key dates depend on.
"""

from datetime import date

import pytest
from django.urls import reverse

from contracts.models import (
    BudgetMonth,
    Contract,
    Obligation,
    ReservedMatter,
    ReservedMatterRequest,
    SupportServiceLine,
    Variation,
)

from ..api.helpers import assert_problem, client_with, token_for
from ..factories import DirectionFactory
from .factories import ContractFactory, RequestFactory, ReservedMatterFactory, VariationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_today(time_machine):
    time_machine.move_to(date(2026, 11, 23), tick=False)


def _writer(user):
    return client_with(token_for(user, scope="write"))


def _date(prefix: str, day: date) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


# --- The break clause's notice date ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("break_date", "months", "last_day"),
    [
        (date(2023, 3, 31), 12, date(2022, 3, 31)),  # Sandwell
        (date(2028, 3, 31), 6, date(2027, 9, 30)),  # 30 September has no 31st
        (date(2027, 8, 31), 6, date(2027, 2, 28)),
        (date(2028, 8, 31), 6, date(2028, 2, 29)),  # leap year
        (date(2027, 1, 15), 3, date(2026, 10, 15)),  # across a year end
        (date(2027, 1, 15), 0, date(2027, 1, 15)),
    ],
)
def test_last_day_to_give_notice(break_date, months, last_day):
    contract = ContractFactory.build(break_clause_date=break_date, break_notice_months=months)
    assert contract.last_day_to_give_notice == last_day


def test_no_break_clause_means_no_notice_date():
    assert ContractFactory.build(break_clause_date=None, break_notice_months=None).last_day_to_give_notice is None


def test_the_notice_date_is_on_the_contract_page_in_date_order(client, tenant_a):
    contract = ContractFactory(
        delivery_body=tenant_a.body, break_clause_date=date(2028, 8, 31), break_notice_months=6, annual_review_date=None
    )
    client.force_login(tenant_a.trust_exec)
    page = client.get(contract.get_absolute_url()).content.decode()
    notice = page.index("<strong>29 February 2028</strong>: Last day to give notice to break")
    assert notice < page.index("<strong>31 August 2028</strong>: Break clause")


# --- Contract dates out of order -------------------------------------------------------------------

CONTRACT_JSON = {
    "delivery_body": "alpha-trust",
    "title": "Alpha contract",
    "reference": "ALPHA-API",
    "start_date": "2025-04-01",
    "end_date": "2030-03-31",
    "break_clause_date": "2028-03-31",
    "break_notice_months": 6,
}
BAD_DATES = [
    ({"end_date": "2025-01-01"}, "end_date", "The expiry date must be after the start"),
    ({"end_date": "2025-04-01"}, "end_date", "The expiry date must be after the start"),
    ({"break_clause_date": "2031-01-01"}, "break_clause_date", "The break clause date must be before the expiry date"),
    ({"break_clause_date": "2030-03-31"}, "break_clause_date", "The break clause date must be before the expiry date"),
    ({"break_clause_date": "2024-01-01"}, "break_clause_date", "The break clause date must be after the start"),
    ({"shadow_start_date": "2025-06-01"}, "shadow_start_date", "The shadow period must start before"),
    ({"annual_review_date": "2025-03-01"}, "annual_review_date", "The annual review date must be after"),
    ({"break_clause_date": None}, "break_notice_months", "Give a break clause date"),
    (
        {"start_date": "0001-01-01", "break_clause_date": "0001-03-01", "break_notice_months": 12},
        "break_notice_months",
        "before any possible date",
    ),
]


def test_officer_creates_and_edits_a_contract_by_api(tenant_a):
    created = _writer(tenant_a.officer).post("/api/v1/contracts/", CONTRACT_JSON, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "draft" and body["council"] == "alpha-council"
    assert body["last_day_to_give_notice"] == "2027-09-30"
    edited = _writer(tenant_a.officer).patch(
        f"/api/v1/contracts/{body['id']}/", {"break_notice_months": 12}, format="json"
    )
    assert edited.status_code == 200 and edited.json()["last_day_to_give_notice"] == "2027-03-31"


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_DATES)
def test_dates_out_of_order_by_api_are_400_naming_the_field(tenant_a, overrides, field, message):
    response = _writer(tenant_a.officer).post("/api/v1/contracts/", {**CONTRACT_JSON, **overrides}, format="json")
    errors = assert_problem(response, 400)["errors"]
    assert message in str(errors[field])
    assert not Contract.objects.filter(reference="ALPHA-API").exists()


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_DATES[:5])
def test_dates_out_of_order_on_edit_by_api_change_nothing(tenant_a, overrides, field, message):
    contract = ContractFactory(delivery_body=tenant_a.body, start_date=date(2025, 4, 1), end_date=date(2030, 3, 31))
    before = (contract.start_date, contract.end_date, contract.break_clause_date)
    response = _writer(tenant_a.officer).patch(f"/api/v1/contracts/{contract.pk}/", overrides, format="json")
    assert message in str(assert_problem(response, 400)["errors"][field])
    contract.refresh_from_db()
    assert (contract.start_date, contract.end_date, contract.break_clause_date) == before
    assert contract.history.count() == 1


def test_contract_writes_by_api_are_the_officers_and_their_councils(tenant_a, tenant_b):
    assert_problem(_writer(tenant_a.trust_exec).post("/api/v1/contracts/", CONTRACT_JSON, format="json"), 403)
    assert_problem(_writer(tenant_a.scrutiny).post("/api/v1/contracts/", CONTRACT_JSON, format="json"), 403)
    other = _writer(tenant_b.officer).post("/api/v1/contracts/", CONTRACT_JSON, format="json")
    assert "delivery_body" in assert_problem(other, 400)["errors"]
    contract = ContractFactory(delivery_body=tenant_a.body)
    assert_problem(
        _writer(tenant_b.officer).patch(f"/api/v1/contracts/{contract.pk}/", {"title": "x"}, format="json"), 404
    )
    assert not Contract.objects.filter(reference="ALPHA-API").exists()


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_DATES[:8])
def test_dates_out_of_order_on_the_edit_page_are_400_naming_the_field(client, tenant_a, overrides, field, message):
    contract = ContractFactory(delivery_body=tenant_a.body, start_date=date(2025, 4, 1), end_date=date(2030, 3, 31))
    data = {
        "delivery_body": tenant_a.body.pk,
        "title": contract.title,
        "reference": contract.reference,
        "initial_term_years": 5,
        "return_due_working_days": 10,
        "kpi_grace_months": 0,
        **_date("start_date", date(2025, 4, 1)),
        **_date("end_date", date(2030, 3, 31)),
        **_date("break_clause_date", date(2028, 3, 31)),
        "break_notice_months": 6,
    }
    for key, value in overrides.items():
        if key == "break_notice_months":
            data[key] = value
        elif value is None:
            data.update({f"{key}_0": "", f"{key}_1": "", f"{key}_2": ""})
        else:
            data.update(_date(key, date.fromisoformat(value)))
    client.force_login(tenant_a.officer)
    response = client.post(reverse("contracts:contract-edit", args=[contract.pk]), data)
    page = response.content.decode()
    assert response.status_code == 400 and "govuk-error-summary" in page
    assert message in page and f'href="#id_{field}' in page  # the summary links to the field
    contract.refresh_from_db()
    assert contract.history.count() == 1


# --- Money -----------------------------------------------------------------------------------------

MONEY_FORMS = [
    ("contracts:budget-month-create", {**_date("month", date(2026, 5, 1)), "budget": "100", "forecast_outturn": "90"}),
    (
        "contracts:support-service-create",
        {
            "service": "Payroll",
            **_date("term_start", date(2026, 4, 1)),
            **_date("term_end", date(2027, 3, 31)),
            "annual_charge": "5000",
        },
    ),
]


@pytest.mark.parametrize(
    ("url_name", "data", "field", "value", "message"),
    [
        (*MONEY_FORMS[0], "budget", "-1", "Budget cannot be negative"),
        (*MONEY_FORMS[0], "forecast_outturn", "ninety", "Forecast outturn must be an amount in pounds"),
        (*MONEY_FORMS[0], "budget", "1.234", "Budget must be in pounds and pence"),
        (*MONEY_FORMS[1], "annual_charge", "-0.01", "Annual charge cannot be negative"),
        (*MONEY_FORMS[1], "annual_charge", "£5k", "Annual charge must be an amount in pounds"),
    ],
)
def test_money_forms_refuse_bad_amounts_naming_the_field(client, tenant_a, url_name, data, field, value, message):
    contract = ContractFactory(delivery_body=tenant_a.body)
    client.force_login(tenant_a.officer)
    response = client.post(reverse(url_name, args=[contract.pk]), {**data, field: value})
    page = response.content.decode()
    assert response.status_code == 400 and message in page and f'href="#id_{field}"' in page
    assert not BudgetMonth.objects.filter(contract=contract).exists()
    assert not SupportServiceLine.objects.filter(contract=contract).exists()


@pytest.mark.parametrize(
    ("endpoint", "body", "field", "value"),
    [
        ("budget-months", {"month": "2026-05-01", "budget": "100.00", "forecast_outturn": "90.00"}, "budget", "-1"),
        ("budget-months", {"month": "2026-05-01", "budget": "100.00", "forecast_outturn": "90.00"}, "budget", "lots"),
        (
            "support-services",
            {"service": "ICT", "term_start": "2026-04-01", "term_end": "2027-03-31", "annual_charge": "1.00"},
            "annual_charge",
            "-250.00",
        ),
        (
            "support-services",
            {"service": "ICT", "term_start": "2026-04-01", "term_end": "2027-03-31", "annual_charge": "1.00"},
            "annual_charge",
            "1e",
        ),
        ("contract-finance", {"financial_year": 2024, "contract_sum": "1.00"}, "grants_and_contributions", "-3"),
        ("contract-finance", {"financial_year": 2024, "contract_sum": "1.00"}, "setup_costs", "free"),
    ],
)
def test_bad_money_by_api_is_400_naming_the_field_and_saves_nothing(tenant_a, endpoint, body, field, value):
    contract = ContractFactory(delivery_body=tenant_a.body)
    response = _writer(tenant_a.officer).post(
        f"/api/v1/{endpoint}/", {"contract": contract.pk, **body, field: value}, format="json"
    )
    assert field in assert_problem(response, 400)["errors"]
    assert not (
        contract.budget_months.exists() or contract.support_services.exists() or contract.finance_years.exists()
    )


# --- Other writes by the API go through the same services -----------------------------------------


def test_officer_records_contract_details_by_api_and_others_cannot(tenant_a, tenant_b):
    contract = ContractFactory(delivery_body=tenant_a.body)
    writes = {
        "obligations": {
            "kind": "budget_scrutiny",
            "title": "Budget scrutiny",
            "owner": "Trust CEO",
            "due_date": "2027-02-10",
        },
        "budget-months": {"month": "2026-05-17", "budget": "100.00", "forecast_outturn": "112.50"},
        "support-services": {
            "service": "Leased cars",
            "term_start": "2026-04-01",
            "term_end": "2029-03-31",
            "annual_charge": "12000.00",
        },
        "variations": {"title": "Add the edge of care service", "is_major": True},
        "escalation-steps": {"stage": "concern", "taken_on": "2026-11-02", "summary": "Timeliness fell"},
        "risks": {"title": "Recruitment", "owner": "Director", "likelihood": 4, "impact": 4},
    }
    for endpoint, body in writes.items():
        payload = {"contract": contract.pk, **body}
        assert_problem(_writer(tenant_a.trust_exec).post(f"/api/v1/{endpoint}/", payload, format="json"), 403)
        assert_problem(_writer(tenant_b.officer).post(f"/api/v1/{endpoint}/", payload, format="json"), 404)
        response = _writer(tenant_a.officer).post(f"/api/v1/{endpoint}/", payload, format="json")
        assert response.status_code == 201, (endpoint, response.content)
    assert Obligation.objects.get(contract=contract).original_due_date == date(2027, 2, 10)
    assert contract.budget_months.get().variance == 12.5
    assert Variation.objects.get(contract=contract).status == "proposed"
    assert contract.risks.get().rag == "Red"


def test_bad_obligation_by_api_names_the_field(tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body)
    body = {
        "contract": contract.pk,
        "kind": "kpi_agreement",
        "title": "KPIs agreed",
        "owner": "DCS",
        "original_due_date": "2026-07-31",
        "due_date": "2026-06-30",
    }
    response = _writer(tenant_a.officer).post("/api/v1/obligations/", body, format="json")
    assert "due_date" in assert_problem(response, 400)["errors"]
    assert not contract.obligations.exists()


def test_reserved_matter_catalogue_by_api(tenant_a, tenant_b):
    body = {
        "delivery_body": "alpha-trust",
        "title": "Appointment of the Chair",
        "decided_by": "cabinet",
        "requires_dfe_consent": True,
    }
    assert_problem(_writer(tenant_a.trust_exec).post("/api/v1/reserved-matters/", body, format="json"), 403)
    assert (
        "delivery_body"
        in assert_problem(_writer(tenant_b.officer).post("/api/v1/reserved-matters/", body, format="json"), 400)[
            "errors"
        ]
    )
    created = _writer(tenant_a.officer).post("/api/v1/reserved-matters/", body, format="json")
    assert created.status_code == 201 and created.json()["delivery_body"] == "alpha-trust"
    assert ReservedMatter.objects.filter(delivery_body=tenant_a.body).count() == 1


# --- Consent by the wrong role ---------------------------------------------------------------------


@pytest.mark.parametrize("role", ["officer", "trust_exec", "scrutiny"])
def test_consent_pages_are_the_dfes(client, tenant_a, role):
    DirectionFactory(council=tenant_a.council)
    user = getattr(tenant_a, role)
    contract = ContractFactory(delivery_body=tenant_a.body, status=Contract.Status.IN_NOTICE)
    variation = VariationFactory(contract=contract)
    matter = ReservedMatterFactory(delivery_body=tenant_a.body, requires_dfe_consent=True)
    request = RequestFactory(reserved_matter=matter, raised_by=tenant_a.trust_exec, status="awaiting_dfe_consent")
    client.force_login(user)
    consent = {**_date("consented_on", date(2026, 11, 20)), "reference": "DfE/1"}
    decision = {"decision": "approved", **_date("decided_on", date(2026, 11, 20))}
    assert (
        client.post(reverse("contracts:contract-termination-consent", args=[contract.pk]), consent).status_code == 403
    )
    assert client.post(reverse("contracts:variation-consent", args=[variation.pk]), consent).status_code == 403
    assert client.post(reverse("contracts:request-consent", args=[request.pk]), decision).status_code == 403
    api = _writer(user)
    api_consent = {"consented_on": "2026-11-20", "reference": "DfE/1"}
    assert_problem(api.post(f"/api/v1/contracts/{contract.pk}/termination-consent/", api_consent, format="json"), 403)
    assert_problem(api.post(f"/api/v1/variations/{variation.pk}/dfe-consent/", api_consent, format="json"), 403)
    assert_problem(
        api.post(
            f"/api/v1/reserved-matter-requests/{request.pk}/dfe-decision/",
            {"decision": "approved", "decided_on": "2026-11-20"},
            format="json",
        ),
        403,
    )
    contract.refresh_from_db(), variation.refresh_from_db(), request.refresh_from_db()
    assert contract.termination_consent_on is None and variation.dfe_consent_on is None
    assert request.status == "awaiting_dfe_consent"


def test_dfe_records_consent_on_the_web(client, tenant_a, dfe_user):
    DirectionFactory(council=tenant_a.council)
    contract = ContractFactory(delivery_body=tenant_a.body, status=Contract.Status.IN_NOTICE)
    client.force_login(dfe_user)
    url = reverse("contracts:contract-termination-consent", args=[contract.pk])
    future = client.post(url, {**_date("consented_on", date(2026, 12, 1)), "reference": "DfE/1"})
    assert future.status_code == 400 and "The date of consent cannot be in the future" in future.content.decode()
    done = client.post(url, {**_date("consented_on", date(2026, 11, 20)), "reference": "DfE/1"})
    assert done.status_code == 302 and done["Location"] == contract.get_absolute_url()
    contract.refresh_from_db()
    assert contract.termination_consent_reference == "DfE/1"


def test_a_refused_transition_on_the_page_is_400_and_changes_nothing(client, tenant_a):
    DirectionFactory(council=tenant_a.council)
    contract = ContractFactory(delivery_body=tenant_a.body, status=Contract.Status.IN_NOTICE)
    client.force_login(tenant_a.officer)
    response = client.post(
        reverse("contracts:contract-status", args=[contract.pk]),
        {"target": "terminated", "reason": "Recorded in the test"},
    )
    assert response.status_code == 400
    assert "cannot be terminated without a recorded DfE consent" in response.content.decode()
    contract.refresh_from_db()
    assert contract.status == Contract.Status.IN_NOTICE


def test_a_major_variation_refused_on_the_page(client, tenant_a):
    DirectionFactory(council=tenant_a.council)
    variation = VariationFactory(contract=ContractFactory(delivery_body=tenant_a.body), is_major=True)
    client.force_login(tenant_a.officer)
    response = client.post(
        reverse("contracts:variation-status", args=[variation.pk]),
        {"target": "in_effect", "reason": "Recorded in the test", **_date("effective_on", date(2026, 11, 20))},
    )
    assert response.status_code == 400 and "without a recorded DfE consent" in response.content.decode()
    variation.refresh_from_db()
    assert variation.status == "proposed"


# --- A request for another trust -------------------------------------------------------------------


def test_another_trusts_request_is_404_on_the_web_and_the_api(client, tenant_a, tenant_b):
    matter = ReservedMatterFactory(delivery_body=tenant_a.body, requires_dfe_consent=False)
    request = RequestFactory(reserved_matter=matter, raised_by=tenant_a.trust_exec)
    for user in (tenant_b.officer, tenant_b.trust_exec, tenant_b.scrutiny):
        client.force_login(user)
        for name in ("request-detail", "request-decide", "request-withdraw", "request-consent"):
            status = client.get(reverse(f"contracts:{name}", args=[request.pk])).status_code
            assert status in (403, 404), name  # 403 only where the role may never use the page
            if name in ("request-detail",):
                assert status == 404
        assert_problem(client_with(token_for(user)).get(f"/api/v1/reserved-matter-requests/{request.pk}/"), 404)
    assert client.get(reverse("contracts:request-detail", args=[request.pk])).status_code == 404
    decision = {"decision": "approved", "decided_on": "2026-11-20", "decision_reference": "x"}
    url = f"/api/v1/reserved-matter-requests/{request.pk}/"
    assert_problem(_writer(tenant_b.officer).post(url + "council-decision/", decision, format="json"), 404)
    assert_problem(_writer(tenant_b.trust_exec).post(url + "withdraw/", {"reason": "x"}, format="json"), 404)
    client.force_login(tenant_b.officer)
    web = client.post(
        reverse("contracts:request-decide", args=[request.pk]),
        {
            "decision": "approved",
            "decided_by": "cabinet",
            **_date("decided_on", date(2026, 11, 20)),
            "decision_reference": "x",
        },
    )
    assert web.status_code == 404
    request.refresh_from_db()
    assert request.status == ReservedMatterRequest.Status.RAISED


def test_raising_on_another_trusts_matter_is_400_on_the_web(client, tenant_a, tenant_b):
    other = ReservedMatterFactory(delivery_body=tenant_b.body)
    client.force_login(tenant_a.trust_exec)
    response = client.post(
        reverse("contracts:request-create"),
        {"reserved_matter": other.pk, "title": "x", "details": "y", **_date("decision_due", date(2026, 12, 31))},
    )
    page = response.content.decode()
    assert response.status_code == 400 and 'href="#id_reserved_matter"' in page
    assert other.title not in page  # the other trust's catalogue is not even offered
    assert not ReservedMatterRequest.objects.filter(reserved_matter=other).exists()
