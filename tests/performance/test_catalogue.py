"""The KPI catalogue kept by council officers: KPIs with definition versions, targets, benchmarks;
through the services, the API and the pages. Accepted figures never change; a KPI is retired, not deleted."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from performance import services
from performance.models import Benchmark, Kpi, KpiDefinition, MonthlyReturn, Target
from performance.selectors import definition_for
from tests.api.helpers import assert_problem, client_with, token_for
from trustgov.core.dates import add_months, financial_year_start
from trustgov.organisations.models import DeliveryBody

pytestmark = pytest.mark.django_db

NEW_KPI = {
    "delivery_body": "sandwell-trust",
    "code": "EHA",
    "title": "Early help assessments completed in 45 days",
    "definition": "Percentage of early help assessments completed within 45 working days.",
    "unit": "percentage",
    "polarity": "higher",
    "frequency": "monthly",
    "numerator_definition": "Assessments completed within 45 days",
    "denominator_definition": "Assessments completed",
    "data_source": "Early help module",
    "contractual": False,
    "formal_reporting_start": "2026-04",
}


def latest_period(body):
    """The latest month the trust submitted a return for (asked of the data, never of today's date)."""
    return (
        MonthlyReturn.objects.filter(delivery_body=body, first_submitted_at__isnull=False)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


@pytest.fixture
def sandwell():
    return DeliveryBody.objects.get(slug="sandwell-trust")


@pytest.fixture
def rr():
    return Kpi.objects.get(delivery_body__slug="sandwell-trust", code="RR")


def last_accepted(kpi) -> date:
    return (
        MonthlyReturn.objects.filter(delivery_body=kpi.delivery_body, status="accepted", versions__values__kpi=kpi)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )


def kpi_fields(**over):
    data = {k: v for k, v in NEW_KPI.items() if k not in ("delivery_body", "formal_reporting_start")}
    return {**data, **over}


# --- services -------------------------------------------------------------------------------------


def test_an_officer_adds_a_kpi_with_its_first_definition(demo_user, sandwell):
    kpi = services.kpi_create(user=demo_user("sandwell-officer"), delivery_body=sandwell, **kpi_fields())
    assert kpi.definitions.get().effective_from is None
    assert not kpi.contractual and kpi.is_fraction
    assert kpi.history.count() == 1


def test_a_duplicate_code_is_refused_naming_the_field(demo_user, sandwell):
    with pytest.raises(ValidationError) as exc:
        services.kpi_create(user=demo_user("sandwell-officer"), delivery_body=sandwell, **kpi_fields(code="rr"))
    assert "code" in exc.value.message_dict


@pytest.mark.parametrize("username", ["sandwell-trust-exec", "sandwell-scrutiny", "dfe-liaison"])
def test_only_a_council_officer_keeps_the_catalogue(demo_user, sandwell, username):
    with pytest.raises(PermissionDenied):
        services.kpi_create(user=demo_user(username), delivery_body=sandwell, **kpi_fields())


def test_another_councils_officer_gets_a_404(demo_user, sandwell):
    from django.http import Http404

    with pytest.raises(Http404):
        services.kpi_create(user=demo_user("bradford-officer"), delivery_body=sandwell, **kpi_fields())


def test_a_definition_change_over_accepted_months_is_refused_naming_the_field(demo_user, rr):
    accepted = last_accepted(rr)
    assert accepted, "the demo has accepted Sandwell returns"
    before = rr.definition
    with pytest.raises(ValidationError) as exc:
        services.kpi_update(user=demo_user("sandwell-officer"), kpi=rr, definition="Something else")
    assert "definition" in exc.value.message_dict and f"{accepted:%B %Y}" in exc.value.message_dict["definition"][0]
    with pytest.raises(ValidationError) as exc:
        services.kpi_update(
            user=demo_user("sandwell-officer"), kpi=rr, definition="Something else", definition_effective_from=accepted
        )
    assert "definition" in exc.value.message_dict
    rr.refresh_from_db()
    assert rr.definition == before and not rr.definitions.exists()


def test_a_new_definition_takes_effect_from_a_month_and_earlier_returns_keep_theirs(demo_user, rr):
    accepted = last_accepted(rr)
    old = rr.definition
    change = add_months(accepted, 1)
    services.kpi_update(
        user=demo_user("sandwell-officer"),
        kpi=rr,
        definition="Re-referrals within 12 months, counting only accepted referrals.",
        definition_effective_from=change.replace(day=15),
        reason="Revised with the DfE definition",
    )
    rr = Kpi.objects.get(pk=rr.pk)
    assert rr.definition.startswith("Re-referrals within 12 months")
    assert list(rr.definitions.values_list("effective_from", flat=True)) == [None, change]
    assert definition_for(rr, accepted).definition == old
    assert definition_for(rr, change).definition == rr.definition
    assert rr.history.latest().history_change_reason == "Revised with the DfE definition"


@pytest.mark.parametrize(("field", "value"), [("unit", "count"), ("polarity", "higher"), ("numerator_definition", "")])
def test_an_edit_that_would_change_accepted_figures_is_refused(demo_user, rr, field, value):
    changes = {field: value}
    if field == "numerator_definition":
        changes["denominator_definition"] = ""
    with pytest.raises(ValidationError) as exc:
        services.kpi_update(user=demo_user("sandwell-officer"), kpi=rr, **changes)
    assert field in exc.value.message_dict
    assert Kpi.objects.get(pk=rr.pk).unit == rr.unit


def test_a_code_with_returns_cannot_change(demo_user, rr):
    with pytest.raises(ValidationError) as exc:
        services.kpi_update(user=demo_user("sandwell-officer"), kpi=rr, code="RR2")
    assert "code" in exc.value.message_dict


def test_a_kpi_with_returns_is_retired_never_deleted(demo_user, rr):
    officer = demo_user("sandwell-officer")
    latest = latest_period(rr.delivery_body)
    with pytest.raises(ValidationError) as exc:
        services.kpi_retire(user=officer, kpi=rr, retired_from=latest)
    assert "retired_from" in exc.value.message_dict
    services.kpi_retire(user=officer, kpi=rr, retired_from=add_months(latest, 1))
    rr = Kpi.objects.get(pk=rr.pk)
    assert rr.retired_from == add_months(latest, 1) and rr.values.exists()
    assert not officer.has_perm("performance.delete_kpi")


def test_targets_and_benchmarks(demo_user, rr):
    officer = demo_user("sandwell-officer")
    target = services.target_save(user=officer, kpi=rr, financial_year=2031, value=Decimal(20), amber_tolerance=1)
    with pytest.raises(ValidationError) as exc:
        services.target_save(user=officer, kpi=rr, financial_year=2031, value=Decimal(19))
    assert "financial_year" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.target_save(user=officer, kpi=rr, financial_year=2032, value=Decimal(19), amber_tolerance=-1)
    assert "amber_tolerance" in exc.value.message_dict
    services.target_save(user=officer, kpi=rr, target=target, financial_year=2031, value=Decimal(21))
    assert Target.objects.get(pk=target.pk).value == 21
    bm = services.benchmark_save(user=officer, kpi=rr, kind="region", year="2024-25", value=Decimal(21), source="LAIT")
    assert bm.get_kind_display() == "Region"
    with pytest.raises(ValidationError) as exc:
        services.benchmark_save(user=officer, kpi=rr, kind="region", year="last year", value=Decimal(1), source="x")
    assert "year" in exc.value.message_dict


# --- API ------------------------------------------------------------------------------------------


def test_an_officer_creates_a_kpi_and_a_target_through_the_api_and_they_appear_on_the_dashboard(client, demo_user):
    officer = demo_user("sandwell-officer")
    api = client_with(token_for(officer, scope="write"))
    created = api.post("/api/v1/performance/kpis/", NEW_KPI, format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["code"] == "EHA" and body["formal_reporting_start"] == "2026-04-01"
    assert body["definitions"][0]["effective_from"] is None
    kpi = Kpi.objects.get(pk=body["id"])
    assert kpi.history.latest().history_user == officer

    year = financial_year_start(latest_period(kpi.delivery_body))
    target = api.post(
        "/api/v1/performance/targets/",
        {"kpi": kpi.pk, "financial_year": year, "value": "85.00", "amber_tolerance": "5.00"},
        format="json",
    )
    assert target.status_code == 201, target.content
    assert Target.objects.get(pk=target.json()["id"]).history.latest().history_user == officer
    bm = api.post(
        "/api/v1/performance/benchmarks/",
        {"kpi": kpi.pk, "kind": "statistical_neighbours", "year": "2024-25", "value": "80.1", "source": "LAIT"},
        format="json",
    )
    assert bm.status_code == 201, bm.content

    client.force_login(officer)
    page = client.get("/performance/?body=sandwell-trust").content.decode()
    assert "Early help assessments completed in 45 days" in page
    assert "85.00" in page or "85" in page


def test_patch_changes_a_kpi_and_a_target(demo_user, rr):
    api = client_with(token_for("sandwell-officer", scope="write"))
    response = api.patch(f"/api/v1/performance/kpis/{rr.pk}/", {"title": "Re-referrals (12 months)"}, format="json")
    assert response.status_code == 200, response.content
    assert Kpi.objects.get(pk=rr.pk).title == "Re-referrals (12 months)"
    target = rr.targets.order_by("financial_year").first()
    response = api.patch(f"/api/v1/performance/targets/{target.pk}/", {"amber_tolerance": "3.00"}, format="json")
    assert response.status_code == 200 and Target.objects.get(pk=target.pk).amber_tolerance == 3


def test_api_refuses_an_edit_that_changes_accepted_figures_naming_the_field(rr):
    api = client_with(token_for("sandwell-officer", scope="write"))
    body = assert_problem(api.patch(f"/api/v1/performance/kpis/{rr.pk}/", {"unit": "count"}, format="json"), 400)
    assert "unit" in body["errors"]


def test_api_bad_input_names_the_field_and_saves_nothing():
    api = client_with(token_for("sandwell-officer", scope="write"))
    before = Kpi.objects.count()
    body = assert_problem(api.post("/api/v1/performance/kpis/", {**NEW_KPI, "unit": "furlongs"}, format="json"), 400)
    assert "unit" in body["errors"]
    body = assert_problem(api.post("/api/v1/performance/kpis/", {**NEW_KPI, "colour": "red"}, format="json"), 400)
    assert "colour" in body["errors"]
    body = assert_problem(api.post("/api/v1/performance/kpis/", {**NEW_KPI, "code": "RR"}, format="json"), 400)
    assert "code" in body["errors"]
    assert Kpi.objects.count() == before


@pytest.mark.parametrize("username", ["sandwell-trust-exec", "sandwell-scrutiny", "dfe-liaison"])
def test_other_roles_are_refused_403(username, rr):
    api = client_with(token_for(username, scope="write"))
    assert_problem(api.post("/api/v1/performance/kpis/", NEW_KPI, format="json"), 403)
    assert_problem(api.patch(f"/api/v1/performance/kpis/{rr.pk}/", {"title": "x"}, format="json"), 403)
    assert_problem(api.post("/api/v1/performance/targets/", {"kpi": rr.pk}, format="json"), 403)


def test_a_read_token_cannot_write():
    api = client_with(token_for("sandwell-officer", scope="read"))
    assert_problem(api.post("/api/v1/performance/kpis/", NEW_KPI, format="json"), 403)


def test_another_councils_trust_and_records_are_404(rr):
    api = client_with(token_for("bradford-officer", scope="write"))
    before = (Kpi.objects.count(), Target.objects.count(), Benchmark.objects.count())
    assert_problem(api.post("/api/v1/performance/kpis/", NEW_KPI, format="json"), 404)
    assert_problem(api.patch(f"/api/v1/performance/kpis/{rr.pk}/", {"title": "x"}, format="json"), 404)
    target = {"kpi": rr.pk, "financial_year": 2031, "value": "1"}
    assert_problem(api.post("/api/v1/performance/targets/", target, format="json"), 404)
    bm = {"kpi": rr.pk, "kind": "england", "year": "2031", "value": "1", "source": "x"}
    assert_problem(api.post("/api/v1/performance/benchmarks/", bm, format="json"), 404)
    assert (Kpi.objects.count(), Target.objects.count(), Benchmark.objects.count()) == before


def test_retire_through_the_api(rr):
    api = client_with(token_for("sandwell-officer", scope="write"))
    latest = latest_period(rr.delivery_body)
    body = assert_problem(
        api.post(f"/api/v1/performance/kpis/{rr.pk}/retire/", {"retired_from": f"{latest:%Y-%m}"}, format="json"),
        400,
    )
    assert "retired_from" in body["errors"]
    later = add_months(latest, 2)
    ok = api.post(f"/api/v1/performance/kpis/{rr.pk}/retire/", {"retired_from": f"{later:%Y-%m}"}, format="json")
    assert ok.status_code == 200 and ok.json()["retired_from"] == f"{later:%Y-%m-%d}"


# --- pages ----------------------------------------------------------------------------------------


def test_the_catalogue_page_shows_targets_and_benchmarks_and_offers_edits_to_officers(client, demo_user):
    client.force_login(demo_user("sandwell-officer"))
    page = client.get("/performance/catalogue/?body=sandwell-trust").content.decode()
    assert "Re-referral rate" in page and "Add a KPI" in page and "Targets for RR" in page
    client.force_login(demo_user("sandwell-scrutiny"))
    page = client.get("/performance/catalogue/?body=sandwell-trust").content.decode()
    assert "Re-referral rate" in page and "Add a KPI" not in page


def test_the_edit_page_refuses_a_definition_change_naming_the_field(client, demo_user, rr):
    client.force_login(demo_user("sandwell-officer"))
    form = {
        "code": rr.code,
        "title": rr.title,
        "definition": "Changed",
        "unit": rr.unit,
        "polarity": rr.polarity,
        "frequency": rr.frequency,
        "numerator_definition": rr.numerator_definition,
        "denominator_definition": rr.denominator_definition,
        "data_source": rr.data_source,
        "priority": str(rr.priority_id or ""),
        "contractual": "yes" if rr.contractual else "no",
    }
    response = client.post(f"/performance/catalogue/kpis/{rr.pk}/edit/", form)
    assert response.status_code == 400
    assert "were accepted under the current definition" in response.content.decode()
    assert Kpi.objects.get(pk=rr.pk).definition == rr.definition
    assert not KpiDefinition.objects.filter(kpi=rr).exists()


def test_the_kpi_page_marks_where_a_new_definition_takes_effect(client, demo_user, rr):
    officer = demo_user("sandwell-officer")
    change = add_months(last_accepted(rr), 1)
    services.kpi_update(
        user=officer,
        kpi=rr,
        definition="Re-referrals within 12 months, counting only accepted referrals.",
        definition_effective_from=change,
        reason="Revised with the DfE definition",
    )
    client.force_login(officer)
    page = client.get(reverse("performance:kpi-detail", args=[rr.pk])).content.decode()
    assert f"The definition changed from {change:%B %Y}: Revised with the DfE definition." in page
    assert 'data-testid="kpi-definitions"' in page and "Re-referrals within 12 months" in page
    later = rr.values.filter(version__monthly_return__period__gte=change).exists()
    assert page.count("New definition</strong>") == (1 if later else 0)
