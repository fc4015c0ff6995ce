from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms

from contracts.models import ReservedMatter
from trustgov.core.forms import GovukDateField, GovukForm
from trustgov.core.notifications import Frequency, notification_kinds

from .models import Action, Attendance, BodyKind, ForwardPlanEntry, Meeting, Schedule12A

EXEMPT_CHOICES = [("", "Not exempt")] + list(Schedule12A.choices)


class MeetingEditForm(GovukForm):
    body_kind = forms.ChoiceField(label="Body", choices=BodyKind.choices)
    title = forms.CharField(label="Title", max_length=200, error_messages={"required": "Enter the meeting's title"})
    date = GovukDateField(label="Date of the meeting")
    start_time = forms.TimeField(
        label="Start time", required=False, help_text="24-hour clock, for example 14:00", input_formats=["%H:%M"]
    )
    place = forms.CharField(label="Place", max_length=200, required=False)
    quorum = forms.IntegerField(label="Quorum", min_value=1, required=False, help_text="Members needed to be quorate.")


class MeetingForm(MeetingEditForm):
    delivery_body = forms.ModelChoiceField(label="Delivery body", queryset=None, required=False)

    def __init__(self, *args, delivery_bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivery_body"].queryset = delivery_bodies


class MeetingStatusForm(GovukForm):
    submit_label = "Change status"
    status = forms.ChoiceField(label="New status", choices=Meeting.Status.choices, widget=forms.RadioSelect)


class PaperPublicationForm(GovukForm):
    submit_label = "Continue"
    target = forms.ChoiceField(label="What happens to the paper", widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Reason (needed to withdraw an approval)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the paper's history with your name and the date.",
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = choices
        self.fields["target"].error_messages["required"] = "Choose what happens to the paper"


class CycleForm(GovukForm):
    submit_label = "Generate the cycle"
    contract = forms.ModelChoiceField(label="Contract", queryset=None)
    start = GovukDateField(label="First day of the cycle")

    def __init__(self, *args, contracts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = contracts


class AgendaItemForm(GovukForm):
    title = forms.CharField(label="Title", max_length=300, error_messages={"required": "Enter the item's title"})
    minute_number = forms.CharField(label="Minute number", max_length=20, required=False)
    report_author = forms.CharField(label="Report by", max_length=200, required=False)
    report = forms.CharField(label="Report summary and recommendations", widget=forms.Textarea, required=False)
    is_exempt = forms.BooleanField(label="Not for publication (exempt)", required=False)
    exempt_category = forms.ChoiceField(label="Schedule 12A category", choices=EXEMPT_CHOICES, required=False)


class DocumentForm(GovukForm):
    submit_label = "Upload"
    title = forms.CharField(label="Title", max_length=300, error_messages={"required": "Enter the paper's title"})
    file = forms.FileField(
        label="File", help_text="PDF, DOCX or XLSX, up to 10 MB", error_messages={"required": "Choose a file to upload"}
    )
    is_exempt = forms.BooleanField(label="Not for publication (exempt)", required=False)
    exempt_category = forms.ChoiceField(label="Schedule 12A category", choices=EXEMPT_CHOICES, required=False)


class AttendanceForm(GovukForm):
    submit_label = "Record"
    name = forms.CharField(label="Name", max_length=200, error_messages={"required": "Enter the person's name"})
    capacity = forms.CharField(label="Capacity", max_length=200, required=False)
    status = forms.ChoiceField(label="Attendance", choices=Attendance.Status.choices, widget=forms.RadioSelect)


class DeclarationForm(GovukForm):
    submit_label = "Record declaration"
    person = forms.ModelChoiceField(
        label="Who declared (from the register)",
        queryset=None,
        required=False,
        help_text="People in the council's register of board members and their interests",
    )
    person_name = forms.CharField(
        label="Or their name, if they are not in the register", max_length=200, required=False
    )
    text = forms.CharField(
        label="Declaration", widget=forms.Textarea, error_messages={"required": "Enter the declaration"}
    )
    agenda_item = forms.ModelChoiceField(label="Agenda item", queryset=None, required=False)

    def __init__(self, *args, items=None, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = items
        self.fields["person"].queryset = people


class MinutesForm(GovukForm):
    submit_label = "Save draft minutes"
    text = forms.CharField(
        label="Minutes", widget=forms.Textarea(attrs={"rows": 15}), error_messages={"required": "Enter the minutes"}
    )


class MinutesApproveForm(GovukForm):
    submit_label = "Approve as a correct record"
    approving_meeting = forms.ModelChoiceField(
        label="Meeting that approved the minutes",
        queryset=None,
        error_messages={"required": "Choose the meeting that approved the minutes"},
    )

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approving_meeting"].queryset = meetings


class ResolutionForm(GovukForm):
    submit_label = "Record resolution"
    text = forms.CharField(
        label="Resolution",
        widget=forms.Textarea,
        help_text="A request for a further report 'in September 2022' adds an item to that month's meeting.",
        error_messages={"required": "Enter the text of the resolution"},
    )


class ActionForm(GovukForm):
    submit_label = "Record action"
    description = forms.CharField(
        label="Action", widget=forms.Textarea, error_messages={"required": "Enter what the action is"}
    )
    owner = forms.CharField(
        label="Owner",
        max_length=200,
        help_text="The office responsible",
        error_messages={"required": "Enter who owns the action"},
    )
    owner_user = forms.ModelChoiceField(label="Owner's TrustGov account", queryset=None, required=False)
    due_date = GovukDateField(label="Due date")

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_user"].queryset = users


class ActionUpdateForm(GovukForm):
    submit_label = "Add update"
    text = forms.CharField(label="Update", widget=forms.Textarea, error_messages={"required": "Enter the update"})
    status = forms.ChoiceField(label="Status", choices=Action.Status.choices, widget=forms.RadioSelect)


class FeedForm(GovukForm):
    submit_label = "Create calendar link"
    name = forms.CharField(label="Name", max_length=100, error_messages={"required": "Enter a name for the calendar"})
    body_kind = forms.ChoiceField(
        label="Body", choices=[("", "All my meetings")] + list(BodyKind.choices), required=False
    )


class PreferenceForm(GovukForm):
    """One GOV.UK radios fieldset per notification kind, grouped by the app that sends it.

    Every field posted must name a registered kind (the form is built from the registry); a POST naming
    any other is refused by the view, naming the field.
    """

    submit_label = "Save preferences"
    FIXED = {"csrfmiddlewaretoken", "submit"}

    def __init__(self, *args, frequencies: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        groups: dict[str, list] = {}
        for kind in notification_kinds():
            self.fields[kind.code] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.description,
                choices=Frequency.choices,
                widget=forms.RadioSelect,
                initial=frequencies.get(kind.code, kind.default),
                required=False,  # a kind not posted keeps its setting
                error_messages={
                    "invalid_choice": f"Choose how you want '{kind.label}' notifications by email: "
                    "straight away, a daily or weekly digest, or no email",
                },
            )
            groups.setdefault(kind.group or "Other", []).append(
                Field.radios(kind.code, legend_size=Size.SMALL, small=True, inline=True)
            )
        self.helper.layout = Layout(
            *[Fieldset(*fields, legend=group, legend_size=Size.MEDIUM) for group, fields in groups.items()]
        )

    def unknown_fields(self) -> list[str]:
        """Fields posted that are not a registered kind (nor the CSRF token or the button)."""
        return sorted(set(self.data) - set(self.fields) - self.FIXED) if self.is_bound else []


class ForwardPlanForm(GovukForm):
    title = forms.CharField(
        label="Decision", max_length=300, error_messages={"required": "Enter the decision to be taken"}
    )
    delivery_body = forms.ModelChoiceField(label="Trust it concerns", queryset=None, required=False)
    decision_maker = forms.ChoiceField(
        label="Decision maker", choices=ReservedMatter.DecidedBy.choices, widget=forms.RadioSelect
    )
    planned_on = GovukDateField(label="Planned decision date")
    notice_published_on = GovukDateField(
        label="First published on the forward plan", help_text="The day the notice of the decision was published."
    )
    is_key_decision = forms.BooleanField(label="This is a key decision", required=False)
    route = forms.ChoiceField(
        label="Notice route",
        choices=ForwardPlanEntry.Route.choices,
        widget=forms.RadioSelect,
        initial=ForwardPlanEntry.Route.STANDARD,
    )
    route_reason = forms.CharField(
        label="Reason for the exception route",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Needed for general exception and special urgency: why the decision cannot wait 28 clear days.",
    )
    is_private = forms.BooleanField(label="To be taken in private (exempt information)", required=False)
    exempt_category = forms.ChoiceField(
        label="Schedule 12A paragraph", choices=[("", "Not private")] + list(Schedule12A.choices), required=False
    )
    meeting = forms.ModelChoiceField(label="Meeting that takes it", queryset=None, required=False)
    agenda_item = forms.ModelChoiceField(
        label="Agenda item",
        queryset=None,
        required=False,
        help_text="Once the agenda is set: the item the decision is taken under. Leave the meeting blank and it is "
        "taken from the item when you save.",
    )
    status = forms.ChoiceField(label="Status", choices=ForwardPlanEntry.Status.choices, widget=forms.RadioSelect)

    def __init__(self, *args, delivery_bodies=None, meetings=None, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivery_body"].queryset = delivery_bodies
        self.fields["meeting"].queryset = meetings
        self.fields["agenda_item"].queryset = items
        self.fields["agenda_item"].label_from_instance = lambda i: (
            f"{i.meeting.title} ({i.meeting.date:%-d %B %Y}): {i.title}"
        )
        self.fields["status"].initial = ForwardPlanEntry.Status.PLANNED

    def clean(self):
        data = super().clean()
        item, meeting = data.get("agenda_item"), data.get("meeting")
        if item and not meeting:
            data["meeting"] = item.meeting
        elif item and meeting and item.meeting_id != meeting.pk:
            self.add_error("agenda_item", "Choose an item on the chosen meeting's agenda, or leave the meeting blank.")
        return data


class ForwardPlanChangeForm(ForwardPlanForm):
    reason = forms.CharField(
        label="Reason for the change", max_length=300, error_messages={"required": "Give the reason for the change"}
    )
