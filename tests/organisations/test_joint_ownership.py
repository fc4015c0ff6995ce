"""A jointly owned trust: tenancy follows ownership.

Alpha Council leads and Beta Council co-owns Alpha's trust; Gamma Council owns nothing of it. Each owner's users
see the trust and the records that council is party to (the joint contract, the trust's board, its returns, a joint
committee); a contract one owner holds alone is that owner's; the third council sees none of it (404).
"""

from datetime import date

import pytest
from django.urls import reverse

from boards.models import Body
from contracts.models import Contract
from meetings.models import Meeting
from performance.models import MonthlyReturn
from tests.boards.factories import BodyFactory, MembershipFactory, PersonFactory, SeatFactory
from tests.conftest import build_tenant
from tests.contracts.factories import (
    ContractFactory,
    ObligationFactory,
    ReservedMatterFactory,
    RiskFactory,
    VariationFactory,
)
from tests.meetings.factories import MeetingFactory
from tests.performance.factories import KpiFactory
from trustgov.core.scoping import visible
from trustgov.organisations.models import Council, DeliveryBody, Ownership

pytestmark = pytest.mark.django_db


@pytest.fixture
def joint(tenant_a, tenant_b):
    """Alpha's trust, jointly owned with Beta; Gamma is a third council with a trust of its own."""
    Ownership.objects.create(delivery_body=tenant_a.body, council=tenant_b.council, since=date(2021, 4, 1))
    gamma = build_tenant("gamma")
    trust = tenant_a.body
    joint_contract = ContractFactory(council=tenant_a.council, delivery_body=trust, is_joint=True, reference="JOINT-1")
    alpha_only = ContractFactory(council=tenant_a.council, delivery_body=trust, reference="ALPHA-ONLY")
    beta_only = ContractFactory(council=tenant_b.council, delivery_body=trust, reference="BETA-ONLY")
    board = BodyFactory(council=tenant_a.council, delivery_body=trust, kind=Body.Kind.TRUST_BOARD)
    member = PersonFactory(council=tenant_a.council, name="Joan Joint")
    membership = MembershipFactory(person=member, seat=SeatFactory(body=board))
    records = {
        "trust": trust,
        "joint contract": joint_contract,
        "obligation of the joint contract": ObligationFactory(contract=joint_contract),
        "variation of the joint contract": VariationFactory(contract=joint_contract),
        "risk of the joint contract": RiskFactory(contract=joint_contract),
        "reserved matter": ReservedMatterFactory(delivery_body=trust),
        "KPI": KpiFactory(delivery_body=trust),
        "return": MonthlyReturn.objects.create(
            delivery_body=trust, period=date(2026, 9, 1), due_date=date(2026, 10, 14), status="submitted"
        ),
        "trust board": board,
        "board member": member,
        "membership": membership,
        "joint committee": MeetingFactory(
            council=tenant_a.council, delivery_body=trust, is_joint=True, title="Joint Committee"
        ),
    }
    return {"gamma": gamma, "records": records, "alpha_only": alpha_only, "beta_only": beta_only}


def seen(user, obj) -> bool:
    return visible(type(obj), user).filter(pk=obj.pk).exists()


def test_every_owner_sees_the_trust_and_the_records_it_is_party_to_and_a_third_council_none(tenant_a, tenant_b, joint):
    gamma = joint["gamma"]
    for name, obj in joint["records"].items():
        for owner in (tenant_a.officer, tenant_a.scrutiny, tenant_b.officer, tenant_b.scrutiny):
            assert seen(owner, obj), f"{owner} should see the {name}"
        for outsider in (gamma.officer, gamma.scrutiny, gamma.trust_exec):
            assert not seen(outsider, obj), f"{outsider} must not see the {name}"


def test_a_contract_one_owner_holds_alone_is_that_owners(tenant_a, tenant_b, joint):
    alpha_only, beta_only = joint["alpha_only"], joint["beta_only"]
    assert seen(tenant_a.officer, alpha_only) and not seen(tenant_b.officer, alpha_only)
    assert seen(tenant_b.officer, beta_only) and not seen(tenant_a.officer, beta_only)
    # The trust is party to every contract it holds, whichever council it is with.
    assert seen(tenant_a.trust_exec, alpha_only) and seen(tenant_a.trust_exec, beta_only)


