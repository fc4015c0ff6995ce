"""The service contract between a council and its delivery body, and the duties it creates.

Contract and Obligation are the shared core other apps build on: meetings generates its
cycle from obligations, performance reads the return deadline and grace period, and
reminders read the key dates. (More contract models — money, SSA, variations, escalation,
reserved matters, risks — live alongside these.)
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from trustgov.core.dates import add_months, financial_year_label
from trustgov.core.exempt import ExemptRecord, exempt_constraint
from trustgov.core.models import TimeStampedModel


class Contract(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED = "signed", "Signed"
        LIVE = "live", "Live"
        IN_NOTICE = "in_notice", "In notice"
        TERMINATED = "terminated", "Terminated"
        EXPIRED = "expired", "Expired"

    council = models.ForeignKey("organisations.Council", on_delete=models.PROTECT, related_name="contracts")
    delivery_body = models.ForeignKey("organisations.DeliveryBody", on_delete=models.PROTECT, related_name="contracts")
    title = models.CharField(max_length=200)
    reference = models.CharField(max_length=50, unique=True, help_text="The council's contract reference.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    start_date = models.DateField(help_text="Go-live: the day operational control transfers.")
    shadow_start_date = models.DateField(null=True, blank=True, help_text="Start of the shadow period, if any.")
    signed_on = models.DateField(
        "Signed on",
        null=True,
        blank=True,
        help_text="The day the contract was signed, if known (open data's dateSigned).",
    )
    initial_term_years = models.PositiveSmallIntegerField(default=5)
    end_date = models.DateField(help_text="Expiry of the initial term.")
    break_clause_date = models.DateField(null=True, blank=True)
    break_notice_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Notice needed before the break date, in months."
    )
    annual_review_date = models.DateField(null=True, blank=True, help_text="Next annual review of the contract.")
    extension_options = models.CharField(max_length=200, blank=True, help_text="For example 'up to 5 years'.")
    scope_childrens_social_care = models.BooleanField("Children's social care", default=True)
    scope_early_help = models.BooleanField("Early help", default=False)
    scope_education = models.BooleanField("Education and school support", default=False)
    scope_exclusions = models.CharField(
        max_length=300, blank=True, help_text="Services kept by the council, for example SEND."
    )
    return_due_working_days = models.PositiveSmallIntegerField(
        default=10, help_text="The monthly return is due this many working days after month end."
    )
    kpi_grace_months = models.PositiveSmallIntegerField(
        default=0, help_text="Months after go-live before formal reporting against KPIs starts."
    )
    is_joint = models.BooleanField(
        "Joint contract",
        default=False,
        help_text="Every council that owns the delivery body is party to it (a jointly owned trust's one contract). "
        "Otherwise only this council is, and each owner holds its own contract.",
    )
    returns_expected_from = models.DateField(
        "Returns expected in TrustGov from",
        null=True,
        blank=True,
        help_text="The first month whose monthly return TrustGov expects and chases. Leave blank to expect every "
        "month from go-live (after the grace period); a council that starts using TrustGov part-way through a "
        "contract gives the month it starts, and earlier months are not chased.",
    )
    supplier_company_number = models.CharField(max_length=20, blank=True)
    description = models.TextField("Description of the services", blank=True)
    termination_consent_on = models.DateField("DfE consent to termination recorded on", null=True, blank=True)
    termination_consent_reference = models.CharField("DfE consent reference", max_length=200, blank=True)
    last_annual_review_on = models.DateField("Last annual review held on", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["council__name", "start_date"]
        permissions = [("record_dfe_consent_termination", "Can record DfE consent to terminating a contract")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gt=models.F("start_date")), name="contract_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contracts:contract-detail", kwargs={"pk": self.pk})

    def party_councils(self) -> list:
        """The councils party to the contract: its council or, for a joint contract, every council that owns
        the delivery body today, the lead first (as ``scope_by_party`` and the recipients read it)."""
        if self.is_joint:
            owners = [o.council for o in self.delivery_body.current_ownerships()]
            if owners:
                return owners
        return [self.council]

    @property
    def parties_label(self) -> str:
        """Everyone party to the contract, the councils then the delivery body: "West Northamptonshire
        Council, North Northamptonshire Council and Northamptonshire Children's Trust"."""
        names = [c.name for c in self.party_councils()] + [self.delivery_body.name]
        return f"{', '.join(names[:-1])} and {names[-1]}"

    @property
    def last_day_to_give_notice(self):
        """The break date less the notice period: the last day notice can be served to break."""
        if self.break_clause_date and self.break_notice_months is not None:
            return add_months(self.break_clause_date, -self.break_notice_months)
        return None


