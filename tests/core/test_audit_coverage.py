"""Every governance record keeps its history: a model added without it fails here."""

from django.apps import apps

GOVERNANCE_APPS = ["organisations", "contracts", "boards", "performance", "meetings", "reports", "accounts"]

# Operational records, not governance data: each is delivery plumbing that is rebuilt or
# expires, and keeping versions of it would only grow the database.
WITHOUT_HISTORY = {
    "meetings.CalendarFeed": "a user's private feed token; revoking makes a new one",
    "meetings.NotificationPreference": "a user's own email/digest setting",
    "meetings.Reminder": "an idempotency row that says a reminder was sent",
    "meetings.Notification": "the in-app copy of a sent reminder",
    "accounts.IdempotencyRecord": "the stored response to a POST, replayed when a client retries it",
}


def test_every_governance_model_records_history():
    missing = []
    for label in GOVERNANCE_APPS:
        for model in apps.get_app_config(label).get_models():
            name = f"{label}.{model.__name__}"
            if model.__name__.startswith("Historical") or name in WITHOUT_HISTORY:
                continue
            if not hasattr(model, "history"):
                missing.append(name)
    assert missing == [], f"add `history = HistoricalRecords()` to: {', '.join(missing)}"


def test_the_exceptions_are_real_models_without_history():
    for name in WITHOUT_HISTORY:
        model = apps.get_model(name)
        assert not hasattr(model, "history"), f"{name} now has history: drop it from WITHOUT_HISTORY"
