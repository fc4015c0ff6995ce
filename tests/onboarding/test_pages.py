"""The onboarding pages: upload → preview (counts, or every problem with its sheet and cell) → confirm → done."""

import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from onboarding.models import OnboardingUpload
from tests.factories import CouncilFactory, make_user
from trustgov.accounts.roles import Role
from trustgov.organisations.models import DeliveryBody

from .helpers import minimal_sheets, row_counts, workbook_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    with time_machine.travel("2026-11-18T10:00:00+00:00", tick=False):
        council = CouncilFactory(slug="northshire", name="Northshire Council")
        yield make_user(Role.COUNCIL_OFFICER, council=council, username="northshire-admin", is_administrator=True)


def _upload(client, data: bytes, name: str = "northshire.xlsx"):
    return client.post(reverse("onboarding:start"), {"file": SimpleUploadedFile(name, data)})


def test_upload_preview_confirm_done(client, admin):
    client.force_login(admin)
    response = _upload(client, workbook_bytes(minimal_sheets()))
    upload = OnboardingUpload.objects.get(council=admin.council)
    assert response.status_code == 302 and response["Location"] == reverse("onboarding:preview", args=[upload.pk])
    assert not DeliveryBody.objects.filter(slug="northshire-trust").exists()

    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "What the file does" in text and "Import the workbook" in text
    assert "<title>Check the onboarding workbook –" in text
    assert "northshire-trust RR Re-referrals" in text
    assert not DeliveryBody.objects.filter(slug="northshire-trust").exists()

    done = client.post(reverse("onboarding:confirm", args=[upload.pk]))
    assert done.status_code == 302 and done["Location"] == reverse("onboarding:done", args=[upload.pk])
    assert DeliveryBody.objects.filter(slug="northshire-trust", council=admin.council).exists()
    page = client.get(done["Location"])
    assert "Workbook imported" in page.content.decode()
    assert reverse("user-invite") in page.content.decode()

    # The kept file is imported once: a second confirmation is refused and saves nothing.
    before = row_counts()
    again = client.post(reverse("onboarding:confirm", args=[upload.pk]))
    assert again.status_code == 302  # already applied: straight to its done page
    assert row_counts() == before


def test_the_preview_lists_every_problem_with_sheet_and_cell_and_offers_no_import(client, admin):
    client.force_login(admin)
    sheets = minimal_sheets()
    sheets["KPI catalogue"][1][1] = "RR"
    sheets["Targets"][1][3] = "=18"
    response = _upload(client, workbook_bytes(sheets), name="bad.xlsx")
    page = client.get(response["Location"])
    assert page.status_code == 400
    text = page.content.decode()
    assert "govuk-error-summary" in text and "nothing was saved" in text
    assert "<title>Error: Check the onboarding workbook –" in text
    assert '<td class="govuk-table__cell">B3</td>' in text  # the duplicate code
    assert '<td class="govuk-table__cell">D3</td>' in text  # the formula
    assert "Import the workbook" not in text
    upload = OnboardingUpload.objects.get(file_name="bad.xlsx")
    before = row_counts()
    refused = client.post(reverse("onboarding:confirm", args=[upload.pk]))
    assert refused.status_code == 400
    assert row_counts() == before


def test_the_confirmation_reads_the_kept_file_not_the_form(client, admin):
    client.force_login(admin)
    response = _upload(client, workbook_bytes(minimal_sheets()))
    upload = OnboardingUpload.objects.get(council=admin.council)
    upload.content = workbook_bytes({"Targets": []})  # the kept file no longer matches its hash
    upload.save()
    refused = client.post(reverse("onboarding:confirm", args=[upload.pk]), {"file": "anything"})
    assert refused.status_code == 400
    assert "does not match what was previewed" in refused.content.decode()
    assert not DeliveryBody.objects.filter(slug="northshire-trust").exists()
    assert response.status_code == 302


def test_another_councils_officer_gets_404_and_other_roles_403(client, admin, demo_user):
    client.force_login(admin)
    _upload(client, workbook_bytes(minimal_sheets()))
    upload = OnboardingUpload.objects.get(council=admin.council)
    client.force_login(demo_user("sandwell-officer"))
    for name in ("onboarding:preview", "onboarding:done"):
        assert client.get(reverse(name, args=[upload.pk])).status_code == 404
    assert client.post(reverse("onboarding:confirm", args=[upload.pk])).status_code == 404
    plain = make_user(Role.COUNCIL_OFFICER, council=admin.council, username="northshire-plain")
    for user in (demo_user("sandwell-trust-exec"), demo_user("sandwell-scrutiny"), plain):
        client.force_login(user)
        assert client.get(reverse("onboarding:start")).status_code == 403
        assert client.post(reverse("onboarding:confirm", args=[upload.pk])).status_code == 403
    assert not DeliveryBody.objects.filter(slug="northshire-trust").exists()


def test_the_export_download_is_the_councils_set_up(client, demo_user):
    client.force_login(demo_user("sandwell-officer"))
    response = client.get(reverse("onboarding:export"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    contracts = [r for r in book["Contracts"].iter_rows(values_only=True)]
    assert [r[0] for r in contracts[1:]] == ["SMBC-SCT-2018"]
    template = client.get(reverse("onboarding:template"))
    assert template.status_code == 200 and template["Content-Disposition"].endswith('.xlsx"')
