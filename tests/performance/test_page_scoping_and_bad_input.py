"""Every performance page: another trust's record is a 404 (nothing changes), and bad input is a
clear 400 or 404 with nothing saved. One test per page in tests/performance/routes.py."""

import csv
import io
from datetime import date
from decimal import Decimal as D

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from performance import services
from performance.models import (
    ImprovementAction,
    ImprovementPriority,
    MonthlyReturn,
    OfstedEvent,
    QueryMessage,
    ReturnQuery,
    TrajectoryMilestone,
)
from performance.services import Figures

from .factories import small_catalogue

JUNE = date(2025, 6, 1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(date(2025, 7, 10), tick=False):
        yield


def good(**overrides):
    return {
        "RR": Figures(numerator=D("40"), denominator=D("200")),
        "AS45": Figures(numerator=D("170"), denominator=D("200")),
        "CIN": Figures(value=D("1650")),
        **overrides,
    }


@pytest.fixture
def alpha(tenant_a):
    """Tenant A with a catalogue, a submitted and queried June return, a draft May, a plan and Ofsted."""
    cat = small_catalogue(tenant_a.body)
    ret = services.return_record(
        delivery_body=tenant_a.body, period=JUNE, user=tenant_a.trust_exec, figures=good(), submit=True
    )
    query = services.return_query(monthly_return=ret, user=tenant_a.officer, kpi=cat["RR"], question="Why?")
    draft = services.return_record(
        delivery_body=tenant_a.body, period=date(2025, 5, 1), user=tenant_a.trust_exec, figures=good()
    )
    priority = ImprovementPriority.objects.create(delivery_body=tenant_a.body, number=1, title="Alpha leadership")
    action = ImprovementAction.objects.create(
        priority=priority, title="Appoint a DCS", owner="Trust Chair", due_date=date(2025, 9, 30)
    )
    OfstedEvent.objects.create(delivery_body=tenant_a.body, date=date(2024, 5, 1), kind="inspection", judgement="good")
    TrajectoryMilestone.objects.create(delivery_body=tenant_a.body, judgement="good", by_date=date(2026, 3, 31))
    return {"tenant": tenant_a, "cat": cat, "ret": ret, "query": query, "draft": draft, "action": action}


def state(alpha):
    """What a refused request must leave unchanged."""
    ret, action = alpha["ret"], alpha["action"]
    ret.refresh_from_db()
    action.refresh_from_db()
    return (
        ret.status,
        ret.versions.count(),
        ReturnQuery.objects.filter(monthly_return=ret).count(),
        QueryMessage.objects.filter(query__monthly_return=ret).count(),
        action.status,
        OfstedEvent.objects.count(),
    )


# --- scoping: another trust's (or council's) record is a 404 ------------------------------------


def _url(name, alpha, **kwargs):
    return reverse(f"performance:{name}", kwargs=kwargs or None)


SLUG = "?body=alpha-trust"
SCOPED_GETS = [
    ("dashboard", lambda a: _url("dashboard", a) + SLUG),
    ("return-list", lambda a: _url("return-list", a) + SLUG),
    ("improvement-plan", lambda a: _url("improvement-plan", a) + SLUG),
    ("ofsted", lambda a: _url("ofsted", a) + SLUG),
    ("kpi-detail", lambda a: _url("kpi-detail", a, pk=a["cat"]["RR"].pk)),
    ("kpi-export", lambda a: _url("kpi-export", a, pk=a["cat"]["RR"].pk) + "?format=csv"),
    ("return-detail", lambda a: _url("return-detail", a, pk=a["ret"].pk)),
]


@pytest.mark.parametrize("role", ["officer", "trust_exec", "scrutiny"])
@pytest.mark.parametrize(("name", "url"), SCOPED_GETS, ids=[n for n, _ in SCOPED_GETS])
def test_another_trusts_pages_are_404(client, alpha, tenant_b, role, name, url):
    client.force_login(getattr(tenant_b, role))
    assert client.get(url(alpha)).status_code == 404
    client.force_login(getattr(alpha["tenant"], role))
    assert client.get(url(alpha)).status_code == 200


def test_another_councils_officer_gets_404_on_ofsted_add_and_action_edit(client, alpha, tenant_b):
    client.force_login(tenant_b.officer)
    add = reverse("performance:ofsted-add") + SLUG
    edit = reverse("performance:action-edit", kwargs={"pk": alpha["action"].pk})
    before = state(alpha)
    assert client.get(add).status_code == 404
    visit = {"date_0": "1", "date_1": "5", "date_2": "2025", "kind": "monitoring_visit"}
    assert client.post(add, visit).status_code == 404
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"status": "complete", "evidence": "x"}).status_code == 404
    assert state(alpha) == before


