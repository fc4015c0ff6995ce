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


def _layout_field(name: str, field: forms.Field):
    widget = field.widget
    if isinstance(field, DateInputField):
        return Field(name, context={"fieldset": True, "legend_size": Size.SMALL})
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
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*[_layout_field(n, f) for n, f in self.fields.items()])
        self.submit_button = Submit("submit", self.submit_label)


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
