"""GOV.UK form for recording who holds an office. Rules live in services.py."""

from django import forms
from django.contrib.auth import get_user_model

from trustgov.core.forms import GovukDateField, GovukForm

from .models import Council, DeliveryBody, OfficeHolding


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


REASON_HELP = "For example, the report or letter that records the change. It is kept in the history."


def _reason_field(label: str = "Why it changes") -> forms.CharField:
    return forms.CharField(
        label=label, widget=forms.Textarea(attrs={"rows": 3}), max_length=1000, help_text=REASON_HELP
    )


def _required(form: forms.Form, messages: dict[str, str]) -> None:
    for name, message in messages.items():
        form.fields[name].error_messages["required"] = message


class CouncilForm(GovukForm):
    """The council's details. The LA and GSS codes identify it in the DfE's and ONS's data and in open data."""

    submit_label = "Save the council's details"
    name = forms.CharField(label="Name", max_length=200)
    council_type = forms.ChoiceField(
        label="Type of council", choices=Council._meta.get_field("council_type").choices, widget=forms.RadioSelect
    )
    la_code = forms.CharField(
        label="LA code", max_length=3, help_text="The DfE's three-digit local authority number, for example 333."
    )
    gss_code = forms.CharField(
        label="GSS code", max_length=9, help_text="The ONS nine-character area code, for example E08000028."
    )
    website = forms.URLField(label="Website (optional)", required=False, max_length=200, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["la_code"].widget.attrs.update(inputmode="numeric", spellcheck="false")
        self.fields["gss_code"].widget.attrs.update(spellcheck="false")
        _required(
            self,
            {
                "name": "Enter the council's name",
                "council_type": "Choose the type of council",
                "la_code": "Enter the LA code",
                "gss_code": "Enter the GSS code",
            },
        )
        self.fields["website"].error_messages["invalid"] = (
            "Enter the website as an address, like https://www.example.gov.uk"
        )


class CouncilCreateForm(CouncilForm):
    submit_label = "Register the council"
    slug = forms.SlugField(
        label="Short name in addresses (optional)",
        required=False,
        max_length=50,
        help_text="Lower-case letters, numbers and hyphens. Left blank, it is made from the name.",
    )
    field_order = ["name", "slug"]


class DeliveryBodyForm(GovukForm):
    submit_label = "Save the delivery body"
    name = forms.CharField(label="Name", max_length=200, help_text="For example, Sandwell Children's Trust.")
    kind = forms.ChoiceField(label="Kind of delivery body", choices=DeliveryBody.Kind.choices, widget=forms.RadioSelect)
    company_number = forms.CharField(
        label="Company number (optional)", max_length=20, required=False, help_text="As Companies House has it."
    )
    lead_authority = forms.CharField(
        label="Lead authority (optional)",
        max_length=200,
        required=False,
        help_text="For an inter-authority partnership, the council that leads it.",
    )
    wholly_owned = forms.TypedChoiceField(
        label="Is it wholly owned by the council (or its owning councils)?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        initial="yes",
    )
    shadow_from = GovukDateField(
        label="Shadow operation from (optional)", required=False, help_text="For example, 1 4 2018"
    )
    operational_from = GovukDateField(
        label="Go-live (optional)",
        required=False,
        help_text="The day operational control transferred, for example 1 4 2018",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _required(
            self,
            {
                "name": "Enter the delivery body's name",
                "kind": "Choose the kind of delivery body",
                "wholly_owned": "Choose whether it is wholly owned",
            },
        )


class DeliveryBodyCreateForm(DeliveryBodyForm):
    submit_label = "Add the delivery body"
    slug = forms.SlugField(
        label="Short name in addresses",
        max_length=50,
        help_text="Lower-case letters, numbers and hyphens, for example sandwell-trust. It cannot be changed later.",
    )

    field_order = ["name", "slug"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _required(self, {"slug": "Enter a short name for addresses"})
        self.fields["slug"].error_messages["invalid"] = (
            "The short name may have lower-case letters, numbers and hyphens only"
        )


class DirectionForm(GovukForm):
    submit_label = "Record the direction"
    title = forms.CharField(
        label="Title", max_length=200, help_text="For example, Statutory direction: children's services."
    )
    issued_on = GovukDateField(label="Date issued", help_text="For example, 1 10 2016")
    legal_basis = forms.CharField(
        label="Legal basis", max_length=200, help_text="For example, s497A(4B) Education Act 1996."
    )
    commissioner = forms.CharField(
        label="Commissioner (optional)",
        max_length=200,
        required=False,
        help_text="The children's services commissioner named in it, if any.",
    )
    summary = forms.CharField(
        label="Summary (optional)", widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=5000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _required(self, {"title": "Enter the direction's title", "legal_basis": "Enter the legal basis"})


class DirectionEditForm(DirectionForm):
    submit_label = "Save the direction"
    reason = _reason_field()


class DirectionRevokeForm(GovukForm):
    submit_label = "Record the revocation"
    revoked_on = GovukDateField(label="Date revoked", help_text="For example, 31 3 2025")
    reason = _reason_field("How it was revoked")


class MemorandumForm(GovukForm):
    submit_label = "Record the memorandum"
    principal_provisions = forms.CharField(
        label="Principal provisions",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="What the memorandum commits the council, the trust and the DfE to.",
    )
    signed_on = GovukDateField(
        label="Date signed (optional)",
        required=False,
        help_text="Leave blank while it is a draft. For example, 1 4 2018",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _required(self, {"principal_provisions": "Enter the memorandum's principal provisions"})


class MemorandumEditForm(GovukForm):
    submit_label = "Save the memorandum"
    principal_provisions = MemorandumForm.base_fields["principal_provisions"]
    reason = _reason_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _required(self, {"principal_provisions": "Enter the memorandum's principal provisions"})


class MemorandumSignForm(GovukForm):
    submit_label = "Record the signing"
    signed_on = GovukDateField(label="Date signed", help_text="For example, 1 4 2018")