@pytest.mark.parametrize(
    ("name", "role", "data"),
    [
        ("return-submit", "trust_exec", {"confirm": "on"}),
        ("return-query", "officer", {"question": "Why?"}),
        ("return-accept", "officer", {}),
    ],
)
def test_another_trusts_return_cannot_be_moved(client, alpha, tenant_b, name, role, data):
    before = state(alpha)
    client.force_login(getattr(tenant_b, role))
    for target in (alpha["ret"], alpha["draft"]):
        assert client.post(reverse(f"performance:{name}", kwargs={"pk": target.pk}), data).status_code == 404
    assert state(alpha) == before


@pytest.mark.parametrize("role", ["officer", "trust_exec"])
def test_another_trusts_query_cannot_be_answered(client, alpha, tenant_b, role):
    before = state(alpha)
    client.force_login(getattr(tenant_b, role))
    url = reverse("performance:query-reply", kwargs={"pk": alpha["query"].pk})
    assert client.post(url, {"text": "Intruding"}).status_code == 404
    assert state(alpha) == before


def test_the_council_never_sees_a_trusts_draft(client, alpha):
    client.force_login(alpha["tenant"].officer)
    assert client.get(alpha["draft"].get_absolute_url()).status_code == 404
    url = reverse("performance:return-accept", kwargs={"pk": alpha["draft"].pk})
    assert client.post(url).status_code == 404


def test_comparison_lists_only_the_users_own_trusts(client, alpha, tenant_b, dfe_user):
    small_catalogue(tenant_b.body)
    client.force_login(tenant_b.officer)
    page = client.get(reverse("performance:comparison") + "?kpi=RR").content.decode()
    assert tenant_b.body.name in page and alpha["tenant"].body.name not in page
    client.force_login(dfe_user)
    page = client.get(reverse("performance:comparison") + "?kpi=RR").content.decode()
    assert tenant_b.body.name in page and alpha["tenant"].body.name in page


def test_template_is_always_for_the_users_own_trust(client, alpha, tenant_b):
    small_catalogue(tenant_b.body)
    client.force_login(tenant_b.trust_exec)
    url = reverse("performance:return-template") + "?period=2025-06&format=xlsx&body=alpha-trust"
    ws = load_workbook(io.BytesIO(client.get(url).content)).active
    assert ws["B1"].value == tenant_b.body.slug


# --- bad input, page by page --------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/performance/?body=no-such-trust",
        "/performance/returns/?body=no-such-trust",
        "/performance/improvement-plan/?body=no-such-trust",
        "/performance/ofsted/?body=no-such-trust",
        "/performance/kpis/999999/",
        "/performance/returns/999999/",
    ],
)
def test_unknown_trust_or_record_is_404(client, alpha, url):
    client.force_login(alpha["tenant"].officer)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("query", ["?format=pdf", "?format=csv&from=June", "?format=csv&from=2025-13", "?to=2025"])
def test_kpi_export_bad_parameters_are_404(client, alpha, query):
    client.force_login(alpha["tenant"].officer)
    url = reverse("performance:kpi-export", kwargs={"pk": alpha["cat"]["RR"].pk})
    assert client.get(url + query).status_code == 404
    rows = list(csv.reader(io.StringIO(client.get(url + "?format=csv&from=2025-06&to=2025-06").content.decode())))
    assert [r[3] for r in rows[1:]] == ["2025-06"]


