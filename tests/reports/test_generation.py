"""Generating reports: cabinet layout, live data appendices, versions, exempt documents."""

import pytest
from django.core.exceptions import ValidationError

from reports import services
from reports.models import GeneratedReport, ReportType

from .conftest import pdf_body_text, pdf_text, read_pdf
from .factories import ReportDraftFactory


def test_cabinet_report_has_header_recommendations_numbered_sections_and_data(live_data, generate):
    tenant = live_data
    draft = ReportDraftFactory(delivery_body=tenant.body, created_by=tenant.officer, subject="Quarter 4 update")
    [report] = generate(draft, tenant.officer)
    assert report.status == GeneratedReport.Status.READY
    assert report.progress == 100
    assert len(report.sha256) == 64
    assert report.data_snapshot_at is not None
    assert report.page_count >= 5 and report.size == len(read_pdf(report))
    text = pdf_text(read_pdf(report))
    # Header block
    for label in ["Subject", "Cabinet Member", "Director", "Key Decision", "Forward Plan", "Contact Officer(s)"]:
        assert label in text
    assert "Quarter 4 update" in text and "TEST01/2026" in text
    # Recommendations and numbered sections/paragraphs
    assert "DECISION RECOMMENDATIONS" in text
    assert "1. Note the trust's performance." in text
    assert "1 PURPOSE OF THE REPORT" in text
    assert "1.1 The purpose of this report" in text
    assert "1.2 It also seeks a decision." in text
    assert "3 BACKGROUND AND MAIN CONSIDERATIONS" in text
    assert "3.3 The contract went live." in text
    assert "8 LEGAL AND GOVERNANCE CONSIDERATIONS" in text
    assert "16 APPENDICES" in text
    assert "Not applicable to this report." in text  # a blank optional section says so
    # Data appendices from live data
    assert "Appendix 1 – Key performance indicators" in text
    assert "Indicator Value Target RAG Direction of" in text
    assert "RR1 Re-referral rate 23.5% 22% Amber Improving (from" in text
    assert "A45 Assessments within 45" in text and "79% 86% Red Worsening (from" in text
    # which return version each figure came from (the accepted version 2, not version 1)
    assert "March 2026 return, version 2" in text
    assert "Figures are from the March 2026 return, version 2" in text
    assert "£58,330,000.00" in text
    assert "Recruitment and retention of social workers" in text
    assert "OFFICIAL" in text


def test_kpi_chart_is_embedded_with_alt_text(live_data):
    from reports.sections import kpi_section

    draft = ReportDraftFactory(delivery_body=live_data.body, created_by=live_data.officer)
    section = kpi_section(draft)
    assert len(section.charts) == 2
    chart = next(c for c in section.charts if c.title.startswith("RR1"))
    assert chart.svg.lstrip().startswith("<svg")
    assert chart.alt == "Line chart of Re-referral rate: February 2026 25%, March 2026 23.5%. Target 22%."
    assert chart.data_uri.startswith("data:image/svg+xml;base64,")


def test_regenerating_keeps_earlier_versions(live_data, generate):
    tenant = live_data
    draft = ReportDraftFactory(delivery_body=tenant.body, created_by=tenant.officer)
    [first] = generate(draft, tenant.officer)
    services.draft_update(draft=draft, user=tenant.officer, data={"subject": "Renamed update"})
    [second] = generate(draft, tenant.officer)
    assert (first.version, second.version) == (1, 2)
    assert GeneratedReport.objects.filter(draft=draft).count() == 2
    first.refresh_from_db()
    assert first.file and services.checksum_ok(first)
    assert "Renamed update" in pdf_text(read_pdf(second))
    assert "Renamed update" not in pdf_text(read_pdf(first))
    assert first.history.count() >= 2  # audited


def test_exempt_appendix_is_a_separate_not_for_publication_document(live_data, generate):
    tenant = live_data
    draft = ReportDraftFactory(
        delivery_body=tenant.body, created_by=tenant.officer, exempt_appendices=["money"], exempt_category="3"
    )
    public, exempt = generate(draft, tenant.officer)
    assert (public.is_exempt, exempt.is_exempt) == (False, True)
    public_text, exempt_text = pdf_text(read_pdf(public)), pdf_text(read_pdf(exempt))
    assert "£58,330,000.00" not in public_text
    assert "Placement costs above budget" not in public_text
    assert "Appendix 3 – Contract finance (not for publication: Schedule 12A, paragraph 3)" in public_text
    # In the public report the exempt appendix is a notice in its own place, between appendices 2 and 4.
    body = pdf_body_text(read_pdf(public))
    notice = (
        "Appendix 3 – Contract finance NOT FOR PUBLICATION. This appendix contains exempt information "
        "(Schedule 12A, paragraph 3) and is produced as a separate document that is not published."
    )
    assert body.index("Appendix 2 – Table of Trust Board members Members") < body.index(notice)
    assert body.index(notice) < body.index("Appendix 4 – Risk register Contract risk register")
    assert "£58,330,000.00" in exempt_text
    assert "NOT FOR PUBLICATION" in exempt_text
    assert "OFFICIAL-SENSITIVE" in exempt_text
    assert "Re-referral rate" not in exempt_text  # only the exempt appendices
    assert exempt.protective_marking == "OFFICIAL-SENSITIVE"


