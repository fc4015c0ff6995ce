from django.conf import settings
from rest_framework.test import APIClient

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
