"""Councils, the delivery bodies they contract with, statutory directions and the DfE MoU.

These are the tenancy roots: every governance record in the other apps belongs to a
council or a delivery body, and scoping starts here (see selectors.py).
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from trustgov.core.models import TimeStampedModel


class Council(TimeStampedModel):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200, unique=True)
    council_type = models.CharField(
        max_length=50,
        choices=[
            ("county", "County council"),
            ("metropolitan", "Metropolitan borough council"),
            ("unitary", "Unitary authority"),
            ("london", "London borough"),
        ],
    )
    website = models.URLField(blank=True)
    la_code = models.CharField(
        "LA code", max_length=3, blank=True, help_text="The DfE's three-digit local authority number, e.g. 333."
    )
    gss_code = models.CharField(
        "GSS code", max_length=9, blank=True, help_text="The ONS nine-character area code, e.g. E08000028."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:council-detail", kwargs={"slug": self.slug})


class DeliveryBody(TimeStampedModel):
    """The alternative delivery model a council contracts with: a trust or a partnership."""

    class Kind(models.TextChoices):
        TRUST = "trust", "Children's trust (company limited by guarantee)"
        CIC = "cic", "Community interest company"
        PARTNERSHIP = "partnership", "Inter-authority partnership"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.TRUST)
    council = models.ForeignKey(
        Council,
        on_delete=models.PROTECT,
        related_name="delivery_bodies",
        verbose_name="lead owning council",
        help_text="The council that leads: for a jointly owned trust, one of its owners.",
    )
    owners = models.ManyToManyField(
        Council,
        through="Ownership",
        related_name="owned_delivery_bodies",
        help_text="Every council that owns the delivery body (the lead council always among them).",
    )
    lead_authority = models.CharField(
        max_length=200, blank=True, help_text="For a partnership, the council that leads it (for example Plymouth)."
    )
    company_number = models.CharField(max_length=20, blank=True)
    wholly_owned = models.BooleanField(default=True, help_text="Wholly owned by the council.")
    shadow_from = models.DateField(null=True, blank=True, help_text="Start of operation in shadow form.")
    operational_from = models.DateField(null=True, blank=True, help_text="Go-live: operational control transferred.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "delivery bodies"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisations:delivery-body-detail", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The lead council is always an owner: tenancy follows ownership (organisations.selectors).
        Ownership.objects.get_or_create(delivery_body=self, council_id=self.council_id)

    def is_owned_by(self, council) -> bool:
        """Whether ``council`` (a Council or its pk) is one of the owners today."""
        council_id = getattr(council, "pk", council)
        return council_id == self.council_id or self.ownerships.current().filter(council_id=council_id).exists()

    @property
    def jointly_owned(self) -> bool:
        return self.ownerships.current().count() > 1

    def current_ownerships(self):
        """The owners today, the lead first."""
        owners = self.ownerships.current().select_related("council")
        return sorted(owners, key=lambda o: o.council_id != self.council_id)

    def ended_ownerships(self):
        return self.ownerships.ended().select_related("council").order_by("-until")


class OwnershipQuerySet(models.QuerySet):
    def current(self, on=None):
        """Ownerships not ended by the day (today by default): the ones that give a council sight of the trust."""
        day = on or timezone.localdate()
        return self.filter(Q(until__isnull=True) | Q(until__gte=day))

    def ended(self, on=None):
        day = on or timezone.localdate()
        return self.filter(until__lt=day)


class Ownership(TimeStampedModel):
    """A council's ownership of a delivery body. A trust may be jointly owned (Northamptonshire Children's Trust:
    North and West Northamptonshire); each owner's users see the trust and the records that council is party to."""

    delivery_body = models.ForeignKey(DeliveryBody, on_delete=models.PROTECT, related_name="ownerships")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="ownerships")
    since = models.DateField(null=True, blank=True, help_text="The day the council became an owner, if known.")
    until = models.DateField(
        null=True, blank=True, help_text="The last day the council was an owner (blank: it still owns it)."
    )
    history = HistoricalRecords()

    objects = OwnershipQuerySet.as_manager()

    class Meta:
        ordering = ["delivery_body", "council__name"]
        constraints = [
            models.UniqueConstraint(fields=["delivery_body", "council"], name="one_ownership_per_council"),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(since__isnull=True) | Q(until__gte=models.F("since")),
                name="ownership_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.council} owns {self.delivery_body}"


class Direction(TimeStampedModel):
    """A statutory direction from the Secretary of State to a council."""

    class Status(models.TextChoices):
        IN_FORCE = "in_force", "In force"
        REVOKED = "revoked", "Revoked"

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="directions")
    title = models.CharField(max_length=200)
    issued_on = models.DateField()
    legal_basis = models.CharField(max_length=200, help_text="For example s497A(4B) Education Act 1996.")
    commissioner = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_FORCE)
    revoked_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["council__name", "issued_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="in_force", revoked_on__isnull=True)
                | models.Q(status="revoked", revoked_on__isnull=False),
                name="direction_revoked_on_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.issued_on:%d %B %Y})"

    @property
    def in_force(self) -> bool:
        return self.status == self.Status.IN_FORCE


class MemorandumOfUnderstanding(TimeStampedModel):
    """The DfE–council MoU recording the arrangement before go-live."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED = "signed", "Signed"

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="memoranda")
    delivery_body = models.ForeignKey(DeliveryBody, on_delete=models.PROTECT, related_name="memoranda")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    signed_on = models.DateField(null=True, blank=True)
    principal_provisions = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "memorandum of understanding"
        verbose_name_plural = "memoranda of understanding"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft", signed_on__isnull=True)
                | models.Q(status="signed", signed_on__isnull=False),
                name="mou_signed_on_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"MoU: {self.council} and {self.delivery_body} ({self.get_status_display()})"


class OfficeHolding(TimeStampedModel):
    """Who holds a named office of a council (or of its trust), from when to when.

    Escalations and "for the attention of" go to the holder on the day; the history of holders is kept
    (a new holder ends the previous holding the day before).
    """

    class Office(models.TextChoices):
        DCS = "dcs", "Director of Children's Services"
        LEAD_MEMBER = "lead_member", "Lead Member for Children's Services"
        CHIEF_EXECUTIVE = "chief_executive", "Chief Executive"
        MONITORING_OFFICER = "monitoring_officer", "Monitoring Officer"
        TRUST_CHAIR = "trust_chair", "Chair of the trust"
        TRUST_CHIEF_EXECUTIVE = "trust_chief_executive", "Chief Executive of the trust"

    COUNCIL_OFFICES = (Office.DCS, Office.LEAD_MEMBER, Office.CHIEF_EXECUTIVE, Office.MONITORING_OFFICER)
    TRUST_OFFICES = (Office.TRUST_CHAIR, Office.TRUST_CHIEF_EXECUTIVE)

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="office_holdings")
    delivery_body = models.ForeignKey(
        DeliveryBody, on_delete=models.PROTECT, null=True, blank=True, related_name="office_holdings"
    )
    office = models.CharField(max_length=30, choices=Office.choices)
    holder_name = models.CharField("Name", max_length=200)
    title_held = models.CharField(
        "Title of the post", max_length=200, blank=True, help_text="As the council styles it, if different."
    )
    user = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="office_holdings",
        help_text="The holder's TrustGov account, which receives escalations.",
    )
    start_date = models.DateField("Holds the office from", null=True, blank=True)
    end_date = models.DateField("Held the office until", null=True, blank=True)
    source = models.CharField(max_length=300, blank=True, help_text="Where this is recorded, for example a report.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["council__name", "delivery_body__name", "office", "-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="office_holding_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder_name}, {self.office_label}"

    @property
    def office_label(self) -> str:
        return self.title_held or self.get_office_display()

    @property
    def organisation(self):
        return self.delivery_body or self.council

    def held_on(self, day) -> bool:
        return (self.start_date is None or self.start_date <= day) and (self.end_date is None or day <= self.end_date)
