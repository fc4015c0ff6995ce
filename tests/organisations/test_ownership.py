"""Adding and ending a co-owning council of a delivery body: the service, the pages and the API.

Alpha Council leads Alpha's trust; its administrator adds Beta Council as a co-owner. Beta's officers then see the
trust and its joint contract (not a contract Alpha holds alone); Gamma, a third council, still gets 404. Only an
administrator of the lead council changes the owners; the lead council is never removed; each change is in the
history with who made it and why.
"""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from tests.conftest import build_tenant, make_user
from tests.contracts.factories import ContractFactory
from trustgov.core.roles import Role
from trustgov.core.scoping import visible
from trustgov.organisations import services
from trustgov.organisations.models import DeliveryBody, Ownership

pytestmark = pytest.mark.django_db

REASON = "Cabinet decision 12 March 2025: Beta Council takes a half share"
TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(date(2026, 6, 15), tick=False):
        yield


@pytest.fixture
def admin(tenant_a):
    return make_user(Role.COUNCIL_OFFICER, council=tenant_a.council, username="alpha-admin", is_administrator=True)


@pytest.fixture
def contracts(tenant_a):
    return {
        "joint": ContractFactory(council=tenant_a.council, delivery_body=tenant_a.body, is_joint=True, reference="J-1"),
        "alpha": ContractFactory(council=tenant_a.council, delivery_body=tenant_a.body, reference="ALPHA-1"),
    }


def sees(user, obj) -> bool:
    return visible(type(obj), user).filter(pk=obj.pk).exists()


# --- the service ----------------------------------------------------------------------------------------


def test_a_co_owner_sees_the_trust_and_its_joint_contract_and_a_third_council_still_does_not(
    tenant_a, tenant_b, admin, contracts
):
    gamma = build_tenant("gamma")
    assert not sees(tenant_b.officer, tenant_a.body) and not sees(tenant_b.officer, contracts["joint"])

    ownership = services.ownership_add(
        user=admin, delivery_body=tenant_a.body, council=tenant_b.council, since=date(2025, 4, 1), reason=REASON
    )

    assert ownership.since == date(2025, 4, 1) and ownership.until is None
    assert sees(tenant_b.officer, tenant_a.body) and sees(tenant_b.scrutiny, tenant_a.body)
    assert sees(tenant_b.officer, contracts["joint"]) and not sees(tenant_b.officer, contracts["alpha"])
    assert tenant_a.body.jointly_owned and tenant_a.body.is_owned_by(tenant_b.council)
    for user in (gamma.officer, gamma.scrutiny, gamma.trust_exec):
        assert not sees(user, tenant_a.body) and not sees(user, contracts["joint"])
    # The trust's executives see both owners.
    assert {c.slug for c in visible(type(tenant_b.council), tenant_a.trust_exec)} == {"alpha-council", "beta-council"}

    record = ownership.history.latest()
    assert (record.history_user, record.history_change_reason, record.history_type) == (admin, REASON, "+")


def test_ending_an_ownership_ends_the_councils_sight_after_its_last_day_and_keeps_the_history(
    tenant_a, tenant_b, admin, contracts
):
    ownership = services.ownership_add(
        user=admin, delivery_body=tenant_a.body, council=tenant_b.council, since=date(2025, 4, 1), reason=REASON
    )
    services.ownership_end(user=admin, ownership=ownership, until=TODAY, reason="Beta sells its share")
    assert sees(tenant_b.officer, tenant_a.body), "an owner until the end of its last day"
    with time_machine.travel(date(2026, 6, 16), tick=False):
        assert not sees(tenant_b.officer, tenant_a.body) and not sees(tenant_b.officer, contracts["joint"])
        assert not tenant_a.body.jointly_owned and not tenant_a.body.is_owned_by(tenant_b.council)
    ownership.refresh_from_db()
    assert ownership.until == TODAY
    assert [h.history_change_reason for h in ownership.history.order_by("history_id")] == [
        REASON,
        "Beta sells its share",
    ]
    assert ownership.history.latest().history_user == admin


