"""The contract clock, with frozen time: status follows dates, an early end is a termination, and the
council records what happens when the term ends. Each failure the governance review found is a test here."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from contracts import services
from contracts.clock import contract_clock
from contracts.models import Contract, EndOfTermDecision

from ..factories import DirectionFactory
from .factories import ContractFactory

pytestmark = pytest.mark.django_db

S = Contract.Status
SANDWELL, WEST_SUSSEX = "SMBC-SCT-2018", "WSCC-CT-2021"


def on(day: date):
    return time_machine.travel(f"{day.isoformat()} 09:00 +0000", tick=False)


# --- Failures from the review, on the demo data ----------------------------------------------------


def test_west_sussex_past_its_end_date_is_not_shown_as_plain_live(client, demo_user):
    """The contract ended on 30 September 2026 but showed "Live", with no warning."""
    contract = Contract.objects.get(reference=WEST_SUSSEX)
    assert contract.end_date == date(2026, 9, 30) and contract.status == S.LIVE
    with on(date(2026, 10, 1)):
        client.force_login(demo_user("west-sussex-officer"))
        page = client.get(contract.get_absolute_url()).content.decode()
        listing = client.get(reverse("contracts:contract-list")).content.decode()
        home = client.get("/").content.decode()
    assert 'data-testid="contract-clock">Past its end date' in page
    assert "passed its end date on 30 September 2026 but is still recorded as live" in page
    assert "Record what happens next" in page and reverse("contracts:contract-end-of-term", args=[contract.pk]) in page
    assert "Past its end date" in listing
    assert "West Sussex Children&#x27;s Trust service contract: record what happens next" in home


def test_sandwell_cannot_be_ended_early_without_dfe_consent(demo_user):
    """An officer could move Sandwell's contract (runs to 2028) Live -> In notice -> Expired with no DfE consent."""
    contract = Contract.objects.get(reference=SANDWELL)
    officer = demo_user("sandwell-officer")
    with on(date(2026, 12, 1)):
        with pytest.raises(ValidationError) as exc:
            services.contract_transition(
                contract=contract, user=officer, target=S.IN_NOTICE, reason="Recorded in the test"
            )
        assert "termination" in exc.value.message_dict["status"][0]
        with pytest.raises(ValidationError) as exc:
            services.contract_transition(
                contract=contract, user=officer, target=S.EXPIRED, reason="Recorded in the test"
            )
        assert "ending it before then is a termination" in exc.value.message_dict["status"][0]
        with pytest.raises(ValidationError) as exc:
            services.contract_update(contract=contract, user=officer, end_date=date(2027, 3, 31))
        assert "end_date" in exc.value.message_dict
    contract.refresh_from_db()
    assert contract.status == S.LIVE and contract.end_date == date(2028, 3, 31)


# --- Ending early is a termination --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "allowed"),
    [(date(2030, 3, 30), False), (date(2030, 3, 31), True), (date(2030, 4, 1), True)],
)
def test_expiry_needs_consent_only_before_the_end_date(tenant_a, today, allowed):
    DirectionFactory(council=tenant_a.council)
    contract = ContractFactory(delivery_body=tenant_a.body, end_date=date(2030, 3, 31))
    with on(today):
        if allowed:
            assert services.contract_transition(
                contract=contract, user=tenant_a.officer, target=S.EXPIRED, reason="Recorded in the test"
            ).status == (S.EXPIRED)
        else:
            with pytest.raises(ValidationError, match="runs to 31 March 2030"):
                services.contract_transition(
                    contract=contract, user=tenant_a.officer, target=S.EXPIRED, reason="Recorded in the test"
                )


@pytest.mark.parametrize(
    ("direction", "consented", "allowed"), [(True, False, False), (True, True, True), (False, False, True)]
)
def test_serving_notice_is_a_termination(tenant_a, dfe_user, direction, consented, allowed):
    if direction:
        DirectionFactory(council=tenant_a.council)
    contract = ContractFactory(delivery_body=tenant_a.body)
    with on(date(2026, 11, 23)):
        if consented:
            services.contract_record_termination_consent(
                contract=contract, user=dfe_user, consented_on=date(2026, 11, 20), reference="DfE/T/9"
            )
        if allowed:
            moved = services.contract_transition(
                contract=contract, user=tenant_a.officer, target=S.IN_NOTICE, reason="Recorded in the test"
            )
            assert moved.status == S.IN_NOTICE
            # With consent (or no direction) the early expiry that follows notice is allowed too.
            assert services.contract_transition(
                contract=moved, user=tenant_a.officer, target=S.EXPIRED, reason="Recorded in the test"
            ).status == (S.EXPIRED)
        else:
            with pytest.raises(ValidationError, match="Serving notice ends the contract early"):
                services.contract_transition(
                    contract=contract, user=tenant_a.officer, target=S.IN_NOTICE, reason="Recorded in the test"
                )
            contract.refresh_from_db()
            assert contract.status == S.LIVE


