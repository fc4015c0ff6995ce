"""Report drafts (what an officer writes) and generated reports (the stored PDF versions).

A draft holds the Cabinet-paper header block, the recommendations and the narrative
sections; the data appendices are not stored on it but read live from the other apps when
the report is previewed or generated (see sections.py). Each generation stores a new
numbered version (a public document, and a separate "not for publication" document when
the draft has exempt appendices); earlier versions are kept.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from trustgov.core.models import TimeStampedModel


class ReportType(models.TextChoices):
    CABINET = "cabinet", "Cabinet report"
    SPB_QUARTERLY = "spb_quarterly", "Quarterly performance report to the Strategic Partnership Board"
    SCRUTINY = "scrutiny", "Scrutiny report"
    BOARD_RATIFICATION = "board_ratification", "Board ratification paper"
    ANNUAL_CONTRACT_REVIEW = "annual_contract_review", "Annual contract review"


class ProtectiveMarking(models.TextChoices):
    OFFICIAL = "OFFICIAL", "OFFICIAL"
    OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE"


# The numbered sections of a Cabinet paper, in order: (field name, heading).
NARRATIVE_SECTIONS: list[tuple[str, str]] = [
    ("purpose", "Purpose of the report"),
    ("ambition_implications", "Implications for the council's ambition"),
    ("background", "Background and main considerations"),
    ("current_position", "The current position"),
    ("consultation", "Consultation (customers and other stakeholders)"),
    ("alternative_options", "Alternative options"),
    ("resources", "Strategic resource implications"),
    ("legal_governance", "Legal and governance considerations"),
    ("equality", "Equality impact assessment"),
    ("data_protection", "Data protection impact assessment"),
    ("risk", "Crime and disorder and risk assessment"),
    ("sustainability", "Sustainability of proposals"),
    ("health_wellbeing", "Health and wellbeing implications (including social value)"),
    ("property", "Impact on any council managed property or land"),
    ("background_papers", "Background papers"),
]


class ReportDraft(TimeStampedModel):
    report_type = models.CharField("Type of report", max_length=40, choices=ReportType.choices)
    council = models.ForeignKey("organisations.Council", on_delete=models.PROTECT, related_name="report_drafts")
    delivery_body = models.ForeignKey(
        "organisations.DeliveryBody", on_delete=models.PROTECT, related_name="report_drafts", verbose_name="Trust"
    )
    period_start = models.DateField("Start of the period reported on")
    period_end = models.DateField("End of the period reported on")
    protective_marking = models.CharField(
        max_length=30, choices=ProtectiveMarking.choices, default=ProtectiveMarking.OFFICIAL
    )
    # Header block (the Sandwell Cabinet paper's table).
    title = models.CharField("Report title", max_length=300, help_text="For example 'Report to Cabinet'.")
    meeting_name = models.CharField("Meeting", max_length=200, help_text="For example 'Cabinet'.")
    meeting_date = models.DateField("Date of the meeting")
    subject = models.CharField(max_length=300)
    cabinet_member = models.CharField("Cabinet Member", max_length=300, blank=True)
    director = models.CharField(max_length=300, blank=True)
    ambition_contribution = models.CharField("Contribution towards the council's ambition", max_length=300, blank=True)
    key_decision = models.BooleanField("Key decision", default=False)
    forward_plan_reference = models.CharField("Forward Plan (28 day notice) reference", max_length=100, blank=True)
    cabinet_member_approval = models.CharField("Cabinet Member approval and date", max_length=300, blank=True)
    director_approval = models.CharField("Director approval", max_length=300, blank=True)
    urgency_reason = models.CharField(
        "Reason for urgency", max_length=300, blank=True, default="Urgency provisions do not apply"
    )
    exempt_information = models.CharField(
        "Exempt information reference", max_length=300, blank=True, default="Exemption provisions do not apply"
    )
    wards_consulted = models.CharField("Ward councillors consulted", max_length=300, blank=True)
    scrutiny_consultation = models.CharField("Scrutiny consultation", max_length=300, blank=True)
    contact_officer = models.CharField("Contact officer", max_length=300, blank=True)
    recommendations_intro = models.CharField(max_length=200, default="That Cabinet:")
    recommendations = models.TextField(blank=True, help_text="One recommendation a line; they are numbered for you.")
    # Narrative sections: paragraphs separated by a blank line are numbered 1.1, 1.2 ...
    purpose = models.TextField("Purpose of the report", blank=True)
    ambition_implications = models.TextField("Implications for the council's ambition", blank=True)
    background = models.TextField("Background and main considerations", blank=True)
    current_position = models.TextField("The current position", blank=True)
    consultation = models.TextField("Consultation", blank=True)
    alternative_options = models.TextField("Alternative options", blank=True)
    resources = models.TextField("Strategic resource implications", blank=True)
    legal_governance = models.TextField("Legal and governance considerations", blank=True)
    equality = models.TextField("Equality impact assessment", blank=True)
    data_protection = models.TextField("Data protection impact assessment", blank=True)
    risk = models.TextField("Crime and disorder and risk assessment", blank=True)
    sustainability = models.TextField("Sustainability of proposals", blank=True)
    health_wellbeing = models.TextField("Health and wellbeing implications", blank=True)
    property = models.TextField("Impact on council property or land", blank=True)
    background_papers = models.TextField("Background papers", blank=True)
    other_appendices = models.TextField(
        "Other appendices", blank=True, help_text="Documents appended by hand, one a line (listed, not reproduced)."
    )
    exempt_appendices = models.JSONField(
        default=list, blank=True, help_text="Keys of the data appendices that are not for publication."
    )
    exempt_category = models.CharField("Schedule 12A paragraph for the exempt appendices", max_length=2, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="report_drafts")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-meeting_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="report_period_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} ({self.get_report_type_display()}, {self.meeting_date:%-d %B %Y})"

    def get_absolute_url(self) -> str:
        return reverse("reports:draft-detail", kwargs={"pk": self.pk})


def report_upload_to(instance: "GeneratedReport", filename: str) -> str:
    return f"reports/{instance.draft_id}/{filename}"


class GeneratedReport(TimeStampedModel):
    """One stored document version of a draft: the PDF, its checksum and when its data was read."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    draft = models.ForeignKey(ReportDraft, on_delete=models.PROTECT, related_name="generated")
    # Denormalised from the draft so scoping needs no join and a later edit of the draft cannot move it.
    council = models.ForeignKey("organisations.Council", on_delete=models.PROTECT, related_name="+")
    delivery_body = models.ForeignKey("organisations.DeliveryBody", on_delete=models.PROTECT, related_name="+")
    report_type = models.CharField(max_length=40, choices=ReportType.choices)
    title = models.CharField(max_length=300)
    version = models.PositiveIntegerField()
    is_exempt = models.BooleanField("Not for publication", default=False)
    protective_marking = models.CharField(max_length=30, choices=ProtectiveMarking.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    progress_note = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to=report_upload_to, max_length=300, blank=True)
    sha256 = models.CharField("SHA-256 checksum", max_length=64, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True, help_text="Bytes.")
    page_count = models.PositiveIntegerField(null=True, blank=True)
    data_snapshot_at = models.DateTimeField("Data read at", null=True, blank=True)
    error = models.TextField(blank=True)
    # The background work (ADR 0502): which queued message may render it, how often it was handed to the queue
    # and started, and when; the sweep reads these to hand on what was lost.
    task_id = models.CharField("Task", max_length=64, blank=True)
    sends = models.PositiveSmallIntegerField("Times handed to the report worker", default=0)
    attempts = models.PositiveSmallIntegerField("Times started", default=0)
    queued_at = models.DateTimeField("Handed to the report worker at", null=True, blank=True)
    started_at = models.DateTimeField("Started at", null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Publication(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"

    publication = models.CharField(max_length=20, choices=Publication.choices, default=Publication.DRAFT)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-version", "is_exempt"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "version", "is_exempt"], name="one_document_per_version_kind"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="report_progress_at_most_100"),
            # A not-for-publication document is never published.
            models.CheckConstraint(
                condition=~models.Q(is_exempt=True, publication="published"), name="exempt_report_never_published"
            ),
        ]

    def __str__(self) -> str:
        kind = " (not for publication)" if self.is_exempt else ""
        return f"{self.title}, version {self.version}{kind}"

    def get_absolute_url(self) -> str:
        return reverse("reports:generated-detail", kwargs={"pk": self.pk})

    @property
    def filename(self) -> str:
        suffix = "-not-for-publication" if self.is_exempt else ""
        return f"{self.report_type}-{self.draft_id}-v{self.version}{suffix}.pdf"
