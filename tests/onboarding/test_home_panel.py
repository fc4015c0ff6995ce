"""The home page offers "Set up from a workbook" only to a council party to no contract, joint ones counted."""

import pytest
from django.urls import reverse

from onboarding.home import onboarding_panel
from tests.factories import CouncilFactory, make_user
from trustgov.accounts.models import User
from trustgov.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_a_council_party_only_to_a_joint_contract_is_not_told_to_set_up(client):
    # North Northamptonshire co-owns the Northamptonshire trust; its joint contract is recorded under West.
    officer = User.objects.get(username="north-northamptonshire-officer")
    assert officer.is_administrator
    assert onboarding_panel(officer) is None
    client.force_login(officer)
    assert "Set up from a workbook" not in client.get(reverse("home")).content.decode()


def test_a_council_with_no_contract_is_offered_the_workbook(client):
    council = CouncilFactory(slug="northshire", name="Northshire Council")
    admin = make_user(Role.COUNCIL_OFFICER, council=council, username="northshire-admin", is_administrator=True)
    assert onboarding_panel(admin) is not None
    client.force_login(admin)
    assert "Set up from a workbook" in client.get(reverse("home")).content.decode()
