"""Email alerts for the public (ADR 0609): double opt-in, a GET never changes anything, nothing says whether an
address was subscribed, and an alert names only what the public pages show."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from meetings import services
from meetings.models import AgendaItem, BodyKind, Document
from public.models import PublicAlertSent, PublicSubscription
from public.subscriptions import send_papers_published
from tests.meetings.factories import MeetingFactory, paper

from .scenario import NEVER, PUBLIC, TODAY

pytestmark = pytest.mark.django_db
EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.com"
SECRET_ITEM = "ZZSUBSCRIBEREXEMPTITEMTITLE"
SECRET_PAPER = "ZZSUBSCRIBEREXEMPTPAPER"
SITE = "https://trustgov.example"


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the emails) as it would run in production."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def url(name: str, slug: str, **kwargs) -> str:
    return reverse(f"public:{name}", kwargs={"slug": slug, **kwargs})


def ask(client, on_commit, slug: str, email: str = "Resident@Example.com", body: str = ""):
    with on_commit():
        return client.post(url("subscribe", slug), {"email": email, "body_kind": body})


def confirm_link(message, slug: str) -> str:
    match = re.search(rf"{SITE}(/public/{slug}/subscribe/confirm/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def subscribed(client, on_commit, mailoutbox, slug: str, email: str, body: str = "") -> PublicSubscription:
    ask(client, on_commit, slug, email, body)
    link = confirm_link(mailoutbox[-1], slug)
    with on_commit():
        assert client.post(link).status_code == 200
    return PublicSubscription.objects.get(email=email.lower(), body_kind=body, unsubscribed_at=None)


def a_meeting_to_publish(
    planted, *, body_kind=BodyKind.STRATEGIC_PARTNERSHIP_BOARD, trust=None, title="ZZALERTMEETING"
):
    """A meeting whose papers are approved and not yet published: one public paper, an exempt paper and a paper on
    an exempt item, whose titles (and the exempt item's) must never be in an email."""
    meeting = MeetingFactory(
        delivery_body=trust or planted.trust, title=title, body_kind=body_kind, date=date(2027, 2, 10)
    )
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="Budget monitoring")
    secret = AgendaItem.objects.create(meeting=meeting, order=2, title=SECRET_ITEM, is_exempt=True, exempt_category="1")
    for document in (
        paper(item, "Budget monitoring report", published=False),
        paper(item, SECRET_PAPER, exempt_category="2", published=False),
        paper(secret, "ZZPAPERONSUBSCRIBEREXEMPTITEM", published=False),
    ):
        services.document_publication(document=document, user=planted.officer, target=Document.Publication.APPROVED)
    return meeting


def publish(planted, meeting, on_commit, officer=None):
    with on_commit():
        services.meeting_publish_papers(
            meeting=meeting, user=officer or planted.officer, published_on=date(2027, 1, 15)
        )


def alerts(outbox, email: str):
    return [m for m in outbox if email in m.to and m.subject.startswith(("Paper published", "Papers published"))]


# --- Asking ---------------------------------------------------------------------------------------------------


def test_the_subscribe_page_has_the_form_and_a_bad_address_is_named(client, planted, mailoutbox):
    slug = planted.council.slug
    page = client.get(url("subscribe", slug))
    assert page.status_code == 200 and b"Get emails when papers are published" in page.content
    assert b'type="radio"' in page.content and b"All of the council" in page.content
    for bad in ("", "not-an-address", "name@"):
        response = client.post(url("subscribe", slug), {"email": bad})
        assert response.status_code == 400
        assert EMAIL_MESSAGE in response.content.decode()
        assert "Error:" in response.content.decode().split("</title>")[0]
    assert not PublicSubscription.objects.exists() and not mailoutbox


def test_a_request_sends_one_confirmation_link_and_the_page_gives_nothing_away(client, planted, mailoutbox, on_commit):
    slug = planted.council.slug
    response = ask(client, on_commit, slug)
    assert response.status_code == 302 and response["Location"] == url("subscribe-check-email", slug)
    subscription = PublicSubscription.objects.get()
    assert subscription.email == "resident@example.com" and subscription.confirmed_at is None
    assert subscription.history.count() == 2  # asked for; confirmation sent
    [message] = mailoutbox
    assert message.to == ["resident@example.com"]
    assert confirm_link(message, slug) == url("subscribe-confirm", slug, token=subscription.token)
    assert message.extra_headers["List-Unsubscribe"] == (
        f"<{SITE}{url('unsubscribe', slug, token=subscription.token)}>"
    )
    first = client.get(response["Location"]).content
    assert b"Check your email" in first

    # Asking again (and again, once confirmed) shows the very same page, keeps one row, and sends no more within
    # ten minutes.
    again = ask(client, on_commit, slug, "resident@example.com ")
    assert again["Location"] == response["Location"]
    assert client.get(again["Location"]).content == first
    assert PublicSubscription.objects.count() == 1 and len(mailoutbox) == 1


