"""The demo's queries: one answered by Sandwell's trust waits for the officer; every message is dated in the
return's own story (after the version it asks about, before the correction and the acceptance)."""

import os

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from performance.models import MonthlyReturn, QueryMessage, ReturnQuery
from trustgov.accounts.models import User

pytestmark = pytest.mark.django_db


def answered_sandwell_queries():
    return ReturnQuery.objects.filter(
        monthly_return__delivery_body__slug="sandwell-trust", status=ReturnQuery.Status.ANSWERED
    )


def test_sandwell_has_a_query_its_trust_answered_waiting_on_the_officers_home(client):
    query = answered_sandwell_queries().get()
    ret = query.monthly_return
    assert ret.status == MonthlyReturn.Status.QUERIED
    assert not ret.queries.filter(status=ReturnQuery.Status.OPEN).exists()
    authors = list(query.messages.order_by("created_at").values_list("author__username", flat=True))
    assert authors == ["sandwell-officer", "sandwell-trust-exec"]
    client.force_login(User.objects.get(username="sandwell-officer"))
    page = client.get(reverse("home")).content.decode()
    reviews = page[page.index('data-testid="reviews-waiting"') :]
    reviews = reviews[: reviews.index("</table>")]
    assert f"{escape(ret.delivery_body.name)}: {ret.period:%B %Y} return" in reviews
    assert "Trust answered your query" in reviews


def test_seed_demo_again_adds_no_second_answered_query_and_no_message():
    before = (answered_sandwell_queries().count(), ReturnQuery.objects.count(), QueryMessage.objects.count())
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", stdout=quiet)
    assert (answered_sandwell_queries().count(), ReturnQuery.objects.count(), QueryMessage.objects.count()) == before


def test_demo_query_messages_are_dated_within_their_returns_story():
    messages = QueryMessage.objects.filter(query__monthly_return__delivery_body__slug__endswith="-trust")
    assert messages.exists()
    for message in messages.select_related("query__monthly_return"):
        ret = message.query.monthly_return
        versions = list(ret.versions.order_by("number").values_list("submitted_at", flat=True))
        assert message.created_at > versions[0], (ret, message.text)
        later = versions[1:] + ([ret.accepted_at] if ret.accepted_at else [])
        assert all(message.created_at < moment for moment in later), (ret, message.text)
        if "next version" in message.text:
            assert len(versions) > 1, (ret, message.text)
        assert message.query.created_at <= message.created_at
