"""A council service, not GOV.UK: no GOV.UK in titles, no crown, no GDS Transport, the organisation in the
header, and the accessibility statement, privacy notice and cookies page linked from every page."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from trustgov.accounts.models import User

pytestmark = pytest.mark.django_db

STATEMENTS = ("accessibility", "privacy", "cookies")


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


@pytest.mark.parametrize(
    ("username", "organisation"),
    [
        ("sandwell-officer", "Sandwell"),
        ("sandwell-trust-exec", "Sandwell Children's Trust"),
        ("dfe-liaison", "Department for Education"),
    ],
)
def test_the_header_names_the_signed_in_users_organisation_and_no_page_says_gov_uk(username, organisation):
    user = User.objects.get(username=username)
    html = signed_in(username).get("/").content.decode()
    header = html.split('<header class="govuk-header"', 1)[1].split("</header>", 1)[0]
    assert organisation in user.organisation_name
    assert user.organisation_name.replace("'", "&#x27;") in header
    assert "GOV.UK" not in header and "govuk-header__logotype" not in header and "<svg" not in header
    assert title(html).endswith(" – TrustGov") and "GOV.UK" not in title(html)


def test_signed_out_the_header_names_the_service():
    html = Client().get(reverse("login")).content.decode()
    assert title(html) == "Sign in – TrustGov"
    assert f'<span class="app-header__organisation">{settings.SERVICE_NAME}</span>' in html


def test_the_statements_are_public_and_linked_from_every_pages_footer():
    pages = [Client().get(reverse("login")), signed_in("sandwell-officer").get("/"), Client().get("/no-such-page/")]
    for response in pages:
        footer = response.content.decode().split('<footer class="govuk-footer">', 1)[1]
        for name in STATEMENTS:
            assert f'href="{reverse(name)}"' in footer, (response.request["PATH_INFO"], name)
    for name in STATEMENTS:
        response = Client().get(reverse(name))
        assert response.status_code == 200, name
    cookies = Client().get(reverse("cookies")).content.decode()
    assert settings.SESSION_COOKIE_NAME in cookies and settings.CSRF_COOKIE_NAME in cookies
    privacy = Client().get(reverse("privacy")).content.decode()
    assert "declarations of interest" in privacy and "board members" in privacy


def test_no_crown_and_no_gds_transport_in_what_the_browser_gets():
    templates = Path(settings.BASE_DIR, "templates")
    for template in templates.rglob("*.html"):
        text = template.read_text()
        assert "favicon.ico" not in text and "govuk-header__logotype" not in text, template
        assert "– GOV.UK" not in text, template
    scss = Path(settings.BASE_DIR, "static", "scss", "application.scss")
    source = scss.read_text()
    assert "$govuk-font-family: system-ui" in source and "$govuk-include-default-font-face: false;" in source
    built = Path(settings.BASE_DIR, "static", "build", "application.css")
    if built.stat().st_mtime < scss.stat().st_mtime:
        pytest.skip("static/build/application.css is older than its source: `make assets` rebuilds it")
    css = built.read_text()
    assert "GDS Transport" not in css and "@font-face" not in css
    assert "system-ui" in css


def test_the_report_preview_gives_its_style_element_the_policys_nonce():
    from reports.models import ReportDraft

    draft = ReportDraft.objects.filter(council__slug="sandwell").order_by("pk").first()
    response = signed_in("sandwell-officer").get(reverse("reports:draft-preview", kwargs={"pk": draft.pk}))
    assert response.status_code == 200
    nonce = response["Content-Security-Policy"].split("'nonce-", 1)[1].split("'", 1)[0]
    assert f'<style nonce="{nonce}">' in response.content.decode()