def test_asking_again_after_ten_minutes_resends_the_same_link_and_never_duplicates(
    client, planted, mailoutbox, on_commit
):
    slug = planted.council.slug
    ask(client, on_commit, slug)
    with time_machine.travel(TODAY + timedelta(minutes=11), tick=False):
        ask(client, on_commit, slug)
    assert PublicSubscription.objects.count() == 1 and len(mailoutbox) == 2
    assert confirm_link(mailoutbox[0], slug) == confirm_link(mailoutbox[1], slug)
    # Another body is another subscription; its email waits out the same address's ten minutes.
    with time_machine.travel(TODAY + timedelta(minutes=12), tick=False):
        ask(client, on_commit, slug, body=BodyKind.CABINET)
    assert PublicSubscription.objects.count() == 2 and len(mailoutbox) == 2


def test_an_unknown_body_is_refused_naming_the_field(client, planted):
    response = client.post(url("subscribe", planted.council.slug), {"email": "a@example.com", "body_kind": "zz"})
    assert response.status_code == 400 and b"Select which meetings you want to hear about" in response.content
    assert not PublicSubscription.objects.exists()


# --- Confirming and unsubscribing -----------------------------------------------------------------------------


def test_a_get_of_the_confirm_link_confirms_nothing_and_the_post_does(client, planted, mailoutbox, on_commit):
    slug = planted.council.slug
    ask(client, on_commit, slug)
    link = confirm_link(mailoutbox[0], slug)
    page = client.get(link)
    assert page.status_code == 200 and b"Confirm subscription" in page.content and b'method="post"' in page.content
    assert PublicSubscription.objects.get().confirmed_at is None
    assert client.post(link).status_code == 200
    assert PublicSubscription.objects.get().confirmed_at is not None
    assert client.get(link).status_code == 404  # used
    assert client.post(link).status_code == 404


def test_unknown_tokens_and_another_councils_slug_are_404(client, planted, mailoutbox, on_commit):
    slug = planted.council.slug
    for name in ("subscribe-confirm", "unsubscribe"):
        assert client.get(url(name, slug, token="no-such-token")).status_code == 404
        assert client.post(url(name, slug, token="no-such-token")).status_code == 404
    ask(client, on_commit, slug)
    token = PublicSubscription.objects.get().token
    other = planted.other_council.slug
    assert client.get(url("subscribe-confirm", other, token=token)).status_code == 404
    assert client.get(url("subscribe", "no-such-council")).status_code == 404


def test_confirming_and_unsubscribing_are_csrf_protected(planted, mailoutbox, on_commit):
    from django.test import Client

    slug = planted.council.slug
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(url("subscribe", slug), {"email": "a@example.com"}).status_code == 403
    PublicSubscription.objects.create(council=planted.council, email="a@example.com")
    token = PublicSubscription.objects.get().token
    assert strict.post(url("subscribe-confirm", slug, token=token)).status_code == 403
    assert strict.post(url("unsubscribe", slug, token=token)).status_code == 403
    assert PublicSubscription.objects.get().confirmed_at is None


# --- Alerts ---------------------------------------------------------------------------------------------------


def test_a_confirmed_subscriber_gets_one_email_naming_nothing_exempt(client, planted, mailoutbox, on_commit):
    slug = planted.council.slug
    subscribed(client, on_commit, mailoutbox, slug, "confirmed@example.com")
    ask(client, on_commit, slug, "unconfirmed@example.com")
    meeting = a_meeting_to_publish(planted)
    publish(planted, meeting, on_commit)

    assert alerts(mailoutbox, "unconfirmed@example.com") == []
    [alert] = alerts(mailoutbox, "confirmed@example.com")
    page = f"{SITE}{url('meeting-detail', slug, pk=meeting.pk)}"
    assert "ZZALERTMEETING" in alert.subject and "10 February 2027" in alert.subject
    assert "Budget monitoring report" in alert.body and page in alert.body
    subscription = PublicSubscription.objects.get(email="confirmed@example.com")
    assert url("unsubscribe", slug, token=subscription.token) in alert.body
    assert alert.extra_headers["List-Unsubscribe"].endswith(f"{url('unsubscribe', slug, token=subscription.token)}>")
    for secret in (SECRET_ITEM, SECRET_PAPER, "ZZPAPERONSUBSCRIBEREXEMPTITEM", *NEVER.values()):
        assert secret not in alert.subject and secret not in alert.body

    # A rerun of the task sends nothing twice.
    document_pks = list(Document.objects.filter(agenda_item__meeting=meeting).values_list("pk", flat=True))
    assert send_papers_published(meeting.pk, document_pks, f"meetings.meeting:{meeting.pk}:papers-published") == 0
    assert len(alerts(mailoutbox, "confirmed@example.com")) == 1 and PublicAlertSent.objects.count() == 1


