"""The organisations services the onboarding import writes through: delivery bodies and office holdings as
another record has them."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import CouncilFactory, DeliveryBodyFactory, make_user
from trustgov.accounts.roles import Role
from trustgov.organisations import services
from trustgov.organisations.models import DeliveryBody, OfficeHolding

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    council = CouncilFactory(slug="eastshire", name="Eastshire Council")
    return make_user(Role.COUNCIL_OFFICER, council=council, username="eastshire-admin", is_administrator=True)


def test_a_council_administrator_records_its_delivery_body_with_history(admin):
    body = services.delivery_body_create(
        user=admin,
        council=admin.council,
        slug="Eastshire-Trust",
        name="Eastshire  Children's Trust",
        kind="trust",
        operational_from=date(2026, 4, 1),
    )
    assert (body.slug, body.name, body.council) == ("eastshire-trust", "Eastshire Children's Trust", admin.council)
    assert body.history.count() == 1
    services.delivery_body_update(user=admin, delivery_body=body, company_number="12345678")
    assert body.history.count() == 2


def test_delivery_body_refusals_name_the_field(admin):
    DeliveryBodyFactory(slug="taken", name="Taken Trust")
    with pytest.raises(ValidationError) as exc:
        services.delivery_body_create(user=admin, council=admin.council, slug="taken", name="Other", kind="trust")
    assert "slug" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.delivery_body_create(
            user=admin,
            council=admin.council,
            slug="new",
            name="New Trust",
            kind="trust",
            shadow_from=date(2026, 5, 1),
            operational_from=date(2026, 4, 1),
        )
    assert "shadow_from" in exc.value.message_dict
    plain = make_user(Role.COUNCIL_OFFICER, council=admin.council, username="eastshire-plain")
    with pytest.raises(PermissionDenied):
        services.delivery_body_create(user=plain, council=admin.council, slug="new", name="New Trust", kind="trust")
    other = CouncilFactory(slug="westshire", name="Westshire Council")
    with pytest.raises(ValidationError) as exc:
        services.delivery_body_create(user=admin, council=other, slug="new", name="New Trust", kind="trust")
    assert "council" in exc.value.message_dict
    assert not DeliveryBody.objects.filter(slug="new").exists()


def test_an_office_holding_as_recorded_elsewhere_refuses_an_overlap(admin):
    council = admin.council
    current = services.office_holding_import(user=admin, council=council, office="dcs", holder_name="Ada Lovelace")
    assert current.start_date is None and current.end_date is None
    with pytest.raises(ValidationError) as exc:
        services.office_holding_import(
            user=admin,
            council=council,
            office="dcs",
            holder_name="Grace Hopper",
            start_date=date(2020, 1, 1),
            end_date=date(2021, 1, 1),
        )
    assert "Ada Lovelace holds the office" in exc.value.message_dict["start_date"][0]
    services.office_holding_import(
        user=admin,
        council=council,
        office="lead_member",
        holder_name="Grace Hopper",
        start_date=date(2020, 1, 1),
        end_date=date(2021, 1, 1),
    )
    with pytest.raises(ValidationError) as exc:
        services.office_holding_import(
            user=admin,
            council=council,
            office="lead_member",
            holder_name="Mary Somerville",
            start_date=date(2020, 6, 1),
        )
    assert "start_date" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.office_holding_import(user=admin, council=council, office="trust_chair", holder_name="Someone")
    assert "office" in exc.value.message_dict
    assert OfficeHolding.objects.filter(council=council).count() == 2
