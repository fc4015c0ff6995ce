"""Scaling out (docs/scaling.md): reports and reminders on queues of their own, and the DfE's national reads on a
read replica when one is configured, every write and every other read on the primary."""

import pytest
from django.urls import resolve

from performance.api import KpiViewSet
from performance.models import Kpi
from trustgov.celery import app
from trustgov.core import replica
from trustgov.core.replica import ReplicaRouter, national_read, reading_from_replica


@pytest.fixture(autouse=True, scope="module")
def _tasks_discovered():
    app.loader.import_default_modules()  # what `celery worker` does at start: every app's tasks module


def queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("reports.generate_report", "reports"),
        ("reports.sweep_generation", "reports"),
        ("meetings.tasks.send_due_reminders", "reminders"),
        ("meetings.tasks.send_daily_digests", "reminders"),
        ("meetings.tasks.send_weekly_digests", "reminders"),
        ("core.ping", "celery"),
    ],
)
def test_each_task_goes_to_its_queue(task, queue):
    assert task in app.tasks, f"{task} is not a registered task"
    assert queue_of(task) == queue


def test_the_default_worker_serves_every_queue_a_task_is_routed_to(settings):
    routed = {queue_of(name) for name in app.tasks if not name.startswith("celery.")}
    assert routed <= set(settings.CELERY_WORKER_QUEUES.split(","))
    for started_with in ("Makefile", "docker-compose.yml"):
        text = (settings.BASE_DIR / started_with).read_text()
        assert f"worker -Q {settings.CELERY_WORKER_QUEUES}" in text, f"{started_with} starts a worker missing a queue"


@pytest.fixture
def a_replica(monkeypatch):
    """DATABASE_REPLICA_URL set (the settings add a `replica` database)."""
    monkeypatch.setattr(replica, "replica_configured", lambda: True)


def test_without_a_replica_every_read_stays_on_the_primary():
    router = ReplicaRouter()
    assert router.db_for_read(Kpi) is None
    with reading_from_replica():
        assert router.db_for_read(Kpi) is None  # none configured (the default)


def test_with_a_replica_only_national_reads_go_to_it_and_never_a_write(a_replica):
    router = ReplicaRouter()
    assert router.db_for_read(Kpi) is None
    with reading_from_replica():
        assert router.db_for_read(Kpi) == replica.REPLICA
        assert router.db_for_write(Kpi) is None
    assert router.db_for_read(Kpi) is None  # the block has ended
    assert router.allow_migrate("replica", "performance") is False
    assert router.allow_migrate("default", "performance") is None


def test_a_national_read_view_reads_from_the_replica_while_it_runs_and_not_after(a_replica):
    seen = []

    @national_read
    def view(request):
        seen.append(ReplicaRouter().db_for_read(Kpi))
        return "page"

    assert view(None) == "page"
    assert seen == ["replica"]
    assert ReplicaRouter().db_for_read(Kpi) is None


@pytest.mark.parametrize("path", ["/performance/national-grid/", "/performance/comparison/"])
def test_the_dfes_national_pages_are_national_reads(path):
    assert getattr(resolve(path).func, "reads_from_replica", False)


def test_the_rag_list_is_a_national_read():
    assert getattr(KpiViewSet.rag, "reads_from_replica", False)


def test_database_replica_url_adds_the_replica_mirrored_in_tests(tmp_path, settings):
    import json
    import os
    import subprocess
    import sys

    code = "import django, json; django.setup(); from django.conf import settings as s; print(json.dumps(s.DATABASES))"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "trustgov.settings.test"}
    env["DATABASE_REPLICA_URL"] = f"sqlite:///{tmp_path / 'replica.sqlite3'}"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    databases = json.loads(out.stdout)
    assert databases["replica"]["NAME"].endswith("replica.sqlite3")
    assert databases["replica"]["TEST"]["MIRROR"] == "default"
    env.pop("DATABASE_REPLICA_URL")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert "replica" not in json.loads(out.stdout)
    assert "trustgov.core.replica.ReplicaRouter" in settings.DATABASE_ROUTERS
