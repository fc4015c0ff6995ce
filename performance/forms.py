from datetime import date

from crispy_forms_gds.layout import Layout
from django import forms

from trustgov.core.dates import add_months
from trustgov.core.forms import AsciiDecimalField, GovukDateField, GovukForm, _layout_field

from .models import ImprovementAction, OfstedEvent


def _relayout(form) -> None:
    """Lay out fields added in __init__ the GOV.UK way, like the declared ones."""
    form.helper.layout = Layout(*[_layout_field(n, f) for n, f in form.fields.items()])


def month_choices(body, today: date, count: int = 24) -> list[tuple[str, str]]:
    last = add_months(today.replace(day=1), -1)
    start = body.operational_from or body.shadow_from
    out = []
    for i in range(count):
        m = add_months(last, -i)
        if start and m < start.replace(day=1):
            break
        out.append((f"{m:%Y-%m}", f"{m:%B %Y}"))
    return out


class ReturnForm(GovukForm):
    """One set of fields per KPI: the value, or numerator and denominator for a rate; commentary."""

    submit_label = "Save draft"

    def __init__(self, *args, kpis, needs_reason: bool, **kwargs):
        super().__init__(*args, **kwargs)
        for kpi in kpis:
            if kpi.is_fraction:
                self.fields[f"{kpi.code}-numerator"] = AsciiDecimalField(
                    label=f"{kpi.title}: numerator",
                    help_text=kpi.numerator_definition,
                    required=False,
                    max_digits=14,
                    decimal_places=2,
                )
                self.fields[f"{kpi.code}-denominator"] = AsciiDecimalField(
                    label=f"{kpi.title}: denominator",
                    help_text=kpi.denominator_definition,
                    required=False,
                    max_digits=14,
                    decimal_places=2,
                )
            else:
                self.fields[f"{kpi.code}-value"] = AsciiDecimalField(
                    label=f"{kpi.title} ({kpi.get_unit_display().lower()})",
                    required=False,
                    max_digits=14,
                    decimal_places=2,
                )
            self.fields[f"{kpi.code}-commentary"] = forms.CharField(
                label=f"{kpi.title}: commentary",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text="Required when the value is red.",
            )
        if needs_reason:
            self.fields["reason"] = forms.CharField(
                label="Reason for the correction",
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text="The return has been submitted: your figures become a new version.",
                error_messages={"required": "Enter the reason for the correction"},
            )
        _relayout(self)
        for f in self.fields.values():
            if isinstance(f, forms.DecimalField):
                f.error_messages["invalid"] = f"{f.label}: enter a number"


class UploadForm(GovukForm):
    submit_label = "Upload"
    file = forms.FileField(
        label="Spreadsheet (.xlsx or .csv)", error_messages={"required": "Choose the spreadsheet to upload"}
    )
    reason = forms.CharField(
        label="Reason for the correction (only when the month was already submitted)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SubmitForm(GovukForm):
    submit_label = "Submit return"
    confirm = forms.BooleanField(
        label="I confirm these figures are signed off by me as a named trust executive",
        error_messages={"required": "Confirm that you sign off the figures"},
    )


class QueryForm(GovukForm):
    submit_label = "Send query"

    def __init__(self, *args, kpis, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpi"] = forms.ChoiceField(
            label="KPI",
            choices=[("", "The whole return (send back)")] + [(str(k.pk), k.title) for k in kpis],
            required=False,
        )
        self.fields["question"] = forms.CharField(
            label="Question for the trust",
            widget=forms.Textarea(attrs={"rows": 3}),
            error_messages={"required": "Enter the question for the trust"},
        )
        _relayout(self)


class ReplyForm(GovukForm):
    submit_label = "Reply"
    text = forms.CharField(
        label="Reply", widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": "Enter your reply"}
    )


class ActionForm(GovukForm):
    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"] = forms.ChoiceField(
            label="Status", choices=ImprovementAction.Status.choices, widget=forms.RadioSelect
        )
        self.fields["evidence"] = forms.CharField(
            label="Evidence",
            required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text="Required when the action is complete.",
        )
        _relayout(self)


class OfstedEventForm(GovukForm):
    submit_label = "Record"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"] = GovukDateField(label="Date")
        self.fields["kind"] = forms.ChoiceField(
            label="Type", choices=OfstedEvent.Kind.choices, widget=forms.RadioSelect
        )
        self.fields["focus"] = forms.CharField(label="Focus", max_length=300, required=False)
        self.fields["judgement"] = forms.ChoiceField(
            label="Judgement (inspections only)",
            choices=[("", "No judgement (visit)")] + [c for c in OfstedEvent.Judgement.choices if c[0]],
            required=False,
        )
        self.fields["letter_url"] = forms.URLField(
            label="Link to the letter or report", required=False, assume_scheme="https"
        )
        self.fields["summary"] = forms.CharField(
            label="Summary", required=False, widget=forms.Textarea(attrs={"rows": 3})
        )
        _relayout(self)