class EndOfTermDecision(TimeStampedModel):
    """What the council decided happens when the contract's term ends: an extension, a renewal or a
    return of the services in-house. Recorded once per decision; an extension moves the contract's end date."""

    class Outcome(models.TextChoices):
        EXTENSION = "extension", "Extend the contract"
        RENEWAL = "renewal", "Renew: a new contract follows this one"
        IN_HOUSE = "in_house", "Return the services in-house"

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="end_of_term_decisions")
    outcome = models.CharField("What happens next", max_length=20, choices=Outcome.choices)
    decided_on = models.DateField("Date of the decision")
    decision_reference = models.CharField(
        max_length=200, help_text="The Cabinet or delegated decision, for example its minute number."
    )
    reason = models.TextField("Why")
    previous_end_date = models.DateField()
    new_end_date = models.DateField("New end date", null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "-decided_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.contract}: {self.get_outcome_display()}"


class Obligation(TimeStampedModel):
    """A dated or recurring duty under the contract, with an owner and a next due date."""

    class Kind(models.TextChoices):
        MONTHLY_MONITORING = "monthly_monitoring", "Monthly monitoring information"
        PERFORMANCE_MEETING = "performance_meeting", "DCS and Trust Chief Executive performance meeting"
        STRATEGIC_PARTNERSHIP_BOARD = "strategic_partnership_board", "Strategic Partnership Board"
        SCRUTINY_SESSION = "scrutiny_session", "Trust attends scrutiny"
        BUDGET_SCRUTINY = "budget_scrutiny", "Budget scrutiny"
        IMPROVEMENT_BOARD = "improvement_board", "Improvement Board"
        KPI_AGREEMENT = "kpi_agreement", "KPIs agreed"
        ANNUAL_REVIEW = "annual_review", "Annual review of the contract"
        OTHER = "other", "Other"

    class Recurrence(models.TextChoices):
        ONCE = "once", "Once"
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        TWICE_YEARLY = "twice_yearly", "Twice a year"
        ANNUALLY = "annually", "Every year"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="obligations")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="What the contract says, in its words.")
    owner = models.CharField(max_length=200, help_text="The office responsible, for example 'DCS' or 'Trust CEO'.")
    recurrence = models.CharField(max_length=20, choices=Recurrence.choices, default=Recurrence.ONCE)
    month_of_year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For yearly duties, the month they fall in (2 = February)."
    )
    meeting_day = models.CharField(
        "Day it falls on",
        max_length=40,
        blank=True,
        help_text="For recurring meetings, the contract's rule, for example 'last Tuesday of the month'.",
    )
    original_due_date = models.DateField(null=True, blank=True, help_text="The first due date the contract set.")
    due_date = models.DateField(null=True, blank=True, help_text="The current due date (after any extension).")
    extension_reason = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "kind", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def extended(self) -> bool:
        return bool(self.original_due_date and self.due_date and self.due_date != self.original_due_date)


# --- Money -------------------------------------------------------------------------------------

MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}
# A year's figure a paper or the council may not have: empty is "not recorded", never £0.00 (ADR 0310).
NOT_RECORDED = "Not recorded"
RECORDED_MONEY = {**MONEY, "null": True, "blank": True, "help_text": "Leave empty where no figure is recorded."}


