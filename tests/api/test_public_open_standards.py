"""A council's contracts as OCDS and its trusts' boards as Popolo on its public pages, signed out (ADR 0608):
valid against the vendored standards (schema, codelists and libcoveocds offline), and holding only what the public
pages show: nothing exempt, no draft, no release from before signing, no past board member, another council's
contracts and boards never, an unknown or not-live council a 404."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from contracts.models import Contract, ContractYearFinance, Variation
from meetings.models import Document
from tests.contracts.factories import VariationFactory
from tests.factories import CouncilFactory

from .test_open_data import (
    codelist_errors,
    cove_results,
    ocds_errors,
    popolo_errors,
    publish_paper,
    sandwell_contract,
    sandwell_story,  # noqa: F401  (a fixture)
)

pytestmark = pytest.mark.django_db
RELEASES = "/public/sandwell/data/ocds/releases.json"
RECORDS = "/public/sandwell/data/ocds/records.json"
POPOLO = "/public/sandwell/data/popolo/boards.json"


def public(path: str) -> dict:
    response = Client().get(path)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def test_the_public_release_and_record_packages_are_valid_against_the_real_standard(
    sandwell_story,  # noqa: F811
    tmp_path,
    monkeypatch,
    settings,
):
    contract, approved, paper, _ = sandwell_story
    releases = public(RELEASES)
    assert ocds_errors(releases, "release-package") == [] and codelist_errors(releases) == []
    results = cove_results(releases, tmp_path, monkeypatch)
    assert results["validation_errors"] == []
    assert not results.get("additional_fields_count"), results.get("additional_fields")
    records = public(RECORDS)
    assert ocds_errors(records, "record-package") == []
    (record,) = [r for r in records["records"] if r["ocid"] == f"{settings.OCDS_PREFIX}-{contract.reference}"]
    latest = record["compiledRelease"]["contracts"][0]
    # Value per financial year and in total, the variation in effect as an amendment, the published paper by its
    # public download, the real signing day and the end of the initial term at the end of its day.
    assert [i["unit"]["value"]["amount"] for i in latest["items"]] == [60000000.0, 61500000.5]
    assert latest["value"]["amount"] == 121500000.5
    assert approved.title in [a["rationale"] for a in latest["amendments"]]
    assert "Withdrawn idea" not in [a["rationale"] for a in latest["amendments"]]
    urls = [d["url"] for d in latest["documents"]]
    assert f"{settings.SITE_URL}/public/sandwell/papers/{paper.pk}/" in urls
    assert all(url.startswith(f"{settings.SITE_URL}/public/sandwell/papers/") for url in urls)
    assert latest["dateSigned"].startswith("2018-03-28") and latest["period"]["endDate"].endswith("23:59:59+01:00")


def test_nothing_exempt_draft_or_from_before_signing_reaches_the_public_packages(sandwell_story):  # noqa: F811
    contract, _, _, days = sandwell_story
    VariationFactory(
        contract=contract,
        title="Wombatfee variation",
        status=Variation.Status.IN_EFFECT,
        effective_on=dt.date(2026, 10, 2),
        is_exempt=True,
        exempt_category="3",
    )
    exempt = publish_paper(contract, "Wombatfee commercial paper", is_exempt=True, exempt_category="3")
    Document.objects.filter(pk=exempt.pk).update(
        publication=Document.Publication.PUBLISHED, published_at=dt.datetime.fromisoformat(f"{days[3]}T11:00:00+00:00")
    )
    publish_paper(contract, "Wombatfee draft paper")
    # A draft contract of the same trust, with a sum: never published, nor any release of it.
    draft = Contract.objects.create(
        council=contract.council,
        delivery_body=contract.delivery_body,
        title="Wombatfee draft contract",
        reference="WOMBAT-DRAFT",
        status=Contract.Status.DRAFT,
        start_date=dt.date(2030, 4, 1),
        end_date=dt.date(2035, 3, 31),
    )
    ContractYearFinance.objects.create(contract=draft, financial_year=2030, contract_sum=Decimal("1.00"))
    for path in (RELEASES, RECORDS, POPOLO):
        body = Client().get(path).content.decode().lower()
        assert "wombatfee" not in body and "wombat-draft" not in body, path
    # Not vacuous: the paper and the variation are there for the officer's own pages.
    assert Variation.objects.filter(title="Wombatfee variation").exists()


def test_a_contract_signed_after_its_draft_is_published_from_the_signing_only(time_machine, settings):
    contract = sandwell_contract()
    time_machine.move_to(dt.datetime(2031, 1, 5, 10, tzinfo=dt.UTC), tick=False)
    later = Contract.objects.create(
        council=contract.council,
        delivery_body=contract.delivery_body,
        title="Extension contract",
        reference="SCT-EXT",
        status=Contract.Status.DRAFT,
        description="Draft terms under negotiation: ZZDRAFTTERMS",
        start_date=dt.date(2031, 4, 1),
        end_date=dt.date(2036, 3, 31),
    )
    time_machine.move_to(dt.datetime(2031, 2, 5, 10, tzinfo=dt.UTC), tick=False)
    later.status, later.description, later.signed_on = Contract.Status.SIGNED, "The agreed terms.", dt.date(2031, 2, 5)
    later.save()
    mine = [r for r in public(RELEASES)["releases"] if r["ocid"] == f"{settings.OCDS_PREFIX}-SCT-EXT"]
    assert [r["tag"] for r in mine] == [["contract"]] and mine[0]["date"].startswith("2031-02-05")
    assert "ZZDRAFTTERMS" not in Client().get(RELEASES).content.decode()
    # Signed in, the API's export keeps the contract's whole history, the draft included, for those who may see it.
    assert later.history.count() == 2


def test_the_public_popolo_is_valid_and_names_only_todays_board_by_name_and_post():
    body = public(POPOLO)
    assert popolo_errors(body) == []
    assert body["persons"] and body["memberships"] and body["organizations"]
    assert all(set(p) == {"id", "name"} for p in body["persons"])  # no contact details, no honorific
    person_ids, org_ids = {p["id"] for p in body["persons"]}, {o["id"] for o in body["organizations"]}
    for membership in body["memberships"]:
        assert membership["person_id"] in person_ids and membership["organization_id"] in org_ids
        assert "end_date" not in membership  # today's board only
    assert {o["id"] for o in body["organizations"] if o["classification"] == "trust"} == {"trust-sandwell-trust"}


def test_another_council_unknown_or_not_live_is_a_404_and_another_councils_records_never_appear():
    other = Contract.objects.exclude(delivery_body__slug="sandwell-trust").exclude(status=Contract.Status.DRAFT)
    references = set(other.values_list("reference", flat=True))
    assert references
    releases = public(RELEASES)["releases"]
    assert not {r["contracts"][0]["id"] for r in releases} & references
    for path in (RELEASES, RECORDS, POPOLO):
        assert Client().get(path.replace("sandwell", "no-such-council")).status_code == 404
    not_live = CouncilFactory(slug="not-yet-live")  # owns no trust that has taken operational control
    for path in (RELEASES, RECORDS, POPOLO):
        assert Client().get(path.replace("sandwell", not_live.slug)).status_code == 404
