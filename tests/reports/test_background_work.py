"""Report generation loses nothing (ADR 0502): the sweep's rules at their boundaries, the claim that lets one
run render a document at a time, the request made while the broker is down, and an officer's "Try again".

The clock is frozen at fixed moments (time-machine), never today's date. Tasks run in-process (eager), so a
document the sweep sends is rendered at once: "sent" reads as "ready" here.
"""

import socket
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from reports import services
from reports.models import GeneratedReport
from trustgov.celery import app

from .factories import ReportDraftFactory

T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
S = GeneratedReport.Status
TIME_LIMIT = timedelta(seconds=10 * 60)  # CELERY_TASK_TIME_LIMIT's default
GRACE = timedelta(seconds=60)  # REPORTS_STALL_GRACE_SECONDS


@pytest.fixture
def document(live_data, settings):
    """A queued document that has not been handed to the queue (queue=False), created at T0."""
    settings.CELERY_TASK_TIME_LIMIT = 10 * 60
    settings.REPORTS_QUEUED_TIMEOUT_MINUTES = 10
    settings.REPORTS_GENERATION_MAX_ATTEMPTS = 3
    draft = ReportDraftFactory(delivery_body=live_data.body, created_by=live_data.officer)

    def make(**state) -> GeneratedReport:
        with time_machine.travel(T0, tick=False):
            [report] = services.report_generate(draft=draft, user=live_data.officer, queue=False)
            for name, value in state.items():
                setattr(report, name, value)
            report.save()
        return report

    return make


def sweep_at(moment: datetime, django_capture_on_commit_callbacks) -> dict[str, int]:
    with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
        return services.generation_sweep()


def fresh(report: GeneratedReport) -> GeneratedReport:
    return GeneratedReport.objects.get(pk=report.pk)


# --- never handed to the queue (the broker was down when it was requested) ------------------------------


def test_a_document_never_sent_waits_out_the_grace_minute_then_is_sent(document, django_capture_on_commit_callbacks):
    report = document()
    assert sweep_at(T0 + GRACE - timedelta(seconds=1), django_capture_on_commit_callbacks)["sent"] == 0
    assert fresh(report).status == S.QUEUED and fresh(report).sends == 0
    assert sweep_at(T0 + GRACE, django_capture_on_commit_callbacks) == {"sent": 1, "requeued": 0, "failed": 0}
    done = fresh(report)
    assert (done.status, done.sends, done.attempts) == (S.READY, 1, 1)
    assert done.file and services.checksum_ok(done)


# --- handed to the queue, never picked up (the message was lost) -----------------------------------------


def test_a_sent_document_not_picked_up_is_sent_again_at_the_queued_timeout(
    document, django_capture_on_commit_callbacks
):
    report = document(sends=1, queued_at=T0, task_id="lost-message")
    timeout = timedelta(minutes=10)
    assert sweep_at(T0 + timeout - timedelta(seconds=1), django_capture_on_commit_callbacks)["sent"] == 0
    assert fresh(report).status == S.QUEUED and fresh(report).task_id == "lost-message"
    assert sweep_at(T0 + timeout, django_capture_on_commit_callbacks)["sent"] == 1
    done = fresh(report)
    assert (done.status, done.sends, done.attempts) == (S.READY, 2, 1)
    assert done.task_id != "lost-message"


def test_after_the_last_send_is_not_picked_up_the_document_fails_saying_why(
    document, django_capture_on_commit_callbacks
):
    report = document(sends=3, queued_at=T0, task_id="lost-message")
    assert sweep_at(T0 + timedelta(minutes=10), django_capture_on_commit_callbacks) == {
        "sent": 0,
        "requeued": 0,
        "failed": 1,
    }
    failed = fresh(report)
    assert failed.status == S.FAILED
    assert failed.error == (
        "No report worker picked it up (handed to the queue 3 times). A council officer can try again."
    )
    assert failed.history.first().history_change_reason.startswith("Marked failed: No report worker")


def test_two_sends_below_the_bound_are_still_sent_again(document, django_capture_on_commit_callbacks):
    report = document(sends=2, queued_at=T0, task_id="lost-message")
    assert sweep_at(T0 + timedelta(minutes=10), django_capture_on_commit_callbacks)["sent"] == 1
    assert fresh(report).status == S.READY and fresh(report).sends == 3


