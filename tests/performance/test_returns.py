"""The monthly return service: due dates, lifecycle per role, versions, and each bad input."""

from datetime import date
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import ValidationError

from performance import services
from performance.models import MonthlyReturn, ReturnQuery
from performance.services import Figures
from trustgov.core.scoping import visible

from .factories import small_catalogue

JUNE = date(2025, 6, 1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(date(2025, 7, 10), tick=False):
        yield


def good():
    return {
        "RR": Figures(numerator=D("40"), denominator=D("200")),  # 20.00% green
        "AS45": Figures(numerator=D("170"), denominator=D("200")),  # 85.00% green
        "CIN": Figures(value=D("1650")),
    }


def record(tenant, figures=None, **kwargs):
    kwargs.setdefault("period", JUNE)
    return services.return_record(
        delivery_body=tenant.body, user=tenant.trust_exec, figures=figures or good(), **kwargs
    )


@pytest.fixture
def cat(tenant_a):
    return small_catalogue(tenant_a.body)


def test_due_date_is_n_working_days_after_month_end_skipping_bank_holidays(tenant_a):
    assert services.return_due_date(delivery_body=tenant_a.body, period=JUNE) == date(2025, 7, 14)
    # March 2024 ends on Easter Sunday; Easter Monday (1 April) is skipped
    assert services.return_due_date(delivery_body=tenant_a.body, period=date(2024, 3, 1)) == date(2024, 4, 15)


def test_value_is_computed_and_draft_then_submitted(tenant_a, cat):
    ret = record(tenant_a)
    assert ret.status == MonthlyReturn.Status.DRAFT and ret.due_date == date(2025, 7, 14)
    version = ret.versions.get()
    assert version.values.get(kpi=cat["RR"]).value == D("20.00")
    services.return_submit(monthly_return=ret, user=tenant_a.trust_exec)
    ret.refresh_from_db()
    assert ret.status == MonthlyReturn.Status.SUBMITTED and not ret.late
    version.refresh_from_db()
    assert version.signed_off_by == tenant_a.trust_exec and version.submitted_at


def test_late_flag(tenant_a, cat):
    with time_machine.travel(date(2025, 7, 16), tick=False):
        ret = record(tenant_a, submit=True)
    assert ret.late


def test_correction_after_submission_is_a_new_version_with_a_reason(tenant_a, cat):
    ret = record(tenant_a, submit=True)
    with pytest.raises(ValidationError) as exc:
        record(tenant_a, figures={"CIN": Figures(value=D("1700"))})
    assert "already been submitted" in exc.value.message_dict["reason"][0]  # the duplicate submission
    record(tenant_a, figures={"CIN": Figures(value=D("1700"))}, reason="Late recording", submit=True)
    ret.refresh_from_db()
    assert ret.status == MonthlyReturn.Status.RESUBMITTED
    v1, v2 = ret.versions.order_by("number")
    assert v1.values.get(kpi=cat["CIN"]).value == D("1650")  # the first version is untouched
    assert v2.values.get(kpi=cat["CIN"]).value == D("1700") and v2.reason == "Late recording"
    assert v2.values.get(kpi=cat["RR"]).value == D("20.00")  # carried forward


def test_officer_queries_trust_replies_officer_accepts_and_figures_are_then_fixed(tenant_a, cat):
    ret = record(tenant_a, submit=True)
    query = services.return_query(monthly_return=ret, user=tenant_a.officer, kpi=cat["RR"], question="Why the fall?")
    ret.refresh_from_db()
    assert ret.status == MonthlyReturn.Status.QUERIED
    services.query_reply(query=query, user=tenant_a.trust_exec, text="Data cleansing.")
    query.refresh_from_db()
    assert query.status == ReturnQuery.Status.ANSWERED and query.messages.count() == 2
    with pytest.raises(ValidationError) as exc:  # an answered query is never closed silently
        services.return_accept(monthly_return=ret, user=tenant_a.officer)
    assert "Re-referral rate is answered" in exc.value.message_dict[f"close-{query.pk}"][0]
    services.return_accept(
        monthly_return=ret, user=tenant_a.officer, closing_notes={query.pk: "Explained by data cleansing."}
    )
    ret.refresh_from_db()
    assert ret.status == MonthlyReturn.Status.ACCEPTED and ret.accepted_version.number == 1
    assert query.messages.count() == 3  # the thread is kept, with the note that closed it
    assert query.messages.last().text == "Closed on acceptance: Explained by data cleansing."
    with pytest.raises(ValidationError) as exc:
        record(tenant_a, reason="Change after acceptance")
    assert "accepted" in exc.value.message_dict["period"][0]


@pytest.mark.parametrize("role", ["officer", "scrutiny"])
def test_only_trust_executives_enter_returns(tenant_a, cat, role):
    with pytest.raises(ValidationError) as exc:
        services.return_record(delivery_body=tenant_a.body, period=JUNE, user=getattr(tenant_a, role), figures=good())
    assert "trust executive" in exc.value.message_dict["delivery_body"][0]
    assert not MonthlyReturn.objects.filter(delivery_body=tenant_a.body).exists()


def test_trust_cannot_query_or_accept_and_officer_cannot_submit(tenant_a, cat):
    ret = record(tenant_a, submit=True)
    with pytest.raises(ValidationError):
        services.return_accept(monthly_return=ret, user=tenant_a.trust_exec)
    with pytest.raises(ValidationError):
        services.return_query(monthly_return=ret, user=tenant_a.trust_exec, question="?")
    draft = record(tenant_a, period=date(2025, 5, 1))
    with pytest.raises(ValidationError):
        services.return_submit(monthly_return=draft, user=tenant_a.officer)


def test_a_return_for_another_trust_is_refused(tenant_a, tenant_b, cat):
    small_catalogue(tenant_b.body)
    with pytest.raises(ValidationError) as exc:
        services.return_record(delivery_body=tenant_b.body, period=JUNE, user=tenant_a.trust_exec, figures=good())
    assert "your own trust" in exc.value.message_dict["delivery_body"][0]


@pytest.mark.parametrize(
    ("figures", "key", "words"),
    [
        ({"RR": Figures(numerator=D("201"), denominator=D("200"))}, "RR-numerator", "more than its denominator"),
        ({"CIN": Figures(value=None)}, "CIN-value", "Enter a value"),
        ({"RR": Figures(numerator=D("60"), denominator=D("200"))}, "RR-commentary", "is red"),  # 30% red, no comment
        ({"ZZ": Figures(value=D("1"))}, "kpi", "not a KPI"),
    ],
)
def test_bad_figures_save_nothing(tenant_a, cat, figures, key, words):
    with pytest.raises(ValidationError) as exc:
        record(tenant_a, figures={**good(), **figures}, submit=True)
    assert words in " ".join(exc.value.message_dict[key])
    assert not MonthlyReturn.objects.filter(delivery_body=tenant_a.body).exists()


def test_percentage_over_100_is_refused(tenant_a, cat):
    cat["CIN"].unit = "percentage"
    cat["CIN"].save()
    with pytest.raises(ValidationError) as exc:
        record(tenant_a, figures={**good(), "CIN": Figures(value=D("101"))})
    assert "cannot be more than 100" in exc.value.message_dict["CIN-value"][0]


def test_red_with_commentary_is_accepted(tenant_a, cat):
    ret = record(
        tenant_a,
        figures={**good(), "RR": Figures(numerator=D("60"), denominator=D("200"), commentary="Spike")},
        submit=True,
    )
    assert ret.status == MonthlyReturn.Status.SUBMITTED


@pytest.mark.parametrize(("period", "words"), [(date(2025, 7, 1), "has not ended"), (date(2019, 1, 1), "before")])
def test_wrong_month_is_refused(tenant_a, cat, period, words):
    with pytest.raises(ValidationError) as exc:
        record(tenant_a, period=period)
    assert words in exc.value.message_dict["period"][0]


def test_missing_kpi_refused_on_submit_but_allowed_in_a_draft(tenant_a, cat):
    ret = record(tenant_a, figures={"CIN": Figures(value=D("1650"))})
    with pytest.raises(ValidationError) as exc:
        services.return_submit(monthly_return=ret, user=tenant_a.trust_exec)
    assert "Enter the numerator" in " ".join(exc.value.messages)


def test_drafts_and_queries_scoped(tenant_a, tenant_b, cat):
    draft = record(tenant_a)
    assert visible(MonthlyReturn, tenant_a.trust_exec).filter(pk=draft.pk).exists()
    assert not visible(MonthlyReturn, tenant_a.officer).filter(pk=draft.pk).exists()  # drafts are the trust's
    services.return_submit(monthly_return=draft, user=tenant_a.trust_exec)
    services.return_query(monthly_return=draft, user=tenant_a.officer, question="Check CIN")
    assert visible(MonthlyReturn, tenant_a.officer).filter(pk=draft.pk).exists()
    assert not visible(MonthlyReturn, tenant_b.officer).filter(pk=draft.pk).exists()
    assert not visible(ReturnQuery, tenant_a.scrutiny).exists()  # internal query threads
    assert visible(ReturnQuery, tenant_a.trust_exec).count() == 1


def test_other_tenants_return_is_404(client, tenant_a, tenant_b, cat):
    ret = record(tenant_a, submit=True)
    client.force_login(tenant_b.officer)
    assert client.get(ret.get_absolute_url()).status_code == 404
    client.force_login(tenant_a.officer)
    assert client.get(ret.get_absolute_url()).status_code == 200
