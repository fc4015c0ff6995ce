"""Due-date reminder rules, registered by each app; the platform runs them.

A rule is a function ``rule(today) -> Iterable[Due]``: what is due, for whom, by when. Each app keeps
its own rules in its ``reminders.py`` and registers them from its AppConfig.ready() with
``register_reminder_rule``. ``due_reminders(today)`` runs every rule in order; the delivery (one
``Reminder`` row per subject, recipient, kind and due date, so nothing is sent twice, then the
notification and email) is the meetings app's (``meetings.reminders.send_due_reminders``).
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date


@dataclass
class Due:
    kind: str
    subject_key: str
    due_date: date
    title: str
    url: str = ""
    recipients: list = field(default_factory=list)
    escalate_to: list = field(default_factory=list)  # the DCS, when overdue


ReminderRule = Callable[[date], Iterable[Due]]

_RULES: list[tuple[int, ReminderRule]] = []


def register_reminder_rule(rule: ReminderRule, *, order: int) -> None:
    if all(existing is not rule for _, existing in _RULES):
        _RULES.append((order, rule))


def reminder_rules() -> list[ReminderRule]:
    return [rule for _, rule in sorted(_RULES, key=lambda entry: entry[0])]


def due_reminders(today: date) -> Iterator[Due]:
    """Everything every registered rule finds due on ``today``."""
    for rule in reminder_rules():
        yield from rule(today)


# --- Delivery: one path for reminders and workflow notifications ---------------------------------------------

_DELIVERY: list[Callable] = []


def register_delivery(func: Callable) -> None:
    """The app that keeps the Reminder and Notification rows (meetings) registers how one is sent."""
    _DELIVERY[:] = [func]


def deliver(due: Due, recipient, *, escalation: bool = False, email: bool = True):
    """Record and send one reminder or notification, unless it was already sent (the registered delivery).

    Any app may tell people of a workflow event this way without importing the app that delivers.
    ``email=False`` records the in-app notification only (the demo data: nobody is emailed by seeding).
    """
    if not _DELIVERY:  # pragma: no cover - a programming error: meetings registers it in ready()
        raise LookupError("No reminder delivery registered (meetings registers it).")
    return _DELIVERY[0](due, recipient, escalation=escalation, email=email)
