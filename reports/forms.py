from django import forms

from trustgov.core.forms import GovukDateField, GovukForm, GovukModelForm

from .models import NARRATIVE_SECTIONS, ProtectiveMarking, ReportDraft, ReportType
from .sections import PROVIDERS, appendix_keys

SCHEDULE_12A = [
    ("", "Not exempt"),
    ("1", "Paragraph 1: information relating to any individual"),
    ("2", "Paragraph 2: information likely to reveal the identity of an individual"),
    ("3", "Paragraph 3: financial or business affairs of any particular person"),
    ("4", "Paragraph 4: consultations or negotiations on a labour relations matter"),
    ("5", "Paragraph 5: legal professional privilege"),
    ("6", "Paragraph 6: a proposed notice, order or direction"),
    ("7", "Paragraph 7: prevention, investigation or prosecution of crime"),
]

DEFAULT_MEETING = {
    ReportType.CABINET: ("Report to Cabinet", "Cabinet", "That Cabinet:"),
    ReportType.SPB_QUARTERLY: (
        "Quarterly performance report to the Strategic Partnership Board",
        "Strategic Partnership Board",
        "That the Strategic Partnership Board:",
    ),
    ReportType.SCRUTINY: ("Report to Scrutiny", "Children's Services Scrutiny Board", "That the Scrutiny Board:"),
    ReportType.BOARD_RATIFICATION: ("Report to Cabinet", "Cabinet", "That Cabinet:"),
    ReportType.ANNUAL_CONTRACT_REVIEW: ("Annual review of the contract", "Cabinet", "That Cabinet:"),
}


class DraftStartForm(GovukForm):
    """Step one: what kind of report, for which council, trust and period."""

    submit_label = "Start the draft"
    report_type = forms.ChoiceField(
        label="Type of report",
        choices=ReportType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the type of report"},
    )
    council = forms.ModelChoiceField(
        label="Council", queryset=None, empty_label=None, error_messages={"required": "Choose the council"}
    )
    delivery_body = forms.ModelChoiceField(
        label="Trust", queryset=None, error_messages={"required": "Choose the trust the report is about"}
    )
    period_start = GovukDateField(label="Start of the period reported on")
    period_end = GovukDateField(label="End of the period reported on")
    meeting_date = GovukDateField(label="Date of the meeting")
    subject = forms.CharField(
        label="Subject", max_length=300, error_messages={"required": "Enter the subject of the report"}
    )

    def __init__(self, *args, councils=None, delivery_bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils
        self.fields["delivery_body"].queryset = delivery_bodies

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The end of the period must be on or after its start")
        body, council = data.get("delivery_body"), data.get("council")
        if body and council and not body.is_owned_by(council):
            self.add_error("delivery_body", f"{body} does not contract with {council}")
        return data

    def draft_data(self) -> dict:
        data = dict(self.cleaned_data)
        title, meeting, intro = DEFAULT_MEETING[data["report_type"]]
        return {**data, "title": title, "meeting_name": meeting, "recommendations_intro": intro}


NARRATIVE_FIELDS = [name for name, _ in NARRATIVE_SECTIONS]
HEADER_FIELDS = [
    "title",
    "meeting_name",
    "meeting_date",
    "subject",
    "protective_marking",
    "period_start",
    "period_end",
    "cabinet_member",
    "director",
    "ambition_contribution",
    "key_decision",
    "forward_plan_reference",
    "cabinet_member_approval",
    "director_approval",
    "urgency_reason",
    "exempt_information",
    "wards_consulted",
    "scrutiny_consultation",
    "contact_officer",
]


class DraftEditForm(GovukModelForm):
    submit_label = "Save draft"
    meeting_date = GovukDateField(label="Date of the meeting")
    period_start = GovukDateField(label="Start of the period reported on")
    period_end = GovukDateField(label="End of the period reported on")
    protective_marking = forms.ChoiceField(
        label="Protective marking", choices=ProtectiveMarking.choices, widget=forms.RadioSelect
    )
    key_decision = forms.TypedChoiceField(
        label="Key decision",
        choices=[("True", "Yes"), ("False", "No")],
        coerce=lambda v: v == "True",
        widget=forms.RadioSelect,
    )
    exempt_appendices = forms.MultipleChoiceField(
        label="Appendices not for publication",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="They are produced as a separate 'not for publication' document, never in the public report.",
    )
    exempt_category = forms.ChoiceField(
        label="Schedule 12A paragraph for the exempt appendices", choices=SCHEDULE_12A, required=False
    )

    class Meta:
        model = ReportDraft
        fields = [
            *HEADER_FIELDS,
            "recommendations_intro",
            "recommendations",
            *NARRATIVE_FIELDS,
            "other_appendices",
            "exempt_appendices",
            "exempt_category",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in [*NARRATIVE_FIELDS, "recommendations"]}
        widgets["other_appendices"] = forms.Textarea(attrs={"rows": 3})
        error_messages = {
            "title": {"required": "Enter the report title"},
            "meeting_name": {"required": "Enter the meeting the report goes to"},
            "subject": {"required": "Enter the subject of the report"},
            "recommendations_intro": {"required": "Enter the words before the recommendations"},
        }
        help_texts = {
            name: "Leave a blank line between paragraphs: they are numbered for you." for name in NARRATIVE_FIELDS
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exempt_appendices"].choices = [
            (key, PROVIDERS[key][0]) for key in appendix_keys(self.instance.report_type)
        ]
        self.fields["key_decision"].initial = "True" if self.instance.key_decision else "False"
        self.fields["recommendations"].help_text = "One recommendation a line: they are numbered for you."

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The end of the period must be on or after its start")
        if data.get("exempt_appendices") and not data.get("exempt_category"):
            self.add_error(
                "exempt_category", "Choose the Schedule 12A paragraph that makes the exempt appendices exempt"
            )
        return data