def test_the_lead_council_is_never_removed(tenant_a, admin):
    lead = Ownership.objects.get(delivery_body=tenant_a.body, council=tenant_a.council)
    with pytest.raises(ValidationError) as exc:
        services.ownership_end(user=admin, ownership=lead, until=TODAY, reason="Leaving")
    assert "lead council" in exc.value.message_dict["council"][0]
    lead.refresh_from_db()
    assert lead.until is None
    with pytest.raises(ValidationError) as exc:
        services.ownership_add(
            user=admin, delivery_body=tenant_a.body, council=tenant_a.council, since=TODAY, reason=REASON
        )
    assert "lead council" in exc.value.message_dict["council"][0]


def test_bad_input_names_the_field_and_saves_nothing(tenant_a, tenant_b, admin):
    with pytest.raises(ValidationError) as exc:
        services.ownership_add(user=admin, delivery_body=tenant_a.body, council=tenant_b.council, since=None, reason="")
    assert set(exc.value.message_dict) == {"since", "reason"}
    assert not Ownership.objects.filter(council=tenant_b.council, delivery_body=tenant_a.body).exists()
    ownership = services.ownership_add(
        user=admin, delivery_body=tenant_a.body, council=tenant_b.council, since=date(2025, 4, 1), reason=REASON
    )
    with pytest.raises(ValidationError) as exc:
        services.ownership_add(
            user=admin, delivery_body=tenant_a.body, council=tenant_b.council, since=TODAY, reason=REASON
        )
    assert "already an owner" in exc.value.message_dict["council"][0]
    with pytest.raises(ValidationError) as exc:
        services.ownership_end(user=admin, ownership=ownership, until=date(2025, 3, 31), reason="Too early")
    assert "until" in exc.value.message_dict
    ownership.refresh_from_db()
    assert ownership.until is None


def test_a_former_owner_becomes_an_owner_again_from_a_later_date(tenant_a, tenant_b, admin):
    ownership = services.ownership_add(
        user=admin, delivery_body=tenant_a.body, council=tenant_b.council, since=date(2024, 4, 1), reason=REASON
    )
    services.ownership_end(user=admin, ownership=ownership, until=date(2025, 3, 31), reason="Ended")
    with pytest.raises(ValidationError) as exc:
        services.ownership_add(
            user=admin, delivery_body=tenant_a.body, council=tenant_b.council, since=date(2025, 3, 1), reason="Again"
        )
    assert "until 31 March 2025" in exc.value.message_dict["since"][0]
    again = services.ownership_add(
        user=admin, delivery_body=tenant_a.body, council=tenant_b.council, since=date(2026, 4, 1), reason="Again"
    )
    assert again.pk == ownership.pk and (again.since, again.until) == (date(2026, 4, 1), None)
    assert sees(tenant_b.officer, tenant_a.body)


def test_only_an_administrator_of_the_lead_council_changes_the_owners(tenant_a, tenant_b, admin, dfe_user):
    services.ownership_add(
        user=admin, delivery_body=tenant_a.body, council=tenant_b.council, since=date(2025, 4, 1), reason=REASON
    )
    beta_admin = make_user(Role.COUNCIL_OFFICER, council=tenant_b.council, username="beta-admin", is_administrator=True)
    trust_admin = make_user(
        Role.TRUST_EXECUTIVE, delivery_body=tenant_a.body, username="alpha-trust-admin", is_administrator=True
    )
    gamma = build_tenant("gamma")
    ownership = Ownership.objects.get(council=tenant_b.council, delivery_body=tenant_a.body)
    for user in (tenant_a.officer, tenant_a.scrutiny, trust_admin, dfe_user, beta_admin):
        with pytest.raises((PermissionDenied, ValidationError)) as exc:
            services.ownership_add(
                user=user, delivery_body=tenant_a.body, council=gamma.council, since=TODAY, reason=REASON
            )
        if isinstance(exc.value, ValidationError):
            assert exc.value.error_dict["council"][0].code == "permission", user
        with pytest.raises((PermissionDenied, ValidationError)):
            services.ownership_end(user=user, ownership=ownership, until=TODAY, reason="No")
    assert not Ownership.objects.filter(council=gamma.council).exclude(delivery_body=gamma.body).exists()
    ownership.refresh_from_db()
    assert ownership.until is None


# --- the pages ------------------------------------------------------------------------------------------


