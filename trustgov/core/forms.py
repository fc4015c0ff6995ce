"""GOV.UK form rendering (crispy-forms-gds) without per-form layout boilerplate.

Subclass ``GovukFormMixin`` and every field is laid out with the GOV.UK pattern that fits
its widget; dates use the three-box GOV.UK date input. Templates render a form with
``{% include "includes/form.html" %}``, which adds the error summary.
"""

from datetime import date

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from .numbers import FIGURE


class GovukDateField(DateInputField):
    """The GOV.UK date input (day, month, year) with messages that name the field."""

    def __init__(self, *, label: str, **kwargs):
        super().__init__(label=label, **kwargs)
        self.error_messages["required"] = f"Enter the {label.lower()}"
        self.error_messages["invalid"] = f"{label} must be a real date"

    def compress(self, data_list):
        """A date, or the field's own GOV.UK message: never Python's ('day is out of range for month'),
        and never a server error for a 20-digit day (OverflowError)."""
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            return date(day=int(day), month=int(month), year=int(year))
        except (ValueError, OverflowError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class AsciiDecimalField(forms.DecimalField):
    """A DecimalField that reads ASCII digits only: Django's reads '١٢٣' (Arabic-Indic digits) as 123."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not FIGURE.fullmatch(value.strip()):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


# Inputs crispy-forms-gds leaves without GOV.UK classes (it styles TextInput, EmailInput and
# PasswordInput only): settings CRISPY_CLASS_CONVERTERS maps these, and errors are marked here.
UNSTYLED_INPUTS = (forms.NumberInput, forms.URLInput, forms.EmailInput, forms.TimeInput, forms.DateInput)
# crispy-forms-gds adds govuk-input--error itself only to these widget classes.
ERROR_STYLED_BY_CRISPY = ("Select", "TextInput", "Textarea")


def govuk_widget(field: forms.Field) -> None:
    """Make a field's widget the GOV.UK text input it should be.

    A number is a text input with ``inputmode`` (the Design System advises against ``type=number``:
    it rounds, scrolls away values and is announced badly), so every numerator, denominator and
    money field is ``govuk-input``; URLs and emails are not spell-checked; a date's three boxes
    bring up a numeric keypad.
    """
    widget = field.widget
    if isinstance(field, DateInputField):
        for part in widget.widgets:
            part.attrs["inputmode"] = "numeric"
        return
    if isinstance(widget, forms.NumberInput):
        attrs = {k: v for k, v in widget.attrs.items() if k not in ("step", "min", "max")}
        whole = isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField | forms.FloatField)
        attrs.update({"inputmode": "numeric" if whole else "decimal", "spellcheck": "false"})
        field.widget = forms.TextInput(attrs=attrs)
    elif isinstance(widget, forms.URLInput | forms.EmailInput):
        widget.attrs.setdefault("spellcheck", "false")


def _layout_field(name: str, field: forms.Field):
    govuk_widget(field)
    widget = field.widget
    if isinstance(field, DateInputField):
        return Field(name, context={"fieldset": True, "legend_size": Size.for_legend(Size.SMALL)})
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return Field.checkboxes(name, legend_size=Size.SMALL)
    if isinstance(widget, forms.RadioSelect):
        return Field.radios(name, legend_size=Size.SMALL, small=len(field.choices) > 4)
    if isinstance(widget, forms.CheckboxInput):
        return Field.checkbox(name, small=True)
    if isinstance(widget, forms.Select):
        return Field.select(name, label_size=Size.SMALL)
    if isinstance(widget, forms.Textarea):
        return Field.textarea(name, label_size=Size.SMALL, rows=widget.attrs.get("rows", 5))
    if isinstance(widget, forms.FileInput):
        return Field(name)
    return Field.text(name, label_size=Size.SMALL)


class GovukFormMixin:
    submit_label = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper = FormHelper()
        self._helper.form_tag = False
        self._helper.disable_csrf = True  # the page's <form> (templates/includes/form.html) carries the one token
        self._laid_out: tuple[str, ...] | None = None
        self.submit_button = Submit("submit", self.submit_label)

    @property
    def helper(self) -> FormHelper:
        """The crispy helper, laid out from the fields the form has when it is rendered: a field a form adds in its
        own ``__init__`` is laid out too (a form that sets ``helper.layout`` itself keeps it while its fields stay)."""
        self._lay_out()
        return self._helper

    def _lay_out(self) -> None:
        names = tuple(self.fields)
        if self._laid_out != names:
            self._helper.layout = Layout(*[_layout_field(n, f) for n, f in self.fields.items()])
            self._laid_out = names

    def add_error(self, field, error):
        self._lay_out()  # first: a number's widget becomes the text input the error marks below go on
        super().add_error(field, error)
        # A URL, email or time field with an error gets the red border crispy-forms-gds gives a text input.
        for name in self.errors:
            widget = self.fields[name].widget if name in self.fields else None
            if isinstance(widget, UNSTYLED_INPUTS) and type(widget).__name__ not in ERROR_STYLED_BY_CRISPY:
                classes = widget.attrs.get("class", "").split()
                if "govuk-input--error" not in classes:
                    widget.attrs["class"] = " ".join([*classes, "govuk-input--error"])


class GovukForm(GovukFormMixin, forms.Form):
    pass


class GovukModelForm(GovukFormMixin, forms.ModelForm):
    pass


def apply_validation_error(form: forms.BaseForm, exc) -> None:
    """Put a service's ValidationError onto the form, by field where it names one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
