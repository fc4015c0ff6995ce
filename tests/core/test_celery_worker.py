"""A real round trip through Redis and a Celery worker process (CI's PostgreSQL pass).

Runs when CELERY_BROKER_URL is set (as .ci/run does for its PostgreSQL pass); on the embedded
default (SQLite, eager Celery) there is no broker or shared database for a worker to use.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from trustgov.celery import app
from trustgov.core.tasks import ping
from trustgov.organisations.models import Council

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not os.environ.get("CELERY_BROKER_URL") or connection.vendor != "postgresql",
        reason="needs CELERY_BROKER_URL and PostgreSQL (the CI PostgreSQL pass sets both)",
    ),
]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def celery_worker_process(transactional_db):
    """Start `celery worker` against the test database, as production would run it."""
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trustgov.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    queue = f"test-{os.getpid()}"
    # The test settings run tasks in-process; here they must go through Redis to the worker.
    app.conf.task_always_eager = False
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "trustgov", "worker", "--pool=solo", "-Q", queue, "--loglevel=warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        yield queue
    finally:
        app.conf.task_always_eager = True
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_task_round_trips_through_redis_and_a_worker(celery_worker_process):
    Council.objects.create(slug="roundtrip", name="Round Trip Council", council_type="unitary")
    started = time.monotonic()
    result = ping.apply_async(args=["hello"], queue=celery_worker_process)
    payload = result.get(timeout=60)
    assert payload["echo"] == "hello"
    assert payload["database"] == "postgresql"
    # The worker read the committed row from the same database.
    assert payload["councils"] == Council.objects.count()
    assert time.monotonic() - started < 60
