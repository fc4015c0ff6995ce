"""Contract and reserved-matter pages: what each role sees, bad input, tenancy."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from contracts.exports import COLUMNS
from contracts.models import Contract, ReservedMatterRequest
from trustgov.core.exports import neutralise
from trustgov.core.navigation import attention_for

from .factories import ContractFactory, RequestFactory, ReservedMatterFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_today(time_machine):
    time_machine.move_to(date(2026, 11, 23), tick=False)


def _date(prefix: str, day: date) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _contract_post(tenant, **overrides):
    data = {
        "delivery_body": tenant.body.pk,
        "title": "Alpha contract",
        "reference": "ALPHA-WEB",
        "initial_term_years": 5,
        "return_due_working_days": 10,
        "kpi_grace_months": 6,
        "scope_childrens_social_care": "on",
        **_date("start_date", date(2025, 4, 1)),
        **_date("end_date", date(2030, 3, 31)),
        **_date("break_clause_date", date(2028, 3, 31)),
        "break_notice_months": 6,
    }
    data.update(overrides)
    return data


def test_sandwell_contract_page_shows_money_obligations_and_timeline(client, demo_user):
    client.force_login(demo_user("sandwell-trust-exec"))
    contract = Contract.objects.get(reference="SMBC-SCT-2018")
    page = client.get(contract.get_absolute_url()).content.decode()
    assert "£58,330,000.00" in page and "£2,150,000.00" in page and "£1,660,000.00" in page
    assert "2018/19" in page
    assert "Key Performance Indicators agreed" in page and "31 Jul 2018" in page and "30 Sep 2018" in page
    assert "Last day to give notice to break" in page and "31 March 2022" in page  # 31 March 2023 less 12 months
    assert "Leased cars" in page
    assert reverse("history", args=["contracts", "contract", contract.pk]) in page
    assert "Edit contract" not in page


def test_officer_creates_a_contract_through_the_form(client, tenant_a):
    client.force_login(tenant_a.officer)
    response = client.post(reverse("contracts:contract-create"), _contract_post(tenant_a))
    contract = Contract.objects.get(reference="ALPHA-WEB")
    assert response.status_code == 302 and response["Location"] == contract.get_absolute_url()
    assert contract.council == tenant_a.council and contract.kpi_grace_months == 6


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (_date("end_date", date(2024, 1, 1)), "The expiry date must be after the start"),
        (_date("break_clause_date", date(2031, 1, 1)), "The break clause date must be before the expiry date"),
        ({"end_date_0": "31", "end_date_1": "2", "end_date_2": "2030"}, "Expiry date must be a real date"),
        ({"title": ""}, "Enter the title"),
    ],
)
def test_contract_form_shows_field_messages(client, tenant_a, overrides, message):
    client.force_login(tenant_a.officer)
    response = client.post(reverse("contracts:contract-create"), _contract_post(tenant_a, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert not Contract.objects.filter(reference="ALPHA-WEB").exists()


def test_officer_cannot_pick_another_councils_trust(client, tenant_a, tenant_b):
    client.force_login(tenant_a.officer)
    response = client.post(
        reverse("contracts:contract-create"), _contract_post(tenant_a, delivery_body=tenant_b.body.pk)
    )
    assert response.status_code == 400
    assert not Contract.objects.filter(reference="ALPHA-WEB").exists()


def test_status_change_through_the_page(client, tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body, status=Contract.Status.DRAFT)
    client.force_login(tenant_a.officer)
    url = reverse("contracts:contract-status", args=[contract.pk])
    bad = client.post(url, {"target": "live", "reason": "Recorded in the test"})
    assert bad.status_code == 400 and "Select a valid choice" in bad.content.decode()
    assert client.post(url, {"target": "signed", "reason": "Recorded in the test"}).status_code == 302
    contract.refresh_from_db()
    assert contract.status == Contract.Status.SIGNED


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("contract_sum", "-5", "Contract sum cannot be negative"),
        ("accommodation_income", "lots", "Accommodation income must be an amount in pounds"),
    ],
)
def test_money_form_refuses_bad_amounts(client, tenant_a, field, value, message):
    contract = ContractFactory(delivery_body=tenant_a.body)
    client.force_login(tenant_a.officer)
    data = {
        "financial_year": 2024,
        "contract_sum": "100",
        "support_services_income": "0",
        "accommodation_income": "0",
        "grants_and_contributions": "0",
        "dfe_vat_funding": "0",
        "setup_costs": "0",
        field: value,
    }
    response = client.post(reverse("contracts:finance-create", args=[contract.pk]), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not contract.finance_years.exists()


def test_other_tenants_get_404(client, tenant_a, tenant_b):
    contract = ContractFactory(delivery_body=tenant_a.body)
    request = RequestFactory(
        reserved_matter=ReservedMatterFactory(delivery_body=tenant_a.body), raised_by=tenant_a.trust_exec
    )
    for user in (tenant_b.officer, tenant_b.trust_exec, tenant_b.scrutiny):
        client.force_login(user)
        assert client.get(contract.get_absolute_url()).status_code == 404
        assert client.get(request.get_absolute_url()).status_code == 404
    client.force_login(tenant_b.officer)
    assert client.get(reverse("contracts:contract-edit", args=[contract.pk])).status_code == 404
    assert client.get(reverse("contracts:request-decide", args=[request.pk])).status_code == 404


def test_trust_exec_cannot_raise_for_another_trust_on_the_web(client, tenant_a, tenant_b):
    other = ReservedMatterFactory(delivery_body=tenant_b.body)
    client.force_login(tenant_a.trust_exec)
    response = client.post(
        reverse("contracts:request-create"),
        {"reserved_matter": other.pk, "title": "x", "details": "y", **_date("decision_due", date(2026, 12, 31))},
    )
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert not ReservedMatterRequest.objects.filter(reserved_matter=other).exists()


def test_attention_lists_requests_for_each_role(demo_user):
    trust = [i.title for i in attention_for(demo_user("sandwell-trust-exec"))]
    assert "Reserved matter: Appoint a non-executive director with finance experience" in trust
    officer = [i.title for i in attention_for(demo_user("sandwell-officer"))]
    assert "Reserved matter: Appoint a non-executive director with finance experience" in officer
    dfe = [i.title for i in attention_for(demo_user("dfe-liaison"))]
    assert "Reserved matter: Appoint a non-executive director with finance experience" not in dfe
    assert not [i for i in attention_for(demo_user("sandwell-scrutiny")) if i.title.startswith("Reserved matter")]


def test_a_request_decided_through_its_appointment_is_listed_once_as_the_appointment(demo_user):
    """The Chair's reappointment is decided on the appointment's page, so only the appointment is listed."""
    chair = ReservedMatterRequest.objects.get(title="Reappoint the Trust Chair for a further term")
    assert chair.decided_through and chair.status == ReservedMatterRequest.Status.AWAITING_DFE
    for username in ("dfe-liaison", "sandwell-trust-exec"):
        items = attention_for(demo_user(username))
        assert not [i for i in items if i.url == chair.get_absolute_url()], username
        chair_items = [i for i in items if i.title.startswith("Appointment:") and i.title.endswith(" as Chair")]
        assert len(chair_items) == 1, username
        assert chair_items[0].url.startswith("/boards/appointments/")
    # The same request without an appointment taking its decisions is the DfE's to decide here.
    chair.decided_through = ""
    chair.save(update_fields=["decided_through"])
    dfe = attention_for(demo_user("dfe-liaison"))
    assert [i.url for i in dfe if i.title == f"Reserved matter: {chair.title}"] == [chair.get_absolute_url()]


def test_neutralise_formula_injection():
    assert neutralise("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    for value in ("+1", "-1", "@SUM(A1)", "\tx"):
        assert neutralise(value).startswith("'")
    assert neutralise("Sandwell") == "Sandwell" and neutralise(5) == 5


def test_register_csv_has_transparency_code_columns_and_is_scoped(client, demo_user):
    client.force_login(demo_user("sandwell-officer"))
    response = client.get(reverse("contracts:register-csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == COLUMNS
    assert [r[0] for r in rows[1:]] == ["SMBC-SCT-2018"]
    assert rows[1][COLUMNS.index("Value in current financial year (£)")] == "58330000.00"


def test_register_xlsx_opens_and_neutralises_formulas(client, tenant_a):
    ContractFactory(delivery_body=tenant_a.body, title="=cmd|' /C calc'!A0", reference="-EVIL")
    client.force_login(tenant_a.officer)
    response = client.get(reverse("contracts:register-xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == COLUMNS
    assert rows[1][0] == "'-EVIL" and rows[1][1].startswith("'=")
    assert rows[1][COLUMNS.index("Start date")].date() == date(2020, 4, 1)


def test_dfe_sees_every_contract_in_the_register(client, demo_user):
    client.force_login(demo_user("dfe-liaison"))
    rows = list(csv.reader(io.StringIO(client.get(reverse("contracts:register-csv")).content.decode("utf-8-sig"))))
    assert len(rows) - 1 == Contract.objects.count()


def test_escalation_step_with_evidence_shows_as_current_stage_and_downloads_only_in_scope(client, tenant_a, tenant_b):
    from django.core.files.uploadedfile import SimpleUploadedFile

    contract = ContractFactory(delivery_body=tenant_a.body)
    client.force_login(tenant_a.officer)
    response = client.post(
        reverse("contracts:escalation-create", args=[contract.pk]),
        {
            "stage": "formal_notice",
            **_date("taken_on", date(2026, 11, 2)),
            "summary": "Formal notice served on timeliness of assessments",
            "evidence": SimpleUploadedFile("notice.pdf", b"%PDF-1.4 notice", content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    step = contract.escalation_steps.get()
    page = client.get(contract.get_absolute_url()).content.decode()
    assert 'data-testid="escalation-stage">Formal notice<' in page
    url = reverse("contracts:escalation-evidence", args=[step.pk])
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 notice"
    client.force_login(tenant_b.officer)
    assert client.get(url).status_code == 404
    client.force_login(tenant_a.officer)
    future = client.post(
        reverse("contracts:escalation-create", args=[contract.pk]),
        {"stage": "step_in", **_date("taken_on", date(2027, 1, 1)), "summary": "x"},
    )
    assert "The date of the step cannot be in the future" in future.content.decode()
    assert contract.escalation_steps.count() == 1