@pytest.mark.parametrize("report_type", [t.value for t in ReportType])
def test_every_report_type_renders_through_the_one_function(tenant_a, generate, report_type):
    draft = ReportDraftFactory(delivery_body=tenant_a.body, created_by=tenant_a.officer, report_type=report_type)
    [report] = generate(draft, tenant_a.officer)
    assert report.status == GeneratedReport.Status.READY
    assert "DECISION RECOMMENDATIONS" in pdf_text(read_pdf(report))


def test_only_an_officer_can_generate(tenant_a):
    draft = ReportDraftFactory(delivery_body=tenant_a.body, created_by=tenant_a.officer)
    with pytest.raises(ValidationError) as exc:
        services.report_generate(draft=draft, user=tenant_a.scrutiny)
    assert "council officer" in str(exc.value)


def test_a_rerun_of_the_task_changes_nothing(live_data, generate):
    from reports.tasks import generate_report

    draft = ReportDraftFactory(delivery_body=live_data.body, created_by=live_data.officer)
    [report] = generate(draft, live_data.officer)
    assert generate_report(report.pk) == report.sha256
    assert GeneratedReport.objects.filter(draft=draft).count() == 1


def test_the_task_reports_progress_as_it_reads_each_appendix_and_renders(live_data, generate):
    """Each step the Celery task takes is saved on the document (and so shown on its page), in order."""
    draft = ReportDraftFactory(delivery_body=live_data.body, created_by=live_data.officer)
    [report] = generate(draft, live_data.officer)
    steps = [(h.status, h.progress, h.progress_note) for h in report.history.order_by("history_date", "history_id")]
    notes = [note for _, _, note in steps]
    assert notes == [
        "Waiting for the report worker",
        "Waiting for the report worker",  # handed to the queue (ADR 0502)
        "Reading the data",
        "Reading key performance indicators",
        "Reading table of trust board members",
        "Reading contract finance",
        "Reading risk register",
        "Reading open actions",
        "Reading reserved-matter decisions in the period",
        "Rendering the PDF",
        "Storing the document",
        "Ready to download",
    ]
    percents = [percent for _, percent, _ in steps]
    assert percents == sorted(percents) and percents[-1] == 100 and max(percents[:-1]) < 100
    assert [status for status, _, _ in steps][:2] == ["queued", "queued"] and steps[-1][0] == "ready"
    assert {status for status, _, _ in steps[2:-1]} == {"rendering"}
    reasons = [h.history_change_reason for h in report.history.order_by("history_date", "history_id")]
    assert reasons[1:3] == ["Handed to the report worker (send 1)", "Started by the report worker (attempt 1 of 3)"]
    assert reasons[-1] == "Generated"


def test_a_failed_render_is_recorded_and_the_next_version_still_works(live_data, generate, monkeypatch, client, caplog):
    from reports import tasks

    draft = ReportDraftFactory(delivery_body=live_data.body, created_by=live_data.officer)

    def broken(*args, **kwargs):
        raise RuntimeError("fonts missing")

    monkeypatch.setattr(tasks, "render_pdf", broken)
    [failed] = generate(draft, live_data.officer)  # no error page: the failure is on the document
    assert failed.status == GeneratedReport.Status.FAILED
    assert failed.error == "RuntimeError: fonts missing" and not failed.file
    assert "fonts missing" in caplog.text  # and logged
    client.force_login(live_data.officer)
    page = client.get(f"/reports/documents/{failed.pk}/").content.decode()
    assert "Failed" in page and "RuntimeError: fonts missing" in page
    assert 'http-equiv="refresh"' not in page
    assert client.get(f"/reports/documents/{failed.pk}/download/").status_code == 404
    monkeypatch.undo()
    [second] = generate(draft, live_data.officer)
    assert second.version == 2 and second.status == GeneratedReport.Status.READY
