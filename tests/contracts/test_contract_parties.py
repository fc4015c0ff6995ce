"""A contract's page names everyone party to it: a joint contract every council that owns the trust."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from contracts.models import Contract
from trustgov.accounts.models import User

pytestmark = pytest.mark.django_db

JOINT = "West Northamptonshire Council, North Northamptonshire Council and Northamptonshire Children's Trust"


def caption(client, username: str, contract: Contract) -> str:
    client.force_login(User.objects.get(username=username))
    page = client.get(reverse("contracts:contract-detail", args=[contract.pk])).content.decode()
    start = page.index('data-testid="contract-parties">') + len('data-testid="contract-parties">')
    return page[start : page.index("</span>", start)]


def test_a_joint_contract_is_captioned_with_every_owning_council_lead_first(client):
    contract = Contract.objects.get(delivery_body__slug="northamptonshire-trust", is_joint=True)
    assert contract.parties_label == JOINT
    assert caption(client, "north-northamptonshire-officer", contract) == escape(JOINT)
    assert caption(client, "west-northamptonshire-officer", contract) == escape(JOINT)


def test_a_single_councils_contract_names_that_council_and_its_trust(client):
    contract = Contract.objects.get(delivery_body__slug="sandwell-trust")
    assert contract.parties_label == "Sandwell Metropolitan Borough Council and Sandwell Children's Trust"
    assert caption(client, "sandwell-officer", contract) == escape(contract.parties_label)


def test_the_contract_list_names_both_owners_of_a_joint_contract(client):
    client.force_login(User.objects.get(username="north-northamptonshire-officer"))
    page = client.get(reverse("contracts:contract-list")).content.decode()
    assert "West Northamptonshire Council, North Northamptonshire Council" in page and "(joint)" in page
