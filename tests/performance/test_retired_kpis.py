"""A retired KPI is no longer reported: returns from its retirement month neither ask for nor take it, and once
the dashboard's month reaches it, its tile goes (listed as retired, its page and history kept)."""

from datetime import date
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from performance import services
from performance.models import Kpi
from performance.services import Figures

from .factories import small_catalogue

pytestmark = pytest.mark.django_db
JUNE, JULY = date(2025, 6, 1), date(2025, 7, 1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(date(2025, 8, 20), tick=False):
        yield


def figures(*, cin=True):
    out = {
        "RR": Figures(numerator=D("40"), denominator=D("200")),
        "AS45": Figures(numerator=D("170"), denominator=D("200")),
    }
    if cin:
        out["CIN"] = Figures(value=D("1650"))
    return out


def test_a_retired_kpi_leaves_the_returns_and_the_dashboard(client, tenant_a):
    small_catalogue(tenant_a.body)
    june = services.return_record(
        delivery_body=tenant_a.body, period=JUNE, user=tenant_a.trust_exec, figures=figures(), submit=True
    )
    services.return_accept(monthly_return=june, user=tenant_a.officer)
    cin = Kpi.objects.get(delivery_body=tenant_a.body, code="CIN")
    services.kpi_retire(user=tenant_a.officer, kpi=cin, retired_from=JULY)

    client.force_login(tenant_a.officer)
    url = reverse("performance:dashboard") + f"?body={tenant_a.body.slug}"
    assert "Children in need" in client.get(url).content.decode()  # June still reports it

    # July: the return neither asks for CIN nor takes it.
    client.force_login(tenant_a.trust_exec)
    form = client.get(reverse("performance:return-enter") + "?period=2025-07").content.decode()
    assert "Children in need" not in form and "Re-referral rate" in form
    with pytest.raises(ValidationError):
        services.return_record(
            delivery_body=tenant_a.body, period=JULY, user=tenant_a.trust_exec, figures=figures(), submit=True
        )
    july = services.return_record(
        delivery_body=tenant_a.body, period=JULY, user=tenant_a.trust_exec, figures=figures(cin=False), submit=True
    )
    services.return_accept(monthly_return=july, user=tenant_a.officer)

    client.force_login(tenant_a.officer)
    page = client.get(url).content.decode()
    tiles = page.split('data-testid="retired-kpis"')[0]
    assert "Children in need" not in tiles and "Re-referral rate" in tiles
    assert "CIN Children in need</a>: retired from July 2025" in page
    assert client.get(reverse("performance:kpi-detail", args=[cin.pk])).status_code == 200
