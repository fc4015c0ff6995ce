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


class OwnershipAddForm(GovukForm):
    submit_label = "Add the owning council"
    council = forms.ModelChoiceField(label="Council", queryset=None, empty_label="Choose a council")
    since = GovukDateField(label="Owner from", help_text="For example, 1 4 2021")
    reason = forms.CharField(
        label="Why the ownership changes",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="For example, the decision or agreement that makes the council an owner. It is kept in the history.",
    )

    def __init__(self, *args, councils=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = councils
        self.fields["council"].error_messages.update(
            required="Choose the council that becomes an owner", invalid_choice="Choose a council from the list"
        )
        self.fields["reason"].error_messages["required"] = "Enter why the ownership changes"


class OwnershipEndForm(GovukForm):
    submit_label = "End the ownership"
    until = GovukDateField(label="Last day as an owner", help_text="For example, 31 3 2027")
    reason = forms.CharField(
        label="Why the ownership ends",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="For example, the decision or agreement that ends it. It is kept in the history.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = "Enter why the ownership ends"
