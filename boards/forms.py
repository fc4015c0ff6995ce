from django import forms

from contracts.models import ReservedMatterRequest
from trustgov.core.forms import GovukDateField, GovukForm, GovukModelForm

from .models import Body, InterestDeclaration, Membership, Person, Seat
from .services import BODY_RULES


class PersonForm(GovukModelForm):
    submit_label = "Add person"

    class Meta:
        model = Person
        fields = [
            "honorific",
            "name",
            "professional_capacity",
            "organisation",
            "email",
            "phone",
            "is_elected_member",
        ]
        labels = {"honorific": "Title (optional)", "organisation": "Organisation (optional)"}


class BodyForm(GovukModelForm):
    submit_label = "Set up body"
    kind = forms.ChoiceField(label="Kind of body", choices=Body.Kind.choices, widget=forms.RadioSelect)

    class Meta:
        model = Body
        fields = ["name", "kind", "delivery_body", *BODY_RULES]

    def __init__(self, *args, delivery_bodies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if delivery_bodies is not None:
            self.fields["delivery_body"].queryset = delivery_bodies
        # Uniqueness and size rules are checked by the service, which names the field.
        self._validate_unique = False

    def validate_constraints(self, exclude=None):
        return None


class SeatForm(GovukForm):
    submit_label = "Add seat"
    role = forms.ChoiceField(label="Role", choices=Seat.Role.choices, widget=forms.RadioSelect)
    title = forms.CharField(label="Title of the seat", max_length=200, help_text="For example 'Director of Resources'.")
    order = forms.IntegerField(label="Position in the board table", min_value=0, initial=0)


class MembershipForm(GovukForm):
    submit_label = "Record term of office"
    person = forms.ModelChoiceField(label="Person", queryset=Person.objects.none())
    seat = forms.ModelChoiceField(label="Seat", queryset=Seat.objects.none())
    start_date = GovukDateField(label="Start date")
    end_date = GovukDateField(label="End date", required=False, help_text="Leave blank if open-ended.")
    appointed_by = forms.CharField(label="Appointed by", max_length=200, required=False)
    decision_reference = forms.CharField(label="Decision reference", max_length=200, required=False)
    decision_url = forms.URLField(label="Link to the decision (optional)", required=False, assume_scheme="https")

    def __init__(self, *args, people, seats, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["seat"].queryset = seats


class RenewForm(GovukForm):
    submit_label = "Renew term"
    end_date = GovukDateField(label="End of the new term", required=False, help_text="Leave blank if open-ended.")
    decision_reference = forms.CharField(label="Decision reference", max_length=200, required=False)
    decision_url = forms.URLField(label="Link to the decision (optional)", required=False, assume_scheme="https")


class AppointmentForm(GovukForm):
    submit_label = "Propose appointment"
    seat = forms.ModelChoiceField(label="Seat", queryset=Seat.objects.none())
    person = forms.ModelChoiceField(label="Person", queryset=Person.objects.none())
    term_start = GovukDateField(label="Start of the term")
    term_end = GovukDateField(label="End of the term", required=False, help_text="Leave blank if open-ended.")
    reason = forms.CharField(
        label="Why this person (optional)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    request = forms.ModelChoiceField(
        label="Reserved-matter request already raised (optional)",
        queryset=ReservedMatterRequest.objects.none(),
        required=False,
        empty_label="None: raise a new request",
        help_text="Appointments to the trust's board are reserved matters. Choose the trust's open request for this "
        "appointment, if it raised one before it had a candidate; otherwise proposing raises one.",
    )

    def __init__(self, *args, people, seats, requests, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["seat"].queryset = seats
        if requests.exists():
            self.fields["request"].queryset = requests
        else:
            del self.fields["request"]


class StepForm(GovukForm):
    decided_on = GovukDateField(label="Date of the decision")
    decision_reference = forms.CharField(
        label="Decision reference",
        max_length=200,
        required=False,
        help_text="For example the Cabinet minute or Forward Plan reference.",
    )
    decision_url = forms.URLField(label="Link to the decision (optional)", required=False, assume_scheme="https")
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, submit_label: str = "Record", **kwargs):
        super().__init__(*args, **kwargs)
        self.submit_label = submit_label


class EndStepForm(StepForm):
    ended_reason = forms.ChoiceField(
        label="Why the term ended", choices=Membership.EndReason.choices, widget=forms.RadioSelect
    )


class InterestForm(GovukForm):
    submit_label = "Record declaration"
    body = forms.ModelChoiceField(label="Body", queryset=Body.objects.none())
    kind = forms.ChoiceField(label="Type of interest", choices=InterestDeclaration.Kind.choices)
    detail = forms.CharField(label="Detail", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    declared_on = GovukDateField(label="Date declared")
    meeting_reference = forms.CharField(label="Meeting where declared (optional)", max_length=200, required=False)

    def __init__(self, *args, bodies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies


class ReviewForm(GovukForm):
    submit_label = "Record review"
    reviewed_on = GovukDateField(label="Date reviewed")


class EndMembershipForm(GovukForm):
    submit_label = "End term"
    end_date = GovukDateField(label="Last day in office")
    reason = forms.ChoiceField(
        label="Why the term ended", choices=Membership.EndReason.choices, widget=forms.RadioSelect
    )
