"""Appointments tell who acts next (the council, the DfE) and whom the outcome concerns, once, and no other tenant."""

from datetime import date

import pytest
import time_machine

from boards import services
from boards.models import Appointment
from meetings.models import Notification

from .factories import PersonFactory, trust_board

pytestmark = pytest.mark.django_db
S = Appointment.Status
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


def propose(tenant, body, role="chair"):
    return services.appointment_propose(
        user=tenant.trust_exec,
        body=body,
        seat=body.seats.get(role=role),
        person=PersonFactory(council=tenant.council, name="Robin Chair"),
        term_start=date(2027, 4, 1),
        term_end=date(2030, 3, 31),
    )


def step(appointment, target, user, **kw):
    return services.appointment_advance(appointment=appointment, target=target, user=user, decided_on=TODAY, **kw)


def test_a_chair_appointment_tells_the_council_then_the_dfe_then_the_trust(
    tenant_a, tenant_b, dfe_user, django_capture_on_commit_callbacks
):
    body = trust_board(tenant_a, chair_appointed_by_dfe=True)
    with django_capture_on_commit_callbacks(execute=True):
        appointment = propose(tenant_a, body)
    assert told("appointment_awaiting_council") == {"alpha-officer"}
    notification = new().get(kind="appointment_awaiting_council")
    assert notification.url == appointment.get_absolute_url()
    assert notification.title == f"Robin Chair is proposed for 'Chair' on {body}: the council's approval is needed"
    with django_capture_on_commit_callbacks(execute=True):
        step(appointment, S.COUNCIL_APPROVED, tenant_a.officer, decision_reference="OD/1")
    assert dfe_user.username in told("appointment_awaiting_dfe")
    assert not told("appointment_awaiting_dfe") & {"alpha-officer", "alpha-exec", "beta-officer"}
    assert told("appointment_decided") == {"alpha-exec"}  # the trust hears of the council's approval
    with django_capture_on_commit_callbacks(execute=True):
        step(appointment, S.DFE_APPROVED, dfe_user, decision_reference="DfE letter")
    assert told("appointment_decided") == {"alpha-officer", "alpha-exec"}
    with django_capture_on_commit_callbacks(execute=True):
        step(appointment, S.RATIFIED, tenant_a.officer, decision_reference="Cabinet minute 42")
        step(appointment, S.IN_OFFICE, tenant_a.officer)
    titles = set(new().filter(recipient=tenant_a.trust_exec).values_list("title", flat=True))
    assert f"The appointment of Robin Chair to 'Chair' on {body} was ratified by Cabinet" in titles
    assert new().filter(recipient=tenant_a.trust_exec, kind="appointment_decided").count() == 3
    assert not new().filter(recipient__in=[tenant_b.officer, tenant_b.trust_exec]).exists()


def test_an_appointment_needing_no_dfe_approval_goes_to_the_trust_after_the_council(
    tenant_a, dfe_user, django_capture_on_commit_callbacks
):
    body = trust_board(tenant_a)
    with django_capture_on_commit_callbacks(execute=True):
        appointment = propose(tenant_a, body, role="chief_executive")
        step(appointment, S.COUNCIL_APPROVED, tenant_a.officer, decision_reference="OD/2")
    assert not appointment.needs_dfe_approval
    assert not told("appointment_awaiting_dfe")
    assert told("appointment_decided") == {"alpha-exec"}  # not the officer who recorded it
    assert "Cabinet ratification is next" in new().get(kind="appointment_decided").title


def test_a_withdrawal_by_the_trust_tells_the_council(tenant_a, django_capture_on_commit_callbacks):
    body = trust_board(tenant_a)
    with django_capture_on_commit_callbacks(execute=True):
        appointment = propose(tenant_a, body)
        step(appointment, S.WITHDRAWN, tenant_a.trust_exec, note="The candidate withdrew")
    assert told("appointment_decided") == {"alpha-officer"}
