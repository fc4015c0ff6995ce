from datetime import date

from django.conf import settings
from rest_framework.test import APIClient

from contracts.models import ReservedMatterRequest
from trustgov.accounts.models import User
from trustgov.accounts.services import api_token_issue


def client_with(key: str) -> APIClient:
    c = APIClient()
    c.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return c


def token_for(user_or_username, **kw) -> str:
    user = user_or_username if isinstance(user_or_username, User) else User.objects.get(username=user_or_username)
    return api_token_issue(user=user, name="test", **kw).key


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    # The type is an absolute URI: its section of the API guide this site serves (https in production).
    assert body["status"] == status and body["title"]
    assert body["type"].startswith(f"{settings.SITE_URL}/api/docs/#problem-"), body["type"]
    return body


def awaiting_request() -> ReservedMatterRequest:
    """A Sandwell request awaiting the DfE's consent that is decided on itself (not through an appointment)."""
    linked = ReservedMatterRequest.objects.get(title="Reappoint the Trust Chair for a further term")
    return ReservedMatterRequest.objects.create(
        reserved_matter=linked.delivery_body.reserved_matters.get(
            title="Termination or major change of the service contract"
        ),
        delivery_body=linked.delivery_body,
        title="Vary the service specification",
        details="A major change of the service contract.",
        status=ReservedMatterRequest.Status.AWAITING_DFE,
        raised_by=linked.raised_by,
        raised_on=date(2026, 10, 1),
        decision_due=date(2026, 12, 31),
        council_decision="approved",
        council_decided_on=date(2026, 11, 2),
        decision_reference="Cabinet, 2 November 2026",
        needs_dfe_consent=True,
    )
