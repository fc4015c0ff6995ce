"""Spreadsheet upload: template round trip, cell-referenced errors, nothing saved unless the whole file is valid."""

import io
import zipfile
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from performance.models import MonthlyReturn

from .factories import small_catalogue


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(date(2025, 7, 10), tick=False):
        yield


@pytest.fixture
def trust(client, tenant_a):
    small_catalogue(tenant_a.body)
    client.force_login(tenant_a.trust_exec)
    return tenant_a


def template(client, fmt="xlsx", period="2025-06"):
    response = client.get(reverse("performance:return-template") + f"?period={period}&format={fmt}")
    assert response.status_code == 200
    return response.content


def filled_xlsx(client, edits: dict[str, object]) -> bytes:
    wb = load_workbook(io.BytesIO(template(client)))
    ws = wb.active
    for cell, value in edits.items():
        ws[cell] = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD = {"D5": 40, "E5": 200, "D6": 170, "E6": 200, "C7": 1650}


def upload(client, data: bytes, name="return.xlsx", reason=""):
    return client.post(reverse("performance:return-upload"), {"file": SimpleUploadedFile(name, data), "reason": reason})


def test_template_has_the_trust_month_and_one_row_per_kpi(client, trust):
    ws = load_workbook(io.BytesIO(template(client))).active
    assert ws["B1"].value == trust.body.slug and ws["B2"].value == "2025-06"
    assert [ws[f"A{r}"].value for r in (5, 6, 7)] == ["RR", "AS45", "CIN"]


def test_valid_xlsx_is_saved_as_a_draft_version(client, trust):
    response = upload(client, filled_xlsx(client, GOOD))
    assert response.status_code == 302
    ret = MonthlyReturn.objects.get(delivery_body=trust.body, period=date(2025, 6, 1))
    assert ret.status == "draft" and ret.versions.get().channel == "upload"
    assert ret.versions.get().values.count() == 3


def test_csv_upload(client, trust):
    text = template(client, "csv").decode()
    text = text.replace("RR,Re-referral rate,,,", "RR,Re-referral rate,,40,200").replace(
        "AS45,Assessments within 45 working days,,,", "AS45,Assessments within 45 working days,,170,200"
    )
    text = text.replace("CIN,Children in need,,", "CIN,Children in need,1650,")
    response = upload(client, text.encode(), name="return.csv")
    assert response.status_code == 302, response.content.decode()[:2000]


def test_bad_cells_are_listed_by_reference_and_nothing_is_saved(client, trust):
    response = upload(client, filled_xlsx(client, {**GOOD, "C7": "lots", "D5": 300}))
    page = response.content.decode()
    assert response.status_code == 400
    assert "C7: enter a number" in page
    assert not MonthlyReturn.objects.filter(delivery_body=trust.body).exists()
    # fix the number; now the service finds the numerator above its denominator in D5
    response = upload(client, filled_xlsx(client, {**GOOD, "D5": 300}))
    assert "D5: The numerator for Re-referral rate cannot be more than its denominator" in response.content.decode()
    assert not MonthlyReturn.objects.exists() or not MonthlyReturn.objects.filter(delivery_body=trust.body).exists()


def test_red_without_commentary_points_at_the_commentary_cell(client, trust):
    response = upload(client, filled_xlsx(client, {**GOOD, "D5": 60}))
    assert "F5: Re-referral rate is red" in response.content.decode()


def test_formula_refused(client, trust):
    response = upload(client, filled_xlsx(client, {**GOOD, "C7": "=1+1"}))
    assert "C7: formulas are not allowed" in response.content.decode()


def test_macro_workbook_refused(client, trust):
    data = filled_xlsx(client, GOOD)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/vbaProject.bin", b"\x00macro")
    assert "contains macros" in upload(client, out.getvalue()).content.decode()
    assert "contains macros" in upload(client, data, name="return.xlsm").content.decode()


@pytest.mark.parametrize(
    ("name", "data"),
    [("return.xlsx", b"%PDF-1.4 not a workbook"), ("photo.png", b"\x89PNG"), ("return.csv", b"\x00\x01binary")],
)
def test_non_spreadsheets_refused(client, trust, name, data):
    response = upload(client, data, name=name)
    assert response.status_code == 400 and "not a spreadsheet" in response.content.decode().replace(
        "must be a spreadsheet", "not a spreadsheet"
    )


def test_upload_for_another_trust_refused(client, trust, tenant_b):
    response = upload(client, filled_xlsx(client, {**GOOD, "B1": tenant_b.body.slug}))
    assert "B1: this file is for" in response.content.decode()
    assert not MonthlyReturn.objects.filter(delivery_body=tenant_b.body).exists()


def test_wrong_month_refused(client, trust):
    response = upload(client, filled_xlsx(client, {**GOOD, "B2": "2025-08"}))
    assert "B2: August 2025 has not ended yet" in response.content.decode()
    response = upload(client, filled_xlsx(client, {**GOOD, "B2": "June"}))
    assert "B2: enter the month as YYYY-MM" in response.content.decode()


