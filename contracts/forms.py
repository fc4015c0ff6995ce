"""GOV.UK forms for the contracts pages. Rules live in services.py; these only collect and type the input."""

from django import forms
from django.core.validators import MinValueValidator

from trustgov.core.exempt import Schedule12A
from trustgov.core.forms import AsciiDecimalField, GovukDateField, GovukForm

from .models import EndOfTermDecision, EscalationStep, Obligation, ReservedMatter, ReservedMatterRequest, Risk


class DateField(GovukDateField):
    """GovukDateField whose impossible dates (31 February) get the field's own message, not Python's."""

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except forms.ValidationError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class MoneyField(AsciiDecimalField):
    """An amount in pounds, with messages that name the field."""

    def __init__(self, *, label: str, required: bool = True, **kwargs):
        super().__init__(label=label, required=required, max_digits=14, decimal_places=2, min_value=0, **kwargs)
        self.error_messages.update(
            {
                "required": f"Enter the {label.lower()}",
                "invalid": f"{label} must be an amount in pounds, like 58330000.00",
                "min_value": f"{label} cannot be negative",
                "max_decimal_places": f"{label} must be in pounds and pence (at most 2 decimal places)",
                "max_digits": f"{label} is too large",
                "max_whole_digits": f"{label} is too large",
            }
        )
        # Negative amounts are refused in validate() with the message above (one message per problem); the
        # digits and decimal places are still checked, with the field's own messages.
        self.validators = [v for v in self.validators if not isinstance(v, MinValueValidator)]

    def validate(self, value):
        super().validate(value)
        if value is not None and value < 0:
            raise forms.ValidationError(self.error_messages["min_value"], code="min_value")


