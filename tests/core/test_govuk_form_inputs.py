"""Every form the permission matrix knows renders GOV.UK inputs, dates for a keypad, errors that move focus,
"Error: " titles and a 400 status when it refuses what was sent."""

import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from trustgov.accounts.models import User
from trustgov.core.forms import GovukDateField, GovukForm

from .. import matrix
from ..test_permission_matrix import ROUTES

pytestmark = pytest.mark.django_db

TEXT_LIKE = {"text", "number", "url", "time", "email", "date", "tel", "password", "search", "datetime-local"}


class Inputs(HTMLParser):
    def __init__(self):
        super().__init__()
        self.inputs: list[dict] = []
        self.legends: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and (attrs.get("type") or "text") in TEXT_LIKE:
            self.inputs.append(attrs)
        if tag == "legend":
            self.legends.append(attrs.get("class", ""))


def parse(html: str) -> Inputs:
    parser = Inputs()
    parser.feed(html)
    return parser


def problems(html: str) -> list[str]:
    found = parse(html)
    out = []
    for attrs in found.inputs:
        classes = (attrs.get("class") or "").split()
        if "govuk-input" not in classes:
            out.append(f"<input type={attrs.get('type')} name={attrs.get('name')}> has no govuk-input class")
        if "govuk-date-input__input" in classes and attrs.get("inputmode") != "numeric":
            out.append(f"date box {attrs.get('name')} lacks inputmode=numeric")
        if attrs.get("type") == "number":
            out.append(f"{attrs.get('name')} is type=number (the Design System asks for text with inputmode)")
    for legend in found.legends:
        if any(c in ("s", "m", "l", "xl") for c in legend.split()):
            out.append(f"legend class {legend!r} (should be govuk-fieldset__legend--s)")
    return out


PAGES = [r for r in ROUTES if r.browser_role and r.browser_role != "anon" and r.expected[r.browser_role] == 200]
PUBLIC = [r for r in ROUTES if r.browser_role == "anon" and r.anon == 200]


def test_every_page_of_the_matrix_renders_govuk_inputs():
    checked_inputs, wrong = 0, []
    clients = {}
    for route in PAGES:
        if route.browser_role not in clients:
            clients[route.browser_role] = Client()
            clients[route.browser_role].force_login(
                User.objects.get(username=matrix.DEMO_USERNAMES[route.browser_role])
            )
        response = clients[route.browser_role].get(reverse(route.name, kwargs=route.kwargs()) + route.query)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        html = response.content.decode()
        checked_inputs += len(parse(html).inputs)
        wrong += [f"{route.name}: {p}" for p in problems(html)]
    for route in PUBLIC:
        html = Client().get(reverse(route.name, kwargs=route.kwargs()) + route.query).content.decode()
        checked_inputs += len(parse(html).inputs)
        wrong += [f"{route.name}: {p}" for p in problems(html)]
    assert checked_inputs > 100
    assert not wrong, "\n".join(sorted(set(wrong)))


class EveryKind(GovukForm):
    count = forms.IntegerField(label="Count")
    money = forms.DecimalField(label="Money", max_digits=10, decimal_places=2)
    link = forms.URLField(label="Link", assume_scheme="https")
    at = forms.TimeField(label="Time")
    email = forms.EmailField(label="Email")
    start = GovukDateField(label="Start date")


def render(form) -> str:
    return Template('{% include "includes/form.html" %}').render(Context({"form": form}))


def test_numbers_are_text_inputs_with_a_keypad_and_errors_mark_every_kind_of_input():
    form = EveryKind(data={"count": "x", "money": "1.234", "link": "not a url", "at": "25:00", "email": "no"})
    assert not form.is_valid()
    html = render(form)
    inputs = {a["name"]: a for a in parse(html).inputs}
    assert inputs["count"]["type"] == "text" and inputs["count"]["inputmode"] == "numeric"
    assert inputs["money"]["type"] == "text" and inputs["money"]["inputmode"] == "decimal"
    for name in ("count", "money", "link", "at", "email", "start_0", "start_1", "start_2"):
        classes = inputs[name]["class"].split()
        assert "govuk-input" in classes and "govuk-input--error" in classes, (name, classes)
        assert classes.count("govuk-input--error") == 1, (name, classes)
    assert problems(html) == []
    assert 'class="govuk-fieldset__legend govuk-fieldset__legend--s"' in html


def test_the_error_summary_links_a_date_to_its_day_box():
    form = EveryKind(data={"start_0": "31", "start_1": "2", "start_2": "2026"})
    assert not form.is_valid()
    html = render(form)
    summary = html.split('class="govuk-error-summary"', 1)[1].split("</div>\n  </div>", 1)[0]
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    targets = dict((text, target) for target, text in links)
    assert targets["Start date must be a real date"] == "id_start_0"
    assert 'id="id_start_0"' in html
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    focusable = {a["id"] for a in parse(html).inputs}
    for target, _ in links:
        assert target in ids and target in focusable, target


def test_a_page_title_reads_error_first_and_a_refused_form_is_a_400():
    client = Client()
    response = client.post(reverse("login"), {"username": "", "password": ""})
    assert response.status_code == 400
    assert "<title>Error: Sign in – TrustGov</title>" in response.content.decode()
    officer = Client()
    officer.force_login(User.objects.get(username=matrix.DEMO_USERNAMES[matrix.OFFICER]))
    ok = officer.get(reverse("password_change"))
    assert (
        "<title>Change your password – TrustGov</title>" in ok.content.decode() or "Error:" not in ok.content.decode()
    )


SELF_POSTING_FORM = re.compile(r"<form\b[^>]*\bmethod=\"post\"[^>]*>", re.IGNORECASE)


def test_every_form_page_that_refuses_an_empty_form_answers_400_with_an_error_title():
    """Django renders a refused form with 200; TrustGov answers 400 on every page (render_form_page and the rest)."""
    wrong, refused = [], 0
    for route in PAGES:
        client = Client()
        client.force_login(User.objects.get(username=matrix.DEMO_USERNAMES[route.browser_role]))
        path = reverse(route.name, kwargs=route.kwargs())
        page = client.get(path + route.query).content.decode()
        own_forms = [t for t in SELF_POSTING_FORM.findall(page) if 'action="' not in t or f'action="{path}' in t]
        if not own_forms:
            continue
        response = client.post(path + route.query, {})
        body = response.content.decode()
        if "govuk-error-summary" in body:
            refused += 1
            if response.status_code != 400:
                wrong.append(f"{route.name}: {response.status_code} with an error summary")
            if not re.search(r"<title>Error: ", body):
                wrong.append(f"{route.name}: title does not start 'Error: '")
    assert refused > 20
    assert not wrong, "\n".join(wrong)
