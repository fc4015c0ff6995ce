"""The daily sweep's cost: a bounded number of queries however many trusts there are, and the same answers
as each look-up made on its own."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.models import Meeting, Reminder
from meetings.reminders import send_due_reminders
from tests.conftest import build_tenant
from tests.factories import make_user
from trustgov.accounts import recipients
from trustgov.accounts.roles import Role
from trustgov.organisations.models import Council, DeliveryBody, OfficeHolding

from .factories import ActionFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def _trusts(first: int, count: int) -> None:
    """``count`` more trusts, each with a DCS, an overdue action and papers due for a meeting."""
    for i in range(first, first + count):
        tenant = build_tenant(f"sweep{i}")
        dcs = make_user(Role.COUNCIL_OFFICER, council=tenant.council, username=f"sweep{i}-dcs")
        OfficeHolding.objects.create(
            council=tenant.council, office=OfficeHolding.Office.DCS, holder_name="A Director", user=dcs
        )
        held = MeetingFactory(delivery_body=tenant.body, date=date(2027, 1, 10), status=Meeting.Status.HELD)
        ActionFactory(meeting=held, owner_user=tenant.trust_exec, due_date=date(2027, 2, 1))
        ActionFactory(meeting=held, due_date=date(2027, 2, 3))
        MeetingFactory(delivery_body=tenant.body, date=date(2027, 3, 4))


def _sweep(day: date) -> tuple[int, int]:
    with time_machine.travel(f"{day.isoformat()} 08:00 +0000", tick=False), CaptureQueriesContext(connection) as ctx:
        sent = send_due_reminders(day)
    return sent, len(ctx.captured_queries)


def test_a_steady_state_sweep_costs_the_same_at_any_number_of_trusts():
    counts = {}
    _trusts(0, 2)
    for size, more in ((2, 0), (8, 6)):
        _trusts(2, more)
        first_sent, _ = _sweep(date(2027, 2, 20))
        assert first_sent >= size * 3  # each trust: two overdue actions (one escalated) and papers due
        again_sent, counts[size] = _sweep(date(2027, 2, 20))
        assert again_sent == 0
        Reminder.objects.all().delete()  # the next size starts from nothing sent
    assert counts[2] == counts[8], counts
    assert counts[8] <= 200


def test_the_directory_answers_as_each_look_up_does(tenant_a, tenant_b):
    dcs = make_user(Role.COUNCIL_OFFICER, council=tenant_a.council, username="alpha-dcs")
    OfficeHolding.objects.create(council=tenant_a.council, office=OfficeHolding.Office.DCS, holder_name="D", user=dcs)
    make_user(Role.DFE_LIAISON, username="dfe-one")
    gone = make_user(Role.COUNCIL_OFFICER, council=tenant_b.council, username="beta-gone")
    gone.is_active = False
    gone.save()

    def answers():
        out = {"dfe": [u.pk for u in recipients.dfe_users()]}
        for council in Council.objects.all():
            out[f"officers {council.pk}"] = [u.pk for u in recipients.council_officers(council.pk)]
            out[f"dcs {council.pk}"] = [u.pk for u in recipients.dcs_for(council.pk)]
        for body in DeliveryBody.objects.all():
            out[f"owners {body.pk}"] = [u.pk for u in recipients.owners_officers(body.pk)]
            out[f"owners dcs {body.pk}"] = [u.pk for u in recipients.owners_dcs(body.pk)]
            out[f"execs {body.pk}"] = [u.pk for u in recipients.trust_executives(body.pk)]
        return out

    one_by_one = answers()
    with recipients.directory(), CaptureQueriesContext(connection) as ctx:
        held = answers()
    assert held == one_by_one
    assert any(one_by_one.values())
    # Two councils' worth or two hundred: the directory reads once (users, their groups, owners, DCS holdings),
    # plus the two loops' own reads of councils and trusts.
    assert len(ctx.captured_queries) <= 6
