"""The review loop: an answered query comes back to the officer (page and notification); acceptance
never closes a query silently; every return event notifies the right people once."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.models import Notification
from performance import expected as exp
from performance import services
from performance.models import QueryMessage, ReturnQuery
from performance.services import Figures

from .factories import small_catalogue

pytestmark = pytest.mark.django_db
JUNE = date(2025, 6, 1)


def good():
    return {
        "RR": Figures(numerator=D("40"), denominator=D("200")),
        "AS45": Figures(numerator=D("180"), denominator=D("200")),
        "CIN": Figures(value=D("1650")),
    }


@pytest.fixture
def queried(tenant_a, django_capture_on_commit_callbacks):
    cat = small_catalogue(tenant_a.body)
    with django_capture_on_commit_callbacks(execute=True):
        ret = services.return_record(
            delivery_body=tenant_a.body, period=JUNE, user=tenant_a.trust_exec, figures=good(), submit=True
        )
        query = services.return_query(monthly_return=ret, user=tenant_a.officer, kpi=cat["RR"], question="Why?")
    ret.refresh_from_db()
    return ret, query


def titles(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("title", flat=True))


def test_submission_and_query_notify_the_other_side_in_app_and_by_email(tenant_a, queried):
    assert any("submitted the June 2025 return (version 1): review it" in t for t in titles(tenant_a.officer))
    assert any("queried Re-referral rate in the June 2025 return" in t for t in titles(tenant_a.trust_exec))
    assert {m.to[0] for m in mail.outbox} >= {tenant_a.officer.email, tenant_a.trust_exec.email}


def test_an_answered_query_comes_back_to_the_officer(client, tenant_a, queried, django_capture_on_commit_callbacks):
    ret, query = queried
    with django_capture_on_commit_callbacks(execute=True):
        services.query_reply(query=query, user=tenant_a.trust_exec, text="Data cleansing removed duplicates.")
    assert any("answered your query on Re-referral rate (June 2025 return)" in t for t in titles(tenant_a.officer))
    notification = Notification.objects.filter(recipient=tenant_a.officer, title__contains="answered").get()
    assert notification.url == ret.get_absolute_url()
    row = exp.ExpectedReturn(tenant_a.body, None, JUNE, ret.due_date, date(2025, 7, 20), ret, 1, 0)
    assert row.awaiting_review
    assert not exp.ExpectedReturn(tenant_a.body, None, JUNE, ret.due_date, date(2025, 7, 20), ret, 1, 1).awaiting_review


def test_the_same_event_is_never_notified_twice(tenant_a, queried):
    ret, query = queried
    from meetings.reminders import deliver
    from trustgov.core.reminders import Due

    before = Notification.objects.count()
    key = f"performance.returnquery:{query.pk}"
    again = Due(
        "query_raised", key, Notification.objects.filter(recipient=tenant_a.trust_exec).first().created_at.date(), "x"
    )
    assert deliver(again, tenant_a.trust_exec) is None
    assert Notification.objects.count() == before


def test_accepting_with_an_open_query_is_refused_naming_it_and_saves_nothing(client, tenant_a, queried):
    ret, query = queried
    client.force_login(tenant_a.officer)
    url = reverse("performance:return-accept", kwargs={"pk": ret.pk})
    page = client.get(ret.get_absolute_url()).content.decode()
    assert f'name="close-{query.pk}"' in page and "Note closing the query on Re-referral rate" in page
    response = client.post(url, {f"close-{query.pk}": "   "})
    assert response.status_code == 400
    assert "The query on Re-referral rate is open: enter a note closing it" in response.content.decode()
    assert f'href="#close-{query.pk}"' in response.content.decode()
    ret.refresh_from_db()
    query.refresh_from_db()
    assert ret.status == "queried" and query.status == "open" and query.messages.count() == 1
    response = client.post(url, {f"close-{query.pk}": "Explained at the performance meeting."})
    assert response.status_code == 302
    ret.refresh_from_db()
    query.refresh_from_db()
    assert ret.status == "accepted" and query.status == ReturnQuery.Status.CLOSED
    assert query.messages.last().text == "Closed on acceptance: Explained at the performance meeting."
    assert query.messages.last().author == tenant_a.officer


def test_acting_on_a_step_no_longer_open(client, tenant_a, queried):
    ret, query = queried
    services.return_accept(monthly_return=ret, user=tenant_a.officer, closing_notes={query.pk: "Done."})
    count = QueryMessage.objects.count()
    with pytest.raises(ValidationError):
        services.return_accept(monthly_return=ret, user=tenant_a.officer, closing_notes={query.pk: "Again."})
    client.force_login(tenant_a.officer)
    response = client.post(reverse("performance:return-accept", kwargs={"pk": ret.pk}))
    assert response.status_code == 400
    assert QueryMessage.objects.count() == count
