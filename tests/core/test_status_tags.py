"""A record's state shows as a tag whose label and colour come from its workflow, said once."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template, TemplateSyntaxError

from contracts.models import Contract
from meetings.models import Meeting
from performance.models import MonthlyReturn
from trustgov.core.workflow import TONES, workflow_for
from trustgov.organisations.models import Council

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def render(obj) -> str:
    return Template("{% load statuses %}{% status_tag obj %}").render(Context({"obj": obj}))


@pytest.mark.parametrize(
    ("obj", "html"),
    [
        (Contract(status="live"), '<strong class="govuk-tag govuk-tag--green">Live</strong>'),
        (Contract(status="in_notice"), '<strong class="govuk-tag govuk-tag--yellow">In notice</strong>'),
        (Contract(status="expired"), '<strong class="govuk-tag govuk-tag--grey">Expired</strong>'),
        (Meeting(status="papers_published"), '<strong class="govuk-tag govuk-tag--blue">Papers published</strong>'),
        (MonthlyReturn(status="queried"), '<strong class="govuk-tag govuk-tag--red">Queried</strong>'),
    ],
)
def test_the_tag_is_the_workflows_label_and_tone(obj, html):
    assert render(obj) == html


def test_every_registered_tone_is_a_govuk_tag_colour_of_a_real_state():
    for model in (Contract, Meeting, MonthlyReturn):
        workflow, field = workflow_for(model())
        assert set(workflow.tones) <= set(workflow.state_labels)
        assert set(workflow.tones.values()) <= set(TONES)


def test_a_model_without_a_workflow_is_refused_not_guessed():
    with pytest.raises(TemplateSyntaxError):
        render(Council(name="No workflow"))


def test_no_template_picks_a_tag_colour_by_comparing_status_strings():
    pattern = re.compile(r"govuk-tag--\{%\s*if\s+[\w.]*status\s*==")
    offenders = [
        str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html") if pattern.search(path.read_text())
    ]
    assert offenders == []
