"""The kinds of notification performance sends (registered in apps.py): return reminders and review events."""

from trustgov.core.notifications import register_notification_kind

GROUP = "Monthly returns"
KINDS = [
    ("return_due", "Return due", "A monthly return is due within days."),
    ("return_late", "Return late", "A monthly return is past its due date."),
    ("return_overdue", "Return overdue", "A monthly return is more than ten working days late."),
    ("return_submitted", "Return submitted", "A trust submitted or resubmitted a return for review."),
    ("query_raised", "Query raised", "The council queried a figure in a return."),
    ("query_answered", "Query answered", "The trust answered a query on a return."),
]


def register() -> None:
    for code, label, description in KINDS:
        register_notification_kind(code, label, description, group=GROUP)
