"""The demo's five arrangements round-trip: export → an empty database → bootstrap_council → import →
the same set-up and the same dashboards (every KPI position from ``performance.positions``)."""

from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import call_command

from contracts.models import Contract
from onboarding import services
from onboarding.export import export_bytes
from performance.models import Kpi, MonthlyReturn
from performance.positions import read_positions
from trustgov.accounts.models import User
from trustgov.core.scoping import visible
from trustgov.organisations.models import Council, DeliveryBody, Ownership

from .helpers import sheets_of, wipe_database

pytestmark = pytest.mark.django_db

DEMO_COUNCILS = ("sandwell", "west-sussex", "bradford", "doncaster", "torbay")


def dashboard(council: Council) -> dict:
    """Every KPI's position in every month with returns, as the dashboards, KPI pages and reports show it."""
    out = {}
    for kpi in Kpi.objects.filter(delivery_body__council=council).select_related("delivery_body"):
        periods = MonthlyReturn.objects.filter(delivery_body=kpi.delivery_body).values_list("period", flat=True)
        start, end = min(periods), max(periods)
        positions = read_positions([kpi], start=start, end=end)
        for position in positions.series(kpi):
            out[(kpi.delivery_body.slug, kpi.code, position.period)] = (
                position.value_text,
                position.numerator,
                position.denominator,
                position.rag_label,
                position.target_text,
                position.tolerance_text,
                position.vs_last_month,
                position.vs_last_year,
                position.benchmark_text,
                position.benchmark_year,
            )
    return out


def test_the_demo_arrangements_round_trip_through_an_empty_database():
    before = {}
    for slug in DEMO_COUNCILS:
        council = Council.objects.get(slug=slug)
        data = export_bytes(council)
        before[slug] = {
            "council": (council.name, council.la_code, council.gss_code, council.council_type),
            "file": data,
            "sheets": sheets_of(data),
            "dashboard": dashboard(council),
        }
        assert before[slug]["dashboard"], f"{slug} has KPI positions to compare"

    wipe_database()
    assert not Council.objects.exists() and not User.objects.exists() and not Kpi.objects.exists()

    for slug in DEMO_COUNCILS:
        name, la_code, gss_code, council_type = before[slug]["council"]
        call_command(
            "bootstrap_council",
            name=name,
            slug=slug,
            la_code=la_code,
            gss_code=gss_code,
            council_type=council_type,
            admin_email=f"first.admin@{slug}.example",
            stdout=StringIO(),
        )
        council = Council.objects.get(slug=slug)
        admin = User.objects.get(council=council)
        result = services.run_import(council=council, user=admin, name=f"{slug}.xlsx", data=before[slug]["file"])
        assert result.ok, [str(p) for p in result.problems]
        assert result.outcome.applied

    for slug in DEMO_COUNCILS:
        council = Council.objects.get(slug=slug)
        # The same set-up: contracts, money, SSA, obligations, catalogue, targets, benchmarks, boards and their
        # members, office holders and every figure, cell for cell.
        assert sheets_of(export_bytes(council)) == before[slug]["sheets"], slug
        # The same dashboards.
        assert dashboard(council) == before[slug]["dashboard"], slug
        # And importing the same file again changes nothing.
        admin = User.objects.get(council=council)
        again = services.preview(council=council, user=admin, name=f"{slug}.xlsx", data=before[slug]["file"])
        assert again.ok and again.plan.nothing_to_do, slug


def owners_of(slug: str) -> tuple:
    body = DeliveryBody.objects.get(slug=slug)
    co_owners = sorted(
        (o.council.slug, o.since, o.until)
        for o in body.ownerships.exclude(council=body.council).select_related("council")
    )
    return body.council.slug, co_owners


def joint_dashboard(user) -> dict:
    """What a council's user sees of the jointly owned trust: its joint contracts and every KPI position."""
    contracts = {(c.reference, c.is_joint) for c in visible(Contract, user).filter(delivery_body__slug=JOINT)}
    out = {}
    kpis = visible(Kpi, user).filter(delivery_body__slug=JOINT)
    periods = MonthlyReturn.objects.filter(delivery_body__slug=JOINT).values_list("period", flat=True)
    positions = read_positions(list(kpis), start=min(periods), end=max(periods))
    for kpi in kpis:
        for p in positions.series(kpi):
            out[(kpi.code, p.period)] = (p.value_text, p.rag_label, p.target_text, p.vs_last_month, p.benchmark_text)
    return {"contracts": contracts, "positions": out}


JOINT = "northamptonshire-trust"


def test_the_jointly_owned_northamptonshire_trust_round_trips_with_its_owners_and_joint_contract():
    west, north = Council.objects.get(slug="west-northamptonshire"), Council.objects.get(slug="north-northamptonshire")
    data = export_bytes(west)
    sheets = sheets_of(data)
    assert sheets["Owners"][1:] == [[JOINT, "north-northamptonshire", datetime(2021, 4, 1), None, None]]
    joint_column = sheets["Contracts"][0].index("Joint contract")
    assert [r[joint_column] for r in sheets["Contracts"][1:]] == ["Yes"]
    owners = owners_of(JOINT)
    assert owners == ("west-northamptonshire", [("north-northamptonshire", date(2021, 4, 1), None)])
    seen = {
        slug: joint_dashboard(User.objects.get(username=f"{slug}-officer"))
        for slug in ("west-northamptonshire", "north-northamptonshire")
    }
    assert seen["north-northamptonshire"] == seen["west-northamptonshire"]
    assert seen["north-northamptonshire"]["positions"] and seen["north-northamptonshire"]["contracts"] == {
        ("NNC-WNC-NCT-2020", True)
    }
    identities = {c.slug: (c.name, c.la_code, c.gss_code, c.council_type) for c in (west, north)}

    wipe_database()
    # The co-owner is set up in TrustGov first (its own administrator), then the lead imports its workbook.
    for slug in ("north-northamptonshire", "west-northamptonshire"):
        name, la_code, gss_code, council_type = identities[slug]
        call_command(
            "bootstrap_council",
            name=name,
            slug=slug,
            la_code=la_code,
            gss_code=gss_code,
            council_type=council_type,
            admin_email=f"first.admin@{slug}.example",
            stdout=StringIO(),
        )
    west = Council.objects.get(slug="west-northamptonshire")
    west_admin = User.objects.get(council=west)
    result = services.run_import(council=west, user=west_admin, name="west.xlsx", data=data)
    assert result.ok, [str(p) for p in result.problems]

    assert owners_of(JOINT) == owners
    ownership = Ownership.objects.get(delivery_body__slug=JOINT, council__slug="north-northamptonshire")
    assert ownership.history.latest().history_user == west_admin
    assert ownership.history.latest().history_change_reason.startswith("Onboarding import: west.xlsx")
    north_admin = User.objects.get(council__slug="north-northamptonshire")
    assert joint_dashboard(west_admin) == seen["west-northamptonshire"]
    assert joint_dashboard(north_admin) == seen["north-northamptonshire"]
    assert sheets_of(export_bytes(west)) == sheets
    again = services.preview(council=west, user=west_admin, name="west.xlsx", data=data)
    assert again.ok and again.plan.nothing_to_do
