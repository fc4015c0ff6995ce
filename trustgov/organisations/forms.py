"""GOV.UK form for recording who holds an office. Rules live in services.py."""

from django import forms
from django.contrib.auth import get_user_model

from trustgov.core.forms import GovukDateField, GovukForm

from .models import OfficeHolding


class OfficeHoldingForm(GovukForm):
    submit_label = "Record the office holder"
    office = forms.ChoiceField(label="Office", choices=OfficeHolding.Office.choices, widget=forms.RadioSelect)
    delivery_body = forms.ModelChoiceField(
        label="Trust (for the trust's Chair or Chief Executive)", queryset=None, required=False
    )
    holder_name = forms.CharField(label="Name of the office holder", max_length=200)
    title_held = forms.CharField(
        label="Title of the post (optional)",
        max_length=200,
        required=False,
        help_text="As the council styles it, for example 'Executive Director of Children's Services'.",
    )
    account = forms.ModelChoiceField(
        label="Their TrustGov account (optional)",
        queryset=None,
        required=False,
        help_text="Escalations go to this account while they hold the office.",
    )
    start_date = GovukDateField(label="Holds the office from")
    source = forms.CharField(label="Where this is recorded (optional)", max_length=300, required=False)

    def __init__(self, *args, delivery_bodies=None, accounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivery_body"].queryset = delivery_bodies
        self.fields["account"].queryset = accounts if accounts is not None else get_user_model().objects.none()
        self.fields["office"].error_messages["required"] = "Choose the office"
        self.fields["holder_name"].error_messages["required"] = "Enter the name of the office holder"
        self.fields["start_date"].error_messages["required"] = "Enter the date they hold the office from"