def test_the_status_page_offers_no_early_end_under_a_direction(client, tenant_a):
    DirectionFactory(council=tenant_a.council)
    contract = ContractFactory(delivery_body=tenant_a.body)
    with on(date(2026, 11, 23)):
        client.force_login(tenant_a.officer)
        response = client.post(
            reverse("contracts:contract-status", args=[contract.pk]),
            {"target": S.IN_NOTICE, "reason": "Recorded in the test"},
        )
    assert response.status_code == 400 and "recorded DfE consent" in response.content.decode()
    contract.refresh_from_db()
    assert contract.status == S.LIVE


# --- The clock ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "state"),
    [
        (date(2029, 10, 1), "running"),  # 180 days before 31 March 2030 is 2 October 2029
        (date(2029, 10, 2), "due_to_expire"),
        (date(2030, 3, 31), "due_to_expire"),
        (date(2030, 4, 1), "past_end"),
    ],
)
def test_the_clock_follows_the_end_date(tenant_a, today, state):
    contract = ContractFactory(delivery_body=tenant_a.body, end_date=date(2030, 3, 31))
    assert contract_clock(contract, today).state == state


def test_an_ended_contract_has_no_clock_warning(tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body, end_date=date(2030, 3, 31), status=S.EXPIRED)
    clock = contract_clock(contract, date(2031, 1, 1))
    assert clock.state == "ended" and not clock.needs_next_step


# --- What happens when the term ends ----------------------------------------------------------------


def _decide(contract, user, **data):
    fields = {"decided_on": date(2030, 4, 2), "decision_reference": "Cabinet minute 12/2030", "reason": "Agreed"}
    return services.contract_record_end_of_term(contract=contract, user=user, **{**fields, **data})


def test_an_extension_moves_the_end_date_and_clears_the_prompt(tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body, end_date=date(2030, 3, 31))
    with on(date(2030, 4, 5)):
        _decide(contract, tenant_a.officer, outcome="extension", new_end_date=date(2032, 3, 31))
        contract.refresh_from_db()
        assert contract.end_date == date(2032, 3, 31) and contract.status == S.LIVE
        assert contract_clock(contract).state == "running"
    assert contract.history.first().history_change_reason == "Extended to 31 March 2032 (Cabinet minute 12/2030)"


def test_returning_in_house_after_the_end_date_expires_the_contract(tenant_a):
    DirectionFactory(council=tenant_a.council)  # the term has run out: not a termination
    contract = ContractFactory(delivery_body=tenant_a.body, end_date=date(2030, 3, 31))
    with on(date(2030, 4, 5)):
        _decide(contract, tenant_a.officer, outcome="in_house")
    contract.refresh_from_db()
    assert contract.status == S.EXPIRED


def test_a_renewal_decided_before_the_end_date_keeps_the_contract_running(tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body, end_date=date(2030, 3, 31))
    with on(date(2030, 1, 10)):
        _decide(contract, tenant_a.officer, outcome="renewal", decided_on=date(2030, 1, 9))
        contract.refresh_from_db()
        clock = contract_clock(contract)
        assert contract.status == S.LIVE and clock.decision is not None and not clock.needs_next_step
        with pytest.raises(ValidationError) as exc:
            _decide(contract, tenant_a.officer, outcome="in_house", decided_on=date(2030, 1, 9))
        assert "already been recorded" in exc.value.message_dict["outcome"][0]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"outcome": "extension", "reason": "  "}, "reason"),
        ({"outcome": "extension", "new_end_date": None}, "new_end_date"),
        ({"outcome": "extension", "new_end_date": date(2030, 3, 31)}, "new_end_date"),
        ({"outcome": "renewal", "new_end_date": date(2031, 3, 31)}, "new_end_date"),
        ({"outcome": "renewal", "decision_reference": ""}, "decision_reference"),
        ({"outcome": "renewal", "decided_on": date(2030, 4, 6)}, "decided_on"),
    ],
)
def test_bad_end_of_term_input_names_the_field_and_saves_nothing(tenant_a, data, field):
    contract = ContractFactory(delivery_body=tenant_a.body, end_date=date(2030, 3, 31))
    data.setdefault("new_end_date", date(2031, 3, 31) if data["outcome"] == "extension" else None)
    with on(date(2030, 4, 5)), pytest.raises(ValidationError) as exc:
        _decide(contract, tenant_a.officer, **data)
    assert field in exc.value.message_dict
    contract.refresh_from_db()
    assert contract.end_date == date(2030, 3, 31) and contract.status == S.LIVE
    assert not EndOfTermDecision.objects.filter(contract=contract).exists()


