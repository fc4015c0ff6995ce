"""Exempt data: a risk, a reserved-matter request, a variation and an escalation step marked exempt
with its Schedule 12A paragraph never reach scrutiny — pages, API, history, reports."""

from datetime import date

import pytest
from django.urls import reverse

from contracts import services
from contracts.models import EscalationStep, ReservedMatterRequest, Risk, Variation
from tests.api.helpers import client_with, token_for
from trustgov.core.exempt import hides_exempt
from trustgov.core.scoping import visible

from .factories import ContractFactory, ReservedMatterFactory

pytestmark = pytest.mark.django_db

RISK = "Recruitment and retention of social workers"


@pytest.fixture(autouse=True)
def _frozen_today(time_machine):
    time_machine.move_to(date(2026, 11, 23), tick=False)


def sandwell_contract():
    return Risk.objects.get(title=RISK, contract__delivery_body__slug="sandwell-trust").contract


def test_the_demo_risk_register_is_exempt_and_scrutiny_never_sees_it(client, demo_user):
    contract = sandwell_contract()
    risk = contract.risks.get(title=RISK)
    assert (risk.is_exempt, risk.exempt_category) == (True, "3")
    client.force_login(demo_user("sandwell-officer"))
    page = client.get(contract.get_absolute_url()).content.decode()
    assert RISK in page and "Not for publication" in page
    client.force_login(demo_user("sandwell-scrutiny"))
    page = client.get(contract.get_absolute_url()).content.decode()
    assert RISK not in page
    history = reverse("history", kwargs={"app_label": "contracts", "model_name": "risk", "pk": risk.pk})
    assert client.get(history).status_code == 404
    api = client_with(token_for("sandwell-scrutiny")).get("/api/v1/risks/").json()
    assert RISK not in str(api)
    assert client_with(token_for("sandwell-scrutiny")).get(f"/api/v1/risks/{risk.pk}/").status_code == 404
    officer = client_with(token_for("sandwell-officer")).get(f"/api/v1/risks/{risk.pk}/").json()
    assert (officer["is_exempt"], officer["exempt_category"]) == (True, "3")


def test_each_kind_of_record_is_hidden_from_scrutiny_by_its_scoping_function(tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body)
    officer = tenant_a.officer
    exempt = {"is_exempt": True, "exempt_category": "3"}
    risk = services.risk_save(
        contract=contract, user=officer, title="Pay negotiations", owner="DCS", likelihood=3, impact=3, **exempt
    )
    variation = services.variation_propose(contract=contract, user=officer, title="Price change", **exempt)
    step = services.escalation_record(
        contract=contract,
        user=officer,
        stage="concern",
        taken_on=date(2026, 11, 2),
        summary="Legal advice",
        **{
            "is_exempt": True,
            "exempt_category": "5",
        },
    )
    matter = ReservedMatterFactory(delivery_body=tenant_a.body)
    request = services.request_raise(
        user=tenant_a.trust_exec,
        reserved_matter=matter,
        title="Settlement",
        details="A settlement with a named person.",
        decision_due=date(2026, 12, 31),
        is_exempt=True,
        exempt_category="1",
    )
    for model, record in (
        (Risk, risk),
        (Variation, variation),
        (EscalationStep, step),
        (ReservedMatterRequest, request),
    ):
        assert visible(model, officer).filter(pk=record.pk).exists()
        assert not visible(model, tenant_a.scrutiny).filter(pk=record.pk).exists(), model.__name__
    assert visible(ReservedMatterRequest, tenant_a.trust_exec).filter(pk=request.pk).exists()  # the trust's own


def test_scrutiny_does_not_learn_the_escalation_stage_from_an_exempt_step(client, tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body)
    services.escalation_record(
        contract=contract,
        user=tenant_a.officer,
        stage="formal_notice",
        taken_on=date(2026, 11, 2),
        summary="Notice",
        is_exempt=True,
        exempt_category="6",
    )
    client.force_login(tenant_a.scrutiny)
    page = client.get(contract.get_absolute_url()).content.decode()
    assert "Formal notice" not in page


