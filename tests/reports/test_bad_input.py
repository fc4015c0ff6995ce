"""Bad input is said plainly: no accepted return, no contract, missing narrative, a backwards period."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from reports import services
from reports.sections import board_section, contract_money_section, kpi_section, risk_section

from .conftest import pdf_text, read_pdf
from .factories import ReportDraftFactory, make_kpi, make_return


def test_period_with_no_accepted_return_says_so(tenant_a, generate):
    kpi = make_kpi(tenant_a.body)
    # A return that was submitted but never accepted does not count.
    make_return(tenant_a.body, date(2026, 2, 1), {kpi: "20.00"}, user=tenant_a.trust_exec, accepted=False)
    draft = ReportDraftFactory(delivery_body=tenant_a.body, created_by=tenant_a.officer)
    section = kpi_section(draft)
    assert section.empty_message.startswith("No accepted return for this period")
    [report] = generate(draft, tenant_a.officer)
    assert "No data: No accepted return for this period" in pdf_text(read_pdf(report))


def test_trust_with_no_contract_says_so(tenant_a, generate):
    draft = ReportDraftFactory(delivery_body=tenant_a.body, created_by=tenant_a.officer)
    assert "No contract is recorded between Alpha Council and Alpha Children's Trust" in (
        contract_money_section(draft).empty_message
    )
    assert risk_section(draft).empty_message.startswith("No contract is recorded")
    assert board_section(draft).empty_message == "No trust board is recorded for Alpha Children's Trust."
    [report] = generate(draft, tenant_a.officer)
    text = pdf_text(read_pdf(report))
    assert "No data: No contract is recorded" in text


def test_missing_required_narrative_is_refused_naming_each_section(tenant_a):
    draft = ReportDraftFactory(
        delivery_body=tenant_a.body, created_by=tenant_a.officer, purpose="", resources="  ", recommendations=""
    )
    with pytest.raises(ValidationError) as exc:
        services.report_generate(draft=draft, user=tenant_a.officer)
    errors = exc.value.message_dict
    assert set(errors) == {"purpose", "resources", "recommendations"}
    assert "Enter the 'Purpose of the report' section" in errors["purpose"][0]
    assert not draft.generated.exists()  # nothing partial saved


def test_draft_with_period_ending_before_it_starts_is_refused(tenant_a):
    with pytest.raises(ValidationError) as exc:
        services.draft_create(
            user=tenant_a.officer,
            data={
                "report_type": "scrutiny",
                "council": tenant_a.council,
                "delivery_body": tenant_a.body,
                "period_start": date(2026, 3, 31),
                "period_end": date(2026, 1, 1),
                "title": "Report to Scrutiny",
                "meeting_name": "Scrutiny Board",
                "meeting_date": date(2026, 5, 1),
                "subject": "Update",
            },
        )
    assert "period_end" in exc.value.message_dict


def test_officer_cannot_draft_for_another_councils_trust(tenant_a, tenant_b):
    with pytest.raises(ValidationError) as exc:
        services.draft_create(
            user=tenant_a.officer,
            data={
                "report_type": "scrutiny",
                "council": tenant_b.council,
                "delivery_body": tenant_b.body,
                "period_start": date(2026, 1, 1),
                "period_end": date(2026, 3, 31),
                "title": "Report to Scrutiny",
                "meeting_name": "Scrutiny Board",
                "meeting_date": date(2026, 5, 1),
                "subject": "Update",
            },
        )
    assert "council" in exc.value.message_dict


def test_exempt_appendix_needs_a_schedule_12a_paragraph(tenant_a):
    draft = ReportDraftFactory(delivery_body=tenant_a.body, created_by=tenant_a.officer)
    with pytest.raises(ValidationError) as exc:
        services.draft_update(draft=draft, user=tenant_a.officer, data={"exempt_appendices": ["money"]})
    assert "exempt_category" in exc.value.message_dict
