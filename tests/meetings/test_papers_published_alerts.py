"""'Papers published' alerts (ADR 0607): only for those who ask, once per publication, in the reader's own scope,
never naming (or counting) an exempt paper, never to another council's users."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from meetings import services
from meetings.models import Document, Notification
from meetings.notifications import PAPERS_PUBLISHED
from tests.factories import make_user
from trustgov.accounts.roles import Role
from trustgov.core.notifications import Frequency, notification_kind

from .factories import AgendaItemFactory, MeetingFactory, paper

pytestmark = pytest.mark.django_db
P = Document.Publication
SECRETS = ("ZZEXEMPTPAPER", "ZZPAPERONEXEMPTITEM", "ZZEXEMPTITEMTITLE")


@pytest.fixture(autouse=True)
def frozen(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(datetime(2027, 1, 8, 10, 0, tzinfo=ZoneInfo("Europe/London")), tick=False):
        yield


@pytest.fixture
def setup(tenant_a, tenant_b):
    publisher = make_user(Role.COUNCIL_OFFICER, council=tenant_a.council, username="alpha-publisher")
    meeting = MeetingFactory(delivery_body=tenant_a.body, title="Partnership Board", date=date(2027, 1, 20))
    item = AgendaItemFactory(meeting=meeting, order=1, title="Performance")
    secret = AgendaItemFactory(meeting=meeting, order=2, title="ZZEXEMPTITEMTITLE", is_exempt=True, exempt_category="1")
    papers = [
        paper(item, "Budget report", published=False),
        paper(item, "Quarterly figures", published=False),
        paper(item, "ZZEXEMPTPAPER", exempt_category="2", published=False),
        paper(secret, "ZZPAPERONEXEMPTITEM", published=False),
    ]
    for document in papers:
        services.document_publication(document=document, user=publisher, target=P.APPROVED)
    for user in (tenant_a.scrutiny, tenant_a.officer, tenant_b.officer, tenant_b.scrutiny):
        services.preferences_set(user=user, choices={PAPERS_PUBLISHED: Frequency.IMMEDIATE})
    services.preferences_set(user=tenant_a.trust_exec, choices={PAPERS_PUBLISHED: Frequency.OFF})
    return meeting, publisher


def mails_to(outbox, user):
    return [m for m in outbox if user.email in m.to]


def test_the_kind_is_off_unless_chosen():
    kind = notification_kind(PAPERS_PUBLISHED)
    assert kind is not None and kind.default == Frequency.OFF and kind.group == "Meetings"


def test_opted_in_users_get_one_email_per_publication_naming_only_what_they_may_read(
    setup, tenant_a, tenant_b, mailoutbox, django_capture_on_commit_callbacks
):
    meeting, publisher = setup
    nobody_asked = make_user(Role.SCRUTINY_MEMBER, council=tenant_a.council, username="alpha-quiet")
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish_papers(meeting=meeting, user=publisher)

    for reader in (tenant_a.scrutiny, tenant_a.officer):
        mails = mails_to(mailoutbox, reader)
        assert len(mails) == 1, reader
        text = mails[0].subject + mails[0].body
        assert "2 papers published for Partnership Board" in mails[0].subject
        assert "Budget report" in text and "Quarterly figures" in text
        assert f"/meetings/{meeting.pk}/" in text
        for word in SECRETS:
            assert word not in text  # not even the officer, who may read exempt papers, is emailed their titles
    # Opted out, never asked, another council's users, and the person who published: nobody else.
    for quiet in (tenant_a.trust_exec, nobody_asked, tenant_b.officer, tenant_b.scrutiny, publisher):
        assert not mails_to(mailoutbox, quiet)
        assert not Notification.objects.filter(recipient=quiet, kind=PAPERS_PUBLISHED).exists()
    assert len(mailoutbox) == 2
    for notification in Notification.objects.filter(kind=PAPERS_PUBLISHED):
        assert not any(word in notification.title for word in SECRETS)


def test_a_paper_published_later_is_one_more_email_and_an_exempt_one_none(
    setup, tenant_a, mailoutbox, django_capture_on_commit_callbacks
):
    meeting, publisher = setup
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish_papers(meeting=meeting, user=publisher)
    mailoutbox.clear()
    item = meeting.items.get(order=1)
    late = paper(item, "Late addendum", published=False)
    hidden = paper(item, "ZZLATEEXEMPT", exempt_category="3", published=False)
    for document in (late, hidden):
        services.document_publication(document=document, user=publisher, target=P.APPROVED)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_publication(document=hidden, user=publisher, target=P.PUBLISHED)
    assert mailoutbox == []  # an exempt paper is news to no one by email, not even as a count
    with django_capture_on_commit_callbacks(execute=True):
        services.document_publication(document=late, user=publisher, target=P.PUBLISHED)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([tenant_a.scrutiny.email, tenant_a.officer.email])
    assert all(m.subject == "TrustGov: Paper published for " + f"{meeting}: Late addendum" for m in mailoutbox)


def test_a_digest_choice_records_the_notification_without_an_email_now(
    setup, tenant_a, mailoutbox, django_capture_on_commit_callbacks
):
    meeting, publisher = setup
    services.preferences_set(user=tenant_a.scrutiny, choices={PAPERS_PUBLISHED: Frequency.DAILY})
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_publish_papers(meeting=meeting, user=publisher)
    assert not mails_to(mailoutbox, tenant_a.scrutiny)
    notification = Notification.objects.get(recipient=tenant_a.scrutiny, kind=PAPERS_PUBLISHED)
    assert notification.emailed_at is None and "Budget report" in notification.title