# --- still rendering after the time limit (its worker died) ----------------------------------------------


def test_a_document_rendering_past_the_time_limit_is_queued_again_and_finishes(
    document, django_capture_on_commit_callbacks
):
    report = document(status=S.RENDERING, sends=1, attempts=1, queued_at=T0, started_at=T0, task_id="dead-worker")
    stalled_at = T0 + TIME_LIMIT + GRACE
    assert sweep_at(stalled_at - timedelta(seconds=1), django_capture_on_commit_callbacks)["requeued"] == 0
    assert fresh(report).status == S.RENDERING
    assert sweep_at(stalled_at, django_capture_on_commit_callbacks) == {"sent": 1, "requeued": 1, "failed": 0}
    done = fresh(report)
    assert (done.status, done.sends, done.attempts) == (S.READY, 2, 2)
    reasons = [h.history_change_reason for h in done.history.order_by("history_date", "history_id")]
    assert [r for r in reasons if r][-4:] == [
        "Queued again: still rendering after the task time limit",
        "Handed to the report worker (send 2)",
        "Started by the report worker (attempt 2 of 3)",
        "Generated",
    ]


def test_a_document_that_stalled_on_its_last_attempt_fails_saying_why(document, django_capture_on_commit_callbacks):
    report = document(status=S.RENDERING, sends=3, attempts=3, queued_at=T0, started_at=T0, task_id="dead-worker")
    assert sweep_at(T0 + TIME_LIMIT + GRACE, django_capture_on_commit_callbacks)["failed"] == 1
    failed = fresh(report)
    assert failed.status == S.FAILED
    assert failed.error == "Generation started 3 times and did not finish. A council officer can try again."


def test_the_sweep_leaves_finished_and_failed_documents_alone_and_a_second_run_does_nothing(
    document, django_capture_on_commit_callbacks
):
    report = document(sends=1, queued_at=T0, task_id="lost-message")
    later = T0 + timedelta(minutes=10)
    assert sweep_at(later, django_capture_on_commit_callbacks)["sent"] == 1
    done = fresh(report)
    rows = done.history.count()
    assert sweep_at(later + timedelta(hours=2), django_capture_on_commit_callbacks) == {
        "sent": 0,
        "requeued": 0,
        "failed": 0,
    }
    assert fresh(report).history.count() == rows and fresh(report).sha256 == done.sha256


# --- one run at a time ----------------------------------------------------------------------------------


def test_only_the_message_that_started_a_document_may_start_it_again(document):
    report = document(sends=1, queued_at=T0, task_id="first")
    claimed = services.generation_claim(report_id=report.pk, task_id="first")
    assert claimed.status == S.RENDERING and claimed.attempts == 1
    # Another message for the same document (a second send) finds it taken and does nothing.
    assert services.generation_claim(report_id=report.pk, task_id="second") is None
    assert fresh(report).attempts == 1
    # The same message delivered again (its pool child died) takes it over: attempt 2.
    again = services.generation_claim(report_id=report.pk, task_id="first")
    assert again.attempts == 2 and again.status == S.RENDERING
    # The earlier run cannot store over the later one, nor fail it.
    with pytest.raises(Exception, match="Another run"):
        stale = fresh(report)
        stale.task_id = "second"
        services.generation_finish(report=stale, pdf=b"%PDF-1.7", snapshot_at=T0)
    stale.task_id = "second"
    assert services.generation_fail(report=stale, error="late").status == S.RENDERING


def test_a_redelivery_past_the_last_attempt_marks_the_document_failed(document):
    report = document(status=S.RENDERING, sends=1, attempts=3, queued_at=T0, started_at=T0, task_id="first")
    assert services.generation_claim(report_id=report.pk, task_id="first") is None
    assert fresh(report).status == S.FAILED
    assert "started 3 times" in fresh(report).error


# --- requesting while the broker is down ----------------------------------------------------------------