class ContractYearFinance(TimeStampedModel):
    """The contract's money for one financial year (April to March), in pounds."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="finance_years")
    financial_year = models.PositiveSmallIntegerField(help_text="The year the financial year starts: 2018 for 2018/19.")
    contract_sum = models.DecimalField("Contract sum", **RECORDED_MONEY)
    support_services_income = models.DecimalField(
        "Support services income", **{**RECORDED_MONEY, "help_text": "Paid back to the council under the SSA."}
    )
    accommodation_income = models.DecimalField("Accommodation income", **RECORDED_MONEY)
    grants_and_contributions = models.DecimalField("Grants and partner contributions", **RECORDED_MONEY)
    dfe_vat_funding = models.DecimalField("DfE funding for irrecoverable VAT", **RECORDED_MONEY)
    setup_costs = models.DecimalField("Set-up costs", **RECORDED_MONEY)
    setup_costs_funder = models.CharField("Who funds the set-up costs", max_length=200, blank=True)
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "financial_year"], name="one_finance_row_per_contract_year"),
        ]

    def __str__(self) -> str:
        return f"{self.contract} {financial_year_label(self.financial_year)}"

    @property
    def label(self) -> str:
        return financial_year_label(self.financial_year)


class BudgetMonth(TimeStampedModel):
    """Budget against forecast outturn for one month of the contract."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="budget_months")
    month = models.DateField(help_text="The first day of the month reported on.")
    budget = models.DecimalField(**MONEY)
    forecast_outturn = models.DecimalField("Forecast outturn", **MONEY)
    commentary = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "month"]
        constraints = [models.UniqueConstraint(fields=["contract", "month"], name="one_budget_row_per_contract_month")]

    def __str__(self) -> str:
        return f"{self.contract} {self.month:%B %Y}"

    @property
    def variance(self) -> Decimal:
        """Forecast outturn minus budget: positive is an overspend."""
        return self.forecast_outturn - self.budget

    @property
    def variance_abs(self) -> Decimal:
        return abs(self.variance)


class SupportServiceLine(TimeStampedModel):
    """One service the council sells back to the trust under the Support Services Agreement."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="support_services")
    service = models.CharField(max_length=200, help_text="For example HR, payroll, ICT or leased cars.")
    term_start = models.DateField()
    term_end = models.DateField()
    annual_charge = models.DecimalField(**MONEY)
    review_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "service"]
        constraints = [
            models.CheckConstraint(condition=models.Q(term_end__gt=models.F("term_start")), name="ssa_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.service


# --- Change control and escalation -------------------------------------------------------------


class Variation(ExemptRecord, TimeStampedModel):
    """A change to the contract. A major service change needs DfE consent while a direction is in force."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        IN_EFFECT = "in_effect", "In effect"
        WITHDRAWN = "withdrawn", "Withdrawn"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="variations")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    is_major = models.BooleanField("Major service change", default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    proposed_on = models.DateField()
    effective_on = models.DateField(null=True, blank=True)
    dfe_consent_on = models.DateField("DfE consent recorded on", null=True, blank=True)
    dfe_consent_reference = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "-proposed_on"]
        permissions = [("record_dfe_consent_variation", "Can record DfE consent to a contract variation")]
        constraints = [exempt_constraint("variation_exempt_has_paragraph")]

    def __str__(self) -> str:
        return self.title


class EscalationStep(ExemptRecord, TimeStampedModel):
    """A dated step of the escalation procedure for underperformance."""

    class Stage(models.TextChoices):
        CONCERN = "concern", "Performance concern"
        FORMAL_NOTICE = "formal_notice", "Formal notice"
        REMEDIAL_PLAN = "remedial_plan", "Remedial plan"
        STEP_IN = "step_in", "Step-in"
        TERMINATION = "termination", "Termination"

    STAGE_ORDER = [s.value for s in Stage]

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="escalation_steps")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    taken_on = models.DateField("Date of the step")
    summary = models.TextField()
    evidence = models.FileField(upload_to="contracts/escalation/%Y/", blank=True)
    outcome = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "taken_on", "pk"]
        constraints = [exempt_constraint("escalation_exempt_has_paragraph")]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} ({self.taken_on:%d %B %Y})"


