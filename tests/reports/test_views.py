"""Officer pages: start a draft, edit it, preview, generate, list versions, download; others' access."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from reports import services
from reports.models import GeneratedReport, ReportDraft

from .conftest import pdf_text
from .factories import ReportDraftFactory


def date_fields(name: str, value: date) -> dict:
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}


def edit_data(draft: ReportDraft, **overrides) -> dict:
    data = {
        "title": draft.title,
        "meeting_name": draft.meeting_name,
        "subject": draft.subject,
        "protective_marking": draft.protective_marking,
        "key_decision": "True",
        "recommendations_intro": draft.recommendations_intro,
        "recommendations": draft.recommendations,
        "urgency_reason": draft.urgency_reason,
        "exempt_information": draft.exempt_information,
        **date_fields("meeting_date", draft.meeting_date),
        **date_fields("period_start", draft.period_start),
        **date_fields("period_end", draft.period_end),
    }
    for name in ["purpose", "ambition_implications", "background", "current_position", "resources", "legal_governance"]:
        data[name] = getattr(draft, name)
    data.update(overrides)
    return data


def test_officer_starts_a_draft_and_the_data_sections_fill_themselves(client, tenant_a):
    client.force_login(tenant_a.officer)
    response = client.post(
        "/reports/drafts/new/",
        {
            "report_type": "spb_quarterly",
            "council": tenant_a.council.pk,
            "delivery_body": tenant_a.body.pk,
            **date_fields("period_start", date(2026, 1, 1)),
            **date_fields("period_end", date(2026, 3, 31)),
            **date_fields("meeting_date", date(2026, 4, 22)),
            "subject": "Quarter 4 performance",
        },
    )
    draft = ReportDraft.objects.get(subject="Quarter 4 performance")
    assert response.status_code == 302 and response["Location"] == f"/reports/drafts/{draft.pk}/edit/"
    assert draft.meeting_name == "Strategic Partnership Board"
    assert draft.created_by == tenant_a.officer
    page = client.get(f"/reports/drafts/{draft.pk}/").content.decode()
    assert "Appendix 1 – Key performance indicators" in page
    assert "No accepted return for this period" in page
    assert "No contract is recorded" in page


def test_start_form_refuses_bad_input_with_clear_messages(client, tenant_a):
    client.force_login(tenant_a.officer)
    response = client.post(
        "/reports/drafts/new/",
        {
            "council": tenant_a.council.pk,
            **date_fields("period_start", date(2026, 3, 31)),
            **date_fields("period_end", date(2026, 1, 1)),
        },
    )
    assert response.status_code == 400  # render_form_page: a form with errors answers 400
    page = response.content.decode()
    assert "There is a problem" in page
    for message in [
        "Choose the type of report",
        "Choose the trust the report is about",
        "The end of the period must be on or after its start",
        "Enter the date of the meeting",
        "Enter the subject of the report",
    ]:
        assert message in page
    assert not ReportDraft.objects.filter(council=tenant_a.council).exists()


def test_save_and_generate_with_missing_narrative_shows_form_errors(client, tenant_a):
    draft = ReportDraftFactory(delivery_body=tenant_a.body, created_by=tenant_a.officer)
    client.force_login(tenant_a.officer)
    response = client.post(f"/reports/drafts/{draft.pk}/edit/", {**edit_data(draft, purpose=""), "generate": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter the &#x27;Purpose of the report&#x27; section" in page
    assert not draft.generated.exists()


def test_generate_button_with_missing_narrative_shows_the_edit_form(client, tenant_a):
    draft = ReportDraftFactory(delivery_body=tenant_a.body, created_by=tenant_a.officer, current_position="")
    client.force_login(tenant_a.officer)
    response = client.post(f"/reports/drafts/{draft.pk}/generate/")
    assert response.status_code == 400
    assert "Enter the &#x27;The current position&#x27; section" in response.content.decode()


@pytest.mark.django_db(transaction=False)
def test_officer_edits_previews_generates_lists_and_downloads(client, tenant_a, django_capture_on_commit_callbacks):
    draft = ReportDraftFactory(delivery_body=tenant_a.body, created_by=tenant_a.officer)
    client.force_login(tenant_a.officer)
    response = client.post(f"/reports/drafts/{draft.pk}/edit/", edit_data(draft, subject="Edited subject"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.subject == "Edited subject"
    preview = client.get(f"/reports/drafts/{draft.pk}/preview/").content.decode()
    assert "<title>Edited subject</title>" in preview and "DECISION RECOMMENDATIONS" in preview
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/reports/drafts/{draft.pk}/generate/")
    report = GeneratedReport.objects.get(draft=draft)
    assert response["Location"] == f"/reports/documents/{report.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Ready" in page and report.sha256 in page
    assert 'http-equiv="refresh"' not in page
    listing = client.get(f"/reports/drafts/{draft.pk}/").content.decode()
    assert "Generated versions" in listing and f"/reports/documents/{report.pk}/download/" in listing
    download = client.get(f"/reports/documents/{report.pk}/download/")
    assert download["Content-Type"] == "application/pdf"
    body = b"".join(download.streaming_content)
    assert "Edited subject" in pdf_text(body)


def test_edit_page_get_and_invalid_post(client, tenant_a):
    draft = ReportDraftFactory(delivery_body=tenant_a.body, created_by=tenant_a.officer, subject="Quarter four update")
    client.force_login(tenant_a.officer)
    page = client.get(f"/reports/drafts/{draft.pk}/edit/")
    assert page.status_code == 200
    assert f"<title>Edit: {draft.subject}" in page.content.decode()
    response = client.post(f"/reports/drafts/{draft.pk}/edit/", edit_data(draft, subject=""))
    assert response.status_code == 400
    assert "Enter the subject of the report" in response.content.decode()
    draft.refresh_from_db()
    assert draft.subject == "Quarter four update"  # nothing saved


def test_progress_page_refreshes_itself_while_working(client, tenant_a):
    draft = ReportDraftFactory(delivery_body=tenant_a.body, created_by=tenant_a.officer)
    report = GeneratedReport.objects.create(
        draft=draft,
        council=draft.council,
        delivery_body=draft.delivery_body,
        report_type=draft.report_type,
        title=draft.subject,
        version=1,
        protective_marking="OFFICIAL",
        status=GeneratedReport.Status.RENDERING,
        progress=40,
        progress_note="Reading risk register",
        requested_by=tenant_a.officer,
    )
    client.force_login(tenant_a.officer)
    page = client.get(f"/reports/documents/{report.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert "Rendering 40%" in page and "Reading risk register" in page
    assert '<progress max="100" value="40"' in page


def test_other_tenants_drafts_and_documents_are_404(client, tenant_a, tenant_b, generate):
    draft = ReportDraftFactory(delivery_body=tenant_a.body, created_by=tenant_a.officer)
    [report] = generate(draft, tenant_a.officer)
    client.force_login(tenant_b.officer)
    for url in [
        f"/reports/drafts/{draft.pk}/",
        f"/reports/drafts/{draft.pk}/edit/",
        f"/reports/drafts/{draft.pk}/preview/",
        f"/reports/documents/{report.pk}/",
        f"/reports/documents/{report.pk}/download/",
    ]:
        assert client.get(url).status_code == 404, url


def test_scrutiny_trust_and_dfe_get_public_documents_but_never_exempt_ones(client, tenant_a, dfe_user, generate):
    draft = ReportDraftFactory(
        delivery_body=tenant_a.body, created_by=tenant_a.officer, exempt_appendices=["risks"], exempt_category="3"
    )
    public, exempt = generate(draft, tenant_a.officer)
    publish(public, tenant_a.officer)
    for user in [tenant_a.scrutiny, tenant_a.trust_exec, dfe_user]:
        client.force_login(user)
        listing = client.get("/reports/").content.decode()
        assert f"/reports/documents/{public.pk}/download/" in listing
        assert f"/reports/documents/{exempt.pk}/" not in listing
        assert client.get(f"/reports/documents/{public.pk}/download/").status_code == 200
        assert client.get(f"/reports/documents/{exempt.pk}/download/").status_code == 404
        assert client.get(f"/reports/drafts/{draft.pk}/").status_code == 403
    client.force_login(tenant_a.officer)
    assert client.get(f"/reports/documents/{exempt.pk}/download/").status_code == 200


def test_api_lists_and_downloads_published_reports_only(tenant_a, tenant_b, generate):
    draft = ReportDraftFactory(
        delivery_body=tenant_a.body, created_by=tenant_a.officer, exempt_appendices=["risks"], exempt_category="3"
    )
    public, exempt = generate(draft, tenant_a.officer)
    publish(public, tenant_a.officer)
    api = APIClient()
    for user in [tenant_a.officer, tenant_a.scrutiny, tenant_a.trust_exec]:
        api.force_authenticate(user)
        body = api.get("/api/v1/reports/").json()
        ids = [r["id"] for r in body["results"]]
        assert public.pk in ids and exempt.pk not in ids
        row = next(r for r in body["results"] if r["id"] == public.pk)
        assert row["sha256"] == public.sha256 and row["delivery_body"] == tenant_a.body.slug
        assert row["period_start"] == "2026-01-01"
        download = api.get(f"/api/v1/reports/{public.pk}/download/")
        assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
        assert api.get(f"/api/v1/reports/{exempt.pk}/download/").status_code == 404
    api.force_authenticate(tenant_b.officer)
    assert api.get(f"/api/v1/reports/{public.pk}/").status_code == 404
    assert public.pk not in [r["id"] for r in api.get("/api/v1/reports/").json()["results"]]
    assert api.post("/api/v1/reports/", {}).status_code in (403, 405)


def publish(report, officer):
    return services.report_publish(report=services.report_approve(report=report, user=officer), user=officer)


def test_a_generated_report_is_a_draft_until_approved_and_published(client, tenant_a, dfe_user, generate):
    """The failure: a draft Cabinet report was downloadable by scrutiny seconds after it was generated."""
    draft = ReportDraftFactory(delivery_body=tenant_a.body, created_by=tenant_a.officer)
    (public,) = generate(draft, tenant_a.officer)
    assert public.publication == "draft"
    download = f"/reports/documents/{public.pk}/download/"
    client.force_login(tenant_a.scrutiny)
    assert client.get(download).status_code == 404
    assert download not in client.get("/reports/").content.decode()
    assert APIClient().get("/api/v1/reports/").status_code in (401, 403)
    client.force_login(tenant_a.officer)
    page = client.get(public.get_absolute_url()).content.decode()
    assert "Approve for publication" in page
    # publishing before approval is refused and saves nothing
    with pytest.raises(ValidationError) as exc:
        services.report_publish(report=public, user=tenant_a.officer)
    assert "not approved yet" in exc.value.message_dict["publication"][0]
    assert client.post(f"/reports/documents/{public.pk}/approve/").status_code == 302
    client.force_login(tenant_a.scrutiny)
    assert client.get(download).status_code == 404  # approved is not yet published
    with pytest.raises(ValidationError):
        services.report_publish(report=public, user=tenant_a.scrutiny)
    client.force_login(tenant_a.officer)
    assert client.post(f"/reports/documents/{public.pk}/publish/").status_code == 302
    public.refresh_from_db()
    assert (public.publication, public.published_by, public.approved_by) == (
        "published",
        tenant_a.officer,
        tenant_a.officer,
    )
    assert public.published_at is not None
    for user in (tenant_a.scrutiny, tenant_a.trust_exec, dfe_user):
        client.force_login(user)
        assert client.get(download).status_code == 200
    client.force_login(tenant_a.officer)
    rows = public.history.count()
    client.post(f"/reports/documents/{public.pk}/publish/")  # acting on a step no longer open
    assert public.history.count() == rows
    public.refresh_from_db()
    assert public.publication == "published"


def test_a_not_for_publication_document_is_never_published(tenant_a, generate):
    draft = ReportDraftFactory(
        delivery_body=tenant_a.body, created_by=tenant_a.officer, exempt_appendices=["risks"], exempt_category="3"
    )
    _, exempt = generate(draft, tenant_a.officer)
    with pytest.raises(ValidationError) as exc:
        services.report_approve(report=exempt, user=tenant_a.officer)
    assert "never published" in exc.value.message_dict["publication"][0]
