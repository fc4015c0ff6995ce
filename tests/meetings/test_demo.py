"""The demo data: a cycle for each council, and Bradford's committee with its four resolutions and its action."""

import pytest
from django.core.management import call_command

from meetings.models import Action, Meeting, Resolution
from trustgov.organisations.models import Council

pytestmark = pytest.mark.django_db


def test_each_council_has_a_cycle():
    # Every council that holds a contract has its cycle (North Northamptonshire is party to the joint contract
    # West Northamptonshire leads, whose cycle it is).
    councils = Council.objects.filter(contracts__isnull=False).distinct()
    assert councils.count() == Council.objects.count() - 1
    for council in councils:
        assert Meeting.objects.filter(council=council, occurrence__gt="").count() >= 12, council


def test_bradford_committee_from_the_minutes():
    july = Meeting.objects.get(council__slug="bradford", title__contains="July 2022")
    resolutions = list(Resolution.objects.filter(meeting=july).order_by("number"))
    assert [r.label for r in resolutions] == ["(1)", "(2)", "(3)", "(4)"]
    assert "further progress report" in resolutions[1].text
    placed = resolutions[1].requested_items.get()
    assert placed.meeting.date.strftime("%Y-%m") == "2022-09"
    action = Action.objects.get(meeting=july)
    assert action.owner == "Strategic Director, Corporate Resources"
    assert july.minutes.approved_at == placed.meeting


def test_seed_demo_is_idempotent():
    before = (Meeting.history.count(), Resolution.history.count(), Action.history.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Meeting.history.count(), Resolution.history.count(), Action.history.count()) == before


def test_each_councils_cycle_comes_from_its_contract():
    from contracts.models import Contract
    from meetings.services import OBLIGATION_BODY

    for council in Council.objects.filter(contracts__isnull=False).distinct():
        contract = Contract.objects.filter(council=council).order_by("start_date").first()
        assert contract is not None, council
        cycle = Meeting.objects.filter(council=council, occurrence__gt="")
        meeting_obligations = contract.obligations.filter(kind__in=list(OBLIGATION_BODY))
        if meeting_obligations.exists():
            assert cycle.filter(obligation__in=meeting_obligations).exists(), council
            assert not cycle.exclude(obligation__in=meeting_obligations).exists(), council
        else:  # the usual cycle, for a contract that records no meeting obligations
            assert not cycle.filter(obligation__isnull=False).exists(), council


def test_sandwell_declaration_is_linked_to_the_boards_register():
    from meetings.models import Declaration

    declaration = Declaration.objects.get(meeting__council__slug="sandwell", person_name="Trust Chair")
    assert declaration.person.name == "Jacqui Smith"
    assert declaration.person.council.slug == "sandwell"
