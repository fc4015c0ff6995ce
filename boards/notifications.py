"""The kinds of notification boards sends (registered in apps.py): term reminders and appointment events."""

from trustgov.core.notifications import register_notification_kind

GROUP = "Boards"
KINDS = [
    ("term_ending", "Term of office ending", "A board member's term ends within three months."),
    ("appointment_awaiting_council", "Appointment awaiting the council", "An appointment was proposed."),
    (
        "appointment_awaiting_dfe",
        "Appointment awaiting DfE approval",
        "The council approved an appointment that needs the DfE's approval.",
    ),
    ("appointment_decided", "Appointment decided", "An appointment was approved, ratified, rejected or withdrawn."),
]


def register() -> None:
    for code, label, description in KINDS:
        register_notification_kind(code, label, description, group=GROUP)