def test_comparison_with_an_unknown_kpi_shows_no_rows(client, alpha):
    client.force_login(alpha["tenant"].officer)
    response = client.get(reverse("performance:comparison") + "?kpi=NOPE")
    assert response.status_code == 200 and "No trusts to compare." in response.content.decode()


@pytest.mark.parametrize("period", ["junk", "2025-13", "2025", ""])
def test_template_with_a_bad_month_or_format_is_404(client, alpha, period):
    client.force_login(alpha["tenant"].trust_exec)
    url = reverse("performance:return-template")
    assert client.get(f"{url}?period={period}&format=csv").status_code == 404
    assert client.get(f"{url}?period=2025-06&format=pdf").status_code == 404


@pytest.mark.parametrize(
    ("period", "status", "words"),
    [
        ("junk", 404, ""),
        ("2025-13", 404, ""),
        ("2025-08", 400, "August 2025 has not ended yet"),
        ("2019-01", 400, "before Alpha Children&#x27;s Trust started operating"),
    ],
)
def test_form_for_a_wrong_month(client, alpha, period, status, words):
    tenant = alpha["tenant"]
    tenant.body.operational_from = date(2020, 4, 1)
    tenant.body.save()
    client.force_login(tenant.trust_exec)
    post = {"RR-numerator": "40", "RR-denominator": "200", "CIN-value": "1650"}
    response = client.post(reverse("performance:return-enter") + f"?period={period}", post)
    assert response.status_code == status
    if words:
        assert words in response.content.decode()
        assert 'class="govuk-error-summary' in response.content.decode()
    assert MonthlyReturn.objects.filter(delivery_body=tenant.body).count() == 2


@pytest.mark.parametrize(
    ("post", "words"),
    [
        ({"CIN-value": "-5"}, "The value for Children in need cannot be negative"),
        ({"RR-numerator": "40"}, "Enter the denominator for Re-referral rate"),
        ({"RR-numerator": "40", "RR-denominator": "0"}, "The denominator for Re-referral rate must be more than 0"),
        ({"RR-numerator": "201", "RR-denominator": "200"}, "cannot be more than its denominator"),
        ({"RR-numerator": "90", "RR-denominator": "200"}, "Re-referral rate is red: explain why in the commentary"),
    ],
)
def test_form_bad_figures_name_the_field_and_save_nothing(client, alpha, post, words):
    client.force_login(alpha["tenant"].trust_exec)
    response = client.post(reverse("performance:return-enter") + "?period=2025-04", post)
    page = response.content.decode()
    assert response.status_code == 400 and words in page
    assert '<a href="#id_' in page  # the error summary links to the field it names
    assert not MonthlyReturn.objects.filter(delivery_body=alpha["tenant"].body, period=date(2025, 4, 1)).exists()


def test_form_typed_percentage_over_100(client, alpha):
    from .factories import KpiFactory

    KpiFactory(delivery_body=alpha["tenant"].body, code="PCT", title="Typed share", unit="percentage")
    client.force_login(alpha["tenant"].trust_exec)
    response = client.post(reverse("performance:return-enter") + "?period=2025-04", {"PCT-value": "100.01"})
    assert response.status_code == 400
    assert "The percentage for Typed share cannot be more than 100" in response.content.decode()
    assert 'href="#id_PCT-value"' in response.content.decode()


