"""Visit every page in the permission matrix as the role that uses it, and run axe-core on it."""

import pytest
from django.urls import reverse

from .. import matrix
from ..test_permission_matrix import ROUTES
from .harness import assert_accessible, login

pytestmark = [pytest.mark.browser]

ROLES_WITH_PAGES = sorted({r.browser_role for r in ROUTES if r.browser_role})


@pytest.mark.parametrize("role", ROLES_WITH_PAGES)
def test_every_page_is_accessible_to_its_role(seeded, page, role):
    if role != "anon":
        login(page, matrix.DEMO_USERNAMES[role])
    visited = []
    for route in ROUTES:
        if route.browser_role != role:
            continue
        path = reverse(route.name, kwargs=route.kwargs()) + route.query
        response = page.goto(path)
        expected = route.anon if role == "anon" else route.expected[role]
        assert response.status == expected, f"{role} {path}"
        assert_accessible(page)
        visited.append(path)
    assert visited


def test_error_pages_are_accessible(seeded, page):
    login(page, "sandwell-officer")
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    assert_accessible(page)


def test_form_errors_show_a_govuk_error_summary(seeded, nojs_page):
    page = nojs_page
    page.goto("/accounts/login/")
    page.click("button[type=submit]")
    summary = page.locator(".govuk-error-summary")
    assert "There is a problem" in summary.inner_text()
    assert "Enter your username" in summary.inner_text()
    assert page.title() == "Error: Sign in – TrustGov"
    assert_accessible(page)