class Form(GovukForm):
    """A GOV.UK form whose default 'This field is required' messages name the field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            label = str(field.label or "").rstrip()
            if field.error_messages.get("required") == forms.Field.default_error_messages["required"]:
                verb = "Choose" if isinstance(field, forms.ChoiceField | forms.ModelChoiceField) else "Enter"
                field.error_messages["required"] = f"{verb} the {label[:1].lower()}{label[1:]}"
            if isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField):
                field.error_messages["invalid"] = f"{label} must be a whole number"


def _text(label: str, *, required: bool = True, max_length: int = 200, help_text: str = "") -> forms.CharField:
    field = forms.CharField(label=label, required=required, max_length=max_length, help_text=help_text)
    field.error_messages["required"] = f"Enter the {label.lower()}"
    return field


def _textarea(label: str, *, required: bool = False) -> forms.CharField:
    field = forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 4}))
    field.error_messages["required"] = f"Enter the {label.lower()}"
    return field


class ContractForm(Form):
    delivery_body = forms.ModelChoiceField(label="Delivery body", queryset=None, empty_label=None)
    title = _text("Title")
    reference = _text("Contract reference", max_length=50)
    description = _textarea("Description of the services")
    start_date = DateField(label="Start (go-live) date")
    shadow_start_date = DateField(label="Shadow period start", required=False)
    signed_on = DateField(label="Date the contract was signed", required=False, help_text="Leave blank if not known.")
    initial_term_years = forms.IntegerField(label="Initial term in years", min_value=1, max_value=50)
    end_date = DateField(label="Expiry date")
    break_clause_date = DateField(label="Break clause date", required=False)
    break_notice_months = forms.IntegerField(label="Break notice period in months", required=False, min_value=0)
    annual_review_date = DateField(label="Annual review date", required=False)
    extension_options = _text("Extension options", required=False)
    scope_childrens_social_care = forms.BooleanField(label="Children's social care is in scope", required=False)
    scope_early_help = forms.BooleanField(label="Early help is in scope", required=False)
    scope_education = forms.BooleanField(label="Education and school support are in scope", required=False)
    scope_exclusions = _text("Services kept by the council (exclusions)", required=False, max_length=300)
    return_due_working_days = forms.IntegerField(
        label="Monthly return due (working days after month end)", min_value=1, max_value=30
    )
    kpi_grace_months = forms.IntegerField(label="Grace period before formal KPI reporting (months)", min_value=0)
    returns_expected_from = DateField(
        label="Monthly returns expected in TrustGov from",
        required=False,
        help_text="Leave blank to expect every month from go-live. If the council starts using TrustGov part-way "
        "through the contract, give the first month TrustGov should expect and chase (any day in that month).",
    )
    supplier_company_number = _text("Supplier company number", required=False, max_length=20)

    def __init__(self, *args, delivery_bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivery_body"].queryset = delivery_bodies
        self.fields["delivery_body"].error_messages["required"] = "Choose the delivery body"


class StatusForm(Form):
    submit_label = "Change status"
    target = forms.ChoiceField(label="New status", widget=forms.RadioSelect)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = choices
        self.fields["target"].error_messages["required"] = "Choose the new status"
        self.fields["reason"] = _textarea("Reason for the change", required=True)
        self.fields["reason"].help_text = "Kept in the record's history with your name and the date."


class ConsentForm(Form):
    submit_label = "Record DfE consent"
    consented_on = DateField(label="Date of the DfE's consent")
    reference = _text("DfE reference")


class EndOfTermForm(Form):
    submit_label = "Record what happens next"
    outcome = forms.ChoiceField(
        label="What happens when the term ends", choices=EndOfTermDecision.Outcome.choices, widget=forms.RadioSelect
    )
    new_end_date = DateField(label="New end date (for an extension)", required=False)
    decided_on = DateField(label="Date of the council's decision")
    decision_reference = _text("Reference of the council's decision", help_text="For example the Cabinet minute.")
    reason = _textarea("Reason for the decision", required=True)


class AnnualReviewForm(Form):
    submit_label = "Record the annual review"
    held_on = DateField(label="Date the review was held")


class ObligationForm(Form):
    kind = forms.ChoiceField(label="Kind of obligation", choices=Obligation.Kind.choices)
    title = _text("Title")
    description = _textarea("What the contract says")
    owner = _text("Owner")
    recurrence = forms.ChoiceField(label="How often", choices=Obligation.Recurrence.choices)
    month_of_year = forms.IntegerField(label="Month of the year (for yearly duties)", required=False)
    meeting_day = _text(
        "Day it falls on (for recurring meetings)",
        required=False,
        max_length=40,
        help_text="As the contract says, for example 'last Tuesday of the month'.",
    )
    original_due_date = DateField(label="Original due date", required=False)
    due_date = DateField(label="Current due date", required=False)
    extension_reason = _text("Reason for any extension", required=False, max_length=300)


NOT_RECORDED_HINT = "Leave empty if no figure is recorded: it shows as not recorded, not £0.00."


class FinanceYearForm(Form):
    financial_year = forms.IntegerField(
        label="Financial year (the year it starts: 2018 for 2018/19)", min_value=2000, max_value=2100
    )
    # Empty is "not recorded" (shown so, never as £0.00); enter 0 only where the figure is nought.
    contract_sum = MoneyField(label="Contract sum", required=False, help_text=NOT_RECORDED_HINT)
    support_services_income = MoneyField(label="Support services income", required=False, help_text=NOT_RECORDED_HINT)
    accommodation_income = MoneyField(label="Accommodation income", required=False, help_text=NOT_RECORDED_HINT)
    grants_and_contributions = MoneyField(
        label="Grants and partner contributions", required=False, help_text=NOT_RECORDED_HINT
    )
    dfe_vat_funding = MoneyField(label="DfE funding for irrecoverable VAT", required=False, help_text=NOT_RECORDED_HINT)
    setup_costs = MoneyField(label="Set-up costs", required=False, help_text=NOT_RECORDED_HINT)
    setup_costs_funder = _text("Who funds the set-up costs", required=False)
    notes = _textarea("Notes")


class BudgetMonthForm(Form):
    month = DateField(label="Month (any day in it)")
    budget = MoneyField(label="Budget")
    forecast_outturn = MoneyField(label="Forecast outturn")
    commentary = _textarea("Commentary")


class SupportServiceForm(Form):
    service = _text("Service")
    term_start = DateField(label="Term start")
    term_end = DateField(label="Term end")
    annual_charge = MoneyField(label="Annual charge")
    review_date = DateField(label="Review date", required=False)


class ExemptFields(forms.Form):
    """Not for publication, and the Schedule 12A paragraph that makes it so."""

    is_exempt = forms.BooleanField(
        label="Not for publication (exempt information)",
        required=False,
        help_text="Scrutiny and the public will not see it on any page, export or report.",
    )
    exempt_category = forms.ChoiceField(
        label="Schedule 12A paragraph",
        choices=[("", "Not exempt")] + list(Schedule12A.choices),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        exempt = ["is_exempt", "exempt_category"]
        self.order_fields([name for name in self.fields if name not in exempt] + exempt)

    def clean(self):
        data = super().clean()
        if data.get("is_exempt") and not data.get("exempt_category"):
            self.add_error(
                "exempt_category", "Choose the Schedule 12A paragraph that makes it exempt (not for publication)"
            )
        return data


class VariationForm(ExemptFields, Form):
    title = _text("Title")
    description = _textarea("Description")
    is_major = forms.BooleanField(label="This is a major service change", required=False)


class VariationStatusForm(StatusForm):
    effective_on = DateField(label="Date it takes effect", required=False)


class EscalationForm(ExemptFields, Form):
    stage = forms.ChoiceField(label="Stage", choices=EscalationStep.Stage.choices, widget=forms.RadioSelect)
    taken_on = DateField(label="Date of the step")
    summary = _textarea("Summary", required=True)
    evidence = forms.FileField(label="Evidence document", required=False)
    outcome = _textarea("Outcome")


class RiskForm(ExemptFields, Form):
    title = _text("Risk", max_length=300)
    cause_effect = _textarea("Cause and effect")
    owner = _text("Owner")
    likelihood = forms.TypedChoiceField(label="Likelihood (1 to 5)", choices=Risk.SCALE, coerce=int)
    impact = forms.TypedChoiceField(label="Impact (1 to 5)", choices=Risk.SCALE, coerce=int)
    mitigations_in_place = _textarea("Mitigations in place")
    mitigations_planned = _textarea("Mitigations planned")
    review_date = DateField(label="Review date", required=False)


class ReservedMatterForm(Form):
    delivery_body = forms.ModelChoiceField(label="Delivery body", queryset=None, empty_label=None)
    title = _text("Title")
    description = _textarea("What the Articles say")
    decided_by = forms.ChoiceField(
        label="Decided by", choices=ReservedMatter.DecidedBy.choices, widget=forms.RadioSelect
    )
    requires_dfe_consent = forms.BooleanField(label="Needs DfE consent while a direction is in force", required=False)

    def __init__(self, *args, delivery_bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivery_body"].queryset = delivery_bodies


class RequestForm(ExemptFields, Form):
    submit_label = "Raise request"
    reserved_matter = forms.ModelChoiceField(label="Reserved matter", queryset=None)
    title = _text("Title of the request")
    details = _textarea("What you are asking the council to decide", required=True)
    decision_due = DateField(label="Decision needed by")

    def __init__(self, *args, matters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reserved_matter"].queryset = matters
        self.fields["reserved_matter"].error_messages["required"] = "Choose the reserved matter"
        self.fields["reserved_matter"].label_from_instance = lambda m: f"{m.title} ({m.delivery_body.name})"


class CouncilDecisionForm(Form):
    submit_label = "Record the council's decision"
    decision = forms.ChoiceField(
        label="Council decision", choices=ReservedMatterRequest.Decision.choices, widget=forms.RadioSelect
    )
    decided_by = forms.ChoiceField(
        label="Decided by", choices=ReservedMatter.DecidedBy.choices, widget=forms.RadioSelect
    )
    decided_on = DateField(label="Date of the decision")
    decision_reference = _text("Decision reference (meeting, minute or delegated decision)")
    decision_url = forms.URLField(
        label="Link to the decision record", required=False, assume_scheme="https", widget=forms.TextInput
    )


class DfeDecisionForm(Form):
    submit_label = "Record the DfE's decision"
    decision = forms.ChoiceField(
        label="DfE decision",
        choices=[("approved", "The DfE consents"), ("refused", "The DfE refuses consent")],
        widget=forms.RadioSelect,
    )
    decided_on = DateField(label="Date of the DfE's decision")
    reference = _text("DfE reference", required=False)


class WithdrawForm(Form):
    submit_label = "Withdraw request"
    reason = _text("Reason for withdrawing", max_length=300)
