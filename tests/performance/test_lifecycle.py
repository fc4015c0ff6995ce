"""The return lifecycle and its versions, per role.

draft -> submitted -> queried <-> resubmitted -> accepted. A correction is a new version with a
reason; nothing a trust submitted is overwritten or deleted; the history records who did what.
RAG decides when commentary is required, at every boundary, through the same service.
"""

import html
from datetime import date
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from performance import services
from performance.models import MonthlyReturn, ReturnQuery, ReturnValue, ReturnVersion
from performance.services import Figures
from trustgov.core.scoping import visible

from .factories import small_catalogue

JUNE = date(2025, 6, 1)
S = MonthlyReturn.Status


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(date(2025, 7, 10), tick=False):
        yield


@pytest.fixture
def cat(tenant_a):
    return small_catalogue(tenant_a.body)


def good(**overrides):
    return {
        "RR": Figures(numerator=D("40"), denominator=D("200")),
        "AS45": Figures(numerator=D("170"), denominator=D("200")),
        "CIN": Figures(value=D("1650")),
        **overrides,
    }


def record(tenant, figures=None, **kwargs):
    kwargs.setdefault("period", JUNE)
    return services.return_record(
        delivery_body=tenant.body, user=tenant.trust_exec, figures=figures or good(), **kwargs
    )


def snapshot(monthly_return):
    """Every value of every version, as stored."""
    return {
        (v.version.number, v.kpi.code): (v.value, v.numerator, v.denominator, v.commentary)
        for v in ReturnValue.objects.filter(version__monthly_return=monthly_return).select_related("version", "kpi")
    }


# --- RAG boundaries through the service: commentary is required exactly when red ----------------


@pytest.mark.parametrize(
    ("code", "numerator", "rag"),
    [
        # RR: lower is better, target 22%, tolerance 2 (denominator 10,000 gives two decimal places)
        ("RR", "2199", "green"),  # better than target
        ("RR", "2200", "green"),  # exactly on target
        ("RR", "2201", "amber"),  # just worse than target
        ("RR", "2399", "amber"),  # just inside the tolerance
        ("RR", "2400", "amber"),  # exactly on the tolerance
        ("RR", "2401", "red"),  # just beyond it
        # AS45: higher is better, target 85%, tolerance 5
        ("AS45", "8501", "green"),
        ("AS45", "8500", "green"),
        ("AS45", "8499", "amber"),
        ("AS45", "8001", "amber"),
        ("AS45", "8000", "amber"),
        ("AS45", "7999", "red"),
    ],
)
def test_commentary_is_required_exactly_when_the_value_is_red(tenant_a, cat, code, numerator, rag):
    figures = good(**{code: Figures(numerator=D(numerator), denominator=D("10000"))})
    if rag == "red":
        with pytest.raises(ValidationError) as exc:
            record(tenant_a, figures, submit=True)
        message = f"{cat[code].title} is red: explain why in the commentary"
        assert exc.value.message_dict == {f"{code}-commentary": [message]}
        assert not MonthlyReturn.objects.filter(delivery_body=tenant_a.body).exists()
        figures[code] = Figures(numerator=D(numerator), denominator=D("10000"), commentary="Explained")
    ret = record(tenant_a, figures, submit=True)
    assert ret.status == S.SUBMITTED
    stored = ret.versions.get().values.get(kpi=cat[code]).value
    assert stored == D(numerator) / 100
    from performance.positions import read_positions

    assert read_positions([cat[code]], start=JUNE, end=JUNE).at(cat[code], JUNE).rag == rag


# --- the whole lifecycle, per role --------------------------------------------------------------


