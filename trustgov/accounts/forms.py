from django import forms
from django.contrib.auth import forms as auth_forms

from trustgov.core.forms import GovukForm, GovukFormMixin

from .models import ApiToken


class GovukAuthenticationForm(GovukFormMixin, auth_forms.AuthenticationForm):
    submit_label = "Sign in"
    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account is inactive.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"


class GovukPasswordChangeForm(GovukFormMixin, auth_forms.PasswordChangeForm):
    submit_label = "Change password"


class GovukPasswordResetForm(GovukFormMixin, auth_forms.PasswordResetForm):
    submit_label = "Send reset link"


class GovukSetPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):
    submit_label = "Set password"


class ApiTokenForm(GovukForm):
    submit_label = "Create token"

    name = forms.CharField(
        max_length=100,
        help_text="What the token is for, for example 'Case management system'.",
        error_messages={"required": "Enter a name for the token"},
    )
    scope = forms.ChoiceField(choices=ApiToken.Scope.choices, widget=forms.RadioSelect, initial=ApiToken.Scope.READ)
    days = forms.IntegerField(
        label="Days until it expires",
        min_value=1,
        max_value=366,
        initial=90,
        error_messages={
            "required": "Enter the number of days until the token expires",
            "invalid": "Days until it expires must be a whole number",
            "min_value": "Days until it expires must be at least 1",
            "max_value": "Days until it expires must be 366 or fewer",
        },
    )


def _organisation_key(org) -> str:
    from trustgov.organisations.models import Council

    if org is None:
        return "dfe"
    return f"{'council' if isinstance(org, Council) else 'body'}:{org.slug}"


class _PlacementFields:
    """Role and organisation, limited to what the administrator may give."""

    def _add_placement(self, admin, *, initial_role=None, initial_org=None):
        from .roles import assignable_roles
        from .selectors import organisations_administered_by

        roles = assignable_roles(admin)
        self.fields["role"] = forms.ChoiceField(
            label="Role",
            choices=[(r.slug, r.value) for r in roles],
            widget=forms.RadioSelect,
            initial=initial_role.slug if initial_role else (roles[0].slug if len(roles) == 1 else None),
            error_messages={"required": "Choose a role", "invalid_choice": "Choose a role you may give"},
        )
        self._organisations = {_organisation_key(o): o for o in organisations_administered_by(admin)}
        labels = {k: ("Department for Education" if o is None else o.name) for k, o in self._organisations.items()}
        self.fields["organisation"] = forms.ChoiceField(
            label="Organisation",
            choices=list(labels.items()),
            initial=_organisation_key(initial_org) if initial_org is not None or initial_role else None,
            help_text="Council officers and scrutiny members belong to the council; trust executives to the trust.",
            error_messages={
                "required": "Choose an organisation",
                "invalid_choice": "Choose an organisation you administer",
            },
        )
        self.fields["is_administrator"] = forms.BooleanField(
            label="Administrator: may invite and manage the users of their own organisation", required=False
        )

    def placement(self) -> dict:
        from .roles import Role

        data = dict(self.cleaned_data)
        data["role"] = Role.from_slug(data["role"])
        data["organisation"] = self._organisations[data["organisation"]]
        return data


class InviteForm(_PlacementFields, GovukForm):
    submit_label = "Send invitation"

    def __init__(self, *args, admin, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"] = forms.EmailField(
            label="Email address",
            help_text="The invitation is sent here; it is also their username.",
            error_messages={
                "required": "Enter an email address",
                "invalid": "Enter an email address like name@example.gov.uk",
            },
        )
        self.fields["first_name"] = forms.CharField(
            label="First name", max_length=150, error_messages={"required": "Enter their first name"}
        )
        self.fields["last_name"] = forms.CharField(
            label="Last name", max_length=150, error_messages={"required": "Enter their last name"}
        )
        self.fields["job_title"] = forms.CharField(label="Job title", max_length=200, required=False)
        self._add_placement(admin)


class UserEditForm(_PlacementFields, GovukForm):
    submit_label = "Save changes"

    def __init__(self, *args, admin, user, **kwargs):
        from .roles import role_of

        super().__init__(*args, **kwargs)
        self.fields["job_title"] = forms.CharField(
            label="Job title", max_length=200, required=False, initial=user.job_title
        )
        role = role_of(user)
        org = user.delivery_body or user.council
        self._add_placement(admin, initial_role=role, initial_org=org)
        self.fields["is_administrator"].initial = user.is_administrator


class SetPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):
    submit_label = "Set password and continue"


# --- two-factor sign-in (ADR 0012) --------------------------------------------------------------


def _code_field(label: str, *, required_message: str, help_text: str = "", numeric: bool = True) -> forms.CharField:
    attrs = {"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "none"}
    if numeric:
        attrs["inputmode"] = "numeric"
    return forms.CharField(
        label=label,
        max_length=40,
        help_text=help_text,
        widget=forms.TextInput(attrs={**attrs, "class": "govuk-input govuk-input--width-10"}),
        error_messages={"required": required_message, "max_length": required_message},
    )


class TwoFactorSetupForm(GovukForm):
    submit_label = "Confirm and continue"

    code = _code_field(
        "Code from your authenticator app",
        required_message="Enter the 6-digit code from your authenticator app",
        help_text="The 6-digit code the app shows for TrustGov, for example 123456.",
    )


class TwoFactorVerifyForm(GovukForm):
    submit_label = "Continue"

    code = _code_field(
        "Code from your authenticator app",
        required_message="Enter the 6-digit code from your authenticator app",
        help_text="The 6-digit code the app shows for TrustGov, for example 123456.",
    )


class RecoveryCodeForm(GovukForm):
    submit_label = "Continue"

    code = _code_field(
        "Recovery code",
        required_message="Enter a recovery code",
        help_text="One of the 10 codes you were given when you set up two-factor authentication. Each works once.",
        numeric=False,
    )


class TwoFactorResetOwnForm(GovukForm):
    submit_label = "Reset two-factor authentication"

    code = _code_field(
        "Code from your authenticator app, or a recovery code",
        required_message="Enter the code from your authenticator app, or a recovery code",
        numeric=False,
    )


class TwoFactorAdminResetForm(GovukForm):
    submit_label = "Reset two-factor authentication"

    reason = forms.CharField(
        label="Why are you resetting it?",
        max_length=500,
        help_text="For example: lost their phone. This is recorded in their history.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why you are resetting their two-factor authentication",
            "max_length": "Why you are resetting it must be 500 characters or fewer",
        },
    )
