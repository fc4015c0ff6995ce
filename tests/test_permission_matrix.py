"""Walk every named URL for every role and compare with the matrix in tests/*/routes.py."""

import importlib
import pkgutil
from html.parser import HTMLParser

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from trustgov.accounts.models import User

from . import matrix

EXCLUDED_NAMESPACES = {"admin", "api"}  # Django admin; the API has its own role tests


def all_routes() -> list[matrix.Route]:
    import tests

    routes = []
    for info in pkgutil.iter_modules(tests.__path__):
        if not info.ispkg:  # routes live in the app packages (tests/<app>/routes.py)
            continue
        try:
            module = importlib.import_module(f"tests.{info.name}.routes")
        except ModuleNotFoundError:
            continue
        routes.extend(module.ROUTES)
    return routes


def named_urls(resolver=None, namespace: str = "") -> set[str]:
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns in EXCLUDED_NAMESPACES:
                continue
            prefix = f"{namespace}{ns}:" if ns else namespace
            names |= named_urls(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


ROUTES = all_routes()


@pytest.fixture(autouse=True)
def no_broker(settings):
    """The matrix is about who may open what. /readyz with a broker configured answers by whether a worker
    has answered lately (tests/core/test_health.py), which no permission decides: here, the embedded default."""
    settings.CELERY_BROKER_URL = ""


def test_every_named_url_is_in_the_matrix():
    covered = {r.name for r in ROUTES}
    missing = sorted(named_urls() - covered)
    assert not missing, f"Add these URL names to a tests/<app>/routes.py: {missing}"
    stale = sorted(covered - named_urls())
    assert not stale, f"These matrix entries name no URL: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_each_role_gets_the_expected_status(client, route):
    url = reverse(route.name, kwargs=route.kwargs()) + route.query
    anon = client.get(url)
    assert anon.status_code == route.anon, f"anonymous GET {url}"
    if route.anon == 302:
        assert "/accounts/login/" in anon["Location"]
    for role, expected in route.expected.items():
        client.force_login(User.objects.get(username=matrix.DEMO_USERNAMES[role]))
        response = client.get(url)
        assert response.status_code == expected, f"{role} GET {url}"
        client.logout()


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in ROUTES if r.browser_role], ids=lambda r: r.name)
def test_every_field_of_a_pages_form_is_on_the_page(client, route):
    """A field a form adds after it is laid out must still be rendered: the contract status page once asked for a
    reason it never showed, so no status could be changed in a browser."""
    if route.browser_role != matrix.ANON:
        client.force_login(User.objects.get(username=matrix.DEMO_USERNAMES[route.browser_role]))
    response = client.get(reverse(route.name, kwargs=route.kwargs()) + route.query)
    form = (response.context or {}).get("form") if response.status_code == 200 else None
    if form is None or not hasattr(form, "fields"):
        return
    html = response.content.decode()
    missing = [
        name
        for name, field in form.fields.items()
        if not field.widget.is_hidden and f'name="{form.add_prefix(name)}' not in html
    ]
    assert not missing, f"{route.name}: fields not rendered: {missing}"


class _PostForms(HTMLParser):
    """The CSRF inputs inside each POST form of a page, and any outside every form."""

    def __init__(self):
        super().__init__()
        self.forms: list[int] = []
        self.outside = 0
        self._in_post = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_post = (attrs.get("method") or "get").lower() == "post"
            if self._in_post:
                self.forms.append(0)
        elif tag == "input" and attrs.get("name") == "csrfmiddlewaretoken":
            if self._in_post:
                self.forms[-1] += 1
            else:
                self.outside += 1

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_post = False


@pytest.mark.django_db
@pytest.mark.parametrize("route", [r for r in ROUTES if r.browser_role], ids=lambda r: r.name)
def test_each_post_form_carries_one_csrf_token(client, route):
    """Every POST form has exactly one CSRF input (not none, not a second from a nested layout), and none sits
    outside a form."""
    if route.browser_role != matrix.ANON:
        client.force_login(User.objects.get(username=matrix.DEMO_USERNAMES[route.browser_role]))
    response = client.get(reverse(route.name, kwargs=route.kwargs()) + route.query)
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return
    parser = _PostForms()
    parser.feed(response.content.decode())
    assert all(n == 1 for n in parser.forms), f"{route.name}: CSRF inputs per POST form: {parser.forms}"
    assert parser.outside == 0, f"{route.name}: {parser.outside} CSRF input(s) outside a POST form"
