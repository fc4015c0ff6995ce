"""Health with the database refusing connections (a real connection to a closed port, no mocks):
liveness still answers 200; readiness answers 503 JSON naming the database."""

import pytest
from django.db import connections
from django.db.utils import load_backend

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def eager_celery(settings):
    """These checks are of the database; the broker is the embedded default (none, eager), even in the
    CI pass that configures one (its readiness is tested in test_health.py)."""
    settings.CELERY_BROKER_URL = ""


@pytest.fixture
def database_down():
    """The default connection swapped for one to a PostgreSQL port nothing listens on."""
    original = connections["default"]
    settings_dict = {
        **original.settings_dict,
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "trustgov",
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": "127.0.0.1",
        "PORT": "1",
        "OPTIONS": {"connect_timeout": 2},
        "CONN_MAX_AGE": 0,
        "ATOMIC_REQUESTS": True,
    }
    dead = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "default")
    connections["default"] = dead
    try:
        yield dead
    finally:
        dead.close()
        connections["default"] = original


def test_the_database_really_is_unreachable(database_down):
    from django.db import OperationalError, connection

    with pytest.raises(OperationalError):
        connection.ensure_connection()


def test_liveness_does_not_need_the_database(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert database_down.connection is None  # never even tried


def test_readiness_is_a_503_json_naming_the_database(client, database_down):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "error" and body["failing"] == ["database"]
    assert body["checks"]["database"] == {"status": "error", "error": "OperationalError"}
    assert body["checks"]["broker"]["status"] == "ok"  # eager: no broker configured


def test_with_the_database_back_readiness_is_200(client):
    assert client.get("/readyz").status_code == 200
