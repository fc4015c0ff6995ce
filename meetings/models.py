"""The governance cycle: meetings, agenda items, papers, attendance, minutes, resolutions, actions.

Plus the private calendar feeds and the reminder/notification rows written by the daily task.
Rules live in services.py (writes) and selectors.py (scoped reads); this module holds data and
database constraints only.
"""

from datetime import date as date_type

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from contracts.models import ReservedMatter
from trustgov.core.dates import add_working_days, clear_working_days_between
from trustgov.core.exempt import Schedule12A  # noqa: F401  (papers and data share one list)
from trustgov.core.models import TimeStampedModel
from trustgov.core.notifications import Frequency

PAPERS_CLEAR_WORKING_DAYS = 5  # agendas and papers published at least five clear working days before


class BodyKind(models.TextChoices):
    PERFORMANCE_MEETING = "performance_meeting", "DCS and Trust Chief Executive performance meeting"
    STRATEGIC_PARTNERSHIP_BOARD = "strategic_partnership_board", "Strategic Partnership Board"
    SCRUTINY_COMMITTEE = "scrutiny_committee", "Children's Services Scrutiny Committee"
    BUDGET_SCRUTINY = "budget_scrutiny", "Budget scrutiny"
    IMPROVEMENT_BOARD = "improvement_board", "Improvement Board"
    CABINET = "cabinet", "Cabinet"
    OTHER = "other", "Other committee"