def test_an_exempt_paper_published_on_its_own_sends_nothing(client, planted, mailoutbox, on_commit):
    slug = planted.council.slug
    subscribed(client, on_commit, mailoutbox, slug, "confirmed@example.com")
    item = AgendaItem.objects.get(meeting=planted.meeting, title=PUBLIC["item"])
    late = paper(item, SECRET_PAPER, exempt_category="2", published=False)
    services.document_publication(document=late, user=planted.officer, target=Document.Publication.APPROVED)
    with on_commit():
        services.document_publication(document=late, user=planted.officer, target=Document.Publication.PUBLISHED)
    assert alerts(mailoutbox, "confirmed@example.com") == []
    public_late = paper(item, "Late public paper", published=False)
    services.document_publication(document=public_late, user=planted.officer, target=Document.Publication.APPROVED)
    with on_commit():
        services.document_publication(document=public_late, user=planted.officer, target=Document.Publication.PUBLISHED)
    [alert] = alerts(mailoutbox, "confirmed@example.com")
    assert alert.subject.startswith("Paper published") and "Late public paper" in alert.body


def test_the_body_filter_is_honoured(client, planted, mailoutbox, on_commit):
    slug = planted.council.slug
    subscribed(client, on_commit, mailoutbox, slug, "board@example.com", BodyKind.STRATEGIC_PARTNERSHIP_BOARD)
    subscribed(client, on_commit, mailoutbox, slug, "cabinet@example.com", BodyKind.CABINET)
    subscribed(client, on_commit, mailoutbox, slug, "all@example.com")
    publish(planted, a_meeting_to_publish(planted), on_commit)
    assert len(alerts(mailoutbox, "board@example.com")) == 1
    assert len(alerts(mailoutbox, "all@example.com")) == 1
    assert alerts(mailoutbox, "cabinet@example.com") == []


def test_unsubscribing_stops_the_emails_and_a_get_unsubscribes_nobody(client, planted, mailoutbox, on_commit):
    slug = planted.council.slug
    subscription = subscribed(client, on_commit, mailoutbox, slug, "leaving@example.com")
    link = url("unsubscribe", slug, token=subscription.token)
    page = client.get(link)
    assert page.status_code == 200 and b"Unsubscribe" in page.content
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is None
    assert client.post(link).status_code == 200
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    assert client.get(link).status_code == 404
    publish(planted, a_meeting_to_publish(planted), on_commit)
    assert alerts(mailoutbox, "leaving@example.com") == []
    # Subscribing again is a new subscription, with a new token.
    with time_machine.travel(TODAY + timedelta(minutes=11), tick=False):
        ask(client, on_commit, slug, "leaving@example.com")
    assert PublicSubscription.objects.filter(email="leaving@example.com").count() == 2
    assert PublicSubscription.objects.get(email="leaving@example.com", unsubscribed_at=None).token != subscription.token


def test_another_councils_publication_emails_nobody_here(client, planted, mailoutbox, on_commit):
    from tests.factories import make_user
    from trustgov.accounts.roles import Role

    slug = planted.council.slug
    subscribed(client, on_commit, mailoutbox, slug, "local@example.com")
    other_trust = planted.other_meeting.delivery_body
    other_officer = make_user(Role.COUNCIL_OFFICER, council=planted.other_council, username="elsewhere-officer")
    meeting = MeetingFactory(delivery_body=other_trust, title="ZZELSEWHEREALERT", date=date(2027, 2, 10))
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="Elsewhere item")
    document = paper(item, "Elsewhere paper", published=False)
    services.document_publication(document=document, user=other_officer, target=Document.Publication.APPROVED)
    publish(planted, meeting, on_commit, officer=other_officer)
    assert Document.objects.get(pk=document.pk).publication == Document.Publication.PUBLISHED
    assert alerts(mailoutbox, "local@example.com") == []
