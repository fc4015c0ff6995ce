"""A report's worker killed mid-task: the report still completes, once, on a new worker (ADR 0502).

A real `celery worker` (prefork, one child) on Redis and PostgreSQL, as production runs it. The first worker
is started with the test-only REPORTS_TEST_PAUSE_SECONDS, so it holds the document while "rendering"; its
pool child is then SIGKILLed while the worker is being stopped. With acks late and reject on worker lost the
message goes back to the queue; a second worker takes it, and the claim lets that redelivery (and only it)
start the document again. Runs when CELERY_BROKER_URL is set and the database is PostgreSQL (.ci/run's
second pass), like tests/core/test_celery_worker.py.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from reports import services
from reports.models import GeneratedReport
from trustgov.celery import app

from .factories import ReportDraftFactory

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not os.environ.get("CELERY_BROKER_URL") or connection.vendor != "postgresql",
        reason="needs CELERY_BROKER_URL and PostgreSQL (the CI PostgreSQL pass sets both)",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
S = GeneratedReport.Status


def start_worker(log: Path, **env_extra: str) -> subprocess.Popen:
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trustgov.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        **env_extra,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "trustgov", "worker", "-Q", settings.CELERY_WORKER_QUEUES]
        + ["--pool=prefork", "--concurrency=1"]
        + ["--without-gossip", "--without-mingle", "--loglevel=info"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=20)


def test_a_report_whose_worker_is_killed_mid_task_completes_once_on_a_new_worker(
    transactional_db, live_data, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path / "media")  # the workers store there too: every file there is this test's
    app.conf.task_always_eager = False  # the test settings run tasks in-process; here they go through Redis
    app.control.purge()
    first = second = None
    try:
        first = start_worker(tmp_path / "first.log", REPORTS_TEST_PAUSE_SECONDS="120")
        draft = ReportDraftFactory(delivery_body=live_data.body, created_by=live_data.officer)
        [report] = services.report_generate(draft=draft, user=live_data.officer)  # committed: sent on commit

        def rendering():
            r = GeneratedReport.objects.get(pk=report.pk)
            return r if r.status == S.RENDERING else None

        started = wait_for(rendering, 90, "the first worker to start the document")
        assert (started.attempts, started.sends) == (1, 1)
        [child] = wait_for(lambda: children_of(first.pid), 10, "the first worker's pool child")
        # Stop the worker (it takes nothing more), and kill its pool child mid-task, as the OOM killer would.
        first.send_signal(signal.SIGTERM)
        os.kill(child, signal.SIGKILL)
        first.wait(timeout=60)
        log = (tmp_path / "first.log").read_text()
        assert "WorkerLostError" in log, log
        lost = GeneratedReport.objects.get(pk=report.pk)
        assert lost.status == S.RENDERING and not lost.file  # nobody finished it

        second = start_worker(tmp_path / "second.log")
        done = wait_for(
            lambda: (r := GeneratedReport.objects.get(pk=report.pk)).status in (S.READY, S.FAILED) and r,
            120,
            "the second worker to finish the document",
        )
        assert done.status == S.READY, done.error
        assert (done.attempts, done.sends, done.task_id) == (2, 1, started.task_id)
        assert done.file and services.checksum_ok(done) and done.page_count >= 1
        files = [p.relative_to(settings.MEDIA_ROOT) for p in Path(settings.MEDIA_ROOT).rglob("*.pdf")]
        # One document stored, once, under its own name.
        assert [str(f) for f in files] == [done.file.name] == [f"reports/{draft.pk}/{done.filename}"]
        reasons = [h.history_change_reason for h in done.history.order_by("history_date", "history_id")]
        assert reasons.count("Generated") == 1
        assert "Started again after its worker stopped (attempt 2 of 3)" in reasons
        time.sleep(3)  # nothing else arrives for it
        assert GeneratedReport.objects.get(pk=report.pk).history.count() == done.history.count()
    finally:
        app.conf.task_always_eager = True
        for proc in (first, second):
            if proc is not None:
                stop(proc)