def add_url(body: DeliveryBody) -> str:
    return reverse("organisations:ownership-add", kwargs={"slug": body.slug})


def test_the_lead_administrator_adds_a_co_owner_from_the_delivery_body_page(client, tenant_a, tenant_b, admin):
    client.force_login(admin)
    page = client.get(tenant_a.body.get_absolute_url()).content.decode()
    assert "Add an owning council" in page and add_url(tenant_a.body) in page
    form = client.get(add_url(tenant_a.body)).content.decode()
    assert f">{tenant_b.council.name}</option>" in form
    assert f">{tenant_a.council.name}</option>" not in form  # the lead is not offered

    response = client.post(
        add_url(tenant_a.body),
        {
            "council": tenant_b.council.pk,
            "since_0": "1",
            "since_1": "4",
            "since_2": "2025",
            "reason": REASON,
        },
    )
    assert response.status_code == 302 and response.url == tenant_a.body.get_absolute_url()
    ownership = Ownership.objects.get(council=tenant_b.council, delivery_body=tenant_a.body)
    assert ownership.history.latest().history_user == admin
    assert ownership.history.latest().history_change_reason == REASON
    owners = client.get(tenant_a.body.get_absolute_url()).content.decode()
    assert "Beta Council" in owners and "1 April 2025" in owners
    assert reverse("organisations:ownership-end", kwargs={"slug": tenant_a.body.slug, "pk": ownership.pk}) in owners

    client.force_login(tenant_b.officer)
    assert client.get(tenant_a.body.get_absolute_url()).status_code == 200
    gamma = build_tenant("gamma")
    client.force_login(gamma.officer)
    assert client.get(tenant_a.body.get_absolute_url()).status_code == 404


def test_a_failed_form_is_400_naming_each_field_and_saves_nothing(client, tenant_a, tenant_b, admin):
    client.force_login(admin)
    response = client.post(add_url(tenant_a.body), {"since_0": "31", "since_1": "2", "since_2": "2025", "reason": ""})
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    for message in ("Choose the council that becomes an owner", "Owner from must be a real date"):
        assert message in page
    assert "Enter why the ownership changes" in page
    assert Ownership.objects.filter(delivery_body=tenant_a.body).count() == 1


def test_the_end_ownership_page_ends_it_with_a_date_and_reason(client, tenant_a, tenant_b, admin):
    ownership = services.ownership_add(
        user=admin, delivery_body=tenant_a.body, council=tenant_b.council, since=date(2025, 4, 1), reason=REASON
    )
    url = reverse("organisations:ownership-end", kwargs={"slug": tenant_a.body.slug, "pk": ownership.pk})
    client.force_login(admin)
    bad = client.post(url, {"until_0": "1", "until_1": "1", "until_2": "2025", "reason": "Sold"})
    assert bad.status_code == 400 and "The ownership began on 1 April 2025" in bad.content.decode()
    assert client.post(url, {"until_0": "", "until_1": "", "until_2": "", "reason": ""}).status_code == 400
    ownership.refresh_from_db()
    assert ownership.until is None
    done = client.post(url, {"until_0": "31", "until_1": "5", "until_2": "2026", "reason": "Beta sells its share"})
    assert done.status_code == 302
    ownership.refresh_from_db()
    assert ownership.until == date(2026, 5, 31)
    page = client.get(tenant_a.body.get_absolute_url()).content.decode()
    assert "Former owners" in page and "until 31 May 2026" in page
    lead = Ownership.objects.get(delivery_body=tenant_a.body, council=tenant_a.council)
    lead_url = reverse("organisations:ownership-end", kwargs={"slug": tenant_a.body.slug, "pk": lead.pk})
    assert client.get(lead_url).status_code == 404


