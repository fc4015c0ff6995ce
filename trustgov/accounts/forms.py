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
