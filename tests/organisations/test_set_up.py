"""A council sets itself up: its details (LA and GSS codes), its delivery bodies, statutory directions and MoUs,
through the services, the pages and the API.

Only the council's own administrator does it (a plain officer, scrutiny, the trust and the DfE get 403; another
council's administrator 404); only a superuser registers a council. Bad input is refused with a message naming the
field and nothing is saved; every change is in the history with who made it and, for a correction, why.
"""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from tests.conftest import make_user
from trustgov.core.roles import Role
from trustgov.organisations import services
from trustgov.organisations.models import Council, DeliveryBody, Direction, Ownership

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)
COUNCIL = {"name": "Alpha Council", "council_type": "unitary", "la_code": "801", "gss_code": "E06000023"}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def admin(tenant_a):
    return make_user(Role.COUNCIL_OFFICER, council=tenant_a.council, username="alpha-admin", is_administrator=True)


@pytest.fixture
def beta_admin(tenant_b):
    return make_user(Role.COUNCIL_OFFICER, council=tenant_b.council, username="beta-admin", is_administrator=True)


@pytest.fixture
def superuser(db):
    return make_user(Role.COUNCIL_OFFICER, username="operator", is_superuser=True)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def latest_history(obj):
    return obj.history.order_by("-history_id").first()


# --- councils ---------------------------------------------------------------------------------------------


def test_the_councils_administrator_corrects_its_codes_and_the_history_says_who_and_what(tenant_a, admin):
    council = services.council_update(user=admin, council=tenant_a.council, **COUNCIL)
    council.refresh_from_db()
    assert (council.la_code, council.gss_code) == ("801", "E06000023")
    row = latest_history(council)
    assert row.history_user == admin
    assert "LA code" in row.history_change_reason and "GSS code" in row.history_change_reason


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("la_code", "80", "three-digit"),
        ("la_code", "８０１", "three-digit"),  # full-width digits are not the DfE's number
        ("gss_code", "E07000123", "E06, E08, E09 or E10"),  # a district: no children's services
        ("gss_code", "W06000001", "E06, E08, E09 or E10"),
        ("name", "   ", "Enter the council's name"),
    ],
)
def test_a_bad_code_or_name_is_refused_naming_the_field_and_nothing_changes(tenant_a, admin, field, value, message):
    before = Council.objects.get(pk=tenant_a.council.pk)
    with pytest.raises(ValidationError) as exc:
        services.council_update(user=admin, council=tenant_a.council, **{**COUNCIL, field: value})
    assert message in " ".join(exc.value.message_dict[field])
    after = Council.objects.get(pk=tenant_a.council.pk)
    assert (after.name, after.la_code, after.gss_code) == (before.name, before.la_code, before.gss_code)


def test_a_code_another_council_has_is_refused(tenant_a, tenant_b, admin):
    Council.objects.filter(pk=tenant_b.council.pk).update(la_code="802", gss_code="E06000024")
    with pytest.raises(ValidationError) as exc:
        services.council_update(user=admin, council=tenant_a.council, **{**COUNCIL, "la_code": "802"})
    assert "already exists" in exc.value.message_dict["la_code"][0]


def test_only_the_councils_own_administrator_changes_it(tenant_a, tenant_b, admin, beta_admin):
    for user in (tenant_a.officer, tenant_a.scrutiny, tenant_a.trust_exec):
        with pytest.raises(PermissionDenied):
            services.council_update(user=user, council=tenant_a.council, **COUNCIL)
    with pytest.raises(ValidationError) as exc:
        services.council_update(user=beta_admin, council=tenant_a.council, **COUNCIL)
    assert "your own council" in exc.value.message_dict["council"][0]


def test_only_a_superuser_registers_a_council(admin, superuser):
    data = {"name": "Gamma Council", "council_type": "london", "la_code": "303", "gss_code": "E09000004"}
    with pytest.raises(PermissionDenied):
        services.council_create(by=admin, **data)
    council = services.council_create(by=superuser, **data)
    assert council.slug == "gamma" and latest_history(council).history_user == superuser


# --- pages --------------------------------------------------------------------------------------------------


