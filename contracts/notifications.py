"""The kinds of notification contracts sends (registered in apps.py): key-date reminders and workflow events."""

from trustgov.core.notifications import register_notification_kind

GROUP = "Contracts and reserved matters"
STAGES = [
    ("before", "coming up", "inside its warning window"),
    ("due", "today", "on the day"),
    ("overdue", "passed", "after the day, while still outstanding (escalated to the DCS)"),
]
KEY_DATES = [
    ("break_notice", "Break notice"),
    ("contract_expiry", "Contract expiry"),
    ("ssa_expiry", "Support service ends"),
    ("annual_review", "Annual review"),
]
KINDS = [
    (f"{code}_{stage}", f"{label}: {when}", f"{label}, {detail}.")
    for code, label in KEY_DATES
    for stage, when, detail in STAGES
] + [
    ("reserved_matter_due", "Reserved matter decision due", "A council decision on a reserved matter is due soon."),
    ("reserved_matter_overdue", "Reserved matter decision overdue", "A council decision is past its due date."),
    ("reserved_matter_submitted", "Reserved matter request raised", "A trust asked the council for a decision."),
    (
        "reserved_matter_awaiting_dfe",
        "Reserved matter awaiting DfE consent",
        "The council approved a request that needs the DfE's consent.",
    ),
    ("reserved_matter_decided", "Reserved matter decided", "The council or the DfE decided a request."),
    ("variation_awaiting_dfe", "Variation awaiting DfE consent", "A major service change needs the DfE's consent."),
    ("variation_decided", "Variation decided", "The DfE consented to a variation, or it took effect or was withdrawn."),
]


def register() -> None:
    for code, label, description in KINDS:
        register_notification_kind(code, label, description, group=GROUP)
