"""Notification kinds, per-kind preferences (immediate, daily, weekly, off), digests, and the GOV.UK Notify backend."""

import json
import re
import threading
import uuid
from datetime import date
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from meetings import reminders, services
from meetings.models import Notification, NotificationPreference
from trustgov.core import notifications
from trustgov.core.notifications import Frequency, notification_kind, notification_kinds, register_notification_kind
from trustgov.core.reminders import Due

pytestmark = pytest.mark.django_db

# Every kind an app sends today (each reminder rule's kinds and each workflow event): all registered.
SENT_KINDS = (
    ["papers_due", "papers_late", "minutes_due", "minutes_overdue", "action_due", "action_overdue"]
    + ["return_due", "return_late", "return_overdue", "return_submitted", "query_raised", "query_answered"]
    + [
        f"{key_date}_{stage}"
        for key_date in ("break_notice", "contract_expiry", "ssa_expiry", "annual_review")
        for stage in ("before", "due", "overdue")
    ]
    + ["reserved_matter_due", "reserved_matter_overdue", "reserved_matter_submitted"]
    + ["reserved_matter_awaiting_dfe", "reserved_matter_decided", "variation_awaiting_dfe", "variation_decided"]
    + ["term_ending", "appointment_awaiting_council", "appointment_awaiting_dfe", "appointment_decided"]
)


def send(user, kind="action_due", key="meetings.action:1", day=date(2027, 2, 1), escalation=False):
    return reminders.deliver(
        Due(kind, key, day, f"Something {kind}", "/meetings/actions/1/"), user, escalation=escalation
    )


def to(user):
    return [m for m in mail.outbox if user.email in m.to]


# --- The registry ------------------------------------------------------------------------------------------


def test_every_kind_sent_is_registered_with_a_label_and_a_default():
    codes = {kind.code for kind in notification_kinds()}
    assert set(SENT_KINDS) <= codes
    for code in SENT_KINDS:
        kind = notification_kind(code)
        assert kind.label and kind.group and kind.default == Frequency.IMMEDIATE
    assert notification_kind("action_due_escalation") == notification_kind("action_due")
    assert notification_kind("no_such_kind") is None


def test_registering_again_changes_nothing_and_a_conflict_is_refused():
    before = notification_kinds()
    kind = notification_kind("action_due")
    register_notification_kind(kind.code, kind.label, kind.description, kind.default, group=kind.group)
    assert notification_kinds() == before
    with pytest.raises(ValueError, match="already registered"):
        register_notification_kind("action_due", "Something else")
    with pytest.raises(ValueError, match="Unknown default frequency"):
        register_notification_kind("a_new_kind", "A new kind", default="hourly")
    with pytest.raises(ValueError, match="escalations follow"):
        register_notification_kind("action_due_escalation", "Escalated")
    assert notification_kinds() == before


def test_notify_refuses_a_kind_nobody_can_choose_about(tenant_a):
    with pytest.raises(LookupError, match="not registered"):
        notifications.notify(kind="made_up", subject_key="x:1", recipients=[tenant_a.officer], title="t", url="")


# --- Preferences -------------------------------------------------------------------------------------------


def test_no_choice_means_straight_away(tenant_a):
    mail.outbox.clear()
    notification = send(tenant_a.trust_exec)
    assert notification.emailed_at is not None and notification.kind == "action_due"
    [message] = to(tenant_a.trust_exec)
    assert "http://127.0.0.1:8000/meetings/actions/1/" in message.body  # an absolute link (SITE_URL)
    assert "http://127.0.0.1:8000/meetings/notifications/" in message.body