def test_deciding_a_contract_that_has_ended_is_refused(tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body, end_date=date(2030, 3, 31), status=S.EXPIRED)
    with on(date(2030, 4, 5)), pytest.raises(ValidationError) as exc:
        _decide(contract, tenant_a.officer, outcome="renewal")
    assert "no longer be decided" in exc.value.message_dict["outcome"][0]
    assert not EndOfTermDecision.objects.filter(contract=contract).exists()


@pytest.mark.parametrize("role", ["trust_exec", "scrutiny", "dfe"])
def test_only_officers_record_what_happens_next(tenant_a, users, role):
    from django.core.exceptions import PermissionDenied

    contract = ContractFactory(delivery_body=tenant_a.body, end_date=date(2030, 3, 31))
    with on(date(2030, 4, 5)), pytest.raises(PermissionDenied):
        _decide(contract, users[role], outcome="in_house")


def test_the_end_of_term_page_refuses_an_empty_reason(client, tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body, end_date=date(2030, 3, 31))
    form = {
        "outcome": "extension",
        "new_end_date_0": "31",
        "new_end_date_1": "3",
        "new_end_date_2": "2032",
        "decided_on_0": "2",
        "decided_on_1": "4",
        "decided_on_2": "2030",
        "decision_reference": "Cabinet minute 12/2030",
        "reason": "",
    }
    url = reverse("contracts:contract-end-of-term", args=[contract.pk])
    with on(date(2030, 4, 5)):
        client.force_login(tenant_a.officer)  # inside the frozen day, so the session has not expired
        response = client.post(url, form)
        assert response.status_code == 400 and "Enter the reason for the decision" in response.content.decode()
        contract.refresh_from_db()
        assert contract.end_date == date(2030, 3, 31)
        response = client.post(url, {**form, "reason": "The trust's improvement plan needs two more years."})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.end_date == date(2032, 3, 31)


# --- The annual review rolls on -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("held_on", "next_review"),
    [
        (date(2027, 1, 1), date(2028, 4, 1)),  # 90 days early still counts for this year
        (date(2027, 4, 1), date(2028, 4, 1)),
        (date(2028, 4, 1), date(2029, 4, 1)),  # a year late: the next one follows the review held
    ],
)
def test_recording_the_annual_review_rolls_it_forward(tenant_a, held_on, next_review):
    contract = ContractFactory(delivery_body=tenant_a.body, annual_review_date=date(2027, 4, 1))
    with on(date(2028, 6, 1)):
        contract = services.contract_record_annual_review(contract=contract, user=tenant_a.officer, held_on=held_on)
    assert contract.annual_review_date == next_review and contract.last_annual_review_on == held_on


@pytest.mark.parametrize(
    ("held_on", "message"),
    [(date(2026, 12, 31), "more than 90 days before"), (date(2027, 4, 3), "cannot be in the future")],
)
def test_an_annual_review_too_early_or_in_the_future_is_refused(tenant_a, held_on, message):
    contract = ContractFactory(delivery_body=tenant_a.body, annual_review_date=date(2027, 4, 1))
    with on(date(2027, 4, 2)), pytest.raises(ValidationError) as exc:
        services.contract_record_annual_review(contract=contract, user=tenant_a.officer, held_on=held_on)
    assert message in exc.value.message_dict["held_on"][0]
    contract.refresh_from_db()
    assert contract.annual_review_date == date(2027, 4, 1)