def test_the_council_page_offers_its_administrator_every_set_up_step_and_nobody_else(client, tenant_a, admin):
    client.force_login(admin)
    page = client.get(reverse("organisations:council-detail", args=[tenant_a.council.slug])).content.decode()
    for name in ("council-edit", "direction-create"):
        assert reverse(f"organisations:{name}", args=[tenant_a.council.slug]) in page
    assert reverse("organisations:delivery-body-create") in page
    client.force_login(tenant_a.officer)
    page = client.get(reverse("organisations:council-detail", args=[tenant_a.council.slug])).content.decode()
    assert reverse("organisations:council-edit", args=[tenant_a.council.slug]) not in page
    assert reverse("organisations:delivery-body-create") not in page


def test_the_council_edit_page_saves_and_a_bad_code_stays_on_the_form(client, tenant_a, admin):
    client.force_login(admin)
    url = reverse("organisations:council-edit", args=[tenant_a.council.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {**COUNCIL, "gss_code": "E07000001"})
    assert response.status_code == 400
    assert "E06, E08, E09 or E10" in response.content.decode()
    assert Council.objects.get(pk=tenant_a.council.pk).gss_code != "E07000001"
    response = client.post(url, {**COUNCIL, "website": "www.alpha.gov.uk"})
    assert response.status_code == 302
    council = Council.objects.get(pk=tenant_a.council.pk)
    assert (council.gss_code, council.website) == ("E06000023", "https://www.alpha.gov.uk")


def test_another_councils_set_up_pages_are_404_and_a_plain_officer_gets_403(client, tenant_a, tenant_b, beta_admin):
    direction = Direction.objects.create(
        council=tenant_a.council, title="Direction", issued_on=date(2016, 10, 1), legal_basis="s497A"
    )
    urls = [
        reverse("organisations:council-edit", args=[tenant_a.council.slug]),
        reverse("organisations:delivery-body-edit", args=[tenant_a.body.slug]),
        reverse("organisations:direction-create", args=[tenant_a.council.slug]),
        reverse("organisations:direction-edit", args=[direction.pk]),
        reverse("organisations:direction-revoke", args=[direction.pk]),
        reverse("organisations:memorandum-create", args=[tenant_a.body.slug]),
    ]
    client.force_login(beta_admin)
    assert [client.get(u).status_code for u in urls] == [404] * len(urls)
    client.force_login(tenant_a.officer)
    assert [client.get(u).status_code for u in urls] == [403] * len(urls)


def test_adding_a_delivery_body_through_the_page_makes_the_council_its_lead_owner(client, tenant_a, admin):
    client.force_login(admin)
    url = reverse("organisations:delivery-body-create")
    form = {
        "name": "Alpha Family Services",
        "slug": "alpha-family",
        "kind": "trust",
        "wholly_owned": "yes",
        "operational_from_0": "1",
        "operational_from_1": "4",
        "operational_from_2": "2027",
    }
    response = client.post(url, {**form, "slug": "Not A Slug!"})
    assert response.status_code == 400 and "lower-case letters, numbers and hyphens" in response.content.decode()
    response = client.post(url, {**form, "shadow_from_0": "1", "shadow_from_1": "5", "shadow_from_2": "2027"})
    assert response.status_code == 400 and "shadow period must start before" in response.content.decode()
    assert not DeliveryBody.objects.filter(slug="alpha-family").exists()
    response = client.post(url, form)
    body = DeliveryBody.objects.get(slug="alpha-family")
    assert response.status_code == 302 and response.url == body.get_absolute_url()
    assert body.council == tenant_a.council and body.operational_from == date(2027, 4, 1)
    assert list(Ownership.objects.filter(delivery_body=body).values_list("council", flat=True)) == [tenant_a.council.pk]
    assert latest_history(body).history_user == admin

    response = client.post(
        reverse("organisations:delivery-body-edit", args=[body.slug]),
        {**form, "company_number": "12345678", "wholly_owned": "no"},
    )
    assert response.status_code == 302
    body.refresh_from_db()
    assert (body.company_number, body.wholly_owned) == ("12345678", False)
    assert "company number" in latest_history(body).history_change_reason


# --- directions ---------------------------------------------------------------------------------------------

DIRECTION = {
    "title": "Direction to establish a children's trust",
    "issued_on": date(2016, 10, 1),
    "legal_basis": "s497A(4B) Education Act 1996",
    "commissioner": "Malcolm Newsam",
}


def test_a_direction_is_recorded_corrected_with_a_reason_and_revoked(tenant_a, admin):
    direction = services.direction_record(user=admin, council=tenant_a.council, **DIRECTION)
    assert direction.in_force and latest_history(direction).history_user == admin
    with pytest.raises(ValidationError) as exc:
        services.direction_update(user=admin, direction=direction, reason="", title="Corrected title")
    assert "reason" in exc.value.message_dict
    assert Direction.objects.get(pk=direction.pk).title == DIRECTION["title"]
    services.direction_update(user=admin, direction=direction, reason="Typo in the title", title="Corrected title")
    assert latest_history(Direction.objects.get(pk=direction.pk)).history_change_reason == "Typo in the title"
    with pytest.raises(ValidationError) as exc:
        services.direction_revoke(user=admin, direction=direction, revoked_on=date(2015, 1, 1), reason="Letter")
    assert "issued on 1 October 2016" in exc.value.message_dict["revoked_on"][0]
    revoked = services.direction_revoke(user=admin, direction=direction, revoked_on=date(2025, 3, 31), reason="Letter")
    assert (revoked.status, revoked.revoked_on) == ("revoked", date(2025, 3, 31))
    with pytest.raises(ValidationError) as exc:
        services.direction_revoke(user=admin, direction=revoked, revoked_on=date(2025, 4, 1), reason="Again")
    assert "already" in exc.value.message_dict["revoked_on"][0]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"issued_on": date(2026, 6, 16)}, "issued_on", "today or in the past"),
        ({"title": "  "}, "title", "Enter the direction's title"),
        ({"legal_basis": ""}, "legal_basis", "Enter the legal basis"),
    ],
)
def test_a_bad_direction_is_refused_naming_the_field(tenant_a, admin, changes, field, message):
    before = Direction.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.direction_record(user=admin, council=tenant_a.council, **{**DIRECTION, **changes})
    assert message in exc.value.message_dict[field][0]
    assert Direction.objects.count() == before


