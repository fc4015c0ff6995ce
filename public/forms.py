"""The public's subscription form (ADR 0609)."""

from django import forms

from meetings.models import BodyKind
from trustgov.core.forms import GovukForm

EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.com"
ALL_BODIES = ("", "All of the council's meetings")


class SubscribeForm(GovukForm):
    submit_label = "Subscribe"

    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="We will email you a link to confirm. We use your address only to send these alerts.",
        error_messages={"required": EMAIL_MESSAGE, "invalid": EMAIL_MESSAGE, "max_length": EMAIL_MESSAGE},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    body_kind = forms.ChoiceField(
        label="Which meetings?",
        choices=[ALL_BODIES, *BodyKind.choices],
        required=False,
        initial="",
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select which meetings you want to hear about"},
    )
