"""Every change is recorded with who made it, and the history page shows it."""

import pytest

from tests.factories import UserFactory
from trustgov.organisations.models import Council

pytestmark = pytest.mark.django_db


def test_change_through_a_request_records_the_user_and_shows_on_the_history_page(client):
    admin = UserFactory(username="admin-anna", first_name="Anna", last_name="Admin", is_staff=True, is_superuser=True)
    council = Council.objects.get(slug="torbay")
    client.force_login(admin)
    response = client.post(
        f"/admin/organisations/council/{council.pk}/change/",
        {"name": "Torbay Council", "slug": "torbay", "council_type": "unitary", "website": "https://torbay.example"},
    )
    assert response.status_code == 302
    latest = council.history.latest()
    assert latest.history_user == admin and latest.website == "https://torbay.example"

    page = client.get(f"/history/organisations/council/{council.pk}/").content.decode()
    assert "Anna Admin" in page
    assert "https://www.torbay.gov.uk → https://torbay.example" in page


def test_history_of_unknown_model_is_404(client):
    client.force_login(UserFactory(is_superuser=True))
    assert client.get("/history/nope/thing/1/").status_code == 404
    assert client.get("/history/auth/group/1/").status_code == 404


def test_seed_demo_is_idempotent():
    from io import StringIO

    from django.core.management import call_command

    from trustgov.accounts.models import User

    before = (Council.history.count(), User.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Council.history.count(), User.objects.count()) == before