class Risk(ExemptRecord, TimeStampedModel):
    """An entry in the contract's risk register, scored likelihood × impact (each 1 to 5)."""

    SCALE = [(n, str(n)) for n in range(1, 6)]

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="risks")
    title = models.CharField("Risk", max_length=300)
    cause_effect = models.TextField("Cause and effect", blank=True)
    owner = models.CharField(max_length=200)
    likelihood = models.PositiveSmallIntegerField(choices=SCALE)
    impact = models.PositiveSmallIntegerField(choices=SCALE)
    mitigations_in_place = models.TextField("Mitigations in place", blank=True)
    mitigations_planned = models.TextField("Mitigations planned", blank=True)
    review_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["contract", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5),
                name="risk_scores_one_to_five",
            ),
            exempt_constraint("risk_exempt_has_paragraph"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def rag(self) -> str:
        """Red 15+, amber 8–14, green below 8."""
        if self.score >= 15:
            return "Red"
        if self.score >= 8:
            return "Amber"
        return "Green"


# --- Reserved matters --------------------------------------------------------------------------


class ReservedMatter(TimeStampedModel):
    """A decision the trust's Articles reserve to the council (and to the DfE while a direction is in force)."""

    class DecidedBy(models.TextChoices):
        CABINET = "cabinet", "Cabinet"
        LEAD_MEMBER = "lead_member", "Lead Member"
        OFFICER = "officer", "Officer under delegation"

    class AppointmentsTo(models.TextChoices):
        """Which board appointments the matter reserves (the appointment workflow raises its requests)."""

        BOARD_MEMBER = "board_member", "Board members"
        CHAIR = "chair", "The Chair"
        CHIEF_EXECUTIVE = "chief_executive", "The Chief Executive"

    delivery_body = models.ForeignKey(
        "organisations.DeliveryBody", on_delete=models.PROTECT, related_name="reserved_matters"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    decided_by = models.CharField("Decided by", max_length=20, choices=DecidedBy.choices)
    requires_dfe_consent = models.BooleanField("Needs DfE consent while a direction is in force", default=False)
    appointments_to = models.CharField(
        "Board appointments it reserves",
        max_length=20,
        choices=AppointmentsTo.choices,
        blank=True,
        help_text="Blank unless the matter is an appointment to the trust's board.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["delivery_body", "title"]
        constraints = [
            models.UniqueConstraint(fields=["delivery_body", "title"], name="reserved_matter_title_unique_per_body")
        ]

    def __str__(self) -> str:
        return self.title


class ReservedMatterRequest(ExemptRecord, TimeStampedModel):
    class Status(models.TextChoices):
        RAISED = "raised", "Awaiting council decision"
        AWAITING_DFE = "awaiting_dfe_consent", "Awaiting DfE consent"
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        REFUSED = "refused", "Refused"

    reserved_matter = models.ForeignKey(ReservedMatter, on_delete=models.PROTECT, related_name="requests")
    delivery_body = models.ForeignKey(
        "organisations.DeliveryBody", on_delete=models.PROTECT, related_name="reserved_matter_requests"
    )
    title = models.CharField(max_length=200)
    details = models.TextField()
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.RAISED)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reserved_matter_requests_raised"
    )
    raised_on = models.DateField()
    decision_due = models.DateField("Decision due by")
    council_decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    council_decided_on = models.DateField(null=True, blank=True)
    council_decided_by = models.CharField(max_length=20, choices=ReservedMatter.DecidedBy.choices, blank=True)
    decision_reference = models.CharField(
        max_length=200, blank=True, help_text="The meeting, minute or delegated decision record."
    )
    decision_url = models.URLField("Link to the decision", blank=True)
    needs_dfe_consent = models.BooleanField(default=False)
    dfe_decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    dfe_decided_on = models.DateField(null=True, blank=True)
    dfe_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reserved_matter_consents",
    )
    dfe_reference = models.CharField("DfE reference", max_length=200, blank=True)
    withdrawn_reason = models.CharField(max_length=300, blank=True)
    decided_through = models.CharField(
        "Decided through",
        max_length=200,
        blank=True,
        help_text="The record whose workflow takes this request's decisions (an appointment's page), if any.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_on", "-pk"]
        permissions = [("record_dfe_consent", "Can record the DfE's consent to a reserved-matter request")]
        constraints = [exempt_constraint("request_exempt_has_paragraph")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contracts:request-detail", kwargs={"pk": self.pk})