def test_the_pages_are_403_for_anyone_but_the_lead_administrator_and_404_across_tenants(
    client, tenant_a, tenant_b, admin
):
    ownership = services.ownership_add(
        user=admin, delivery_body=tenant_a.body, council=tenant_b.council, since=date(2025, 4, 1), reason=REASON
    )
    end_url = reverse("organisations:ownership-end", kwargs={"slug": tenant_a.body.slug, "pk": ownership.pk})
    beta_admin = make_user(Role.COUNCIL_OFFICER, council=tenant_b.council, username="beta-admin", is_administrator=True)
    for user in (tenant_a.officer, tenant_a.scrutiny, tenant_a.trust_exec, beta_admin):
        client.force_login(user)
        assert client.get(add_url(tenant_a.body)).status_code == 403, user
        assert (
            client.post(end_url, {"until_0": "1", "until_1": "6", "until_2": "2026", "reason": "x"}).status_code == 403
        )
        assert "Add an owning council" not in client.get(tenant_a.body.get_absolute_url()).content.decode()
    gamma_admin = make_user(
        Role.COUNCIL_OFFICER, council=build_tenant("gamma").council, username="gamma-admin", is_administrator=True
    )
    client.force_login(gamma_admin)
    assert client.get(add_url(tenant_a.body)).status_code == 404
    assert client.get(end_url).status_code == 404
    ownership.refresh_from_db()
    assert ownership.until is None


# --- the API --------------------------------------------------------------------------------------------


def api_as(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_api_adds_and_ends_a_co_owner_through_the_same_service(tenant_a, tenant_b, admin, contracts):
    api = api_as(admin)
    body = {"delivery_body": tenant_a.body.slug, "council": tenant_b.council.slug, "since": "2025-04-01"}
    response = api.post("/api/v1/ownerships/", {**body, "reason": REASON}, format="json")
    assert response.status_code == 201, response.json()
    answer = response.json()
    assert (answer["council"], answer["since"], answer["until"], answer["lead"]) == (
        "beta-council",
        "2025-04-01",
        None,
        False,
    )
    ownership = Ownership.objects.get(pk=answer["id"])
    assert ownership.history.latest().history_change_reason == REASON
    assert ownership.history.latest().history_user == admin
    refs = {c["reference"] for c in api_as(tenant_b.officer).get("/api/v1/contracts/").json()["results"]}
    assert "J-1" in refs and "ALPHA-1" not in refs

    ended = api.patch(
        f"/api/v1/ownerships/{ownership.pk}/", {"until": "2026-06-15", "reason": "Beta sells"}, format="json"
    )
    assert ended.status_code == 200 and ended.json()["until"] == "2026-06-15"


def test_the_api_answers_400_naming_the_field_403_for_the_wrong_role_and_404_across_tenants(tenant_a, tenant_b, admin):
    url = "/api/v1/ownerships/"
    good = {"delivery_body": tenant_a.body.slug, "council": tenant_b.council.slug, "since": "2025-04-01", "reason": "x"}

    missing = api_as(admin).post(url, {**good, "reason": ""}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()["errors"]
    unknown = api_as(admin).post(url, {**good, "council": "nowhere"}, format="json")
    assert unknown.status_code == 400 and "nowhere" in unknown.json()["errors"]["council"][0]
    extra = api_as(admin).post(url, {**good, "until": "2026-01-01"}, format="json")
    assert extra.status_code == 400 and "until" in extra.json()["errors"]

    for user in (tenant_a.officer, tenant_a.trust_exec, tenant_a.scrutiny):
        assert api_as(user).post(url, good, format="json").status_code == 403, user
    gamma_admin = make_user(
        Role.COUNCIL_OFFICER, council=build_tenant("gamma").council, username="gamma-admin", is_administrator=True
    )
    assert api_as(gamma_admin).post(url, good, format="json").status_code == 404
    assert not Ownership.objects.filter(council=tenant_b.council, delivery_body=tenant_a.body).exists()

    lead = Ownership.objects.get(delivery_body=tenant_a.body, council=tenant_a.council)
    refused = api_as(admin).patch(f"{url}{lead.pk}/", {"until": "2026-06-15", "reason": "x"}, format="json")
    assert refused.status_code == 400 and "lead council" in refused.json()["errors"]["council"][0]
    assert (
        api_as(gamma_admin).patch(f"{url}{lead.pk}/", {"until": "2026-06-15", "reason": "x"}, format="json").status_code
        == 404
    )
    assert (
        api_as(tenant_a.officer)
        .patch(f"{url}{lead.pk}/", {"until": "2026-06-15", "reason": "x"}, format="json")
        .status_code
        == 403
    )
    lead.refresh_from_db()
    assert lead.until is None
