import os
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings

from tests.core.test_celery_worker import celery_worker_process  # noqa: F401  (fixture)
from trustgov.core.views import WORKER_ANSWERED_KEY

pytestmark = pytest.mark.django_db


def test_healthz_reports_process_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_checks_database_and_reports_eager_broker(client):
    # The embedded default: no broker configured, tasks run eagerly (the CI PostgreSQL pass sets one).
    with override_settings(CELERY_BROKER_URL=""):
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


def test_readyz_reaches_a_real_broker_and_reports_that_no_worker_answers(client):
    cache.delete(WORKER_ANSWERED_KEY)
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:6379/15", READYZ_WORKER_PING_SECONDS=0.5):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["broker"] == {"status": "ok"}
    assert body["failing"] == ["workers"]
    assert body["checks"]["workers"] == {
        "status": "error",
        "error": "no Celery worker has answered in the last 60 seconds",
    }


def test_readyz_with_an_unreachable_broker_does_not_wait_for_workers(client):
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        body = client.get("/readyz").json()
    assert body["failing"] == ["broker", "workers"]
    assert body["checks"]["workers"]["error"] == "not checked: the broker is unreachable"


@pytest.mark.worker
@pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL") or connection.vendor != "postgresql",
    reason="needs CELERY_BROKER_URL and PostgreSQL (the CI PostgreSQL pass sets both)",
)
def test_readyz_is_ready_when_a_real_worker_answers(client, celery_worker_process):  # noqa: F811
    cache.delete(WORKER_ANSWERED_KEY)
    deadline = time.monotonic() + 60
    while True:  # the worker takes a few seconds to start
        response = client.get("/readyz")
        if response.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["workers"]["status"] == "ok"


def test_health_endpoints_reject_post(client):
    assert client.post("/healthz").status_code == 405
