"""Reserved matters and variations tell the right people, in-app and by email, once, and nobody in another tenant."""

from datetime import date

import pytest
import time_machine
from django.core import mail

from contracts import services
from contracts.models import ReservedMatterRequest, Variation
from meetings.models import Notification
from tests.factories import make_user
from trustgov.accounts.roles import Role
from trustgov.organisations.models import OfficeHolding

from ..factories import DirectionFactory
from .factories import ContractFactory, ReservedMatterFactory, VariationFactory

pytestmark = pytest.mark.django_db
R, V = ReservedMatterRequest.Status, Variation.Status
TODAY = date(2027, 1, 15)


BEFORE = {"pk": 0}  # the demo's own notifications are not this test's


@pytest.fixture(autouse=True)
def frozen():
    BEFORE["pk"] = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with time_machine.travel(f"{TODAY.isoformat()} 10:00 +0000", tick=False):
        yield


def new():
    return Notification.objects.filter(pk__gt=BEFORE["pk"])


def told(kind: str) -> set[str]:
    return set(new().filter(kind=kind).values_list("recipient__username", flat=True))


@pytest.fixture
def dcs(tenant_a):
    user = make_user(Role.COUNCIL_OFFICER, council=tenant_a.council, username="alpha-dcs")
    OfficeHolding.objects.create(
        council=tenant_a.council,
        office=OfficeHolding.Office.DCS,
        user=user,
        holder_name="A. Director",
        start_date=date(2020, 1, 1),
    )
    return user


def raise_request(tenant, *, dfe: bool):
    matter = ReservedMatterFactory(delivery_body=tenant.body, requires_dfe_consent=dfe)
    return services.request_raise(
        user=tenant.trust_exec,
        reserved_matter=matter,
        title="Appoint the Chair",
        details="x",
        decision_due=date(2027, 2, 26),
    )


def test_a_raised_request_tells_the_councils_officers_and_its_dcs_once(
    tenant_a, tenant_b, dcs, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request = raise_request(tenant_a, dfe=False)
    assert told("reserved_matter_submitted") == {"alpha-officer", "alpha-dcs"}
    notification = new().get(kind="reserved_matter_submitted", recipient=tenant_a.officer)
    assert notification.url == f"/contracts/requests/{request.pk}/" == request.get_absolute_url()
    assert (
        "Alpha Children's Trust asks the council to decide 'Appoint the Chair' by 26 February 2027"
        in notification.title
    )
    [message] = [m for m in mail.outbox if tenant_a.officer.email in m.to]
    assert f"http://127.0.0.1:8000{request.get_absolute_url()}" in message.body
    assert not [m for m in mail.outbox if tenant_b.officer.email in m.to or tenant_a.trust_exec.email in m.to]


def test_council_approval_under_a_direction_goes_to_the_dfe_then_the_dfe_decision_to_the_trust_and_council(
    tenant_a, tenant_b, dfe_user, django_capture_on_commit_callbacks
):
    DirectionFactory(council=tenant_a.council)
    request = raise_request(tenant_a, dfe=True)
    decision = {"decision": "approved", "decided_on": TODAY, "decision_reference": "Cabinet, minute 4"}
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_record_council_decision(request=request, user=tenant_a.officer, **decision)
    assert request.status == R.AWAITING_DFE
    assert dfe_user.username in told("reserved_matter_awaiting_dfe")
    assert not told("reserved_matter_awaiting_dfe") & {"alpha-officer", "alpha-exec", "beta-officer", "beta-exec"}
    assert not told("reserved_matter_decided")
    with django_capture_on_commit_callbacks(execute=True):
        services.request_record_dfe_decision(request=request, user=dfe_user, decision="approved", decided_on=TODAY)
    assert told("reserved_matter_decided") == {"alpha-exec", "alpha-officer"}
    title = new().get(kind="reserved_matter_decided", recipient=tenant_a.trust_exec).title
    assert title == "The DfE approved the reserved matter 'Appoint the Chair' (Alpha Children's Trust)"


def test_a_council_decision_needing_no_consent_tells_the_trust(tenant_a, django_capture_on_commit_callbacks):
    request = raise_request(tenant_a, dfe=False)
    decision = {"decision": "refused", "decided_on": TODAY, "decision_reference": "Cabinet, minute 5"}
    with django_capture_on_commit_callbacks(execute=True):
        services.request_record_council_decision(request=request, user=tenant_a.officer, **decision)
    assert told("reserved_matter_decided") == {"alpha-exec"}  # not the officer who recorded it
    assert "The council refused" in new().get(kind="reserved_matter_decided").title
    assert not told("reserved_matter_awaiting_dfe")


def test_a_retry_of_the_same_event_sends_nothing_twice(tenant_a, django_capture_on_commit_callbacks):
    from trustgov.core.notifications import notify

    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            notify(
                kind="reserved_matter_submitted",
                subject_key="contracts.reservedmatterrequest:999:raised",
                recipients=[tenant_a.officer],
                title="t",
                url="/x/",
            )
    assert new().filter(recipient=tenant_a.officer, kind="reserved_matter_submitted").count() == 1


def test_a_major_variation_under_a_direction_goes_to_the_dfe_and_its_consent_to_the_council(
    tenant_a, tenant_b, dfe_user, django_capture_on_commit_callbacks
):
    DirectionFactory(council=tenant_a.council)
    contract = ContractFactory(delivery_body=tenant_a.body)
    with django_capture_on_commit_callbacks(execute=True):
        minor = services.variation_propose(contract=contract, user=tenant_a.officer, title="Minor", is_major=False)
    assert not told("variation_awaiting_dfe")
    with django_capture_on_commit_callbacks(execute=True):
        major = services.variation_propose(
            contract=contract, user=tenant_a.officer, title="Edge of care", is_major=True
        )
    assert dfe_user.username in told("variation_awaiting_dfe")
    assert not told("variation_awaiting_dfe") & {"alpha-officer", "beta-officer"}
    url = new().get(kind="variation_awaiting_dfe", recipient=dfe_user).url
    assert url == f"/contracts/{contract.pk}/#variations"
    with django_capture_on_commit_callbacks(execute=True):
        services.variation_record_dfe_consent(variation=major, user=dfe_user, consented_on=TODAY, reference="DfE/V/1")
    assert told("variation_decided") == {"alpha-officer"}
    with django_capture_on_commit_callbacks(execute=True):
        services.variation_transition(
            variation=major, user=tenant_a.officer, target=V.IN_EFFECT, effective_on=TODAY, reason="DfE consented"
        )
        services.variation_transition(
            variation=minor, user=tenant_a.officer, target=V.WITHDRAWN, reason="Not needed after all"
        )
    titles = set(new().filter(kind="variation_decided", recipient=tenant_a.trust_exec).values_list("title", flat=True))
    assert titles == {
        f"The variation 'Edge of care' to {contract} takes effect on 15 January 2027",
        f"The variation 'Minor' to {contract} was withdrawn",
    }
    assert not told("variation_decided") & {"beta-officer", "beta-exec"}


def test_a_variation_without_a_direction_needs_nobody_at_the_dfe(
    tenant_a, dfe_user, django_capture_on_commit_callbacks
):
    contract = ContractFactory(delivery_body=tenant_a.body)
    with django_capture_on_commit_callbacks(execute=True):
        VariationFactory(contract=contract)
        services.variation_propose(contract=contract, user=tenant_a.officer, title="Major", is_major=True)
    assert not told("variation_awaiting_dfe")