def test_the_direction_pages_record_and_revoke(client, tenant_a, admin):
    client.force_login(admin)
    url = reverse("organisations:direction-create", args=[tenant_a.council.slug])
    form = {"title": DIRECTION["title"], "legal_basis": DIRECTION["legal_basis"]}
    response = client.post(url, {**form, "issued_on_0": "31", "issued_on_1": "2", "issued_on_2": "2016"})
    assert response.status_code == 400 and "Date issued must be a real date" in response.content.decode()
    response = client.post(url, {**form, "issued_on_0": "1", "issued_on_1": "10", "issued_on_2": "2016"})
    assert response.status_code == 302
    direction = Direction.objects.get(council=tenant_a.council, title=DIRECTION["title"])
    page = client.get(tenant_a.council.get_absolute_url()).content.decode()
    assert reverse("organisations:direction-revoke", args=[direction.pk]) in page
    response = client.post(
        reverse("organisations:direction-revoke", args=[direction.pk]),
        {"revoked_on_0": "31", "revoked_on_1": "3", "revoked_on_2": "2025", "reason": "Secretary of State letter"},
    )
    assert response.status_code == 302
    assert Direction.objects.get(pk=direction.pk).status == "revoked"
    assert client.get(reverse("organisations:direction-revoke", args=[direction.pk])).status_code == 404


# --- memoranda ----------------------------------------------------------------------------------------------


