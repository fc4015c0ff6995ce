"""Improvement actions updated by the trust (complete needs evidence); Ofsted events recorded by officers."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from performance import services
from performance.models import ImprovementAction, ImprovementPriority, OfstedEvent


@pytest.fixture
def action(tenant_a):
    priority = ImprovementPriority.objects.create(delivery_body=tenant_a.body, number=1, title="Leadership")
    return ImprovementAction.objects.create(
        priority=priority, title="Appoint a DCS", owner="Trust Chair", due_date=date(2025, 9, 30)
    )


def test_complete_needs_evidence(tenant_a, action):
    with pytest.raises(ValidationError) as exc:
        services.action_update(action=action, user=tenant_a.trust_exec, status="complete", evidence="")
    assert "evidence" in exc.value.message_dict
    services.action_update(action=action, user=tenant_a.trust_exec, status="complete", evidence="Board minute 12")
    action.refresh_from_db()
    assert action.status == "complete" and action.history.count() == 2


def test_trust_updates_its_action_and_other_trusts_get_404(client, tenant_a, tenant_b, action):
    url = reverse("performance:action-edit", kwargs={"pk": action.pk})
    client.force_login(tenant_b.trust_exec)
    assert client.get(url).status_code == 404
    client.force_login(tenant_a.trust_exec)
    assert client.post(url, {"status": "complete", "evidence": ""}).status_code == 400
    assert client.post(url, {"status": "in_progress", "evidence": ""}).status_code == 302
    client.force_login(tenant_a.scrutiny)
    assert client.get(url).status_code == 403


def test_officer_records_ofsted_events_with_judgement_rules(client, tenant_a):
    url = reverse("performance:ofsted-add") + f"?body={tenant_a.body.slug}"
    client.force_login(tenant_a.officer)
    visit = {"date_0": "31", "date_1": "5", "date_2": "2018", "kind": "monitoring_visit", "judgement": "good"}
    response = client.post(url, visit)
    assert response.status_code == 400 and "do not give a judgement" in response.content.decode()
    assert client.post(url, {**visit, "judgement": ""}).status_code == 302
    inspection = {**visit, "kind": "inspection", "judgement": ""}
    assert "Choose the judgement" in client.post(url, inspection).content.decode()
    assert client.post(url, {**inspection, "judgement": "requires_improvement"}).status_code == 302
    assert OfstedEvent.objects.filter(delivery_body=tenant_a.body).count() == 2
    with pytest.raises(ValidationError):
        services.ofsted_event_record(
            delivery_body=tenant_a.body,
            user=tenant_a.trust_exec,
            date=date(2018, 5, 31),
            kind="inspection",
            focus="",
            judgement="good",
            letter_url="",
            summary="",
        )
