"""A fresh start for a real council, walked end to end: an empty database → bootstrap_council (the first
administrator) → the onboarding import → invite a trust executive → the trust submits its first return."""

import re
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from contracts.models import Contract
from onboarding import services as onboarding
from performance import services as performance
from performance.models import Kpi, MonthlyReturn
from performance.positions import read_positions
from trustgov.accounts import services as accounts
from trustgov.accounts.models import User
from trustgov.accounts.roles import Role
from trustgov.organisations.models import Council, DeliveryBody

from .helpers import minimal_sheets, wipe_database, workbook_bytes

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-northshire-passphrase-2027"  # noqa: S105


def _accept(link: str) -> User:
    uidb64, token = re.search(r"/invitation/([^/]+)/([^/]+)/", link).groups()
    return accounts.invitation_accept(uidb64=uidb64, token=token, password=PASSWORD)


@time_machine.travel("2027-05-20T10:00:00+01:00", tick=False)
def test_an_empty_database_to_the_trusts_first_return():
    wipe_database()
    assert not Council.objects.exists() and not User.objects.exists()

    out = StringIO()
    call_command(
        "bootstrap_council",
        name="Northshire Council",
        la_code="999",
        gss_code="E06000999",
        admin_email="first.admin@northshire.gov.uk",
        stdout=out,
    )
    link = next(line for line in out.getvalue().splitlines() if "/invitation/" in line)
    admin = _accept(link)
    council = Council.objects.get(slug="northshire")
    assert admin.council == council and admin.is_administrator

    sheets = minimal_sheets(start=date(2027, 1, 1))
    result = onboarding.run_import(council=council, user=admin, name="northshire.xlsx", data=workbook_bytes(sheets))
    assert result.ok, [str(p) for p in result.problems]
    body = DeliveryBody.objects.get(slug="northshire-trust", council=council)
    assert Contract.objects.get(delivery_body=body).status == Contract.Status.LIVE

    invitation = accounts.user_invite(
        admin=admin,
        email="chief.executive@northshire-trust.org.uk",
        role=Role.TRUST_EXECUTIVE,
        organisation=body,
        base_url="http://testserver",
        first_name="Nia",
        last_name="Okafor",
        job_title="Chief Executive",
    )
    executive = _accept(invitation.link)
    assert executive.delivery_body == body and executive.check_password(PASSWORD)

    april = date(2027, 4, 1)
    monthly_return = performance.return_record(
        delivery_body=body,
        period=april,
        user=executive,
        figures={"RR": performance.Figures(value=Decimal("21.5")), "CL": performance.Figures(value=Decimal("17"))},
        submit=True,
    )
    monthly_return.refresh_from_db()
    assert monthly_return.status == MonthlyReturn.Status.SUBMITTED
    assert monthly_return.versions.get().signed_off_by == executive

    kpis = list(Kpi.objects.filter(delivery_body=body).order_by("code"))
    positions = read_positions(kpis, start=april, end=april)
    rr = positions.at(next(k for k in kpis if k.code == "RR"), april)
    assert (rr.value, rr.target, rr.rag_word, rr.provisional) == (Decimal("21.5"), Decimal("22"), "Green", True)
