"""The demo's five arrangements round-trip: export → an empty database → bootstrap_council → import →
the same set-up and the same dashboards (every KPI position from ``performance.positions``)."""

from io import StringIO

import pytest
from django.core.management import call_command

from onboarding import services
from onboarding.export import export_bytes
from performance.models import Kpi, MonthlyReturn
from performance.positions import read_positions
from trustgov.accounts.models import User
from trustgov.organisations.models import Council

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
