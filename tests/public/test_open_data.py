"""A live council's open data, signed out: every dataset as CSV and JSON, documented on one page (ADR 0608)."""

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.urls import reverse

from contracts.models import Contract, ContractYearFinance
from meetings.models import AgendaItem
from performance.models import Kpi
from performance.positions import SUPPRESSED
from public import selectors
from public.datasets import DATASETS, DATASETS_IN_ORDER
from tests.contracts.factories import ContractFactory
from tests.factories import DeliveryBodyFactory
from tests.meetings.factories import paper
from tests.reports.factories import make_board, make_return
from trustgov.organisations.models import DeliveryBody, Ownership

from .scenario import NEVER, PUBLIC, REPORTED

BOM = "\ufeff"
FORMULA = '=HYPERLINK("http://evil.example/","Click")'


def data_url(slug: str, name: str, fmt: str) -> str:
    return reverse(f"public:data-{fmt}", kwargs={"slug": slug, "dataset": name})


def csv_rows(client, slug: str, name: str) -> list[list[str]]:
    response = client.get(data_url(slug, name, "csv"))
    assert response.status_code == 200, name
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith(BOM), f"{name}.csv has no byte-order mark"
    return list(csv.reader(io.StringIO(text[1:])))


def json_body(client, slug: str, name: str) -> dict:
    response = client.get(data_url(slug, name, "json"))
    assert response.status_code == 200, name
    return json.loads(response.content)


def as_dicts(client, slug: str, name: str) -> list[dict]:
    header, *rows = csv_rows(client, slug, name)
    return [dict(zip(header, row, strict=True)) for row in rows]


def page_tables(html: str) -> dict[str, list[tuple[str, str, str]]]:
    """The data page's field tables: dataset -> [(CSV column, JSON field, type label)] as the page shows them."""
    out = {}
    for name, body in re.findall(r'<table class="govuk-table" data-dataset="([^"]+)">(.*?)</table>', html, re.S):
        rows = re.findall(
            r'<th scope="row" class="govuk-table__header">(.*?)</th>\s*<td class="govuk-table__cell"><code>(.*?)</code>'
            r'</td>\s*<td class="govuk-table__cell">(.*?)</td>',
            body,
            re.S,
        )
        out[name] = [tuple(unescape(c) for c in row) for row in rows]
    return out


def test_each_dataset_has_one_definition_for_page_csv_and_json(client, planted):
    slug = planted.council.slug
    response = client.get(reverse("public:data", kwargs={"slug": slug}))
    assert response.status_code == 200
    html = response.content.decode()
    tables = page_tables(html)
    assert list(tables) == [d.name for d in DATASETS_IN_ORDER]
    assert (
        f'href="{data_url(slug, "meetings", "csv")}"' in html and f'href="{data_url(slug, "papers", "json")}"' in html
    )
    for ds in DATASETS_IN_ORDER:
        documented = tables[ds.name]
        assert [(f.header, f.name, f.type_label) for f in ds.fields] == documented
        header = csv_rows(client, slug, ds.name)[0]
        assert header == [h for h, _, _ in documented], ds.name  # the documented headers, in order
        body = json_body(client, slug, ds.name)
        assert body["dataset"] == ds.name and body["council"] == {"slug": slug, "name": planted.council.name}
        assert [(f["header"], f["name"]) for f in body["fields"]] == [(h, n) for h, n, _ in documented]
        assert body["generated_at"].startswith("2027-01-15T10:00:00")  # the frozen clock, UK time with offset
        for row in body["rows"]:
            assert list(row) == [n for _, n, _ in documented], ds.name


