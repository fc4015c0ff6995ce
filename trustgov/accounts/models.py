"""Users belong to a council, a delivery body, or the DfE; API tokens are stored hashed."""

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    council = models.ForeignKey(
        "organisations.Council", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    delivery_body = models.ForeignKey(
        "organisations.DeliveryBody", null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    is_dfe = models.BooleanField("DfE user", default=False)
    job_title = models.CharField(max_length=200, blank=True)
    # Lets the user invite and manage the users of their own organisation (roles.AdministratorBackend).
    is_administrator = models.BooleanField(
        "Administrator",
        default=False,
        help_text="May invite, deactivate and reactivate the users of their own organisation.",
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        permissions = [("administer_users", "Can invite and manage the users of their own organisation")]
        constraints = [
            # A user belongs to at most one kind of organisation.
            models.CheckConstraint(
                condition=~(models.Q(council__isnull=False) & models.Q(delivery_body__isnull=False))
                & ~(models.Q(is_dfe=True) & (models.Q(council__isnull=False) | models.Q(delivery_body__isnull=False))),
                name="user_single_affiliation",
            ),
        ]

    @property
    def role_label(self) -> str:
        from .roles import role_of

        role = role_of(self)
        return role.value if role else "No role"

    @property
    def organisation_name(self) -> str:
        if self.is_dfe:
            return "Department for Education"
        if self.delivery_body_id:
            return self.delivery_body.name
        if self.council_id:
            return self.council.name
        return ""


def hash_token_key(key: str) -> str:
    # Keys are 256-bit random values, so a fast hash is enough; only the hash is stored.
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", "Read only"
        WRITE = "write", "Read and write"

    PREFIX_LENGTH = 8

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, for example 'Case system sync'.")
    prefix = models.CharField(max_length=PREFIX_LENGTH, db_index=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate_key() -> str:
        return secrets.token_urlsafe(32)

    @property
    def allows_write(self) -> bool:
        """Read by the platform's API permissions (``trustgov.core.permissions``)."""
        return self.scope == self.Scope.WRITE

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "Revoked"
        if self.expires_at <= timezone.now():
            return "Expired"
        return "Active"


class IdempotencyRecord(models.Model):
    """A POST made with an ``Idempotency-Key`` header, and the response it got.

    A retry with the same key (same user) gets the stored response and stores nothing
    again; the same key with a different request is refused (422). Only successful
    responses are kept: a failed request rolls back with everything else it did.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="idempotency_records")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response_body = models.JSONField(null=True, blank=True)
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_unique_user_key")]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
