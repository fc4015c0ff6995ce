"""A jointly owned trust's workflow events reach every owning council's officers, and no third council's."""

from datetime import date

import pytest
import time_machine

from boards import services as board_services
from boards.models import Body, Seat
from contracts import services as contract_services
from meetings.models import Notification
from tests.boards.factories import BodyFactory, PersonFactory, SeatFactory
from tests.conftest import build_tenant
from tests.contracts.factories import ContractFactory, ReservedMatterFactory
from trustgov.accounts.recipients import owners_dcs, owners_officers, party_officers
from trustgov.organisations.models import Ownership

pytestmark = pytest.mark.django_db


@pytest.fixture
def joint(tenant_a, tenant_b):
    """Alpha's trust, co-owned by Beta; Gamma owns nothing of it."""
    Ownership.objects.create(delivery_body=tenant_a.body, council=tenant_b.council, since=date(2021, 4, 1))
    return build_tenant("gamma")


def told(kind: str, since: int) -> set[str]:
    return set(Notification.objects.filter(pk__gt=since, kind=kind).values_list("recipient__username", flat=True))


def last_pk() -> int:
    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_recipients_follow_ownership_and_the_records_parties(tenant_a, tenant_b, joint):
    owners = {u.username for u in owners_officers(tenant_a.body.pk)}
    assert owners == {"alpha-officer", "beta-officer"}
    joint_contract = ContractFactory(council=tenant_a.council, delivery_body=tenant_a.body, is_joint=True)
    alpha_only = ContractFactory(council=tenant_a.council, delivery_body=tenant_a.body, reference="ALPHA-ONLY")
    assert {u.username for u in party_officers(joint_contract)} == {"alpha-officer", "beta-officer"}
    assert {u.username for u in party_officers(alpha_only)} == {"alpha-officer"}
    # No DCS office holder is recorded: each owner's officers stand in, and Gamma's never.
    assert {u.username for u in owners_dcs(tenant_a.body.pk)} == {"alpha-officer", "beta-officer"}
    assert owners_officers(None) == [] and owners_dcs(None) == []


def test_a_reserved_matter_raised_by_a_joint_trust_reaches_both_owners(
    tenant_a, tenant_b, joint, django_capture_on_commit_callbacks
):
    matter = ReservedMatterFactory(delivery_body=tenant_a.body)
    since = last_pk()
    with time_machine.travel(date(2027, 1, 15), tick=False), django_capture_on_commit_callbacks(execute=True):
        contract_services.request_raise(
            user=tenant_a.trust_exec,
            reserved_matter=matter,
            title="Annual business plan 2027/28",
            details="Please approve.",
            decision_due=date(2027, 3, 31),
        )
    assert told("reserved_matter_submitted", since) == {"alpha-officer", "beta-officer"}


def test_an_appointment_to_a_joint_trusts_board_reaches_both_owners(
    tenant_a, tenant_b, joint, django_capture_on_commit_callbacks
):
    board = BodyFactory(council=tenant_a.council, delivery_body=tenant_a.body, kind=Body.Kind.TRUST_BOARD)
    seat = SeatFactory(body=board, role=Seat.Role.INDEPENDENT_NED, title="NED")
    since = last_pk()
    with time_machine.travel(date(2027, 1, 15), tick=False), django_capture_on_commit_callbacks(execute=True):
        board_services.appointment_propose(
            user=tenant_a.trust_exec,
            body=board,
            seat=seat,
            person=PersonFactory(council=tenant_a.council),
            term_start=date(2027, 4, 1),
        )
    assert told("appointment_awaiting_council", since) == {"alpha-officer", "beta-officer"}


def test_a_former_owner_is_no_longer_told(tenant_a, tenant_b, joint):
    Ownership.objects.filter(delivery_body=tenant_a.body, council=tenant_b.council).update(until=date(2026, 3, 31))
    with time_machine.travel(date(2026, 4, 1), tick=False):
        assert {u.username for u in owners_officers(tenant_a.body.pk)} == {"alpha-officer"}
    with time_machine.travel(date(2026, 3, 31), tick=False):
        assert {u.username for u in owners_officers(tenant_a.body.pk)} == {"alpha-officer", "beta-officer"}
