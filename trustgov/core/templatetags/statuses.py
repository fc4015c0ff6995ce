"""``{% status_tag obj %}``: a record's state as a GOV.UK tag, its label and colour from the record's workflow.

Pages never compare status strings to choose a colour: the workflow that owns the lifecycle says it once.
"""

from django import template
from django.utils.html import format_html

from trustgov.core.workflow import workflow_for

register = template.Library()


@register.simple_tag
def status_tag(obj) -> str:
    found = workflow_for(obj)
    if found is None:
        raise template.TemplateSyntaxError(f"{obj._meta.label} registers no workflow: status_tag cannot show it.")
    workflow, field = found
    label, tone = workflow.tag(getattr(obj, field))
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', tone, label)
