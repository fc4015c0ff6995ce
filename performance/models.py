"""KPI catalogue, targets, benchmarks, monthly returns (with versions and queries), improvement plan, Ofsted.

Models hold data and database constraints only. Rules (RAG, validation of values, the return
lifecycle) live in calculations.py, services.py and workflows.py.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from trustgov.core.dates import financial_year_label
from trustgov.core.models import TimeStampedModel


class ImprovementPriority(TimeStampedModel):
    """One priority of the trust's improvement plan (Sandwell has eight)."""

    delivery_body = models.ForeignKey(
        "organisations.DeliveryBody", on_delete=models.PROTECT, related_name="improvement_priorities"
    )
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["delivery_body__name", "number"]
        verbose_name_plural = "improvement priorities"
        constraints = [
            models.UniqueConstraint(fields=["delivery_body", "number"], name="priority_number_unique_per_body")
        ]

    def __str__(self) -> str:
        return f"Priority {self.number}: {self.title}"


class ImprovementAction(TimeStampedModel):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETE = "complete", "Complete"
        OVERDUE = "overdue", "Off track"

    priority = models.ForeignKey(ImprovementPriority, on_delete=models.PROTECT, related_name="actions")
    title = models.CharField(max_length=300)
    owner = models.CharField(max_length=200, help_text="The office responsible, for example 'Trust Chief Executive'.")
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    evidence = models.TextField(blank=True, help_text="What shows the action is done.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["priority__number", "due_date", "pk"]

    def __str__(self) -> str:
        return self.title


class Kpi(TimeStampedModel):
    """One indicator in a trust's catalogue."""

    class Unit(models.TextChoices):
        PERCENTAGE = "percentage", "Percentage"
        COUNT = "count", "Count"
        RATE_PER_10000 = "rate_per_10000", "Rate per 10,000 children"
        DAYS = "days", "Days"
        RATIO = "ratio", "Ratio"

    class Polarity(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        ANNUAL = "annual", "Annual"

    delivery_body = models.ForeignKey("organisations.DeliveryBody", on_delete=models.PROTECT, related_name="kpis")
    code = models.SlugField(max_length=30, help_text="A short code used in returns and spreadsheets, e.g. 'RR1'.")
    title = models.CharField(max_length=200)
    definition = models.TextField()
    unit = models.CharField(max_length=20, choices=Unit.choices)
    polarity = models.CharField(max_length=10, choices=Polarity.choices)
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    numerator_definition = models.CharField(
        max_length=300, blank=True, help_text="For a rate: what is counted. Leave blank when the value is typed."
    )
    denominator_definition = models.CharField(max_length=300, blank=True)
    data_source = models.CharField(max_length=200, blank=True)
    priority = models.ForeignKey(
        ImprovementPriority, on_delete=models.SET_NULL, null=True, blank=True, related_name="kpis"
    )
    contractual = models.BooleanField(default=True, help_text="Contractual KPI (otherwise monitoring only).")
    formal_reporting_start = models.DateField(
        null=True, blank=True, help_text="First month reported formally against target (after any grace period)."
    )
    display_order = models.PositiveSmallIntegerField(default=0)
    retired_from = models.DateField(
        null=True,
        blank=True,
        help_text="The first month no longer reported. A KPI with returns is retired, never deleted.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["delivery_body__name", "display_order", "code"]
        verbose_name = "KPI"
        constraints = [models.UniqueConstraint(fields=["delivery_body", "code"], name="kpi_code_unique_per_body")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("performance:kpi-detail", kwargs={"pk": self.pk})

    @property
    def is_fraction(self) -> bool:
        """The value is computed from a numerator and denominator, never typed."""
        return bool(self.numerator_definition)


class KpiDefinition(TimeStampedModel):
    """One version of a KPI's definition, in force from a month until the next version.

    The KPI's own fields hold the latest version; returns for months before a change keep the
    definition they were made under (``definition_for``). Sandwell revised its KPIs from April 2023.
    """

    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="definitions")
    effective_from = models.DateField(
        null=True, blank=True, help_text="The first month this definition applies to (blank: from the start)."
    )
    definition = models.TextField()
    numerator_definition = models.CharField(max_length=300, blank=True)
    denominator_definition = models.CharField(max_length=300, blank=True)
    reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kpi", models.F("effective_from").asc(nulls_first=True)]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "effective_from"], name="kpi_definition_one_per_month"),
            models.CheckConstraint(
                condition=models.Q(effective_from__isnull=True) | models.Q(effective_from__day=1),
                name="kpi_definition_from_first_of_month",
            ),
        ]

    def __str__(self) -> str:
        start = f"from {self.effective_from:%B %Y}" if self.effective_from else "from the start"
        return f"{self.kpi.code} definition {start}"


class KpiBaseline(TimeStampedModel):
    """A month the KPI's statistical process control baseline is recalculated from, for a change that is not a
    change of definition (a definition change recalculates it by itself): a new contract, a service change.
    Limits are computed afresh from that month (ADR 0305)."""

    class Reason(models.TextChoices):
        NEW_CONTRACT = "new_contract", "A new contract"
        SERVICE_CHANGE = "service_change", "A service change"

    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="baselines")
    effective_from = models.DateField(help_text="The first month of the new baseline.")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.TextField(help_text="What changed, for the reader of the chart.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["kpi", "effective_from"]
        verbose_name = "KPI baseline"
        constraints = [
            models.UniqueConstraint(fields=["kpi", "effective_from"], name="kpi_baseline_one_per_month"),
            models.CheckConstraint(condition=models.Q(effective_from__day=1), name="kpi_baseline_from_first_of_month"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi.code} baseline from {self.effective_from:%B %Y}"


class Target(TimeStampedModel):
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="targets")
    financial_year = models.PositiveSmallIntegerField(help_text="The year the financial year starts (2024 = 2024/25).")
    value = models.DecimalField(max_digits=12, decimal_places=2)
    amber_tolerance = models.DecimalField(
        max_digits=12, decimal_places=2, default=0, help_text="How far from target (in the KPI's unit) is amber."
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kpi", "financial_year"], name="target_unique_per_year"),
            models.CheckConstraint(condition=models.Q(amber_tolerance__gte=0), name="target_tolerance_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi.code} {financial_year_label(self.financial_year)}: {self.value}"

    @property
    def financial_year_label(self) -> str:
        return financial_year_label(self.financial_year)


class StatisticalNeighbourList(TimeStampedModel):
    """A council's 10 nearest statistical neighbours (nearest first) as a published tool lists them for a year,
    e.g. the DfE children's services statistical neighbour benchmarking tool, 2024. ``neighbours`` is the ordered
    list of ``{"la_code": ..., "name": ...}``; rules in ``services.neighbour_list_save`` (ADR 0306)."""

    council = models.ForeignKey("organisations.Council", on_delete=models.PROTECT, related_name="neighbour_lists")
    year = models.CharField(max_length=10, help_text="The year of the tool's release, e.g. '2024'.")
    source = models.CharField(max_length=300)
    neighbours = models.JSONField(default=list, help_text="Nearest first: LA code and name of each neighbour.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["council__name", "-year"]
        constraints = [models.UniqueConstraint(fields=["council", "year"], name="neighbour_list_one_per_year")]

    def __str__(self) -> str:
        return f"{self.council} statistical neighbours {self.year}"


class Benchmark(TimeStampedModel):
    """A comparator for a KPI and year. England: the figure (or a suppression code). Region or statistical
    neighbours: the median with its quartiles and the count of figures used, entered as published or computed
    from each authority's figure in ``figures`` (suppression codes kept as codes and excluded; ADR 0306)."""

    class Kind(models.TextChoices):
        ENGLAND = "england", "England"
        REGION = "region", "Region"
        STATISTICAL_NEIGHBOURS = "statistical_neighbours", "Statistical neighbours"

    class Code(models.TextChoices):
        CONFIDENTIAL = "c", "c: confidential (a small number, withheld)"
        ROUNDS_TO_ZERO = "k", "k: rounds to 0"
        LOW_RELIABILITY = "u", "u: low reliability"
        NOT_AVAILABLE = "x", "x: not available"
        NOT_APPLICABLE = "z", "z: not applicable"

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="benchmarks")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    year = models.CharField(max_length=10, help_text="The year the figure describes, e.g. '2024-25' or '2023'.")
    value = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, help_text="England: the figure. Otherwise the median."
    )
    code = models.CharField(
        max_length=1, choices=Code.choices, blank=True, help_text="A suppression code published in place of a figure."
    )
    lower_quartile = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    upper_quartile = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    figures_used = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How many authorities' figures the median and quartiles are of."
    )
    figures_excluded = models.PositiveSmallIntegerField(
        default=0, help_text="How many authorities' figures were suppression codes, left out of the median."
    )
    figures = models.JSONField(
        default=list, blank=True, help_text="Each authority's figure: LA code, name and value (a number or a code)."
    )
    neighbour_list = models.ForeignKey(
        StatisticalNeighbourList, on_delete=models.PROTECT, null=True, blank=True, related_name="benchmarks"
    )
    source = models.CharField(max_length=300)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kpi", "kind", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "kind", "year"], name="benchmark_unique_per_year"),
            models.CheckConstraint(
                condition=(models.Q(value__isnull=False) & models.Q(code=""))
                | (models.Q(value__isnull=True) & ~models.Q(code="")),
                name="benchmark_value_or_code",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}: {self.value if self.value is not None else self.code}"


class MonthlyReturn(TimeStampedModel):
    """A trust's return of KPI values for one month. Its figures live in versions."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        QUERIED = "queried", "Queried"
        RESUBMITTED = "resubmitted", "Resubmitted"
        ACCEPTED = "accepted", "Accepted"

    delivery_body = models.ForeignKey(
        "organisations.DeliveryBody", on_delete=models.PROTECT, related_name="monthly_returns"
    )
    period = models.DateField(help_text="The first day of the month the return covers.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    due_date = models.DateField()
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_version = models.ForeignKey(
        "ReturnVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        permissions = [
            ("submit_monthlyreturn", "Can submit a monthly return"),
            ("review_monthlyreturn", "Can query, send back or accept a monthly return"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["delivery_body", "period"], name="one_return_per_body_per_month"),
            models.CheckConstraint(condition=models.Q(period__day=1), name="return_period_is_first_of_month"),
        ]

    def __str__(self) -> str:
        return f"{self.delivery_body} return for {self.period:%B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("performance:return-detail", kwargs={"pk": self.pk})

    @property
    def late(self) -> bool:
        """Submitted after its due date (or still not submitted and past it)."""
        if self.first_submitted_at:
            return timezone.localdate(self.first_submitted_at) > self.due_date
        return timezone.localdate() > self.due_date


class ReturnVersion(TimeStampedModel):
    """One set of figures for a return. Version 1 is the first; a correction is a new version with a reason."""

    monthly_return = models.ForeignKey(MonthlyReturn, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    reason = models.TextField(blank=True, help_text="Why the figures were corrected (required from version 2).")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=20, default="web", help_text="web, upload or api")
    submitted_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_name = models.CharField(max_length=300, blank=True, help_text="Name and job title at sign-off.")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["monthly_return", "number"], name="return_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"


class ReturnValue(TimeStampedModel):
    version = models.ForeignKey(ReturnVersion, on_delete=models.PROTECT, related_name="values")
    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField(max_digits=14, decimal_places=2)
    numerator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    commentary = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "kpi"], name="one_value_per_kpi_per_version")]

    def __str__(self) -> str:
        return f"{self.kpi.code}: {self.value}"


class ReturnQuery(TimeStampedModel):
    """An officer's question about a value (or the whole return); the thread is kept."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ANSWERED = "answered", "Answered"
        CLOSED = "closed", "Closed"

    monthly_return = models.ForeignKey(MonthlyReturn, on_delete=models.PROTECT, related_name="queries")
    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, null=True, blank=True, related_name="queries")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    question = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    history = HistoricalRecords()

    class Meta:
        ordering = ["monthly_return", "created_at", "pk"]
        verbose_name_plural = "return queries"

    def __str__(self) -> str:
        return f"Query on {self.kpi.code if self.kpi else 'the return'}"


class QueryMessage(TimeStampedModel):
    query = models.ForeignKey(ReturnQuery, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["query", "created_at", "pk"]


class OfstedEvent(TimeStampedModel):
    class Kind(models.TextChoices):
        INSPECTION = "inspection", "Inspection"
        MONITORING_VISIT = "monitoring_visit", "Monitoring visit"
        FOCUSED_VISIT = "focused_visit", "Focused visit"

    class Judgement(models.TextChoices):
        OUTSTANDING = "outstanding", "Outstanding"
        GOOD = "good", "Good"
        REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement to be good"
        INADEQUATE = "inadequate", "Inadequate"
        NONE = "", "No judgement (visit)"

    delivery_body = models.ForeignKey(
        "organisations.DeliveryBody", on_delete=models.PROTECT, related_name="ofsted_events"
    )
    date = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    focus = models.CharField(max_length=300, blank=True)
    judgement = models.CharField(max_length=30, choices=Judgement.choices, blank=True)
    letter_url = models.URLField(blank=True, help_text="The published letter or report.")
    summary = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["delivery_body__name", "-date"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d %B %Y}"


class TrajectoryMilestone(TimeStampedModel):
    """The contract's improvement trajectory, e.g. 'Requires improvement' by 2020, 'Good' by 2022."""

    delivery_body = models.ForeignKey(
        "organisations.DeliveryBody", on_delete=models.PROTECT, related_name="trajectory_milestones"
    )
    judgement = models.CharField(max_length=30, choices=OfstedEvent.Judgement.choices)
    by_date = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["delivery_body__name", "by_date"]

    def __str__(self) -> str:
        return f"{self.get_judgement_display()} by {self.by_date:%Y}"