def test_the_public_records_are_there_and_numbered_as_the_agenda_numbers_them(client, planted):
    slug = planted.council.slug
    meetings = {r["Meeting"]: r for r in as_dicts(client, slug, "meetings")}
    assert set(meetings) == {PUBLIC["meeting"], PUBLIC["held meeting"]}
    held = meetings[PUBLIC["held meeting"]]
    assert held["Date"] == "2026-12-09" and held["Minutes approved on"] == "2027-01-12"
    assert meetings[PUBLIC["meeting"]]["Minutes approved on"] == ""  # its minutes are a draft

    items = [(r["Meeting"], r["Item number"], r["Item"]) for r in as_dicts(client, slug, "agenda-items")]
    # Order 1, (2 is exempt), 3: the public numbers are 1 and 2, with no gap.
    assert items == [
        (PUBLIC["held meeting"], "1", PUBLIC["decided item"]),
        (PUBLIC["meeting"], "1", PUBLIC["item"]),
        (PUBLIC["meeting"], "2", "Any other business"),
    ]

    (only,) = as_dicts(client, slug, "papers")
    assert only["Paper"] == PUBLIC["paper"] and only["Item number"] == "1" and only["File type"] == "PDF"
    assert only["Download"] == f"http://testserver.example/public/{slug}/papers/{planted.public_paper.pk}/"
    assert only["Published at"] == "2027-01-15T10:00:00+00:00"
    assert client.get(only["Download"].removeprefix("http://testserver.example")).status_code == 200

    decisions = {(r["Kind"], r["Decision"]): r for r in as_dicts(client, slug, "decisions")}
    assert set(decisions) == {
        ("Resolution", PUBLIC["decided item"]),
        ("Reserved matter", PUBLIC["reserved-matter decision"]),
    }
    resolution = decisions["Resolution", PUBLIC["decided item"]]
    assert resolution["Outcome"] == PUBLIC["resolution"] and resolution["Decided on"] == "2026-12-09"
    assert resolution["Web page"] == f"http://testserver.example/public/{slug}/meetings/{planted.held.pk}/"

    (seat,) = as_dicts(client, slug, "board")
    assert (seat["Held by"], seat["Role"], seat["Since"]) == (PUBLIC["board member"], "Chair", "2025-01-01")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "http://testserver.example"


def test_nothing_exempt_draft_or_unaccepted_reaches_any_dataset(client, planted):
    slug = planted.council.slug
    everything = []
    for ds in DATASETS_IN_ORDER:
        for fmt in ("csv", "json"):
            everything.append(client.get(data_url(slug, ds.name, fmt)).content.decode())
    everything = "\n".join(everything)
    for what, word in NEVER.items():
        assert word not in everything, f"the {what} ({word}) reached the open data"
    for hidden in planted.hidden_papers:
        assert f"/papers/{hidden.pk}/" not in everything
    # The accepted figures are all of the accepted month; neither provisional month nor figure is there.
    months = {r["Month"] for r in as_dicts(client, slug, "kpi-figures")}
    assert months == {f"{REPORTED:%Y-%m}"}


def test_a_formula_looking_title_is_neutralised_in_the_csv_and_kept_in_the_json(client, planted):
    item = AgendaItem.objects.create(meeting=planted.meeting, order=4, title=FORMULA)
    paper(item, "+44 cmd|' /C calc'!A0")
    slug = planted.council.slug
    items = as_dicts(client, slug, "agenda-items")
    assert items[-1]["Item"] == "'" + FORMULA and items[-1]["Item number"] == "3"
    papers = {r["Item"]: r["Paper"] for r in as_dicts(client, slug, "papers")}
    assert papers["'" + FORMULA] == "'+44 cmd|' /C calc'!A0"
    assert json_body(client, slug, "agenda-items")["rows"][-1]["title"] == FORMULA


def test_small_numbers_are_c_exactly_where_the_scorecard_withholds_them(client, planted):
    (card,) = selectors.scorecards(planted.council)
    withheld_on_scorecard = {p.kpi.code for p in card.positions if p.small_number}
    assert withheld_on_scorecard == {"CLA", "AS"}
    rows = {r["code"]: r for r in json_body(client, planted.council.slug, "kpi-figures")["rows"]}
    assert {code for code, r in rows.items() if r["figure"] == SUPPRESSED} == withheld_on_scorecard
    assert rows["CLA"]["rating"] is None and rows["AS"]["rating"] is None
    assert rows["CIN"]["figure"] == 1712 and rows["RR"]["figure"] == 23.4 and rows["RR"]["target"] == 25
    assert rows["CIN"]["rating"] == card.positions[2].rag_word
    assert 3 not in {r["figure"] for r in rows.values()} and 37.5 not in {r["figure"] for r in rows.values()}


