"""The governance cycle: generated from contract obligations on working days, never duplicated."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, connections

from contracts.models import Obligation
from meetings import services
from meetings.models import BodyKind, Meeting
from trustgov.core.dates import is_working_day

from .factories import ContractFactory, ObligationFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


@pytest.fixture
def contract(tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body)
    K, R = Obligation.Kind, Obligation.Recurrence
    ObligationFactory(contract=contract, kind=K.PERFORMANCE_MEETING, recurrence=R.MONTHLY)
    ObligationFactory(contract=contract, kind=K.STRATEGIC_PARTNERSHIP_BOARD, recurrence=R.QUARTERLY)
    ObligationFactory(contract=contract, kind=K.SCRUTINY_SESSION, recurrence=R.TWICE_YEARLY, month_of_year=6)
    ObligationFactory(contract=contract, kind=K.BUDGET_SCRUTINY, recurrence=R.ANNUALLY, month_of_year=2)
    ObligationFactory(contract=contract, kind=K.IMPROVEMENT_BOARD, recurrence=R.QUARTERLY, month_of_year=2)
    ObligationFactory(contract=contract, kind=K.MONTHLY_MONITORING, recurrence=R.MONTHLY)  # not a meeting
    return contract


def test_a_year_of_meetings_from_the_obligations(contract, tenant_a):
    created = services.cycle_generate(contract=contract, start=date(2027, 1, 1), today=TODAY)
    by_body = {kind: [m for m in created if m.body_kind == kind] for kind in BodyKind.values}
    assert len(by_body[BodyKind.PERFORMANCE_MEETING]) == 12
    assert [m.date.month for m in by_body[BodyKind.STRATEGIC_PARTNERSHIP_BOARD]] == [1, 4, 7, 10]
    assert [m.date.month for m in by_body[BodyKind.SCRUTINY_COMMITTEE]] == [6, 12]
    assert [m.date for m in by_body[BodyKind.BUDGET_SCRUTINY]] == [date(2027, 2, 11)]
    assert [m.date.month for m in by_body[BodyKind.IMPROVEMENT_BOARD]] == [2, 5, 8, 11]
    assert len(created) == 12 + 4 + 2 + 1 + 4
    assert all(is_working_day(m.date) for m in created)
    assert all(m.obligation_id and m.council == tenant_a.council and m.delivery_body == tenant_a.body for m in created)


def test_meetings_avoid_bank_holidays(tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body)
    # Improvement Board on the 4th Monday: 25 May 2026 is the spring bank holiday.
    ObligationFactory(
        contract=contract,
        kind=Obligation.Kind.IMPROVEMENT_BOARD,
        recurrence=Obligation.Recurrence.QUARTERLY,
        month_of_year=2,
    )
    created = services.cycle_generate(contract=contract, start=date(2026, 2, 1), today=date(2026, 1, 5))
    may = next(m for m in created if m.date.month == 5)
    assert may.date == date(2026, 5, 26)


def test_regenerating_never_duplicates_or_touches_edited_meetings(contract, tenant_a):
    first = services.cycle_generate(contract=contract, start=date(2027, 1, 1), today=TODAY)
    edited = first[0]
    services.meeting_update(meeting=edited, user=tenant_a.officer, place="Room 2", date=date(2027, 1, 14))
    cancelled = first[1]
    services.meeting_set_status(meeting=cancelled, user=tenant_a.officer, status=Meeting.Status.CANCELLED)

    again = services.cycle_generate(contract=contract, start=date(2027, 1, 1), today=TODAY)
    later = services.cycle_generate(contract=contract, start=date(2027, 3, 1), today=TODAY)

    assert again == []
    # Only what the later window adds: January and February 2028.
    assert sorted((m.date.year, m.date.month) for m in later) == [(2028, 1)] * 2 + [(2028, 2)] * 3
    assert Meeting.objects.filter(obligation__contract=contract).count() == len(first) + 5
    edited.refresh_from_db()
    assert (edited.place, edited.date) == ("Room 2", date(2027, 1, 14))
    cancelled.refresh_from_db()
    assert cancelled.status == Meeting.Status.CANCELLED


def test_a_cycle_cannot_start_in_the_past(contract):
    with pytest.raises(ValidationError) as exc:
        services.cycle_generate(contract=contract, start=date(2026, 11, 1), today=TODAY)
    assert "cannot start in the past" in exc.value.message_dict["start"][0]
    assert not Meeting.objects.filter(obligation__contract=contract).exists()


def test_a_contract_without_meeting_obligations_gets_the_usual_cycle(tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body)
    created = services.cycle_generate(contract=contract, start=date(2027, 1, 1), today=TODAY)
    assert len(created) == 23
    assert services.cycle_generate(contract=contract, start=date(2027, 1, 1), today=TODAY) == []


def test_manual_edit_onto_a_bank_holiday_is_refused(contract, tenant_a):
    meeting = services.cycle_generate(contract=contract, start=date(2027, 1, 1), today=TODAY)[0]
    with pytest.raises(ValidationError) as exc:
        services.meeting_update(meeting=meeting, user=tenant_a.officer, date=date(2026, 12, 28))
    assert exc.value.message_dict["date"] == [
        "28 December 2026 is a bank holiday (Boxing Day (observed)). Choose a working day for the meeting."
    ]
    with pytest.raises(ValidationError) as exc:
        services.meeting_update(meeting=meeting, user=tenant_a.officer, date=date(2027, 1, 16))
    assert "is a Saturday" in exc.value.message_dict["date"][0]


def test_cycle_page_refuses_a_past_start(client, contract, tenant_a):
    client.force_login(tenant_a.officer)
    with time_machine.travel(date(2026, 11, 23), tick=False):
        response = client.post(
            "/meetings/cycle/",
            {"contract": contract.pk, "start_0": "1", "start_1": "10", "start_2": "2026"},
        )
    assert response.status_code == 400
    assert "The cycle cannot start in the past" in response.content.decode()
    assert not Meeting.objects.filter(obligation__contract=contract).exists()


def test_cycle_page_generates_then_adds_nothing_the_second_time(client, contract, tenant_a):
    client.force_login(tenant_a.officer)
    data = {"contract": contract.pk, "start_0": "1", "start_1": "1", "start_2": "2027"}
    with time_machine.travel(date(2026, 11, 23), tick=False):
        first = client.post("/meetings/cycle/", data, follow=True)
        count = Meeting.objects.filter(obligation__contract=contract).count()
        second = client.post("/meetings/cycle/", data, follow=True)
    assert count == 23
    assert "23 meetings added to the cycle" in first.content.decode()
    assert "0 meetings added to the cycle" in second.content.decode()
    assert Meeting.objects.filter(obligation__contract=contract).count() == count


def test_only_an_officer_of_the_contracts_council_generates_its_cycle(contract, tenant_a, tenant_b):
    for user in (tenant_a.trust_exec, tenant_a.scrutiny, tenant_b.officer):
        with pytest.raises(ValidationError) as exc:
            services.cycle_generate(contract=contract, start=date(2027, 1, 1), user=user, today=TODAY)
        assert "contract" in exc.value.message_dict
    assert not Meeting.objects.filter(obligation__contract=contract).exists()
    assert len(services.cycle_generate(contract=contract, start=date(2027, 1, 1), user=tenant_a.officer, today=TODAY))


def test_an_obligation_without_a_month_falls_in_the_usual_months(tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body)
    ObligationFactory(
        contract=contract, kind=Obligation.Kind.IMPROVEMENT_BOARD, recurrence=Obligation.Recurrence.QUARTERLY
    )
    created = services.cycle_generate(contract=contract, start=date(2027, 1, 1), today=TODAY)
    assert [m.date.month for m in created] == [2, 5, 8, 11]  # as DEFAULT_CYCLE places the Improvement Board
    assert all(m.obligation is not None for m in created)


def test_obligations_recorded_later_do_not_duplicate_the_usual_cycle(tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body)
    usual = services.cycle_generate(contract=contract, start=date(2027, 1, 1), today=TODAY)
    assert all(m.obligation is None for m in usual)
    ObligationFactory(
        contract=contract, kind=Obligation.Kind.PERFORMANCE_MEETING, recurrence=Obligation.Recurrence.MONTHLY
    )
    added = services.cycle_generate(contract=contract, start=date(2027, 3, 1), today=TODAY)
    # The monthly meetings already in the usual cycle for March to December 2027 are kept; only 2028 is new.
    assert [(m.date.year, m.date.month) for m in added] == [(2028, 1), (2028, 2)]
    march = Meeting.objects.filter(
        council=tenant_a.council, body_kind=BodyKind.PERFORMANCE_MEETING, occurrence="2027-03"
    )
    assert march.count() == 1


def test_a_one_off_obligation_makes_one_meeting_on_a_working_day(tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body)
    ObligationFactory(
        contract=contract,
        kind=Obligation.Kind.BUDGET_SCRUTINY,
        recurrence=Obligation.Recurrence.ONCE,
        due_date=date(2027, 3, 26),  # Good Friday
    )
    created = services.cycle_generate(contract=contract, start=date(2027, 1, 1), today=TODAY)
    assert [m.date for m in created] == [date(2027, 3, 30)]  # after Easter Monday
    assert created[0].occurrence == "2027-03"


def test_only_officers_create_meetings(tenant_a):
    with pytest.raises(ValidationError):
        services.meeting_create(
            user=tenant_a.trust_exec,
            council=tenant_a.council,
            body_kind=BodyKind.CABINET,
            title="Cabinet",
            date=date(2027, 1, 13),
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_simultaneous_generations_make_one_cycle_without_an_error(contract):
    """Three generations at once (a double click, two officers): one cycle, no error, nothing twice."""
    start = threading.Barrier(3)

    def generate(_):
        try:
            connection.ensure_connection()  # each thread's own connection, opened before the race starts
            start.wait()
            return len(services.cycle_generate(contract=contract, start=date(2027, 1, 1), today=TODAY))
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=3) as pool:
        made = sorted(pool.map(generate, range(3)))
    assert made == [0, 0, 12 + 4 + 2 + 1 + 4]
    assert Meeting.objects.filter(obligation__contract=contract).count() == 23