def test_exempt_without_its_paragraph_is_refused_naming_the_field(client, tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body)
    client.force_login(tenant_a.officer)
    before = Risk.objects.count()
    response = client.post(
        reverse("contracts:risk-create", kwargs={"pk": contract.pk}),
        {"title": "Secret", "owner": "DCS", "likelihood": "2", "impact": "2", "is_exempt": "on", "exempt_category": ""},
    )
    assert response.status_code == 400
    assert "Choose the Schedule 12A paragraph that makes it exempt" in response.content.decode()
    assert 'href="#id_exempt_category"' in response.content.decode()
    assert Risk.objects.count() == before
    with pytest.raises(Exception) as exc:
        services.variation_propose(contract=contract, user=tenant_a.officer, title="X", is_exempt=True)
    assert "exempt_category" in exc.value.message_dict


def test_only_scrutiny_and_the_public_are_kept_from_exempt_data(tenant_a, dfe_user):
    from django.contrib.auth.models import AnonymousUser

    assert hides_exempt(tenant_a.scrutiny) and hides_exempt(AnonymousUser())
    assert not any(hides_exempt(u) for u in (tenant_a.officer, tenant_a.trust_exec, dfe_user))


def test_an_exempt_variation_step_or_request_reaches_scrutiny_nowhere(client, tenant_a):
    """Planted titles of each kind never reach scrutiny: pages, API lists and details, history, open data and the
    report's reserved-matter section (the officer does see them, so the check can fail)."""
    from reports.sections import reserved_matters_section
    from tests.reports.factories import ReportDraftFactory

    contract = ContractFactory(delivery_body=tenant_a.body)
    officer = tenant_a.officer
    exempt = {"is_exempt": True, "exempt_category": "3"}
    variation = services.variation_propose(contract=contract, user=officer, title="Zebra price change", **exempt)
    step = services.escalation_record(
        contract=contract, user=officer, stage="concern", taken_on=date(2026, 11, 2), summary="Yak advice", **exempt
    )
    request = services.request_raise(
        user=tenant_a.trust_exec,
        reserved_matter=ReservedMatterFactory(delivery_body=tenant_a.body),
        title="Quokka settlement",
        details="A settlement with a named person.",
        decision_due=date(2026, 12, 31),
        **exempt,
    )
    services.request_record_council_decision(
        request=request, user=officer, decision="approved", decided_on=date(2026, 11, 23), decision_reference="Min 1"
    )
    planted = {
        "/api/v1/variations/": "Zebra price change",
        "/api/v1/escalation-steps/": "Yak advice",
        "/api/v1/reserved-matter-requests/": "Quokka settlement",
    }
    records = {"/api/v1/variations/": variation, "/api/v1/escalation-steps/": step}
    records["/api/v1/reserved-matter-requests/"] = request
    for user, sees in ((officer, True), (tenant_a.scrutiny, False)):
        api = client_with(token_for(user))
        for url, title in planted.items():
            assert (title in api.get(url).content.decode()) is sees, (user, url)
            assert api.get(f"{url}{records[url].pk}/").status_code == (200 if sees else 404), (user, url)
        client.force_login(user)
        pages = client.get(contract.get_absolute_url()).content.decode()
        pages += client.get(reverse("contracts:request-list")).content.decode()
        for title in ("Zebra price change", "Quokka settlement"):
            assert (title in pages) is sees, (user, title)
        for record in (variation, step, request):
            meta = record._meta
            history = reverse("history", args=[meta.app_label, meta.model_name, record.pk])
            assert client.get(history).status_code == (200 if sees else 404), (user, meta.model_name)
    client.logout()
    open_data = client.get(f"/api/v1/open-data/trusts/{tenant_a.body.slug}/records.json").content.decode()
    open_data += client.get(f"/api/v1/open-data/trusts/{tenant_a.body.slug}/ocds.json").content.decode()
    assert not any(title in open_data for title in planted.values())
    shown = services.request_raise(
        user=tenant_a.trust_exec,
        reserved_matter=request.reserved_matter,
        title="Business plan",
        details="Please approve.",
        decision_due=date(2026, 12, 31),
    )
    services.request_record_council_decision(
        request=shown, user=officer, decision="approved", decided_on=date(2026, 11, 23), decision_reference="Min 2"
    )
    draft = ReportDraftFactory(
        delivery_body=tenant_a.body, created_by=officer, period_start=date(2026, 11, 1), period_end=date(2026, 11, 30)
    )
    section = repr(reserved_matters_section(draft))
    assert "Business plan" in section and "Quokka settlement" not in section
