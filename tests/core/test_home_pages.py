"""Each role's home page leads with what that person must do next (demo data; dates asked of the data)."""

from django.utils import timezone
from django.utils.html import escape
from django.utils.text import Truncator

from meetings.home import next_scrutiny_meetings
from performance.models import ReturnQuery
from tests.meetings.factories import plant_papers
from trustgov.core.navigation import attention_for


def test_scrutiny_home_leads_with_the_next_meeting_and_only_its_published_public_papers(client, demo_user):
    scrutiny = demo_user("sandwell-scrutiny")
    meeting = next_scrutiny_meetings(scrutiny, today=timezone.localdate())[0]
    titles = plant_papers(meeting)
    client.force_login(scrutiny)
    html = client.get("/").content.decode()
    first = html.index('data-testid="next-meeting"')
    assert html.index(escape(meeting.title)) > first and html.index(escape(titles["public"])) > first
    assert html.index('data-testid="next-meeting"') < html.index("Papers published in the last")
    for kind in ("exempt", "exempt item", "draft"):
        assert titles[kind] not in html, kind
    assert "Nothing needs your attention right now." not in html
    assert 'href="/performance/"' in html


def test_scrutiny_home_with_no_meetings_says_so_and_links_on(client, tenant_a):
    client.force_login(tenant_a.scrutiny)
    html = client.get("/").content.decode()
    assert "No scrutiny meeting is scheduled." in html
    assert "No papers have been published in the last 30 days." in html
    assert 'href="/meetings/"' in html and 'href="/performance/"' in html


def test_trust_home_lists_its_own_steps_before_what_waits_on_the_council_or_the_dfe(client, demo_user):
    trust = demo_user("sandwell-trust-exec")
    open_queries = ReturnQuery.objects.filter(status=ReturnQuery.Status.OPEN)
    query = open_queries.filter(monthly_return__delivery_body=trust.delivery_body).order_by("created_at").first()
    query.question = "Please confirm the denominator used for assessments this month " * 4
    query.save(update_fields=["question"])
    client.force_login(trust)
    html = client.get("/").content.decode()
    own, waiting = html.split("Waiting for the council or the DfE")
    assert "Council query on" in own and "Council query on" not in waiting
    assert "Reserved matter: Appoint a non-executive director with finance experience" in waiting
    preview = next(i.detail for i in attention_for(trust) if i.title.startswith("Council query on"))
    assert preview == Truncator(query.question).words(20, truncate="…")
    assert preview.endswith("…") and query.question.startswith(preview.removesuffix("…"))
    assert query.question[len(preview) - 1] == " "  # cut between words


def test_dfe_home_lists_what_awaits_its_decision_longest_waiting_first(client, demo_user):
    dfe = demo_user("dfe-liaison")
    client.force_login(dfe)
    response = client.get("/")
    items = response.context["attention"]
    assert items and all(i.waiting_since for i in items)
    assert [i.waiting_since for i in items] == sorted(i.waiting_since for i in items)
    html = response.content.decode()
    assert "Awaiting the DfE's decision" in html and "Waited" in html
