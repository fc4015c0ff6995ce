"""The workbook carries joint ownership: the 'Owners' sheet (the other councils that own a trust the importing
council leads, from when, until when) and the contracts' 'Joint contract' column. Rows are checked like every
other sheet (sheet and cell named, nothing saved), run through ``ownership_add``/``ownership_end``, exported, in
the template, and a re-import changes nothing."""

from datetime import date

import pytest
import time_machine

from contracts.models import Contract
from onboarding import services
from onboarding.export import export_bytes, template_bytes
from tests.factories import CouncilFactory, make_user
from trustgov.accounts.roles import Role
from trustgov.core.scoping import visible
from trustgov.organisations.models import DeliveryBody, Ownership

from .helpers import minimal_sheets, row_counts, sheets_of, workbook_bytes

pytestmark = pytest.mark.django_db

SLUG, REFERENCE = "northshire-trust", "NC-NCT-2026"
CONTRACT_START = date(2026, 4, 1)  # minimal_sheets: 1 April 2026 to 1 April 2031


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-11-18T10:00:00+00:00", tick=False):
        yield


@pytest.fixture
def admin():
    council = CouncilFactory(slug="northshire", name="Northshire Council")
    return make_user(Role.COUNCIL_OFFICER, council=council, username="northshire-admin", is_administrator=True)


@pytest.fixture
def southshire():
    council = CouncilFactory(slug="southshire", name="Southshire Council")
    officer = make_user(Role.COUNCIL_OFFICER, council=council, username="southshire-officer")
    return council, officer


def joint_sheets(*owners: list, joint: str = "Yes") -> dict:
    sheets = minimal_sheets()
    sheets["Contracts"][0] += [joint]  # the 'Joint contract' column, after 'Description'
    sheets["Owners"] = [list(o) for o in owners]
    return sheets


def imported(admin, sheets: dict, name: str = "northshire.xlsx"):
    return services.run_import(council=admin.council, user=admin, name=name, data=workbook_bytes(sheets))


def problems(result) -> dict[tuple[str, str], str]:
    return {(p.sheet, p.cell): p.message for p in result.problems}


def test_a_co_owner_and_a_joint_contract_are_imported_and_the_co_owner_sees_them(admin, southshire):
    council, officer = southshire
    sheets = joint_sheets([SLUG, "southshire", date(2026, 4, 1), None, "Shareholders' agreement, March 2026"])
    result = imported(admin, sheets)
    assert result.ok, [str(p) for p in result.problems]

    body = DeliveryBody.objects.get(slug=SLUG)
    contract = Contract.objects.get(reference=REFERENCE)
    assert body.council == admin.council and contract.is_joint
    ownership = Ownership.objects.get(delivery_body=body, council=council)
    assert (ownership.since, ownership.until) == (date(2026, 4, 1), None)
    record = ownership.history.latest()
    assert record.history_user == admin
    assert record.history_change_reason == "Onboarding import: northshire.xlsx: Shareholders' agreement, March 2026"
    assert visible(DeliveryBody, officer).filter(pk=body.pk).exists()
    assert visible(Contract, officer).filter(pk=contract.pk).exists()

    # The export carries them; importing it again changes nothing.
    exported = sheets_of(export_bytes(admin.council))
    assert exported["Owners"][0] == ["Delivery body", "Council", "Owner from", "Owner until", "Reason"]
    assert exported["Owners"][1][:2] == [SLUG, "southshire"] and exported["Owners"][1][2].date() == date(2026, 4, 1)
    assert exported["Contracts"][1][exported["Contracts"][0].index("Joint contract")] == "Yes"
    before = row_counts()
    again = services.preview(council=admin.council, user=admin, name="again.xlsx", data=export_bytes(admin.council))
    assert again.ok and again.plan.nothing_to_do, [str(p) for p in again.problems]
    assert imported(admin, sheets).ok and row_counts() == before