def test_a_memorandum_is_recorded_as_a_draft_corrected_and_signed(tenant_a, admin):
    memo = services.memorandum_record(user=admin, delivery_body=tenant_a.body, principal_provisions="Scope: all")
    assert (memo.status, memo.council) == ("draft", tenant_a.council)
    with pytest.raises(ValidationError) as exc:
        services.memorandum_sign(user=admin, memorandum=memo, signed_on=date(2026, 7, 1))
    assert "today or in the past" in exc.value.message_dict["signed_on"][0]
    services.memorandum_update(user=admin, memorandum=memo, principal_provisions="Scope: social care", reason="DfE")
    memo = services.memorandum_sign(user=admin, memorandum=memo, signed_on=date(2026, 6, 1))
    assert (memo.status, memo.signed_on, memo.principal_provisions) == (
        "signed",
        date(2026, 6, 1),
        "Scope: social care",
    )
    reasons = list(memo.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons == ["Recorded", "DfE", "Signed on 1 June 2026"]


def test_a_co_owner_records_its_own_memorandum_and_a_council_that_owns_nothing_cannot(
    tenant_a, tenant_b, beta_admin, admin
):
    with pytest.raises(ValidationError) as exc:
        services.memorandum_record(user=beta_admin, delivery_body=tenant_a.body, principal_provisions="Scope")
    assert "does not own" in exc.value.message_dict["delivery_body"][0]
    Ownership.objects.create(delivery_body=tenant_a.body, council=tenant_b.council, since=date(2021, 4, 1))
    memo = services.memorandum_record(user=beta_admin, delivery_body=tenant_a.body, principal_provisions="Scope")
    assert memo.council == tenant_b.council
    with pytest.raises(ValidationError):  # Alpha's administrator keeps Alpha's memoranda, not Beta's
        services.memorandum_sign(user=admin, memorandum=memo, signed_on=date(2026, 6, 1))


# --- the API ------------------------------------------------------------------------------------------------


def test_the_api_sets_up_a_council_end_to_end(tenant_a, admin):
    client = api(admin)
    response = client.patch(f"/api/v1/councils/{tenant_a.council.slug}/", COUNCIL, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["gss_code"] == "E06000023"
    response = client.post(
        "/api/v1/delivery-bodies/",
        {"slug": "alpha-family", "name": "Alpha Family Services", "kind": "trust", "operational_from": "2027-04-01"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["owners"] == [tenant_a.council.slug]
    response = client.post(
        "/api/v1/directions/", {**DIRECTION, "council": tenant_a.council.slug, "issued_on": "2016-10-01"}, format="json"
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    response = client.post(
        f"/api/v1/directions/{pk}/revoke/", {"revoked_on": "2025-03-31", "reason": "Letter"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "revoked"
    response = client.post(
        "/api/v1/memoranda/", {"delivery_body": "alpha-family", "principal_provisions": "Scope"}, format="json"
    )
    assert response.status_code == 201 and response.json()["status"] == "draft"
    response = client.post(
        f"/api/v1/memoranda/{response.json()['id']}/sign/", {"signed_on": "2026-06-01"}, format="json"
    )
    assert response.status_code == 200 and response.json()["signed_on"] == "2026-06-01"


def test_the_api_refuses_bad_input_unknown_fields_other_roles_and_other_tenants(tenant_a, tenant_b, admin, beta_admin):
    directions = Direction.objects.count()
    response = api(admin).patch(f"/api/v1/councils/{tenant_a.council.slug}/", {"gss_code": "E07000001"}, format="json")
    assert response.status_code == 400 and "gss_code" in response.json()["errors"]
    response = api(admin).patch(f"/api/v1/councils/{tenant_a.council.slug}/", {"slug": "renamed"}, format="json")
    assert response.status_code == 400
    response = api(tenant_a.officer).patch(f"/api/v1/councils/{tenant_a.council.slug}/", COUNCIL, format="json")
    assert response.status_code == 403
    assert api(tenant_a.scrutiny).post("/api/v1/councils/", COUNCIL, format="json").status_code == 403
    assert api(beta_admin).patch(f"/api/v1/councils/{tenant_a.council.slug}/", COUNCIL).status_code == 404
    response = api(beta_admin).post(
        "/api/v1/directions/", {**DIRECTION, "council": tenant_a.council.slug, "issued_on": "2016-10-01"}, format="json"
    )
    assert response.status_code == 404
    response = api(tenant_a.trust_exec).post(
        "/api/v1/delivery-bodies/", {"slug": "x", "name": "X", "kind": "trust"}, format="json"
    )
    assert response.status_code == 403
    assert Direction.objects.count() == directions and not DeliveryBody.objects.filter(slug="x").exists()
