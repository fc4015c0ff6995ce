"""Meeting papers have draft → approved → published: nobody but the council's officers sees a paper before it is
published, even when the meeting's agenda is already out, and publishing records who and when."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from meetings import services
from meetings.models import Document
from meetings.selectors import documents_visible_to

from .factories import PDF_BYTES, AgendaItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db
P = Document.Publication


@pytest.fixture
def meeting(tenant_a):
    return MeetingFactory(delivery_body=tenant_a.body, date=date(2027, 1, 20), papers_published_on=date(2027, 1, 8))


def upload(meeting, user, title="Late paper", **kw) -> Document:
    item = AgendaItemFactory(meeting=meeting, title=f"Agenda item {Document.objects.count() + 1}")
    return services.document_upload(
        agenda_item=item, user=user, title=title, file=SimpleUploadedFile("paper.pdf", PDF_BYTES), **kw
    )


def api_titles(user) -> set[str]:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get("/api/v1/meeting-documents/")
    assert response.status_code == 200
    return {row["title"] for row in response.json()["results"]}


def test_a_paper_added_after_the_agenda_is_out_stays_hidden_until_published(client, tenant_a, meeting):
    paper = upload(meeting, tenant_a.officer)
    assert paper.publication == P.DRAFT
    for reader in (tenant_a.scrutiny, tenant_a.trust_exec):
        assert paper not in documents_visible_to(reader)
        assert "Late paper" not in api_titles(reader)
        client.force_login(reader)
        assert client.get(reverse("meetings:document-download", args=[paper.pk])).status_code == 404
        assert "Late paper" not in client.get(meeting.get_absolute_url()).content.decode()
    assert paper in documents_visible_to(tenant_a.officer)

    services.document_publication(document=paper, user=tenant_a.officer, target=P.APPROVED)
    assert paper not in documents_visible_to(tenant_a.scrutiny)  # approved is not yet out
    published = services.document_publication(document=paper, user=tenant_a.officer, target=P.PUBLISHED)
    assert published.published_by == tenant_a.officer and published.published_at is not None
    assert paper in documents_visible_to(tenant_a.scrutiny) and "Late paper" in api_titles(tenant_a.scrutiny)
    client.force_login(tenant_a.scrutiny)
    assert client.get(reverse("meetings:document-download", args=[paper.pk])).status_code == 200
    steps = list(
        paper.history.order_by("history_date").values_list("publication", "history_user", "history_change_reason")
    )
    assert [s[0] for s in steps] == [P.DRAFT, P.APPROVED, P.PUBLISHED]
    assert steps[-1][1:] == (tenant_a.officer.pk, "Published")


def test_an_exempt_paper_once_published_still_reaches_no_one_without_the_right(tenant_a, meeting, dfe_user):
    paper = upload(meeting, tenant_a.officer, title="Contract sum", is_exempt=True, exempt_category="3")
    services.document_publication(document=paper, user=tenant_a.officer, target=P.APPROVED)
    services.document_publication(document=paper, user=tenant_a.officer, target=P.PUBLISHED)
    assert paper not in documents_visible_to(tenant_a.scrutiny)
    assert paper not in documents_visible_to(tenant_a.trust_exec)
    assert "Contract sum" not in api_titles(tenant_a.scrutiny)


def test_steps_cannot_be_skipped_taken_by_the_wrong_role_or_taken_back(tenant_a, meeting):
    paper = upload(meeting, tenant_a.officer)
    with pytest.raises(ValidationError) as skipped:
        services.document_publication(document=paper, user=tenant_a.officer, target=P.PUBLISHED)
    assert "target" in skipped.value.message_dict
    with pytest.raises(ValidationError) as wrong_role:  # role_refused: a 403 on the web and the API (ADR 0008)
        services.document_publication(document=paper, user=tenant_a.trust_exec, target=P.APPROVED)
    assert wrong_role.value.error_dict["target"][0].code == "permission"
    services.document_publication(document=paper, user=tenant_a.officer, target=P.APPROVED)
    with pytest.raises(ValidationError) as no_reason:
        services.document_publication(document=paper, user=tenant_a.officer, target=P.DRAFT, reason=" ")
    assert no_reason.value.message_dict == {"reason": ["Give the reason for withdrawing the approval."]}
    back = services.document_publication(
        document=paper, user=tenant_a.officer, target=P.DRAFT, reason="Figures in table 2 to be checked"
    )
    assert back.publication == P.DRAFT and back.approved_by is None
    assert paper.history.first().history_change_reason == "Figures in table 2 to be checked"
    services.document_publication(document=paper, user=tenant_a.officer, target=P.APPROVED)
    services.document_publication(document=paper, user=tenant_a.officer, target=P.PUBLISHED)
    with pytest.raises(ValidationError):  # published is final: a correction is a new paper
        services.document_publication(document=paper, user=tenant_a.officer, target=P.DRAFT, reason="Oops")


def test_a_paper_is_published_with_the_agenda_or_after_it_never_before(tenant_a):
    meeting = MeetingFactory(delivery_body=tenant_a.body, date=date(2027, 3, 24), papers_published_on=None)
    ready = upload(meeting, tenant_a.officer, title="Ready paper")
    draft = upload(meeting, tenant_a.officer, title="Unfinished paper")
    services.document_publication(document=ready, user=tenant_a.officer, target=P.APPROVED)
    with pytest.raises(ValidationError) as early:
        services.document_publication(document=ready, user=tenant_a.officer, target=P.PUBLISHED)
    assert "Publish the meeting's agenda and papers first" in early.value.message_dict["target"][0]
    services.meeting_publish_papers(meeting=meeting, user=tenant_a.officer, published_on=date(2027, 3, 10))
    ready.refresh_from_db()
    draft.refresh_from_db()
    assert (ready.publication, draft.publication) == (P.PUBLISHED, P.DRAFT)
    assert ready.history.first().history_change_reason == "Published with the meeting's agenda and papers"
    assert services.papers_in_draft(meeting) == 1


def test_the_page_says_what_the_officer_can_do_and_refuses_bad_input(client, tenant_a, meeting):
    paper = upload(meeting, tenant_a.officer)
    client.force_login(tenant_a.officer)
    url = reverse("meetings:document-publication", args=[paper.pk])
    page = client.get(url).content.decode()
    assert "Approve for publication" in page and "The paper is draft" in page
    refused = client.post(url, {"target": "published"})
    assert refused.status_code == 400 and "Select a valid choice" in refused.content.decode()
    paper.refresh_from_db()
    assert paper.publication == P.DRAFT
    assert client.post(url, {"target": "approved"}).status_code == 302
    client.force_login(tenant_a.scrutiny)
    assert client.get(url).status_code == 403


def test_the_demo_draft_paper_is_the_officers_alone():
    from trustgov.accounts.models import User

    draft = Document.objects.get(title="Placement sufficiency briefing (draft)")
    assert draft.publication == P.DRAFT
    assert draft in documents_visible_to(User.objects.get(username="sandwell-officer"))
    for name in ("sandwell-scrutiny", "sandwell-trust-exec"):
        assert draft not in documents_visible_to(User.objects.get(username=name))
    published = Document.objects.get(title="Quarterly performance report")
    assert published.publication == P.PUBLISHED and published.published_at.date() == date(2026, 10, 12)