@pytest.mark.parametrize("frequency", [Frequency.DAILY, Frequency.WEEKLY, Frequency.OFF])
def test_a_digest_or_off_records_the_notification_and_emails_nothing_now(tenant_a, frequency):
    services.preferences_set(user=tenant_a.trust_exec, choices={"action_due": frequency})
    mail.outbox.clear()
    notification = send(tenant_a.trust_exec)
    assert notification.pk and notification.emailed_at is None
    assert Notification.objects.filter(recipient=tenant_a.trust_exec, kind="action_due").count() == 1
    assert not to(tenant_a.trust_exec)
    # Another kind keeps its own setting (straight away).
    assert send(tenant_a.trust_exec, kind="minutes_due", key="meetings.meeting:1").emailed_at is not None


def test_an_escalation_follows_its_kinds_preference(tenant_a):
    services.preferences_set(user=tenant_a.officer, choices={"action_overdue": Frequency.OFF})
    mail.outbox.clear()
    notification = send(tenant_a.officer, kind="action_overdue", escalation=True)
    assert notification.title.startswith("Escalated:") and notification.kind == "action_overdue"
    assert notification.emailed_at is None and not to(tenant_a.officer)


def test_preferences_save_all_or_nothing(tenant_a):
    user = tenant_a.trust_exec
    services.preferences_set(user=user, choices={"action_due": "weekly", "return_due": "daily"})
    assert reminders.frequencies_for(user)["action_due"] == "weekly"
    assert reminders.frequencies_for(user)["return_due"] == "daily"
    assert reminders.frequencies_for(user)["query_raised"] == "immediate"
    for bad, field in (
        ({"action_due": "off", "no_such_kind": "daily"}, "no_such_kind"),
        ({"action_due": "off", "return_due": "hourly"}, "return_due"),
    ):
        with pytest.raises(Exception) as refused:
            services.preferences_set(user=user, choices=bad)
        assert field in refused.value.message_dict
        assert reminders.frequencies_for(user)["action_due"] == "weekly"  # nothing partial saved
    assert set(NotificationPreference.objects.filter(user=user).values_list("kind", flat=True)) == {
        "action_due",
        "return_due",
    }