def test_the_workbook_ends_an_ownership_and_refuses_to_rewrite_one(admin, southshire):
    council, _officer = southshire
    assert imported(admin, joint_sheets([SLUG, "southshire", date(2026, 4, 1), None, ""])).ok
    ended = imported(
        admin, joint_sheets([SLUG, "southshire", date(2026, 4, 1), date(2026, 10, 31), "Sold"], joint="No")
    )
    assert ended.ok, [str(p) for p in ended.problems]
    ownership = Ownership.objects.get(council=council)
    assert ownership.until == date(2026, 10, 31)
    assert not Contract.objects.get(reference=REFERENCE).is_joint

    moved = imported(admin, joint_sheets([SLUG, "southshire", date(2026, 5, 1), date(2026, 10, 31), ""], joint="No"))
    assert not moved.ok and "recorded as an owner from 1 April 2026" in problems(moved)[("Owners", "C2")]
    reopened = imported(admin, joint_sheets([SLUG, "southshire", date(2026, 4, 1), None, ""], joint="No"))
    assert not reopened.ok and "ended on 31 October 2026" in problems(reopened)[("Owners", "D2")]


@pytest.mark.parametrize(
    ("owner", "joint", "cell", "words"),
    [
        ([SLUG, "nowhere", date(2026, 4, 1), None, ""], "Yes", ("Owners", "B2"), "'nowhere' is not the short name"),
        ([SLUG, "northshire", date(2026, 4, 1), None, ""], "Yes", ("Owners", "B2"), "list only the other"),
        (["elsewhere-trust", "southshire", date(2026, 4, 1), None, ""], "No", ("Owners", "A2"), "'elsewhere-trust'"),
        ([SLUG, "southshire", None, None, ""], "Yes", ("Owners", "C2"), "required"),
        ([SLUG, "southshire", "soon", None, ""], "Yes", ("Owners", "C2"), "enter a date"),
        (
            [SLUG, "southshire", date(2031, 5, 1), None, ""],
            "Yes",
            ("Owners", "C2"),
            "outside the joint contract NC-NCT-2026",
        ),
        ([SLUG, "southshire", date(2026, 4, 1), date(2025, 1, 1), ""], "Yes", ("Owners", "D2"), "before it starts"),
        ([SLUG, "southshire", date(2026, 4, 1), None, ""], "Perhaps", ("Contracts", "U2"), "enter Yes or No"),
    ],
)
def test_a_bad_owners_row_is_refused_naming_the_sheet_and_cell_and_nothing_is_saved(
    admin, southshire, owner, joint, cell, words
):
    before = row_counts()
    result = imported(admin, joint_sheets(owner, joint=joint))
    assert not result.ok and not result.outcome.applied
    found = problems(result)
    assert cell in found and words in found[cell], found
    assert row_counts() == before


def test_a_joint_contract_needs_a_co_owner(admin):
    result = imported(admin, joint_sheets())
    assert not result.ok
    assert "add its other owning councils to the 'Owners' sheet" in problems(result)[("Contracts", "U2")]


def test_another_councils_trust_is_not_the_importers_to_share(admin, southshire):
    council, _officer = southshire
    theirs = DeliveryBody.objects.create(slug="southshire-trust", name="Southshire Children's Trust", council=council)
    Ownership.objects.create(delivery_body=theirs, council=admin.council, since=date(2025, 4, 1))
    sheets = minimal_sheets()
    sheets["Owners"] = [["southshire-trust", "northshire", date(2025, 4, 1), None, ""]]
    result = imported(admin, sheets)
    assert not result.ok and "led by Southshire Council" in problems(result)[("Owners", "A2")]


def test_the_template_has_the_owners_sheet_and_the_joint_contract_column():
    template = sheets_of(template_bytes())
    assert template["Owners"] == [["Delivery body", "Council", "Owner from", "Owner until", "Reason"]]
    assert template["Contracts"][0][-1] == "Joint contract"
    readme = [r for r in template["Read me"] if r and r[0] == "Owners"]
    assert readme and "other councils that own" in readme[0][3]
