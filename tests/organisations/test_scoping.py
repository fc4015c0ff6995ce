"""Tenancy: one scoping function per model; another tenant's record is a 404."""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import DirectionFactory, MemorandumFactory
from trustgov.core.scoping import registered_models, visible
from trustgov.organisations.models import Council, DeliveryBody, Direction, MemorandumOfUnderstanding

pytestmark = pytest.mark.django_db


def test_every_audited_model_has_a_scoping_function():
    from django.apps import apps

    audited = {
        m
        for m in apps.get_models()
        if hasattr(m, "history") and not m.__name__.startswith("Historical") and m._meta.app_label != "accounts"
    }
    missing = sorted(m.__name__ for m in audited - set(registered_models()))
    assert not missing, f"Register a scoping function (@scope_for) for: {missing}"


def test_council_users_see_their_council_and_its_trust(tenant_a, tenant_b):
    for user in (tenant_a.officer, tenant_a.scrutiny):
        assert list(visible(Council, user)) == [tenant_a.council]
        assert list(visible(DeliveryBody, user)) == [tenant_a.body]


def test_trust_user_sees_their_trust_and_its_council(tenant_a, tenant_b):
    assert list(visible(DeliveryBody, tenant_a.trust_exec)) == [tenant_a.body]
    assert list(visible(Council, tenant_a.trust_exec)) == [tenant_a.council]


def test_dfe_sees_everything(tenant_a, tenant_b, dfe_user):
    assert set(visible(Council, dfe_user)) >= {tenant_a.council, tenant_b.council}


def test_nobody_else_sees_anything(tenant_a):
    from tests.factories import UserFactory

    for user in (AnonymousUser(), UserFactory()):
        assert not visible(Council, user).exists()
        assert not visible(DeliveryBody, user).exists()


def test_directions_and_memoranda_follow_the_council(tenant_a, tenant_b):
    mine = DirectionFactory(council=tenant_a.council)
    DirectionFactory(council=tenant_b.council)
    mou = MemorandumFactory(delivery_body=tenant_a.body)
    MemorandumFactory(delivery_body=tenant_b.body)
    assert list(visible(Direction, tenant_a.officer)) == [mine]
    assert list(visible(MemorandumOfUnderstanding, tenant_a.trust_exec)) == [mou]


@pytest.mark.parametrize("who", ["officer", "trust_exec", "scrutiny"])
def test_other_tenants_pages_are_404(client, tenant_a, tenant_b, who):
    client.force_login(getattr(tenant_a, who))
    assert client.get(f"/organisations/councils/{tenant_a.council.slug}/").status_code == 200
    assert client.get(f"/organisations/councils/{tenant_b.council.slug}/").status_code == 404
    assert client.get(f"/organisations/delivery-bodies/{tenant_b.body.slug}/").status_code == 404
    assert client.get(f"/history/organisations/council/{tenant_b.council.pk}/").status_code == 404


def test_council_list_shows_only_own_council(client, tenant_a, tenant_b):
    client.force_login(tenant_a.officer)
    html = client.get("/organisations/").content.decode()
    assert tenant_a.council.name in html and tenant_b.council.name not in html