def test_a_shared_trusts_board_and_figures_are_in_both_owners_data(client, planted):
    joint = DeliveryBodyFactory(
        slug="shared-trust", name="Shared Children's Trust", council=planted.council, operational_from=date(2022, 4, 1)
    )
    Ownership.objects.create(delivery_body=joint, council=planted.other_council)
    make_board(joint, [("Sam Jointchair", "chair", "Independent chair")])
    kpi = Kpi.objects.create(
        delivery_body=joint, code="JT", title="Joint timeliness", definition="d", unit="percentage", polarity="higher"
    )
    make_return(joint, REPORTED, {kpi: "81.5"}, user=planted.officer)
    joint_contract = ContractFactory(delivery_body=joint, council=planted.council, is_joint=True, reference="JNT-1")
    ContractYearFinance.objects.create(contract=joint_contract, financial_year=2026, contract_sum=Decimal("1000.50"))

    for council in (planted.council, planted.other_council):
        board = {r["Held by"] for r in as_dicts(client, council.slug, "board")}
        assert "Sam Jointchair" in board
        figures = [
            (r["Trust"], r["Indicator code"], r["Figure"]) for r in as_dicts(client, council.slug, "kpi-figures")
        ]
        assert ("Shared Children's Trust", "JT", "81.5") in figures
        (contract,) = as_dicts(client, council.slug, "contracts")
        assert contract["Councils"] == "Opentown Borough Council; Elsewhere Council"
        assert as_dicts(client, council.slug, "contract-years") == [
            {
                "Contract reference": "JNT-1",
                "Financial year": "2026/27",
                "Year starts": "2026-04-01",
                "Year ends": "2027-03-31",
                "Contract sum (£)": "1000.5",
            }
        ]
    # The other owner never gets Opentown's own trust.
    assert PUBLIC["board member"] not in {r["Held by"] for r in as_dicts(client, planted.other_council.slug, "board")}


def test_contract_facts_are_the_signed_contracts_public_fields(client, planted):
    live = ContractFactory(
        delivery_body=planted.trust, reference="OPN-2025", signed_on=date(2025, 3, 1), title="Opentown services"
    )
    ContractYearFinance.objects.create(contract=live, financial_year=2025, contract_sum=Decimal("58330000.00"))
    ContractYearFinance.objects.create(contract=live, financial_year=2026, contract_sum=None)
    ContractFactory(delivery_body=planted.trust, reference="ZZDRAFTCONTRACT", status=Contract.Status.DRAFT)
    other_trust = DeliveryBody.objects.get(slug="elsewhere-trust")
    ContractFactory(delivery_body=other_trust, council=planted.other_council, reference="ZZOTHERCONTRACT")
    slug = planted.council.slug
    (row,) = as_dicts(client, slug, "contracts")
    assert row == {
        "Contract reference": "OPN-2025",
        "Contract": "Opentown services",
        "Councils": "Opentown Borough Council",
        "Trust": "Opentown Children's Trust",
        "Trust company number": row["Trust company number"],
        "Status": "Live",
        "Starts": "2020-04-01",
        "Initial term ends": "2030-03-31",
        "Signed on": "2025-03-01",
    }
    years = json_body(client, slug, "contract-years")["rows"]
    assert [(y["financial_year"], y["contract_sum"]) for y in years] == [("2025/26", 58330000), ("2026/27", None)]
    everything = client.get(data_url(slug, "contracts", "json")).content.decode()
    assert "ZZDRAFTCONTRACT" not in everything and "ZZOTHERCONTRACT" not in everything


def test_unknown_dataset_format_or_council_is_a_404(client, planted):
    slug = planted.council.slug
    assert client.get(data_url(slug, "no-such-data", "csv")).status_code == 404
    assert client.get(data_url(slug, "no-such-data", "json")).status_code == 404
    assert client.get(f"/public/{slug}/data/meetings.xml").status_code == 404
    assert client.get(f"/public/{slug}/data/meetings").status_code == 404
    assert client.get(data_url("no-such-council", "meetings", "csv")).status_code == 404
    assert client.get(reverse("public:data", kwargs={"slug": "no-such-council"})).status_code == 404
    assert client.post(data_url(slug, "meetings", "csv")).status_code == 405


def test_a_row_that_does_not_match_its_fields_is_refused():
    ds = DATASETS["board"]
    bad = type(ds)(ds.name, ds.title, ds.description, ds.fields, lambda council: [{"trust": "x"}])
    with pytest.raises(ValueError, match="board"):
        bad.records(None)


def test_a_figure_from_the_seed_paper_is_in_the_councils_open_data(client, db):
    """Doncaster's August 2013 children in need (the paper's 1,645), accepted, in Doncaster's open data."""
    from performance.demo import AUGUST_2013
    from tests.performance.test_demo_papers import paper_figures

    expected = paper_figures()[("CIN", AUGUST_2013)]
    rows = json_body(client, "doncaster", "kpi-figures")["rows"]
    (cin,) = [r for r in rows if r["code"] == "CIN" and r["month"] == f"{AUGUST_2013:%Y-%m}"]
    assert cin["figure"] == expected == 1645
