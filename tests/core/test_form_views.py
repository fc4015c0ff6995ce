"""The shared form-page steps: a refused service leaves nothing behind and names the field."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from tests.factories import UserFactory
from trustgov.core.form_views import render_form_page, run_service
from trustgov.core.forms import GovukForm
from trustgov.organisations.models import Council

pytestmark = pytest.mark.django_db


class NameForm(GovukForm):
    name = forms.CharField(error_messages={"required": "Enter the council name"})


def test_a_refused_service_rolls_back_what_it_wrote_and_names_the_field():
    form = NameForm({"name": "Anytown"})
    assert form.is_valid()

    def service():
        Council.objects.create(slug="anytown", name="Anytown Council", council_type="unitary")
        raise ValidationError({"name": "Enter a council name that is not already used"})

    assert run_service(form, service) is None
    assert form.errors["name"] == ["Enter a council name that is not already used"]
    assert not Council.objects.filter(slug="anytown").exists()


def test_an_error_for_an_unknown_field_goes_to_the_top_of_the_form():
    form = NameForm({"name": "Anytown"})
    form.is_valid()
    run_service(form, lambda: (_ for _ in ()).throw(ValidationError({"period": "Choose a month"})))
    assert form.non_field_errors() == ["Choose a month"]


def test_a_service_that_returns_nothing_still_counts_as_saved():
    form = NameForm({"name": "Anytown"})
    form.is_valid()
    assert run_service(form, lambda: None) is True
    council = Council.objects.first()
    assert run_service(form, lambda: council) == council


def test_the_form_page_answers_400_only_when_a_submitted_form_has_errors():
    request = RequestFactory().get("/")
    request.user = UserFactory()
    assert render_form_page(request, NameForm(), title="Name the council").status_code == 200
    invalid = NameForm({"name": ""})
    invalid.is_valid()
    response = render_form_page(request, invalid, title="Name the council", caption="Councils")
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page and "Enter the council name" in page
