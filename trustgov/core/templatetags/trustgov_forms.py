"""The GOV.UK error summary's links, pointing where focus should go (templates/gds/layout/error_summary.html).

crispy-forms-gds links an error on a date to the date's wrapper (``#id_start``), which cannot take
focus; the Design System links it to the first box with the error, the day (``#id_start_0``).
"""

from crispy_forms_gds.templatetags.crispy_forms_gds import field_errors
from django import template

register = template.Library()


def _focusable(bound_field, field_id: str) -> str:
    if field_id == bound_field.auto_id and hasattr(bound_field.field, "fields"):
        return f"{bound_field.auto_id}_0"  # a date (or any multi-part field): its first input
    return field_id


@register.filter
def summary_errors(bound_field):
    """(id to link to, errors) for each part of the field that has errors."""
    return [(_focusable(bound_field, field_id), errors) for field_id, errors in field_errors(bound_field) if errors]


@register.filter
def first_input_id(bound_field) -> str:
    return _focusable(bound_field, bound_field.auto_id) if bound_field is not None else ""