def test_full_lifecycle_query_correction_and_acceptance_of_the_new_version(tenant_a, cat):
    ret = record(tenant_a)
    assert ret.status == S.DRAFT
    services.return_submit(monthly_return=ret, user=tenant_a.trust_exec)
    ret.refresh_from_db()
    assert ret.status == S.SUBMITTED
    first = snapshot(ret)

    query = services.return_query(monthly_return=ret, user=tenant_a.officer, kpi=cat["CIN"], question="CIN is high?")
    ret.refresh_from_db()
    assert ret.status == S.QUERIED

    # the trust corrects: a new version, in draft until submitted; the officer cannot accept meanwhile
    record(tenant_a, {"CIN": Figures(value=D("1600"))}, reason="Duplicate cases removed")
    ret.refresh_from_db()
    assert ret.status == S.QUERIED and [v.number for v in ret.versions.order_by("number")] == [1, 2]
    assert not visible(ReturnVersion, tenant_a.officer).filter(monthly_return=ret, number=2).exists()
    with pytest.raises(ValidationError) as exc:
        services.return_accept(monthly_return=ret, user=tenant_a.officer)
    assert "preparing a corrected version" in exc.value.message_dict["status"][0]

    services.query_reply(query=query, user=tenant_a.trust_exec, text="Duplicates removed in version 2.")
    services.return_submit(monthly_return=ret, user=tenant_a.trust_exec)
    ret.refresh_from_db()
    assert ret.status == S.RESUBMITTED

    # an officer may query again, then accept: the accepted version is the latest submitted one
    again = services.return_query(monthly_return=ret, user=tenant_a.officer, question="Thank you: please confirm AS45.")
    services.return_accept(
        monthly_return=ret,
        user=tenant_a.officer,
        closing_notes={query.pk: "Version 2 removes the duplicates.", again.pk: "Confirmed at the meeting."},
    )
    ret.refresh_from_db()
    assert ret.status == S.ACCEPTED and ret.accepted_version.number == 2 and ret.accepted_by == tenant_a.officer
    assert set(ret.queries.values_list("status", flat=True)) == {ReturnQuery.Status.CLOSED}

    # version 1 is exactly as the trust submitted it; version 2 carries the rest forward
    after = snapshot(ret)
    assert {k: v for k, v in after.items() if k[0] == 1} == first
    assert after[(2, "CIN")][0] == D("1600") and after[(2, "RR")] == first[(1, "RR")]
    v2 = ret.versions.get(number=2)
    assert v2.reason == "Duplicate cases removed"
    assert v2.signed_off_by == tenant_a.trust_exec and v2.created_by == tenant_a.trust_exec

    # every version stays readable by the council and scrutiny
    for user in (tenant_a.officer, tenant_a.scrutiny, tenant_a.trust_exec):
        assert visible(ReturnVersion, user).filter(monthly_return=ret).count() == 2

    # accepted figures are never changed, by any channel
    with pytest.raises(ValidationError):
        record(tenant_a, {"CIN": Figures(value=D("1"))}, reason="Late change")
    with pytest.raises(ValidationError):
        services.return_query(monthly_return=ret, user=tenant_a.officer, question="Reopen?")
    assert snapshot(ret) == after

    # nothing was deleted, and values of submitted versions were only ever created
    deleted = ReturnValue.history.filter(version__monthly_return=ret, history_type="-")
    assert not deleted.exists() and not ReturnVersion.history.filter(monthly_return=ret, history_type="-").exists()
    v1_ids = ReturnValue.objects.filter(version__number=1, version__monthly_return=ret).values_list("pk", flat=True)
    assert set(ReturnValue.history.filter(id__in=v1_ids).values_list("history_type", flat=True)) == {"+"}


def test_a_draft_is_edited_in_place_until_submitted(tenant_a, cat):
    ret = record(tenant_a, {"CIN": Figures(value=D("1650"))})
    record(tenant_a, {"CIN": Figures(value=D("1700"))})
    assert ret.versions.count() == 1 and ret.versions.get().values.get(kpi=cat["CIN"]).value == D("1700")
    assert not visible(MonthlyReturn, tenant_a.officer).filter(pk=ret.pk).exists()  # the trust's own draft


def test_queried_return_can_be_resubmitted_without_change_only_by_a_new_version(tenant_a, cat):
    ret = record(tenant_a, submit=True)
    services.return_query(monthly_return=ret, user=tenant_a.officer, question="Send back: wrong month?")
    with pytest.raises(ValidationError) as exc:
        services.return_submit(monthly_return=ret, user=tenant_a.trust_exec)
    assert "no unsubmitted figures" in exc.value.message_dict["values"][0]
    record(tenant_a, good(), reason="Confirmed unchanged", submit=True)
    ret.refresh_from_db()
    assert ret.status == S.RESUBMITTED and ret.versions.count() == 2


