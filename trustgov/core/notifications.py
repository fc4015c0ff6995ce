"""Notification kinds, how often each person wants them by email, and the one way an email is sent.

Each app registers the kinds of notification it sends (its reminders and its workflow events) from its
AppConfig.ready() with ``register_notification_kind``. A person chooses, per kind, whether the email
comes straight away, in a daily or weekly digest, or not at all; the in-app notification is always
recorded. The preference rows and the digests are the meetings app's (it keeps the Notification rows);
this module is what every app may use without importing it:

- ``notification_kinds()`` / ``notification_kind(code)``: the registry;
- ``notify(kind=..., subject_key=..., recipients=..., title=..., url=...)``: tell people of a workflow
  event once the transaction commits, through the platform's ``deliver`` (never twice);
- ``send_email(to=..., subject=..., body=..., link=...)``: Django's mail backend, or GOV.UK Notify when
  ``NOTIFICATIONS_BACKEND = "notify"``;
- ``absolute_url(path)``: a link in an email, on ``SITE_URL``.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import TextChoices
from django.utils import timezone

from .reminders import Due, deliver

ESCALATION_SUFFIX = "_escalation"


class Frequency(TextChoices):
    IMMEDIATE = "immediate", "Email straight away"
    DAILY = "daily", "Daily digest"
    WEEKLY = "weekly", "Weekly digest"
    OFF = "off", "No email (on the notifications page only)"


@dataclass(frozen=True)
class NotificationKind:
    code: str
    label: str
    description: str = ""
    default: str = Frequency.IMMEDIATE
    group: str = ""


_KINDS: dict[str, NotificationKind] = {}


def register_notification_kind(
    code: str, label: str, description: str = "", default: str = Frequency.IMMEDIATE, *, group: str = ""
) -> NotificationKind:
    """Called from an app's AppConfig.ready(). Registering the same kind again changes nothing."""
    if default not in Frequency.values:
        raise ValueError(f"Unknown default frequency {default!r} for notification kind {code!r}")
    if code.endswith(ESCALATION_SUFFIX):
        raise ValueError(f"{code!r}: escalations follow their kind's preference and are not registered apart")
    kind = NotificationKind(code, label, description, default, group)
    existing = _KINDS.get(code)
    if existing is not None and existing != kind:
        raise ValueError(f"Notification kind {code!r} is already registered differently")
    _KINDS[code] = kind
    return kind


def notification_kinds() -> list[NotificationKind]:
    """Every registered kind, in registration order (each app's kinds together)."""
    return list(_KINDS.values())


def base_kind(code: str) -> str:
    """The kind a preference is kept for: an escalated reminder follows the reminder's kind."""
    return code.removesuffix(ESCALATION_SUFFIX)


def notification_kind(code: str) -> NotificationKind | None:
    return _KINDS.get(base_kind(code))


def default_frequency(code: str) -> str:
    kind = notification_kind(code)
    return kind.default if kind else Frequency.IMMEDIATE


# --- Workflow events -----------------------------------------------------------------------------------


def notify(*, kind: str, subject_key: str, recipients: Iterable, title: str, url: str, actor=None, day=None) -> None:
    """Tell people of a workflow event once the change is committed (in-app, and by email as each chose).

    The reminders' delivery path is reused, so the Reminder row's unique constraint (subject, recipient,
    kind, date) makes a retry send nothing twice. The subject key names the event (the record and the step).
    ``actor``, the person who made the change, is not told of it.
    """
    if kind not in _KINDS:  # a programming error: every kind sent is one people can choose about
        raise LookupError(f"Notification kind {kind!r} is not registered")
    people = [u for u in {u.pk: u for u in recipients}.values() if u.is_active and u.pk != getattr(actor, "pk", None)]
    if not people:
        return
    due = Due(kind, subject_key, day or timezone.localdate(), title, url)

    def send() -> None:
        for person in people:
            deliver(due, person)

    transaction.on_commit(send)


# --- Email ---------------------------------------------------------------------------------------------


def absolute_url(path: str) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{path}" if path and path.startswith("/") and base else path


def notify_settings() -> dict:
    """The GOV.UK Notify settings, checked: raises ImproperlyConfigured naming what is missing."""
    backend = getattr(settings, "NOTIFICATIONS_BACKEND", "django")
    if backend not in ("django", "notify"):
        raise ImproperlyConfigured(f"NOTIFICATIONS_BACKEND must be 'django' or 'notify', not {backend!r}")
    values = {
        "api_key": getattr(settings, "GOVUK_NOTIFY_API_KEY", ""),
        "template_id": getattr(settings, "GOVUK_NOTIFY_TEMPLATE_ID", ""),
        "base_url": getattr(settings, "GOVUK_NOTIFY_BASE_URL", "") or "https://api.notifications.service.gov.uk",
    }
    if backend == "notify":
        for name, value in (
            ("GOVUK_NOTIFY_API_KEY", values["api_key"]),
            ("GOVUK_NOTIFY_TEMPLATE_ID", values["template_id"]),
        ):
            if not value:
                raise ImproperlyConfigured(f"NOTIFICATIONS_BACKEND is 'notify': set {name}")
    return values


def send_email(*, to: str, subject: str, body: str, link: str = "") -> None:
    """Send one email, by the backend the settings choose. Reminders, workflow events and digests all use it.

    ``link`` is a path or URL; it is made absolute on ``SITE_URL``. With GOV.UK Notify the message goes
    through one template whose personalisation is ``subject``, ``body`` and ``link``.
    """
    link = absolute_url(link)
    if getattr(settings, "NOTIFICATIONS_BACKEND", "django") == "notify":
        from notifications_python_client.notifications import NotificationsAPIClient

        conf = notify_settings()
        client = NotificationsAPIClient(conf["api_key"], base_url=conf["base_url"])
        client.send_email_notification(
            email_address=to,
            template_id=conf["template_id"],
            personalisation={"subject": subject, "body": body, "link": link},
        )
        return
    text = body + (f"\n\nSee: {link}" if link else "")
    send_mail(subject[:200], text, None, [to])
