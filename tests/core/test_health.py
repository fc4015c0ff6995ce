import pytest
from django.db import connection
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_healthz_reports_process_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_checks_database_and_reports_eager_broker(client):
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200
    assert body["checks"]["database"] == {"status": "ok", "vendor": connection.vendor}
    assert body["checks"]["broker"]["status"] == "ok"


def test_readyz_reports_an_unreachable_broker_without_crashing(client):
    # A real connection attempt to a closed port: reported as 503, never a 500.
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["status"] == "error"


def test_readyz_reaches_a_real_broker_when_configured(client):
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/15"):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == {"status": "ok"}


def test_health_endpoints_reject_post(client):
    assert client.post("/healthz").status_code == 405
