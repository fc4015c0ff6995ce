"""A member of the public's request to be emailed when a council's meetings publish papers (ADR 0609).

Nobody signs in: the address is proved by double opt-in (a confirmation link, confirmed by a POST), and every email
carries the subscription's unsubscribe link. What is kept is the council, the body (blank: every body), the address,
the token and the dates: nothing else about the person.
"""

import secrets

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from meetings.models import BodyKind
from trustgov.organisations.models import Council


def new_token() -> str:
    return secrets.token_urlsafe(32)


class PublicSubscription(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="public_subscriptions")
    body_kind = models.CharField(
        "Body", max_length=40, choices=BodyKind.choices, blank=True, help_text="Blank: every body's meetings."
    )
    email = models.EmailField("Email address", max_length=254)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)  # the last confirmation email: the throttle
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["council", "email", "body_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "body_kind", "email"],
                condition=Q(unsubscribed_at__isnull=True),
                name="public_subscription_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.council}: {self.get_body_kind_display() or 'every body'}"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class PublicAlertSent(models.Model):
    """One publication emailed to one subscription. The unique constraint stops a rerun or a retry sending it twice."""

    subscription = models.ForeignKey(PublicSubscription, on_delete=models.CASCADE, related_name="alerts_sent")
    subject_key = models.CharField(max_length=120)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "subject_key"], name="public_alert_sent_once"),
        ]

    def __str__(self) -> str:
        return self.subject_key
