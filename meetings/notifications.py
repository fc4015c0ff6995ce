"""The kinds of notification meetings sends (registered in apps.py): its reminders."""

from trustgov.core.notifications import register_notification_kind

GROUP = "Meetings"
KINDS = [
    ("papers_due", "Papers due", "A meeting's papers are not yet published and the deadline is near."),
    ("papers_late", "Papers late", "A meeting's papers deadline has passed and they are not published."),
    ("minutes_due", "Minutes due", "Draft minutes are due within days."),
    ("minutes_overdue", "Minutes overdue", "Draft minutes are past their due date."),
    ("action_due", "Action due", "An action from a meeting is due within a week."),
    ("action_overdue", "Action overdue", "An action from a meeting is past its due date."),
]


def register() -> None:
    for code, label, description in KINDS:
        register_notification_kind(code, label, description, group=GROUP)