def test_the_page_refuses_an_unknown_kind_naming_it_and_saves_nothing(client, tenant_a):
    client.force_login(tenant_a.officer)
    response = client.post("/meetings/notifications/", {"action_due": "off", "no_such_kind": "daily"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "&#x27;no_such_kind&#x27; is not a kind of notification: nothing was saved" in page
    assert "govuk-error-summary" in page
    assert not tenant_a.officer.notification_preferences.exists()


def test_the_page_refuses_an_unknown_frequency_naming_the_kind_and_saves_nothing(client, tenant_a):
    client.force_login(tenant_a.officer)
    response = client.post("/meetings/notifications/", {"action_due": "off", "return_late": "hourly"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose how you want &#x27;Return late&#x27; notifications by email" in page
    assert 'href="#id_return_late' in page  # the error summary links to the field
    assert not tenant_a.officer.notification_preferences.exists()


def test_the_page_shows_one_fieldset_per_kind_and_saves_every_choice(client, tenant_a):
    client.force_login(tenant_a.officer)
    page = client.get("/meetings/notifications/").content.decode()
    for kind in notification_kinds():
        assert f'name="{kind.code}"' in page and kind.label in page
    assert page.count('value="weekly"') == len(notification_kinds())
    choices = {kind.code: "immediate" for kind in notification_kinds()} | {"return_late": "daily", "papers_due": "off"}
    response = client.post("/meetings/notifications/", choices)
    assert response.status_code == 302
    assert reminders.frequencies_for(tenant_a.officer) == choices
    page = client.get("/meetings/notifications/").content.decode()
    assert re.search(r'name="return_late"[^>]*value="daily"\s+checked', page)
    assert not re.search(r'name="return_due"[^>]*value="daily"\s+checked', page)


# --- Digests -----------------------------------------------------------------------------------------------


def test_daily_and_weekly_digests_send_only_their_kinds_once(tenant_a):
    user = tenant_a.trust_exec
    services.preferences_set(user=user, choices={"action_due": "daily", "minutes_due": "weekly", "papers_due": "off"})
    send(user, kind="action_due", key="meetings.action:1")
    send(user, kind="action_due", key="meetings.action:2")
    send(user, kind="minutes_due", key="meetings.meeting:1")
    send(user, kind="papers_due", key="meetings.meeting:2")
    mail.outbox.clear()
    assert reminders.send_daily_digests() == 1
    [daily] = to(user)
    assert "daily digest (2 notifications)" in daily.subject
    assert daily.body.count("http://127.0.0.1:8000/meetings/actions/1/") == 2
    assert reminders.send_daily_digests() == 0  # a rerun sends nothing twice
    assert len(to(user)) == 1
    reminders.send_weekly_digests()
    weekly = to(user)[1:]
    assert len(weekly) == 1 and "weekly digest (1 notification)" in weekly[0].subject
    reminders.send_weekly_digests()
    assert len(to(user)) == 2
    off = Notification.objects.get(recipient=user, kind="papers_due")
    assert off.emailed_at is None  # "off": shown on the page only, never emailed


def test_a_digest_is_only_for_active_people_with_an_email(tenant_a):
    user = tenant_a.trust_exec
    services.preferences_set(user=user, choices={"action_due": "daily"})
    send(user)
    user.is_active = False
    user.save()
    mail.outbox.clear()
    reminders.send_daily_digests()
    assert not to(user)
    assert Notification.objects.get(recipient=user).emailed_at is None


# --- GOV.UK Notify -----------------------------------------------------------------------------------------


class _NotifyRecorder(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).received.append({"path": self.path, "auth": self.headers["Authorization"], "json": body})
        reply = json.dumps({"id": str(uuid.uuid4()), "reference": None, "content": {}, "template": {}}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


@pytest.fixture
def notify_server():
    _NotifyRecorder.received = []
    server = HTTPServer(("127.0.0.1", 0), _NotifyRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, _NotifyRecorder.received
    server.shutdown()
    server.server_close()


def test_reminder_emails_and_digests_go_through_govuk_notify_when_chosen(settings, tenant_a, notify_server):
    server, received = notify_server
    service_id, secret = str(uuid.uuid4()), str(uuid.uuid4())
    template_id = str(uuid.uuid4())
    settings.NOTIFICATIONS_BACKEND = "notify"
    settings.GOVUK_NOTIFY_API_KEY = f"trustgov_test-{service_id}-{secret}"
    settings.GOVUK_NOTIFY_TEMPLATE_ID = template_id
    settings.GOVUK_NOTIFY_BASE_URL = f"http://127.0.0.1:{server.server_port}"
    settings.SITE_URL = "https://trustgov.example.gov.uk"
    mail.outbox.clear()
    user = tenant_a.trust_exec
    assert send(user).emailed_at is not None
    [request] = received
    assert request["path"] == "/v2/notifications/email"
    assert request["json"]["email_address"] == user.email
    assert request["json"]["template_id"] == template_id
    personalisation = request["json"]["personalisation"]
    assert personalisation["subject"] == "TrustGov: Something action_due"
    assert "Something action_due." in personalisation["body"]
    assert personalisation["link"] == "https://trustgov.example.gov.uk/meetings/actions/1/"
    token = jwt.decode(request["auth"].removeprefix("Bearer "), secret, algorithms=["HS256"])
    assert token["iss"] == service_id  # signed with the key's secret, as Notify checks
    services.preferences_set(user=user, choices={"minutes_due": "weekly"})
    send(user, kind="minutes_due", key="meetings.meeting:9")
    assert reminders.send_weekly_digests() >= 1
    digest = received[-1]["json"]
    assert (
        digest["email_address"] == user.email
        and "weekly digest (1 notification)" in digest["personalisation"]["subject"]
    )
    assert digest["personalisation"]["link"] == "https://trustgov.example.gov.uk/meetings/notifications/"
    assert not mail.outbox  # nothing through Django's backend


def test_notify_without_its_key_is_a_configuration_error_naming_the_setting(settings):
    settings.NOTIFICATIONS_BACKEND = "notify"
    settings.GOVUK_NOTIFY_API_KEY = ""
    settings.GOVUK_NOTIFY_TEMPLATE_ID = str(uuid.uuid4())
    with pytest.raises(ImproperlyConfigured, match="set GOVUK_NOTIFY_API_KEY"):
        notifications.send_email(to="someone@example.gov.uk", subject="s", body="b")
    settings.NOTIFICATIONS_BACKEND = "carrier-pigeon"
    with pytest.raises(ImproperlyConfigured, match="must be 'django' or 'notify'"):
        notifications.notify_settings()


def test_production_settings_require_the_notify_key_when_notify_is_chosen():
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trustgov.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "trustgov.example.gov.uk",
        "SITE_URL": "https://trustgov.example.gov.uk",
        "NOTIFICATIONS_BACKEND": "notify",
        "GOVUK_NOTIFY_TEMPLATE_ID": str(uuid.uuid4()),
    }
    env.pop("GOVUK_NOTIFY_API_KEY", None)
    code = "import django; django.setup()"
    refused = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    assert refused.returncode != 0
    assert "NOTIFICATIONS_BACKEND is 'notify': set GOVUK_NOTIFY_API_KEY" in refused.stderr
    env["GOVUK_NOTIFY_API_KEY"] = f"trustgov_live-{uuid.uuid4()}-{uuid.uuid4()}"
    accepted = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    assert accepted.returncode == 0, accepted.stderr


def test_the_beat_schedule_runs_reminders_and_both_digests():
    from django.conf import settings

    from trustgov.celery import app

    tasks = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert set(tasks) == {
        "meetings.tasks.send_due_reminders",
        "meetings.tasks.send_daily_digests",
        "meetings.tasks.send_weekly_digests",
        "reports.sweep_generation",  # re-sends report work not started or not finished in time (ADR 0502)
    }
    assert tasks["meetings.tasks.send_weekly_digests"].day_of_week == {1}
    assert tasks["meetings.tasks.send_daily_digests"].hour == {7}
    app.loader.import_default_modules()
    assert set(tasks) <= set(app.tasks)


def test_the_migration_carries_each_persons_one_choice_over_to_every_kind(tenant_a):
    import importlib

    from django.apps import apps

    from meetings.models import Reminder

    migration = importlib.import_module("meetings.migrations.0008_notification_kinds")
    NotificationPreference.objects.create(user=tenant_a.trust_exec, kind="", frequency="weekly")
    NotificationPreference.objects.create(user=tenant_a.officer, kind="", frequency="immediate")
    reminder = Reminder.objects.create(
        subject_key="meetings.action:5",
        recipient=tenant_a.officer,
        kind="action_overdue_escalation",
        due_date=date(2027, 1, 1),
    )
    notification = Notification.objects.create(recipient=tenant_a.officer, reminder=reminder, title="Late")
    migration.forwards(apps, None)
    codes = {kind.code for kind in notification_kinds()}
    assert reminders.frequencies_for(tenant_a.trust_exec) == dict.fromkeys(codes, "weekly")  # weekly stays weekly
    assert reminders.frequencies_for(tenant_a.officer) == dict.fromkeys(codes, "immediate")
    assert not NotificationPreference.objects.filter(kind="").exists()
    notification.refresh_from_db()
    assert notification.kind == "action_overdue"


def test_production_settings_require_site_url_so_emails_carry_absolute_links():
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "trustgov.settings.production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "trustgov.example.gov.uk",
    }
    env.pop("SITE_URL", None)
    code = "import django; django.setup()"
    refused = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    assert refused.returncode != 0 and "SITE_URL" in refused.stderr
    env["SITE_URL"] = "https://trustgov.example.gov.uk/"
    code += "; from django.conf import settings; print(settings.SITE_URL)"
    accepted = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)  # noqa: S603
    assert accepted.returncode == 0, accepted.stderr
    assert accepted.stdout.strip() == "https://trustgov.example.gov.uk"