class Meeting(TimeStampedModel):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        PAPERS_PUBLISHED = "papers_published", "Papers published"
        HELD = "held", "Held"
        CANCELLED = "cancelled", "Cancelled"

    council = models.ForeignKey("organisations.Council", on_delete=models.PROTECT, related_name="meetings")
    is_joint = models.BooleanField(
        "Joint committee",
        default=False,
        help_text="A meeting of every council that owns the delivery body (for example a jointly owned trust's joint "
        "committee): each owner's users see it.",
    )
    delivery_body = models.ForeignKey(
        "organisations.DeliveryBody", on_delete=models.PROTECT, related_name="meetings", null=True, blank=True
    )
    body_kind = models.CharField("Body", max_length=40, choices=BodyKind.choices)
    title = models.CharField(max_length=200)
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    place = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    quorum = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Members needed to be quorate.")
    papers_published_on = models.DateField(null=True, blank=True)
    obligation = models.ForeignKey(
        "contracts.Obligation", on_delete=models.PROTECT, related_name="meetings", null=True, blank=True
    )
    occurrence = models.CharField(
        max_length=20, blank=True, help_text="Which occurrence of the cycle this is, for example 2027-03."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "start_time", "pk"]
        indexes = [
            # Meetings in a range of days, in date order: upcoming meetings, the papers and minutes reminders.
            models.Index(fields=["date", "start_time"], name="meeting_date_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "occurrence"],
                condition=models.Q(obligation__isnull=False),
                name="meeting_unique_obligation_occurrence",
            ),
            models.UniqueConstraint(
                fields=["council", "body_kind", "occurrence"],
                condition=models.Q(obligation__isnull=True) & ~models.Q(occurrence=""),
                name="meeting_unique_default_cycle_occurrence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.date:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting-detail", kwargs={"pk": self.pk})

    @property
    def papers_deadline(self):
        """The last working day that leaves five clear working days before the meeting."""
        return add_working_days(self.date, -(PAPERS_CLEAR_WORKING_DAYS + 1))

    def papers_late(self, today=None) -> bool:
        if self.papers_published_on:
            return clear_working_days_between(self.papers_published_on, self.date) < PAPERS_CLEAR_WORKING_DAYS
        today = today or timezone.localdate()
        return today > self.papers_deadline and self.status != self.Status.CANCELLED

    @property
    def present_count(self) -> int:
        return self.attendances.filter(status=Attendance.Status.PRESENT).count()

    @property
    def is_quorate(self) -> bool | None:
        if self.quorum is None:
            return None
        return self.present_count >= self.quorum


class AgendaItem(TimeStampedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    order = models.PositiveSmallIntegerField(default=1)
    minute_number = models.CharField(max_length=20, blank=True, help_text="The council's minute number, if any.")
    title = models.CharField(max_length=300)
    report = models.TextField(blank=True, help_text="The report's summary and recommendations.")
    report_author = models.CharField(max_length=200, blank=True, help_text="For example 'Director of Finance'.")
    is_exempt = models.BooleanField("Not for publication", default=False)
    exempt_category = models.CharField("Schedule 12A category", max_length=2, choices=Schedule12A.choices, blank=True)
    requested_by = models.ForeignKey(
        "Resolution", on_delete=models.PROTECT, related_name="requested_items", null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_exempt=False, exempt_category="")
                | (models.Q(is_exempt=True) & ~models.Q(exempt_category="")),
                name="agendaitem_exempt_has_category",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.meeting.get_absolute_url() + f"#item-{self.pk}"


def document_upload_to(instance, filename: str) -> str:
    return f"meetings/{instance.agenda_item.meeting_id}/{filename}"


class Document(TimeStampedModel):
    class FileType(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word document"
        XLSX = "xlsx", "Excel spreadsheet"

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(max_length=300)
    file = models.FileField(upload_to=document_upload_to, max_length=300)
    file_type = models.CharField(max_length=10, choices=FileType.choices)
    size = models.PositiveIntegerField(help_text="Bytes.")
    is_exempt = models.BooleanField("Not for publication", default=False)
    exempt_category = models.CharField("Schedule 12A category", max_length=2, choices=Schedule12A.choices, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)

    class Publication(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved for publication"
        PUBLISHED = "published", "Published"

    publication = models.CharField(max_length=20, choices=Publication.choices, default=Publication.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    text = models.TextField(
        blank=True, editable=False, help_text="The paper's words, read on upload (for search and the agenda pack)."
    )
    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        ordering = ["agenda_item", "pk"]
        permissions = [("view_exempt_document", "Can list, open and download exempt (not for publication) papers")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_exempt=False, exempt_category="")
                | (models.Q(is_exempt=True) & ~models.Q(exempt_category="")),
                name="document_exempt_has_category",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def exempt(self) -> bool:
        """Exempt itself, or attached to an exempt item."""
        return self.is_exempt or self.agenda_item.is_exempt

    def get_absolute_url(self) -> str:
        return reverse("meetings:document-download", kwargs={"pk": self.pk})


class Attendance(TimeStampedModel):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"
        IN_ATTENDANCE = "in_attendance", "In attendance (not a member)"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendances")
    name = models.CharField(max_length=200)
    capacity = models.CharField(max_length=200, blank=True, help_text="For example 'Trust Chief Executive'.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PRESENT)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "status", "name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "name"], name="attendance_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"


class Declaration(TimeStampedModel):
    """A declaration of interest made at a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="declarations")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="declarations", null=True, blank=True
    )
    person_name = models.CharField(max_length=200, blank=True)
    person = models.ForeignKey(
        "boards.Person",
        on_delete=models.PROTECT,
        related_name="meeting_declarations",
        null=True,
        blank=True,
        help_text="The declarer's entry in the boards register of people and interests, when they have one.",
    )
    text = models.TextField("Declaration")
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return f"{self.person_name or 'Declaration'}: {self.text[:60]}"


class Minutes(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="minutes")
    text = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    approved_at = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        related_name="minutes_approved_here",
        null=True,
        blank=True,
        help_text="The meeting that approved these minutes as a correct record.",
    )
    approved_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "minutes"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft", approved_at__isnull=True)
                | models.Q(status="approved", approved_at__isnull=False, approved_on__isnull=False),
                name="minutes_approval_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"Minutes of {self.meeting}"


class Resolution(TimeStampedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="resolutions")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="resolutions")
    number = models.PositiveSmallIntegerField(help_text="Numbered (1), (2)… under each minute, as councils do.")
    text = models.TextField()
    future_report_month = models.DateField(
        null=True, blank=True, help_text="First day of the month a further report was asked for."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "agenda_item__order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agenda_item", "number"], name="resolution_unique_number_per_item"),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.text[:80]}"

    @property
    def label(self) -> str:
        prefix = f"Minute {self.agenda_item.minute_number} " if self.agenda_item.minute_number else ""
        return f"{prefix}({self.number})"


class Action(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    resolution = models.ForeignKey(Resolution, on_delete=models.PROTECT, related_name="actions", null=True, blank=True)
    description = models.TextField()
    owner = models.CharField(max_length=200, help_text="The office responsible, for example 'Strategic Director'.")
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_actions", null=True, blank=True
    )
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [
            # Open actions by due date (the reminder sweep, the overdue lists): done actions are most of the table.
            models.Index(fields=["due_date"], condition=~models.Q(status="done"), name="action_open_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(owner=""),
                name="action_has_owner",
            ),
            models.CheckConstraint(
                condition=models.Q(status="done", completed_on__isnull=False)
                | (~models.Q(status="done") & models.Q(completed_on__isnull=True)),
                name="action_completed_on_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.description[:80]} ({self.owner})"

    def get_absolute_url(self) -> str:
        return reverse("meetings:action-detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.DONE

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_date < timezone.localdate()

    @property
    def status_label(self) -> str:
        """The status as a reader needs it: an open action past its due date reads "Overdue", not "Open"."""
        if self.is_overdue:
            return f"Overdue ({self.get_status_display().lower()})"
        return self.get_status_display()


class ActionUpdate(TimeStampedModel):
    """The update log of an action: who said what, and the status it left the action in."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("Update")
    status = models.CharField(max_length=20, choices=Action.Status.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "created_at", "pk"]

    def __str__(self) -> str:
        return f"Update on {self.action_id}: {self.text[:60]}"


class CalendarFeed(models.Model):
    """A private, revocable iCalendar feed URL. Only a hash of the token is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    name = models.CharField(max_length=100)
    body_kind = models.CharField(
        "Body", max_length=40, choices=BodyKind.choices, blank=True, help_text="Leave blank for all your meetings."
    )
    prefix = models.CharField(max_length=8, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class NotificationPreference(models.Model):
    """How one person wants one kind of notification by email (kinds: ``trustgov.core.notifications``).

    No row means the kind's default (straight away). The in-app notification is recorded whatever the choice.
    """

    Frequency = Frequency

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=50)
    frequency = models.CharField(max_length=20, choices=Frequency.choices, default=Frequency.IMMEDIATE)

    class Meta:
        ordering = ["user", "kind"]
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}: {self.get_frequency_display()}"


class Reminder(models.Model):
    """One reminder of one thing to one person for one due date. The unique constraint is what
    stops a rerun, a retry or a second worker sending it twice."""

    kind = models.CharField(max_length=50)
    subject_key = models.CharField(max_length=100, help_text="What it is about, for example 'meetings.action:12'.")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    due_date = models.DateField()
    escalation = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["subject_key", "recipient", "kind", "due_date"], name="reminder_sent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_key} to {self.recipient_id} for {self.due_date}"


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    reminder = models.OneToOneField(Reminder, on_delete=models.CASCADE, null=True, blank=True)
    kind = models.CharField(
        max_length=50, blank=True, help_text="The registered kind (an escalation has its reminder's)."
    )
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    due_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


FORWARD_PLAN_CLEAR_DAYS = 28  # Local Authorities (Executive Arrangements) (Meetings and Access to Information)
# (England) Regulations 2012, reg. 9: a key decision is on the forward plan at least 28 clear days before it is taken.
GENERAL_EXCEPTION_CLEAR_DAYS = 5  # reg. 10: notice to the scrutiny chair and the public, 5 clear days before


def clear_days_between(published: date_type, decided: date_type) -> int:
    """Calendar days between two dates, counting neither the day of publication nor the day of decision."""
    return max((decided - published).days - 1, 0)


class ForwardPlanEntry(TimeStampedModel):
    """A decision on the council's forward plan (notice of key decisions and of decisions taken in private)."""

    class Route(models.TextChoices):
        STANDARD = "standard", "Standard: 28 clear days' notice"
        GENERAL_EXCEPTION = "general_exception", "General exception (regulation 10)"
        SPECIAL_URGENCY = "special_urgency", "Special urgency (regulation 11)"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        DECIDED = "decided", "Decided"
        WITHDRAWN = "withdrawn", "Withdrawn"

    council = models.ForeignKey("organisations.Council", on_delete=models.PROTECT, related_name="forward_plan")
    delivery_body = models.ForeignKey(
        "organisations.DeliveryBody", on_delete=models.PROTECT, related_name="forward_plan", null=True, blank=True
    )
    title = models.CharField(max_length=300)
    decision_maker = models.CharField(max_length=20, choices=ReservedMatter.DecidedBy.choices)
    planned_on = models.DateField("Planned decision date")
    notice_published_on = models.DateField("First published on the forward plan")
    is_key_decision = models.BooleanField("Key decision", default=True)
    route = models.CharField(max_length=20, choices=Route.choices, default=Route.STANDARD)
    route_reason = models.TextField(
        "Reason for the exception route", blank=True, help_text="Why the decision cannot wait 28 clear days."
    )
    is_private = models.BooleanField("To be taken in private (exempt)", default=False)
    exempt_category = models.CharField("Schedule 12A paragraph", max_length=2, choices=Schedule12A.choices, blank=True)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="forward_plan", null=True, blank=True)
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="forward_plan", null=True, blank=True
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    history = HistoricalRecords()

    class Meta:
        ordering = ["planned_on", "pk"]
        verbose_name_plural = "forward plan entries"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_private=False, exempt_category="")
                | (models.Q(is_private=True) & ~models.Q(exempt_category="")),
                name="forwardplan_private_has_paragraph",
            ),
            models.CheckConstraint(
                condition=models.Q(route="standard") | ~models.Q(route_reason=""),
                name="forwardplan_exception_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def notice_clear_days(self) -> int:
        return clear_days_between(self.notice_published_on, self.planned_on)

    @property
    def short_notice(self) -> bool:
        """A key decision on the standard route with fewer than 28 clear days' notice: the warning."""
        return (
            self.is_key_decision
            and self.route == self.Route.STANDARD
            and self.notice_clear_days < FORWARD_PLAN_CLEAR_DAYS
        )

    def clean(self):
        errors = {}
        if self.route in (self.Route.GENERAL_EXCEPTION, self.Route.SPECIAL_URGENCY) and not self.route_reason.strip():
            errors["route_reason"] = (
                f"Enter why the decision is taken under {self.get_route_display().split(' (')[0].lower()}."
            )
        if self.route == self.Route.STANDARD:
            self.route_reason = ""
        if self.is_private and not self.exempt_category:
            errors["exempt_category"] = "Choose the Schedule 12A paragraph that makes the decision private."
        if not self.is_private:
            self.exempt_category = ""
        if self.notice_published_on and self.planned_on and self.notice_published_on >= self.planned_on:
            errors["notice_published_on"] = "The notice must be published before the planned decision date."
        if (
            self.route == self.Route.GENERAL_EXCEPTION
            and self.notice_published_on
            and self.planned_on
            and self.notice_clear_days < GENERAL_EXCEPTION_CLEAR_DAYS
        ):
            errors["planned_on"] = (
                "Under general exception the decision needs 5 clear days' notice: choose special urgency or a "
                "later date."
            )
        if self.delivery_body_id and self.council_id and not self.delivery_body.is_owned_by(self.council):
            errors["delivery_body"] = "Choose a delivery body the council owns."
        if self.meeting_id and self.council_id and self.meeting.council_id != self.council_id:
            errors["meeting"] = "Choose a meeting of this council."
        if self.agenda_item_id and self.meeting_id and self.agenda_item.meeting_id != self.meeting_id:
            errors["agenda_item"] = "Choose an item on the chosen meeting's agenda."
        if errors:
            raise ValidationError(errors)