def test_submit_bad_input(client, alpha):
    tenant = alpha["tenant"]
    partial = services.return_record(
        delivery_body=tenant.body, period=date(2025, 4, 1), user=tenant.trust_exec, figures={"CIN": good()["CIN"]}
    )
    client.force_login(tenant.trust_exec)
    response = client.post(reverse("performance:return-submit", kwargs={"pk": partial.pk}), {"confirm": "on"})
    assert response.status_code == 400 and "Enter the numerator for Re-referral rate" in response.content.decode()
    partial.refresh_from_db()
    assert partial.status == "draft" and partial.versions.get().submitted_at is None
    # submitting again what was already submitted
    response = client.post(reverse("performance:return-submit", kwargs={"pk": alpha["ret"].pk}), {"confirm": "on"})
    assert response.status_code == 400 and "There are no unsubmitted figures" in response.content.decode()


def test_query_bad_input(client, alpha, tenant_b):
    other = small_catalogue(tenant_b.body)
    before = state(alpha)
    client.force_login(alpha["tenant"].officer)
    url = reverse("performance:return-query", kwargs={"pk": alpha["ret"].pk})
    response = client.post(url, {"kpi": "", "question": "  "})
    assert response.status_code == 400 and "Enter the question for the trust" in response.content.decode()
    response = client.post(url, {"kpi": str(other["RR"].pk), "question": "Whose KPI?"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert state(alpha) == before
    assert client.get(url).status_code == 405


def test_accept_bad_input(client, alpha):
    tenant = alpha["tenant"]
    services.return_record(
        delivery_body=tenant.body, period=JUNE, user=tenant.trust_exec, figures=good(), reason="Recount"
    )
    before = state(alpha)
    client.force_login(tenant.officer)
    url = reverse("performance:return-accept", kwargs={"pk": alpha["ret"].pk})
    response = client.post(url)
    assert response.status_code == 400 and "preparing a corrected version" in response.content.decode()
    assert state(alpha) == before
    client.force_login(tenant.trust_exec)
    assert client.post(url).status_code == 403  # a trust never accepts its own return


def test_reply_bad_input(client, alpha):
    client.force_login(alpha["tenant"].trust_exec)
    url = reverse("performance:query-reply", kwargs={"pk": alpha["query"].pk})
    before = state(alpha)
    response = client.post(url, {"text": ""})
    assert response.status_code == 400 and "Enter your reply" in response.content.decode()
    services.return_accept(
        monthly_return=alpha["ret"], user=alpha["tenant"].officer, closing_notes={alpha["query"].pk: "Resolved."}
    )
    response = client.post(url, {"text": "Too late"})
    assert response.status_code == 400 and "This query is closed" in response.content.decode()
    assert QueryMessage.objects.filter(query=alpha["query"]).count() == before[3] + 1  # the closing note


def test_action_edit_bad_input(client, alpha):
    client.force_login(alpha["tenant"].trust_exec)
    url = reverse("performance:action-edit", kwargs={"pk": alpha["action"].pk})
    response = client.post(url, {"status": "finished", "evidence": ""})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    response = client.post(url, {"status": "complete", "evidence": "  "})
    assert response.status_code == 400 and "Enter the evidence that the action is complete" in response.content.decode()
    alpha["action"].refresh_from_db()
    assert alpha["action"].status == "not_started"


@pytest.mark.parametrize(
    ("post", "words"),
    [
        ({"date_0": "1", "date_1": "8", "date_2": "2025", "kind": "monitoring_visit"}, "today or in the past"),
        ({"date_0": "31", "date_1": "2", "date_2": "2025", "kind": "monitoring_visit"}, "date"),
        ({"date_0": "1", "date_1": "5", "date_2": "2025", "kind": "visit"}, "Select a valid choice"),
        (
            {"date_0": "1", "date_1": "5", "date_2": "2025", "kind": "inspection", "judgement": "good"}
            | {"letter_url": "not a url"},
            "Enter a valid URL",
        ),
    ],
)
def test_ofsted_add_bad_input(client, alpha, post, words):
    client.force_login(alpha["tenant"].officer)
    response = client.post(reverse("performance:ofsted-add") + SLUG, post)
    assert response.status_code == 400 and words in response.content.decode()
    assert OfstedEvent.objects.filter(delivery_body=alpha["tenant"].body).count() == 1