@pytest.fixture
def broker_down(monkeypatch):
    """Point Celery at a closed port on this machine: every send really fails to connect."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Celery reads the CELERY_BROKER_URL environment variable before its own setting (the PostgreSQL pass sets it).
    monkeypatch.setenv("CELERY_BROKER_URL", f"redis://127.0.0.1:{port}/0")
    saved = (app.conf.broker_url, app.conf.task_always_eager, app._pool, app.amqp._producer_pool)
    app.conf.broker_url = f"redis://127.0.0.1:{port}/0"
    app.conf.task_always_eager = False
    app._pool = app.amqp._producer_pool = None
    try:
        yield port
    finally:
        app.conf.broker_url, app.conf.task_always_eager, app._pool, app.amqp._producer_pool = saved


def test_requesting_while_the_broker_is_down_saves_the_document_and_says_it_will_start(
    live_data, client, broker_down, django_capture_on_commit_callbacks, caplog
):
    draft = ReportDraftFactory(delivery_body=live_data.body, created_by=live_data.officer)
    client.force_login(live_data.officer)
    with time_machine.travel(T0, tick=False), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:draft-generate", kwargs={"pk": draft.pk}))
    assert response.status_code == 302
    report = GeneratedReport.objects.get(draft=draft)
    assert response["Location"] == report.get_absolute_url()
    assert (report.status, report.sends, report.queued_at, report.task_id) == (S.QUEUED, 0, None, "")
    assert report.progress_note == services.WAITING_FOR_SERVICE
    assert "broker cannot be reached" in caplog.text and f":{broker_down}" in caplog.text
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert "The report service is not available just now: generation will start shortly" in text
    assert 'http-equiv="refresh"' in text  # the page keeps looking
    # The broker is back (here: tasks in-process again): the next sweep after the grace minute sends it.
    app.conf.task_always_eager = True
    assert sweep_at(T0 + GRACE, django_capture_on_commit_callbacks)["sent"] == 1
    assert fresh(report).status == S.READY


# --- Try again ------------------------------------------------------------------------------------------


@pytest.fixture
def failed_document(document, django_capture_on_commit_callbacks):
    report = document(status=S.RENDERING, sends=3, attempts=3, queued_at=T0, started_at=T0, task_id="dead")
    sweep_at(T0 + TIME_LIMIT + GRACE, django_capture_on_commit_callbacks)
    assert fresh(report).status == S.FAILED
    return fresh(report)


def test_an_officer_sees_try_again_on_a_failed_document_and_it_is_generated_again(
    failed_document, live_data, client, django_capture_on_commit_callbacks
):
    client.force_login(live_data.officer)
    page = client.get(failed_document.get_absolute_url()).content.decode()
    assert "Generation started 3 times and did not finish. A council officer can try again." in page
    assert 'data-testid="retry"' in page and reverse("reports:generated-retry", args=[failed_document.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:generated-retry", args=[failed_document.pk]))
    assert response.status_code == 302 and response["Location"] == failed_document.get_absolute_url()
    done = fresh(failed_document)
    assert (done.status, done.attempts, done.sends, done.error) == (S.READY, 1, 1, "")
    retried = done.history.filter(history_change_reason__startswith="Try again").get()
    assert retried.history_user == live_data.officer and retried.status == S.QUEUED
    assert 'data-testid="retry"' not in client.get(done.get_absolute_url()).content.decode()
    # Trying again a document that is not failed is refused, saying why.
    again = client.post(reverse("reports:generated-retry", args=[failed_document.pk]), follow=True)
    assert "Only a document whose generation failed can be tried again" in again.content.decode()


@pytest.mark.parametrize("who", ["trust_exec", "scrutiny"])
def test_only_an_officer_may_try_again(failed_document, live_data, client, who):
    client.force_login(getattr(live_data, who))
    assert client.post(reverse("reports:generated-retry", args=[failed_document.pk])).status_code == 403
    assert fresh(failed_document).status == S.FAILED


def test_the_dfe_may_not_try_again(failed_document, dfe_user, client):
    client.force_login(dfe_user)
    assert client.post(reverse("reports:generated-retry", args=[failed_document.pk])).status_code == 403


def test_another_councils_officer_gets_a_404(failed_document, tenant_b, client):
    client.force_login(tenant_b.officer)
    assert client.post(reverse("reports:generated-retry", args=[failed_document.pk])).status_code == 404
    assert fresh(failed_document).status == S.FAILED


def test_try_again_is_a_post(failed_document, live_data, client):
    client.force_login(live_data.officer)
    assert client.get(reverse("reports:generated-retry", args=[failed_document.pk])).status_code == 405
