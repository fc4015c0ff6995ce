"""Historic returns (the onboarding import): months a trust reported before TrustGov, recorded as accepted;
a month the trust already returned keeps its figures (the same figures change nothing; a different one is
refused naming the KPI)."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from performance import services
from performance.models import MonthlyReturn
from performance.positions import read_positions
from performance.services import Figures

from .factories import small_catalogue

pytestmark = pytest.mark.django_db

MAY_2025 = date(2025, 5, 1)


@pytest.fixture
def catalogue(tenant_a):
    with time_machine.travel("2025-09-15T10:00:00+01:00", tick=False):
        yield small_catalogue(tenant_a.body)


FIGURES = {
    "RR": Figures(numerator=Decimal("21"), denominator=Decimal("100")),
    "AS45": Figures(numerator=Decimal("80"), denominator=Decimal("100")),
    "CIN": Figures(value=Decimal("1650")),
}


def test_an_officer_records_a_historic_month_as_accepted(tenant_a, catalogue):
    ret = services.historic_return_record(
        user=tenant_a.officer, delivery_body=tenant_a.body, period=MAY_2025, figures=FIGURES, reason="Onboarding"
    )
    assert ret.status == MonthlyReturn.Status.ACCEPTED and ret.accepted_by == tenant_a.officer
    version = ret.accepted_version
    assert (version.number, version.channel, version.submitted_at is not None) == (1, "import", True)
    position = read_positions(list(catalogue.values()), start=MAY_2025, end=MAY_2025).at(catalogue["RR"], MAY_2025)
    assert (position.value, position.accepted, position.rag_word) == (Decimal("21"), True, "Green")


def test_the_same_figures_again_change_nothing_and_a_different_one_is_refused(tenant_a, catalogue):
    services.historic_return_record(
        user=tenant_a.officer, delivery_body=tenant_a.body, period=MAY_2025, figures=FIGURES, reason="Onboarding"
    )
    again = services.historic_return_record(
        user=tenant_a.officer, delivery_body=tenant_a.body, period=MAY_2025, figures=FIGURES, reason="Again"
    )
    assert again.versions.count() == 1
    changed = {**FIGURES, "CIN": Figures(value=Decimal("1700"))}
    with pytest.raises(ValidationError) as exc:
        services.historic_return_record(
            user=tenant_a.officer, delivery_body=tenant_a.body, period=MAY_2025, figures=changed, reason="Changed"
        )
    assert "never overwritten" in exc.value.message_dict["CIN-value"][0]
    assert again.versions.get().values.get(kpi__code="CIN").value == Decimal("1650")


def test_a_trusts_own_submitted_month_is_compared_not_overwritten(tenant_a, catalogue):
    services.return_record(
        delivery_body=tenant_a.body, period=MAY_2025, user=tenant_a.trust_exec, figures=FIGURES, submit=True
    )
    assert services.historic_return_conflicts(delivery_body=tenant_a.body, period=MAY_2025, figures=FIGURES) == {}
    conflicts = services.historic_return_conflicts(
        delivery_body=tenant_a.body, period=MAY_2025, figures={"CIN": Figures(value=Decimal("1"))}
    )
    assert set(conflicts) == {"CIN"}


def test_refusals_name_the_field_and_save_nothing(tenant_a, catalogue):
    with pytest.raises(PermissionDenied):
        services.historic_return_record(
            user=tenant_a.trust_exec, delivery_body=tenant_a.body, period=MAY_2025, figures=FIGURES, reason="x"
        )
    with pytest.raises(ValidationError) as exc:
        services.historic_return_record(
            user=tenant_a.officer, delivery_body=tenant_a.body, period=date(2025, 9, 1), figures=FIGURES, reason="x"
        )
    assert "has not ended" in exc.value.message_dict["period"][0]
    bad = {**FIGURES, "RR": Figures(numerator=Decimal("120"), denominator=Decimal("100")), "XX": Figures(value=1)}
    with pytest.raises(ValidationError) as exc:
        services.historic_return_record(
            user=tenant_a.officer, delivery_body=tenant_a.body, period=MAY_2025, figures=bad, reason="x"
        )
    assert {"RR-numerator", "XX-kpi"} <= set(exc.value.message_dict)
    assert not MonthlyReturn.objects.filter(delivery_body=tenant_a.body).exists()
