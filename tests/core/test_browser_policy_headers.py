"""Headers a browser acts on: CSP without 'unsafe-inline', Permissions-Policy, no caching of signed-in
pages, RFC 6266 download names, and 405 for a method a page does not take."""

import re
from urllib.parse import unquote

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from meetings.models import Document
from trustgov.accounts.models import User
from trustgov.core.exports import content_disposition

from .. import matrix
from ..test_permission_matrix import ROUTES

pytestmark = pytest.mark.django_db


def signed_in(role: str = matrix.OFFICER) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=matrix.DEMO_USERNAMES[role]))
    return client


def test_every_page_has_a_content_security_policy_without_unsafe_inline():
    for client, path in ((Client(), "/accounts/login/"), (Client(), "/cookies/"), (signed_in(), "/")):
        response = client.get(path)
        policy = response["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, path
        assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'" and directives["base-uri"] == "'self'"
        assert directives["script-src"].startswith("'self'") and directives["style-src"].startswith("'self'")
        body = response.content.decode()
        assert "<script>" not in body and "<style>" not in body and " style=" not in body, path


def test_a_chart_page_gives_its_inline_svg_styles_the_nonce_of_its_policy():
    from performance.models import Kpi

    client = signed_in()
    # A KPI's page draws its chart with pygal, whose SVG carries a <style>; the dashboard's sparklines carry none.
    kpi = Kpi.objects.filter(delivery_body__slug="sandwell-trust").order_by("display_order", "pk").first()
    for path, charts in ((kpi.get_absolute_url(), 1), ("/performance/", 0)):
        response = client.get(path)
        assert response.status_code == 200, path
        policy = response["Content-Security-Policy"]
        nonce = policy.split("'nonce-", 1)[1].split("'", 1)[0]
        body = response.content.decode()
        assert body.count("<style") >= charts, path
        assert body.count("<style") == body.count(f'<style nonce="{nonce}"'), path
        assert 'style="opacity: 0"' not in body, path


def test_permissions_policy_switches_off_what_no_page_uses():
    for response in (Client().get("/accounts/login/"), signed_in().get("/"), Client().get("/healthz")):
        policy = response["Permissions-Policy"]
        for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
            assert feature in policy


def test_signed_in_pages_are_private_and_never_stored():
    client = signed_in()
    for name in ("home", "contracts:contract-list", "accessibility"):
        cache_control = client.get(reverse(name))["Cache-Control"]
        assert "private" in cache_control and "no-store" in cache_control, name
    # The same public page signed out may be kept (it holds nobody's data).
    assert "no-store" not in Client().get("/cookies/").get("Cache-Control", "")


def test_static_files_are_cacheable_even_for_a_signed_in_user(settings):
    settings.WHITENOISE_USE_FINDERS = True  # read when the client's handler loads the middleware
    response = signed_in().get("/static/app/init.js")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("register.csv", 'attachment; filename="register.csv"'),
        (
            "Rapport – Zoë.pdf",
            "attachment; filename=\"Rapport _ Zoe.pdf\"; filename*=UTF-8''Rapport%20%E2%80%93%20Zo%C3%AB.pdf",
        ),
        ('say "no".pdf', "attachment; filename=\"say _no_.pdf\"; filename*=UTF-8''say%20%22no%22.pdf"),
        ("../../secret.pdf", 'attachment; filename="secret.pdf"'),
        ("会议.ics", "attachment; filename=\"_.ics\"; filename*=UTF-8''%E4%BC%9A%E8%AE%AE.ics"),
    ],
)
def test_content_disposition_follows_rfc_6266(filename, expected):
    assert content_disposition(filename) == expected
    assert content_disposition(filename, inline=True) == expected.replace("attachment", "inline", 1)


def test_a_paper_with_a_unicode_name_downloads_under_that_name():
    document = Document.objects.get(title="Quarterly performance report")
    document.file.save("Qualité – août.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    response = signed_in().get(reverse("meetings:document-download", kwargs={"pk": document.pk}))
    assert response.status_code == 200
    header = response["Content-Disposition"]
    assert header.startswith('attachment; filename="Qualite') and "é" not in header and "filename*=UTF-8''" in header
    stored_name = document.file.name.rsplit("/", 1)[-1]
    assert unquote(header.split("filename*=UTF-8''", 1)[1]) == stored_name
    header.encode("latin-1")  # a header value a server can send


# --- 405 for a method a page does not take ------------------------------------------------------

PAGES = [r for r in ROUTES if r.browser_role not in (None, "anon") and r.expected[r.browser_role] == 200]


def test_there_are_pages_to_check():
    assert len(PAGES) > 50


@pytest.mark.parametrize("route", PAGES, ids=lambda r: r.name)
def test_a_page_answers_405_to_a_method_it_does_not_take(route):
    client = signed_in(route.browser_role)
    url = reverse(route.name, kwargs=route.kwargs()) + route.query
    for method in ("put", "patch", "delete"):
        response = getattr(client, method)(url)
        assert response.status_code == 405, f"{method.upper()} {url}: {response.status_code}"
        assert "GET" in response["Allow"], url
        if url.startswith("/api/"):  # the API guide: a problem, like every error under /api/
            assert response["Content-Type"] == "application/problem+json", url
        else:  # a GOV.UK page, not Django's empty body
            assert "This page cannot do that" in response.content.decode(), url


SELF_POSTING_FORM = re.compile(r"<form\b[^>]*\bmethod=\"post\"[^>]*>", re.IGNORECASE)


def _posts_to_itself(html: str, path: str) -> bool:
    for tag in SELF_POSTING_FORM.findall(html):
        action = re.search(r'\baction="([^"]*)"', tag)
        if action is None or action.group(1) in ("", path) or action.group(1).split("?")[0] == path:
            return True
    return False


# The month chooser at this address becomes the return's form once a month is chosen (?period=...).
TAKES_POST_WITH_A_QUERY = {"performance:return-enter"}


def test_a_page_without_a_form_of_its_own_answers_405_to_post():
    """A list, a detail page or a download is read-only: POST is a 405, not the page again (Django's default)."""
    wrong = []
    for route in PAGES:
        if route.name in TAKES_POST_WITH_A_QUERY:
            continue
        client = signed_in(route.browser_role)
        path = reverse(route.name, kwargs=route.kwargs())
        page = client.get(path + route.query)
        if _posts_to_itself(page.content.decode(errors="replace"), path):
            continue
        response = client.post(path + route.query)
        if response.status_code != 405:
            wrong.append(f"POST {path}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
