"""People, the governance bodies they sit on, seats, memberships (terms of office),
appointments through the reserved-matter workflow, and declared interests.

Rules (overlaps, composition, workflow) live in services.py, composition.py and workflows.py;
the models hold data and database constraints only.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from trustgov.core.models import TimeStampedModel


class Person(TimeStampedModel):
    """Someone in a council's register of people who sit (or may sit) on its governance bodies."""

    council = models.ForeignKey("organisations.Council", on_delete=models.PROTECT, related_name="people")
    honorific = models.CharField(max_length=30, blank=True, help_text="For example 'Rt Hon' or 'Cllr'.")
    name = models.CharField(max_length=200)
    professional_capacity = models.CharField(
        max_length=200,
        help_text="As it appears in the board table, for example 'Former Director of Children's Services'.",
    )
    organisation = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_elected_member = models.BooleanField("Elected member (councillor)", default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(Lower("name"), "council", name="person_name_unique_per_council"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return f"{self.honorific} {self.name}".strip()

    def get_absolute_url(self) -> str:
        return reverse("boards:person-detail", kwargs={"pk": self.pk})


class Body(TimeStampedModel):
    """A governance body with its composition rules (one place per body, evaluated by composition.py)."""

    class Kind(models.TextChoices):
        TRUST_BOARD = "trust_board", "Trust Board"
        IMPROVEMENT_BOARD = "improvement_board", "Improvement Board"
        STRATEGIC_PARTNERSHIP_BOARD = "strategic_partnership_board", "Strategic Partnership Board"
        SCRUTINY_COMMITTEE = "scrutiny_committee", "Scrutiny committee"
        CORPORATE_PARENTING_PANEL = "corporate_parenting_panel", "Corporate Parenting Panel"

    council = models.ForeignKey("organisations.Council", on_delete=models.PROTECT, related_name="governance_bodies")
    delivery_body = models.ForeignKey(
        "organisations.DeliveryBody",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="governance_bodies",
        help_text="The trust whose board this is, if any.",
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=40, choices=Kind.choices)
    # Composition rules
    min_members = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Fewest members allowed.")
    max_members = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Most members allowed.")
    requires_chair = models.BooleanField(default=True)
    chair_appointed_by_dfe = models.BooleanField(
        "Chair needs DfE approval", default=False, help_text="While the direction is in force."
    )
    chief_executive_needs_dfe = models.BooleanField("Chief Executive needs DfE approval", default=False)
    elected_members_allowed = models.BooleanField(default=True)
    requires_chief_executive = models.BooleanField("Trust Chief Executive must sit on it", default=False)
    required_council_neds = models.PositiveSmallIntegerField(
        "Council-appointed non-executive directors required", null=True, blank=True
    )
    required_independent_neds = models.PositiveSmallIntegerField(
        "Independent non-executive directors required", null=True, blank=True
    )
    required_executives = models.PositiveSmallIntegerField(
        "Executive directors required (Chief Executive included)", null=True, blank=True
    )
    rules_source = models.CharField(max_length=300, blank=True, help_text="Where the rules come from.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["council__name", "kind", "name"]
        verbose_name_plural = "bodies"
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="body_name_unique_per_council"),
            models.CheckConstraint(
                condition=models.Q(min_members__isnull=True)
                | models.Q(max_members__isnull=True)
                | models.Q(max_members__gte=models.F("min_members")),
                name="body_max_not_below_min",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("boards:body-detail", kwargs={"pk": self.pk})

    @property
    def size_rule(self) -> str:
        if self.min_members is not None and self.max_members is not None:
            return f"{self.min_members} to {self.max_members}"
        if self.min_members is not None:
            return f"At least {self.min_members}"
        if self.max_members is not None:
            return f"At most {self.max_members}"
        return "No rule"

    @property
    def appointments_are_reserved(self) -> bool:
        """A trust's Articles reserve appointments to its board: each is a reserved-matter request."""
        return self.kind == Body.Kind.TRUST_BOARD and self.delivery_body_id is not None

    def needs_dfe_approval(self, role: str) -> bool:
        return (role == Seat.Role.CHAIR and self.chair_appointed_by_dfe) or (
            role == Seat.Role.CHIEF_EXECUTIVE and self.chief_executive_needs_dfe
        )


class Seat(TimeStampedModel):
    """A post on a body (Chair, Chief Executive, a council-appointed NED...). Holders never overlap."""

    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        COUNCIL_NED = "council_ned", "Council appointed Non-Executive Director"
        INDEPENDENT_NED = "independent_ned", "Non-Executive Director"
        CHIEF_EXECUTIVE = "chief_executive", "Chief Executive"
        EXECUTIVE_DIRECTOR = "executive_director", "Executive Director"
        MEMBER = "member", "Member"

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="seats")
    role = models.CharField(max_length=30, choices=Role.choices)
    title = models.CharField(max_length=200, help_text="For example 'Director of Resources'.")
    order = models.PositiveSmallIntegerField(default=0, help_text="Position in the board table.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["body", "title"], name="seat_title_unique_per_body")]

    def __str__(self) -> str:
        return f"{self.title} ({self.body})"

    @property
    def board_role(self) -> str:
        """The 'Board Role' column of the ratification table: the Chief Executive is an Executive Director."""
        if self.role == self.Role.CHIEF_EXECUTIVE:
            return self.Role.EXECUTIVE_DIRECTOR.label
        return self.get_role_display()


class Membership(TimeStampedModel):
    """One term of office: who holds which seat from when to when. A renewal is a new term."""

    class EndReason(models.TextChoices):
        TERM_END = "term_end", "Term ended"
        RESIGNATION = "resignation", "Resigned"
        REMOVAL = "removal", "Removed"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="memberships")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Last day of the term; blank if open-ended.")
    ended_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    appointed_by = models.CharField(max_length=200, blank=True, help_text="For example 'Council (Cabinet)'.")
    decision_reference = models.CharField(max_length=200, blank=True)
    decision_url = models.URLField(blank=True)
    renewal_of = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="renewed_by"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["seat__body", "seat__order", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.seat.title}"

    @property
    def body(self) -> Body:
        return self.seat.body

    def is_current(self, on_date) -> bool:
        return self.start_date <= on_date and (self.end_date is None or self.end_date >= on_date)


class Appointment(TimeStampedModel):
    """An appointment to a seat moving through the reserved-matter workflow (see workflows.py)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        COUNCIL_APPROVED = "council_approved", "Approved by the council"
        DFE_APPROVED = "dfe_approved", "Approved by the DfE"
        RATIFIED = "ratified", "Ratified by Cabinet"
        IN_OFFICE = "in_office", "In office"
        ENDED = "ended", "Ended"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="appointments")
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="appointments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="appointments")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    needs_dfe_approval = models.BooleanField(default=False)
    term_start = models.DateField()
    term_end = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="Why this person, in the proposer's words.")
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposed_appointments"
    )
    membership = models.OneToOneField(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="appointment"
    )
    request = models.OneToOneField(
        "contracts.ReservedMatterRequest",
        verbose_name="Reserved-matter request",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appointment",
        help_text="The trust's Articles reserve board appointments: the council's decision and the DfE's consent "
        "are recorded on this request, through the appointment's steps.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        permissions = [("record_dfe_approval", "Can record the DfE's approval of an appointment")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True) | models.Q(term_end__gte=models.F("term_start")),
                name="appointment_term_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} as {self.seat.title}"

    def get_absolute_url(self) -> str:
        return reverse("boards:appointment-detail", kwargs={"pk": self.pk})


class AppointmentStep(TimeStampedModel):
    """The step log: each move of an appointment, dated, by whom, with the decision reference."""

    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="steps")
    from_status = models.CharField(max_length=20, choices=Appointment.Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Appointment.Status.choices)
    decided_on = models.DateField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision_reference = models.CharField(max_length=200, blank=True)
    decision_url = models.URLField(blank=True)
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["appointment", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.appointment}: {self.get_to_status_display()} on {self.decided_on}"


class InterestDeclaration(TimeStampedModel):
    """A declared interest of a person sitting on a body, reviewed at least once a year."""

    class Kind(models.TextChoices):
        EMPLOYMENT = "employment", "Employment or business"
        DIRECTORSHIP = "directorship", "Directorship"
        SHAREHOLDING = "shareholding", "Shareholding"
        MEMBERSHIP = "membership", "Membership of an organisation"
        GIFT = "gift", "Gift or hospitality"
        RELATIONSHIP = "relationship", "Family or personal relationship"
        NONE = "none", "Nothing to declare"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="interests")
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="interests")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    detail = models.TextField(blank=True)
    declared_on = models.DateField()
    reviewed_on = models.DateField(null=True, blank=True, help_text="Date of the latest review.")
    meeting_reference = models.CharField(max_length=200, blank=True, help_text="Meeting where it was declared, if any.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "-declared_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reviewed_on__isnull=True) | models.Q(reviewed_on__gte=models.F("declared_on")),
                name="interest_reviewed_after_declared",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()}"
