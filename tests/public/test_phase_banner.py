"""The phase banner speaks to whoever reads the page: on the public pages (and the public search) to the public,
naming the council and linking to its website when it has one; on the service's pages to its staff."""

import pytest
from django.urls import reverse

from trustgov.organisations.models import Council

pytestmark = pytest.mark.django_db

STAFF = "Tell your client-management team how it can be improved."
PUBLIC_TEXT = "This is a new service. Your feedback will help Opentown Borough Council improve it"
PAGES = [
    ("public:council-index", {}),
    ("public:meeting-calendar", {}),
    ("public:board", {}),
    ("public:scorecard", {}),
    ("public:decisions", {}),
    ("public:forward-plan", {}),
    ("public:data", {}),
    ("search:public-search", {"q": "performance"}),
]


def _banner(html: str) -> str:
    start = html.index('class="govuk-phase-banner"')
    return html[start : html.index("</div>", start)]


@pytest.mark.parametrize(("name", "params"), PAGES, ids=[name for name, _ in PAGES])
def test_signed_out_a_public_page_speaks_to_the_public(client, planted, name, params):
    Council.objects.filter(pk=planted.council.pk).update(website="https://www.opentown.example/contact")
    client.logout()
    response = client.get(reverse(name, kwargs={"slug": "opentown"}), params)
    assert response.status_code == 200
    banner = _banner(response.content.decode())
    assert PUBLIC_TEXT in banner
    assert (
        'href="https://www.opentown.example/contact"' in banner and "contact the council through its website" in banner
    )
    assert STAFF not in response.content.decode()


def test_without_a_website_the_public_banner_has_no_link(client, planted):
    client.logout()
    banner = _banner(client.get(reverse("public:board", kwargs={"slug": "opentown"})).content.decode())
    assert PUBLIC_TEXT in banner and "<a " not in banner and STAFF not in banner


def test_the_services_pages_keep_the_staff_text(client, planted):
    client.force_login(planted.officer)
    for url in (reverse("search:search"), reverse("meetings:meeting-detail", args=[planted.meeting.pk])):
        banner = _banner(client.get(url).content.decode())
        assert STAFF in banner and "Your feedback will help" not in banner