def test_duplicate_submission_refused_then_accepted_as_a_new_version_with_reason(client, trust):
    from performance import services

    assert upload(client, filled_xlsx(client, GOOD)).status_code == 302
    ret = MonthlyReturn.objects.get(delivery_body=trust.body)
    services.return_submit(monthly_return=ret, user=trust.trust_exec)
    response = upload(client, filled_xlsx(client, GOOD))
    assert "already been submitted" in response.content.decode()
    assert ret.versions.count() == 1
    assert upload(client, filled_xlsx(client, {**GOOD, "C7": 1600}), reason="CIN recount").status_code == 302
    assert ret.versions.count() == 2


def test_a_blank_workbook_is_refused(client, trust):
    wb = Workbook()
    out = io.BytesIO()
    wb.save(out)
    assert "does not follow the template" in upload(client, out.getvalue()).content.decode()


def test_typed_percentage_over_100_points_at_its_value_cell(client, trust):
    from .factories import KpiFactory

    KpiFactory(delivery_body=trust.body, code="PCT", title="Typed share", unit="percentage", display_order=9)
    response = upload(client, filled_xlsx(client, {**GOOD, "C8": 100.5}))
    assert response.status_code == 400
    assert "C8: The percentage for Typed share cannot be more than 100" in response.content.decode()
    assert not MonthlyReturn.objects.filter(delivery_body=trust.body).exists()


def test_missing_denominator_points_at_its_cell(client, trust):
    response = upload(client, filled_xlsx(client, {**GOOD, "E5": None}))
    assert response.status_code == 400
    assert "E5: Enter the denominator for Re-referral rate" in response.content.decode()
    assert not MonthlyReturn.objects.filter(delivery_body=trust.body).exists()


def test_missing_values_are_refused_when_the_draft_is_submitted(client, trust):
    assert upload(client, filled_xlsx(client, {"C7": 1650})).status_code == 302  # a partial draft
    ret = MonthlyReturn.objects.get(delivery_body=trust.body)
    response = client.post(reverse("performance:return-submit", kwargs={"pk": ret.pk}), {"confirm": "on"})
    assert response.status_code == 400 and "Enter the numerator for Re-referral rate" in response.content.decode()
    ret.refresh_from_db()
    assert ret.status == "draft"


def test_csv_formula_refused_with_its_cell(client, trust):
    text = template(client, "csv").decode().replace("CIN,Children in need,,", "CIN,Children in need,=SUM(1),")
    response = upload(client, text.encode(), name="return.csv")
    assert response.status_code == 400 and "C7: formulas are not allowed" in response.content.decode()
    assert not MonthlyReturn.objects.filter(delivery_body=trust.body).exists()


def test_a_zip_that_is_not_a_workbook_is_refused(client, trust):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    response = upload(client, out.getvalue(), name="return.xlsx")
    assert response.status_code == 400 and "not a spreadsheet we can read" in response.content.decode()


def test_no_file_chosen(client, trust):
    response = client.post(reverse("performance:return-upload"), {"reason": ""})
    assert response.status_code == 400 and "Choose the spreadsheet to upload" in response.content.decode()


def test_another_trusts_file_is_named_even_when_other_cells_are_wrong(client, trust, tenant_b):
    response = upload(client, filled_xlsx(client, {**GOOD, "B1": tenant_b.body.slug, "C7": "lots"}))
    page = response.content.decode()
    assert "B1: this file is for" in page and "C7: enter a number" in page
    response = upload(client, filled_xlsx(client, {**GOOD, "B1": None}))
    assert f"B1: enter your trust&#x27;s code ({trust.body.slug})" in response.content.decode()
    assert not MonthlyReturn.objects.exists() or not MonthlyReturn.objects.filter(delivery_body=trust.body).exists()


def test_a_kpi_twice_is_refused(client, trust):
    response = upload(client, filled_xlsx(client, {**GOOD, "A8": "RR", "D8": 1, "E8": 2}))
    assert "A8: KPI RR appears twice (also in row 5)" in response.content.decode()
    assert not MonthlyReturn.objects.filter(delivery_body=trust.body).exists()


def test_an_accepted_month_cannot_be_uploaded_again(client, trust):
    from performance import services

    assert upload(client, filled_xlsx(client, GOOD)).status_code == 302
    ret = MonthlyReturn.objects.get(delivery_body=trust.body)
    services.return_submit(monthly_return=ret, user=trust.trust_exec)
    services.return_accept(monthly_return=ret, user=trust.officer)
    response = upload(client, filled_xlsx(client, {**GOOD, "C7": 1}), reason="Too late")
    assert "B2: The return for June 2025 has been accepted" in response.content.decode()
    assert ret.versions.count() == 1 and ret.versions.get().values.get(kpi__code="CIN").value == 1650


def test_template_neutralises_formula_like_titles(client, trust):
    from .factories import KpiFactory

    KpiFactory(delivery_body=trust.body, code="EVIL", title='=HYPERLINK("http://evil")', display_order=9)
    ws = load_workbook(io.BytesIO(template(client))).active
    assert ws["B8"].value == '\'=HYPERLINK("http://evil")' and ws["B8"].data_type != "f"
    assert '\'=HYPERLINK(""http://evil"")' in template(client, "csv").decode()
