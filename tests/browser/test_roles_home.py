"""Each demo role signs in (JavaScript off, as any user might) and sees its own home page and data."""

import pytest

from .harness import assert_accessible, login

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize(
    ("username", "heading", "own_org"),
    [
        ("sandwell-officer", "Client management", "Sandwell Metropolitan Borough Council"),
        ("sandwell-trust-exec", "Trust returns and requests", "Sandwell Children's Trust"),
        ("sandwell-scrutiny", "Scrutiny", "Sandwell Metropolitan Borough Council"),
        ("dfe-liaison", "Oversight of trusts under direction", "Department for Education"),
    ],
)
def test_role_signs_in_to_its_own_home_page(seeded, nojs_page, username, heading, own_org):
    page = nojs_page
    login(page, username)
    assert page.locator("h1").inner_text() == heading
    assert own_org in page.locator("main").inner_text()
    assert_accessible(page)


def test_council_officer_sees_only_their_own_council(seeded, page):
    login(page, "sandwell-officer")
    page.goto("/organisations/")
    text = page.locator("main").inner_text()
    assert "Sandwell Metropolitan Borough Council" in text
    assert "Torbay" not in text and "Doncaster" not in text
    response = page.goto("/organisations/councils/torbay/")
    assert response.status == 404


def test_dfe_liaison_sees_every_council(seeded, page):
    login(page, "dfe-liaison")
    page.goto("/organisations/")
    text = page.locator("main").inner_text()
    for name in ("Sandwell", "West Sussex", "Bradford", "Doncaster", "Torbay"):
        assert name in text


def test_sign_out(seeded, nojs_page):
    page = nojs_page
    login(page, "sandwell-officer")
    page.click("text=Sign out")
    assert "You have signed out" in page.locator("h1").inner_text()
    page.goto("/")
    assert "/accounts/login/" in page.url
