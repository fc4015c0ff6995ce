"""One rule for refusals (ADR 0008), on the web and the API alike: the wrong role is a 403, a step that is
not open from the current state is a 400, and neither changes anything. Appointments are driven step by
step as every role in tests/boards/test_workflow_roles.py; here the contract and action workflows."""

from datetime import date

import pytest
from django.test import Client
from rest_framework.test import APIClient

from contracts.models import Contract
from meetings.models import Action, BodyKind
from tests.contracts.factories import ContractFactory
from tests.meetings.factories import ActionFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.default_format = "json"
    client.force_authenticate(user)
    return client


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def contract(tenant_a):
    return ContractFactory(delivery_body=tenant_a.body, status=Contract.Status.LIVE)


def test_contract_step_by_the_wrong_role_is_403_on_web_and_api(tenant_a, contract):
    url = f"/api/v1/contracts/{contract.pk}/transition/"
    assert (
        api(tenant_a.trust_exec).post(url, {"target": "in_notice", "reason": "Recorded in the test"}).status_code == 403
    )
    assert (
        web(tenant_a.trust_exec)
        .post(f"/contracts/{contract.pk}/status/", {"target": "in_notice", "reason": "Recorded in the test"})
        .status_code
        == 403
    )
    contract.refresh_from_db()
    assert contract.status == Contract.Status.LIVE


def test_contract_step_not_open_is_400_on_web_and_api(tenant_a, contract):
    response = api(tenant_a.officer).post(
        f"/api/v1/contracts/{contract.pk}/transition/", {"target": "signed", "reason": "Recorded in the test"}
    )
    assert response.status_code == 400 and "status" in response.json()["errors"]
    assert (
        web(tenant_a.officer)
        .post(f"/contracts/{contract.pk}/status/", {"target": "signed", "reason": "Recorded in the test"})
        .status_code
        == 400
    )
    contract.refresh_from_db()
    assert contract.status == Contract.Status.LIVE
    # The open step, by the role that takes it, goes through.
    response = api(tenant_a.officer).post(
        f"/api/v1/contracts/{contract.pk}/transition/", {"target": "in_notice", "reason": "Recorded in the test"}
    )
    assert response.status_code == 200 and response.json()["status"] == "in_notice"


@pytest.fixture
def actions(tenant_a):
    meeting = MeetingFactory(
        delivery_body=tenant_a.body, body_kind=BodyKind.SCRUTINY_COMMITTEE, date=date(2022, 7, 14), title="July"
    )
    return ActionFactory(meeting=meeting, owner_user=tenant_a.trust_exec), ActionFactory(meeting=meeting)


def test_an_action_update_by_the_wrong_role_is_403_on_web_and_api(tenant_a, actions):
    _, theirs = actions
    update = {"text": "Meddling", "status": "done"}
    assert api(tenant_a.trust_exec).post(f"/api/v1/meeting-actions/{theirs.pk}/updates/", update).status_code == 403
    assert web(tenant_a.trust_exec).post(f"/meetings/actions/{theirs.pk}/", update).status_code == 403
    assert not theirs.updates.exists()


def test_an_action_moved_to_a_status_that_is_not_one_is_400_on_web_and_api(tenant_a, actions):
    mine, _ = actions
    update = {"text": "Lost it", "status": "lost"}
    assert api(tenant_a.trust_exec).post(f"/api/v1/meeting-actions/{mine.pk}/updates/", update).status_code == 400
    assert web(tenant_a.trust_exec).post(f"/meetings/actions/{mine.pk}/", update).status_code == 400
    mine.refresh_from_db()
    assert mine.status == Action.Status.OPEN and not mine.updates.exists()