@pytest.mark.parametrize("who", ["scrutiny", "dfe", "other_trust", "other_officer"])
def test_no_one_else_moves_a_return(tenant_a, tenant_b, dfe_user, cat, who):
    user = {
        "scrutiny": tenant_a.scrutiny,
        "dfe": dfe_user,
        "other_trust": tenant_b.trust_exec,
        "other_officer": tenant_b.officer,
    }[who]
    draft = record(tenant_a, period=date(2025, 5, 1))
    ret = record(tenant_a, submit=True)
    before = snapshot(ret), ret.status
    with pytest.raises(ValidationError):
        services.return_submit(monthly_return=draft, user=user)
    with pytest.raises(ValidationError):
        services.return_record(delivery_body=tenant_a.body, period=JUNE, user=user, figures=good(), reason="x")
    with pytest.raises(ValidationError):
        services.return_query(monthly_return=ret, user=user, question="?")
    with pytest.raises(ValidationError):
        services.return_accept(monthly_return=ret, user=user)
    ret.refresh_from_db()
    draft.refresh_from_db()
    assert (snapshot(ret), ret.status) == before and draft.status == S.DRAFT


def test_no_role_may_delete_performance_records(tenant_a, dfe_user):
    from django.contrib.auth.models import Permission

    deletes = Permission.objects.filter(content_type__app_label="performance", codename__startswith="delete_")
    assert deletes.exists()
    for user in (tenant_a.officer, tenant_a.trust_exec, tenant_a.scrutiny, dfe_user):
        held = [p.codename for p in deletes if user.has_perm(f"performance.{p.codename}")]
        assert held == [], f"{user.username} may delete {held}"


def test_history_records_who_submitted_queried_and_accepted(client, tenant_a, cat):
    """Through the web pages, so the request user is recorded on every change."""
    client.force_login(tenant_a.trust_exec)
    url = reverse("performance:return-enter") + "?period=2025-06"
    post = {"RR-numerator": "40", "RR-denominator": "200", "AS45-numerator": "170"}
    post |= {"AS45-denominator": "200", "CIN-value": "1650"}
    assert client.post(url, post).status_code == 302
    ret = MonthlyReturn.objects.get(delivery_body=tenant_a.body, period=JUNE)
    submit = reverse("performance:return-submit", kwargs={"pk": ret.pk})
    assert client.post(submit, {"confirm": "on"}).status_code == 302

    client.force_login(tenant_a.officer)
    query_url = reverse("performance:return-query", kwargs={"pk": ret.pk})
    assert client.post(query_url, {"kpi": "", "question": "Send back"}).status_code == 302
    client.force_login(tenant_a.trust_exec)
    assert client.post(url, {**post, "CIN-value": "1600", "reason": "Recount"}).status_code == 302
    assert client.post(submit, {"confirm": "on"}).status_code == 302
    client.force_login(tenant_a.officer)
    closing = {f"close-{q.pk}": "Corrected in version 2." for q in ret.queries.all()}
    assert client.post(reverse("performance:return-accept", kwargs={"pk": ret.pk}), closing).status_code == 302

    who = [(h.status, h.history_user) for h in ret.history.order_by("history_date", "history_id")]
    assert (S.SUBMITTED, tenant_a.trust_exec) in who
    assert (S.QUERIED, tenant_a.officer) in who
    assert (S.RESUBMITTED, tenant_a.trust_exec) in who
    assert who[-1] == (S.ACCEPTED, tenant_a.officer)
    for version in ret.versions.all():
        assert {h.history_user for h in version.history.all()} == {tenant_a.trust_exec}
    # the history page shows it to the council
    history = reverse("history", kwargs={"app_label": "performance", "model_name": "monthlyreturn", "pk": ret.pk})
    page = html.unescape(client.get(history).content.decode())  # names such as O'Brien are escaped
    assert tenant_a.officer.username in page or tenant_a.officer.get_full_name() in page