def test_the_trust_sees_both_owners_and_each_owner_only_itself(tenant_a, tenant_b, joint):
    assert set(visible(Council, tenant_a.trust_exec)) == {tenant_a.council, tenant_b.council}
    assert set(visible(Council, tenant_b.officer)) == {tenant_b.council}
    assert set(visible(DeliveryBody, tenant_b.officer)) == {tenant_a.body, tenant_b.body}
    assert tenant_a.body.jointly_owned and not tenant_b.body.jointly_owned
    assert tenant_a.body.is_owned_by(tenant_b.council) and not tenant_a.body.is_owned_by(joint["gamma"].council)


def test_pages_follow_ownership_and_a_third_council_gets_404(client, tenant_b, joint):
    records = joint["records"]
    pages = [
        reverse("organisations:delivery-body-detail", kwargs={"slug": records["trust"].slug}),
        reverse("contracts:contract-detail", kwargs={"pk": records["joint contract"].pk}),
        reverse("meetings:meeting-detail", kwargs={"pk": records["joint committee"].pk}),
    ]
    client.force_login(tenant_b.officer)
    for url in pages:
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("contracts:contract-detail", kwargs={"pk": joint["alpha_only"].pk})).status_code == 404
    client.force_login(joint["gamma"].officer)
    for url in pages:
        assert client.get(url).status_code == 404, url


def test_the_api_lists_follow_ownership(client, tenant_b, joint):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(tenant_b.officer)
    refs = {c["reference"] for c in api.get("/api/v1/contracts/").json()["results"]}
    assert {"JOINT-1", "BETA-ONLY"} <= refs and "ALPHA-ONLY" not in refs
    api.force_authenticate(joint["gamma"].officer)
    refs = {c["reference"] for c in api.get("/api/v1/contracts/").json()["results"]}
    assert not refs & {"JOINT-1", "BETA-ONLY", "ALPHA-ONLY"}
    assert api.get(f"/api/v1/contracts/{joint['records']['joint contract'].pk}/").status_code == 404


def test_a_contract_with_a_council_that_does_not_own_the_trust_is_refused(tenant_a, joint):
    from django.core.exceptions import ValidationError

    from contracts import services

    gamma = joint["gamma"]
    with pytest.raises(ValidationError) as refused:
        services.contract_create(
            user=gamma.officer,
            council=gamma.council,
            delivery_body=tenant_a.body,
            title="Not theirs",
            reference="GAMMA-X",
            start_date=date(2026, 4, 1),
            end_date=date(2030, 3, 31),
        )
    assert refused.value.message_dict["delivery_body"] == ["The delivery body must be one the council owns."]
    assert not Contract.objects.filter(reference="GAMMA-X").exists()


def test_the_demo_northamptonshire_trust_is_seen_by_both_owners_and_no_other_council():
    from trustgov.accounts.models import User

    trust = DeliveryBody.objects.get(slug="northamptonshire-trust")
    contract = Contract.objects.get(delivery_body=trust)
    committee = Meeting.objects.get(delivery_body=trust, is_joint=True)
    assert {o.council.slug for o in trust.ownerships.all()} == {"west-northamptonshire", "north-northamptonshire"}
    assert contract.is_joint and contract.council.slug == "west-northamptonshire"
    assert contract.finance_years.get(financial_year=2025).contract_sum == 185_651_000  # the published figure
    for username in (
        "west-northamptonshire-officer",
        "north-northamptonshire-officer",
        "north-northamptonshire-scrutiny",
    ):
        user = User.objects.get(username=username)
        assert seen(user, trust) and seen(user, contract) and seen(user, committee), username
    for username in ("sandwell-officer", "torbay-scrutiny", "sandwell-trust-exec"):
        user = User.objects.get(username=username)
        assert not (seen(user, trust) or seen(user, contract) or seen(user, committee)), username
