"""Conventions every endpoint on the API base classes gets: ETag/304, updated_since, ordering,
idempotency keys, problem details for bad input (nothing stored), history with the token's user."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from trustgov.accounts.models import IdempotencyRecord, User
from trustgov.organisations.models import Direction

from .helpers import assert_problem, client_with, token_for

pytestmark = pytest.mark.django_db

NEW_DIRECTION = {
    "council": "torbay",
    "title": "Direction to test idempotency",
    "issued_on": "2026-11-02",
    "legal_basis": "s497A(4B) Education Act 1996",
}


@pytest.fixture
def admin_writer():
    user = User.objects.create_superuser("api-admin", "admin@example.org", "a-long-admin-password-1")
    return client_with(token_for(user, scope="write")), user


# --- ETag / If-None-Match -------------------------------------------------------------------------------


def test_reads_carry_an_etag_and_a_matching_if_none_match_is_304_without_body():
    c = client_with(token_for("dfe-liaison"))
    first = c.get("/api/v1/councils/")
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('"') and "private" in first["Cache-Control"]
    again = c.get("/api/v1/councils/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    detail = c.get("/api/v1/councils/sandwell/")
    assert c.get("/api/v1/councils/sandwell/", HTTP_IF_NONE_MATCH=detail["ETag"]).status_code == 304


def test_etag_changes_when_the_record_changes_and_differs_between_tenants():
    dfe = client_with(token_for("dfe-liaison"))
    etag = dfe.get("/api/v1/directions/").json() and dfe.get("/api/v1/directions/")["ETag"]
    direction = Direction.objects.filter(council__slug="sandwell").first()
    direction.summary = direction.summary + " (amended)"
    direction.save()
    changed = dfe.get("/api/v1/directions/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    officer = client_with(token_for("sandwell-officer"))
    # The officer sees only Sandwell: another list, another ETag; the DfE's ETag gets the officer a full 200.
    mine = officer.get("/api/v1/directions/", HTTP_IF_NONE_MATCH=changed["ETag"])
    assert mine.status_code == 200 and mine["ETag"] != changed["ETag"]


def test_errors_carry_no_etag():
    response = client_with(token_for("sandwell-officer")).get("/api/v1/councils/torbay/")
    assert_problem(response, 404)
    assert not response.has_header("ETag")


# --- updated_since and ordering ---------------------------------------------------------------------------


def test_updated_since_returns_only_records_changed_since_then():
    c = client_with(token_for("dfe-liaison"))
    everything = c.get("/api/v1/directions/?page_size=200").json()
    assert everything["count"] >= 2
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        direction = Direction.objects.get(pk=everything["results"][0]["id"])
        direction.summary = direction.summary + " (changed later)"
        direction.save()
    since = (timezone.now() + timedelta(days=1)).isoformat()
    changed = c.get("/api/v1/directions/", {"updated_since": since}).json()
    assert [d["id"] for d in changed["results"]] == [direction.pk]
    # A date alone works too, and a date in the future returns nothing.
    assert c.get("/api/v1/directions/", {"updated_since": "2999-01-01"}).json()["count"] == 0
    assert c.get("/api/v1/directions/", {"updated_since": "2000-01-01"}).json()["count"] == everything["count"]


def test_updated_since_with_an_offset_in_the_raw_query_string():
    c = client_with(token_for("dfe-liaison"))
    # A literal '+' in a query string decodes to a space: still understood.
    response = c.get("/api/v1/directions/?updated_since=2000-01-01T00:00:00+00:00")
    assert response.status_code == 200 and response.json()["count"] >= 1


def test_bad_updated_since_is_a_400_naming_the_parameter():
    body = assert_problem(
        client_with(token_for("dfe-liaison")).get("/api/v1/directions/?updated_since=last-tuesday"), 400
    )
    assert "updated_since" in body["errors"]


def test_ordering_by_updated_at_supports_incremental_sync():
    c = client_with(token_for("dfe-liaison"))
    rows = c.get("/api/v1/directions/?ordering=-updated_at&page_size=200").json()["results"]
    stamps = [r["updated_at"] for r in rows]
    assert stamps == sorted(stamps, reverse=True)
    names = [r["name"] for r in c.get("/api/v1/councils/?ordering=name").json()["results"]]
    assert names == sorted(names)


def test_updated_since_appears_in_the_schema_for_lists():
    schema = client_with(token_for("dfe-liaison")).get("/api/schema/?format=json").json()
    params = {p["name"] for p in schema["paths"]["/api/v1/directions/"]["get"]["parameters"]}
    assert {"updated_since", "ordering", "page", "page_size", "If-None-Match"} <= params


# --- Idempotency keys ------------------------------------------------------------------------------------


@pytest.mark.urls("tests.api.urls_for_tests")
def test_a_retried_post_with_the_same_key_returns_the_stored_response_and_stores_nothing_twice(admin_writer):
    c, user = admin_writer
    before = Direction.objects.count()
    first = c.post("/api/v1/test-directions/", NEW_DIRECTION, format="json", HTTP_IDEMPOTENCY_KEY="k-123")
    assert first.status_code == 201, first.content
    retry = c.post("/api/v1/test-directions/", NEW_DIRECTION, format="json", HTTP_IDEMPOTENCY_KEY="k-123")
    assert retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert Direction.objects.count() == before + 1
    assert IdempotencyRecord.objects.filter(user=user, key="k-123").count() == 1
    # Without a key, a second POST is a second record (the key is what makes it safe to retry).
    assert c.post("/api/v1/test-directions/", NEW_DIRECTION, format="json").status_code == 201
    assert Direction.objects.count() == before + 2


@pytest.mark.urls("tests.api.urls_for_tests")
def test_same_key_with_a_different_body_is_422_and_stores_nothing(admin_writer):
    c, _ = admin_writer
    assert (
        c.post("/api/v1/test-directions/", NEW_DIRECTION, format="json", HTTP_IDEMPOTENCY_KEY="k-9").status_code == 201
    )
    count = Direction.objects.count()
    other = {**NEW_DIRECTION, "title": "Something else"}
    body = assert_problem(c.post("/api/v1/test-directions/", other, format="json", HTTP_IDEMPOTENCY_KEY="k-9"), 422)
    assert "Idempotency-Key" in body["detail"]
    assert Direction.objects.count() == count


@pytest.mark.urls("tests.api.urls_for_tests")
def test_keys_belong_to_a_user_and_expire(admin_writer):
    c, _ = admin_writer
    other_admin = User.objects.create_superuser("api-admin-2", "b@example.org", "a-long-admin-password-2")
    other = client_with(token_for(other_admin, scope="write"))
    assert (
        c.post("/api/v1/test-directions/", NEW_DIRECTION, format="json", HTTP_IDEMPOTENCY_KEY="shared").status_code
        == 201
    )
    # Another user's identical key is their own: a new record, not someone else's response.
    second = other.post("/api/v1/test-directions/", NEW_DIRECTION, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    assert second.status_code == 201 and not second.has_header("Idempotent-Replayed")
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        c.credentials(HTTP_AUTHORIZATION=c._credentials["HTTP_AUTHORIZATION"])
        later = c.post("/api/v1/test-directions/", NEW_DIRECTION, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    assert later.status_code == 201 and not later.has_header("Idempotent-Replayed")


@pytest.mark.urls("tests.api.urls_for_tests")
def test_a_failed_request_keeps_no_key_so_a_corrected_retry_works(admin_writer):
    c, _ = admin_writer
    bad = c.post(
        "/api/v1/test-directions/",
        {**NEW_DIRECTION, "issued_on": "not a date"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-fix",
    )
    assert_problem(bad, 400)
    assert not IdempotencyRecord.objects.filter(key="k-fix").exists()
    assert (
        c.post("/api/v1/test-directions/", NEW_DIRECTION, format="json", HTTP_IDEMPOTENCY_KEY="k-fix").status_code
        == 201
    )


@pytest.mark.urls("tests.api.urls_for_tests")
def test_an_oversized_idempotency_key_is_a_400(admin_writer):
    c, _ = admin_writer
    body = assert_problem(
        c.post("/api/v1/test-directions/", NEW_DIRECTION, format="json", HTTP_IDEMPOTENCY_KEY="x" * 300), 400
    )
    assert "Idempotency-Key" in body["errors"]


# --- Bad input: 4xx problem details, nothing stored -----------------------------------------------------


@pytest.mark.urls("tests.api.urls_for_tests")
@pytest.mark.parametrize(
    ("payload", "content_type", "status", "field"),
    [
        ('{"council": "torbay", "title": ', "application/json", 400, None),  # malformed JSON
        (json.dumps({**NEW_DIRECTION, "issued_on": 20261102}), "application/json", 400, "issued_on"),  # wrong type
        (json.dumps({**NEW_DIRECTION, "council": ["torbay"]}), "application/json", 400, "council"),  # wrong type
        (json.dumps({**NEW_DIRECTION, "colour": "red"}), "application/json", 400, "colour"),  # unknown field
        (json.dumps({**NEW_DIRECTION, "id": 99999}), "application/json", 400, "id"),  # read-only field
        (json.dumps([NEW_DIRECTION]), "application/json", 400, None),  # a list, not an object
        (json.dumps({**NEW_DIRECTION, "council": "no-such-council"}), "application/json", 400, "council"),
        ("<xml/>", "application/xml", 415, None),
    ],
)
def test_bad_input_is_a_4xx_problem_and_stores_nothing(admin_writer, payload, content_type, status, field):
    c, _ = admin_writer
    before = (Direction.objects.count(), Direction.history.count(), IdempotencyRecord.objects.count())
    response = c.post("/api/v1/test-directions/", payload, content_type=content_type, HTTP_IDEMPOTENCY_KEY="bad-1")
    body = assert_problem(response, status)
    if field:
        assert field in body["errors"], body
    assert (Direction.objects.count(), Direction.history.count(), IdempotencyRecord.objects.count()) == before


@pytest.mark.urls("tests.api.urls_for_tests")
def test_a_huge_payload_is_a_413_problem(admin_writer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    c, _ = admin_writer
    before = Direction.objects.count()
    huge = json.dumps({**NEW_DIRECTION, "title": "x" * 20_000})
    body = assert_problem(c.post("/api/v1/test-directions/", huge, content_type="application/json"), 413)
    assert "limit" in body["detail"]
    assert Direction.objects.count() == before


# --- History records the token's user -------------------------------------------------------------------


@pytest.mark.urls("tests.api.urls_for_tests")
def test_an_api_write_is_recorded_in_history_with_the_tokens_user(admin_writer):
    c, user = admin_writer
    response = c.post("/api/v1/test-directions/", NEW_DIRECTION, format="json")
    assert response.status_code == 201
    record = Direction.history.filter(id=response.json()["id"]).get()
    assert record.history_type == "+" and record.history_user == user


def test_revoking_a_token_through_the_api_records_the_user_in_history():
    from trustgov.accounts.models import ApiToken
    from trustgov.accounts.services import api_token_issue

    officer = User.objects.get(username="sandwell-officer")
    target = api_token_issue(user=officer, name="to revoke").token
    c = client_with(token_for(officer, scope="write"))
    assert c.post(f"/api/v1/api-tokens/{target.pk}/revoke/").status_code == 200
    latest = ApiToken.history.filter(id=target.pk).order_by("-history_date").first()
    assert latest.revoked_at is not None and latest.history_user == officer


@pytest.mark.parametrize("value", ["abc", "0", "-2", "1.5", "١٢"])
def test_a_page_size_that_is_not_a_whole_number_from_1_is_a_400_naming_it(value):
    response = client_with(token_for("dfe-liaison")).get("/api/v1/directions/", {"page_size": value})
    assert_problem(response, 400)
    assert "page_size" in response.json()["errors"]


def test_a_page_size_above_the_most_is_served_as_the_most():
    response = client_with(token_for("dfe-liaison")).get("/api/v1/directions/", {"page_size": "5000"})
    assert response.status_code == 200


@pytest.mark.parametrize("figure", ["٤٣", "४३", "４３"])  # Arabic-Indic, Devanagari and full-width digits
def test_a_figure_in_other_digits_is_a_400_naming_it_and_nothing_is_saved(figure):
    from performance.models import MonthlyReturn
    from tests.demo_months import month_not_started, ym

    before = MonthlyReturn.objects.count()
    payload = {
        "delivery_body": "sandwell-trust",
        "period": ym(month_not_started("sandwell-trust")),
        "values": [{"kpi": "RR", "numerator": figure, "denominator": "200"}],
        "submit": False,
    }
    response = client_with(token_for("sandwell-trust-exec", scope="write")).post(
        "/api/v1/performance/returns/", payload, format="json"
    )
    assert_problem(response, 400)
    assert "numerator" in json.dumps(response.json()["errors"])
    assert MonthlyReturn.objects.count() == before


def test_money_in_other_digits_is_refused_by_every_decimal_field():
    from contracts.api import FinanceYearInput, FinanceYearSerializer
    from trustgov.core.api import FigureField

    assert isinstance(FinanceYearSerializer().fields["contract_sum"], FigureField)
    field = FinanceYearInput().fields["contract_sum"]
    assert isinstance(field, FigureField)
    with pytest.raises(Exception, match="valid number"):
        field.run_validation("١٠٠")
    assert field.run_validation("100.50") == Decimal("100.50")
