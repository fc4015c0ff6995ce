"""The Sandwell contract page as the papers describe it, and the contract register as a spreadsheet opens it."""

import csv
import io
from datetime import date, datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from contracts.exports import COLUMNS
from contracts.models import Contract

from .factories import ContractFactory, FinanceYearFactory

pytestmark = pytest.mark.django_db

SANDWELL = "SMBC-SCT-2018"


class _Table(HTMLParser):
    """The text of each row's cells in the table marked ``data-testid``."""

    def __init__(self, testid: str):
        super().__init__()
        self.testid, self.inside, self.rows, self.cell = testid, False, [], None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("data-testid") == self.testid:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []
        elif self.inside and tag == "br" and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def table(html: str, testid: str) -> list[dict[str, str]]:
    parser = _Table(testid)
    parser.feed(html)
    assert parser.rows, f"no table {testid!r} on the page"
    header, *body = parser.rows
    return [dict(zip(header, row, strict=True)) for row in body]


@pytest.fixture
def sandwell_page(client, demo_user):
    def get(username: str) -> str:
        client.force_login(demo_user(username))
        response = client.get(Contract.objects.get(reference=SANDWELL).get_absolute_url())
        assert response.status_code == 200
        return response.content.decode()

    return get


@pytest.mark.parametrize("username", ["sandwell-officer", "sandwell-trust-exec", "sandwell-scrutiny", "dfe-liaison"])
def test_sandwell_money_table_has_the_2018_19_figures(sandwell_page, username):
    rows = table(sandwell_page(username), "money-table")
    assert rows[0] == {
        "Year": "2018/19",
        "Contract sum": "£58,330,000.00",
        "Support services income": "£2,150,000.00",
        "Accommodation income": "£630,000.00",
        "Grants and contributions": "£5,140,000.00",
        "DfE VAT funding": "£1,660,000.00",
        "Set-up costs": "Not recorded",  # the Cabinet report gives none: not £0.00
    }


def test_sandwell_obligations_table(sandwell_page):
    rows = {r["Obligation"]: r for r in table(sandwell_page("sandwell-trust-exec"), "obligations-table")}
    assert rows["Monthly monitoring information to the council"]["How often"] == "Monthly"
    assert rows["DCS and Trust Chief Executive meet at least monthly"]["How often"] == "Monthly"
    assert rows["Quarterly Strategic Partnership Board"]["How often"] == "Quarterly"
    scrutiny = rows["Trust attends Children's Services and Education Scrutiny Board"]
    assert scrutiny["How often"] == "Twice a year" and scrutiny["Owner"] == "Trust Chief Executive"
    assert rows["Trust attends Budget and Corporate Scrutiny Management Board"]["Next due"] == "15 Feb 2027"
    kpis = rows["Key Performance Indicators agreed"]
    assert kpis["Next due"] == "30 Sep 2018 Extended"
    assert kpis["Original due date"].startswith("31 Jul 2018 Extended by the first Strategic Partnership Board")
    assert all(r["Owner"] and r["Next due"] != "Not set" for r in rows.values())


def test_sandwell_page_shows_ssa_budget_and_key_dates(sandwell_page):
    page = sandwell_page("sandwell-officer")
    assert "Leased cars" in page and "1 Apr 2018 to 31 Mar 2021" in page  # three years
    assert "HR, finance, payroll, ICT and property" in page and "1 Apr 2018 to 31 Mar 2019" in page  # one year
    assert "£51,566.67 over" in page  # May 2018: 4,912,400.00 less 4,860,833.33
    assert "<strong>1 April 2018</strong>: Go-live" in page
    assert "<strong>31 March 2022</strong>: Last day to give notice to break" in page
    assert "6 months" in page  # grace period before formal KPI reporting


# --- Contract register exports ---------------------------------------------------------------------

# The contract fields of the Local Government Transparency Code 2015 (paragraph 34), as column headings.
TRANSPARENCY_CODE_COLUMNS = [
    "Reference number",
    "Title of agreement",
    "Description of the goods and/or services",
    "Department responsible",
    "Supplier name",
    "Supplier company registration number",
    "Supplier is an SME",
    "Supplier is a VCSE",
    "Procurement process",
    "Start date",
    "End date",
    "Review date",
    "Extension options",
    "Total value of the contract (£)",
    "Value in current financial year (£)",
    "Irrecoverable VAT (£)",
    "Status",
]


@pytest.fixture
def hostile_contract(tenant_a):
    contract = ContractFactory(
        delivery_body=tenant_a.body,
        reference="=1+1",
        title="+SUM(A1:A2)",
        description="@cmd",
        extension_options="-2+3",
        supplier_company_number='=HYPERLINK("x")',
    )
    FinanceYearFactory(contract=contract, financial_year=2024, contract_sum="1200.50")
    return contract


def _csv(client) -> list[list[str]]:
    response = client.get(reverse("contracts:register-csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="contract-register-' in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())  # a spreadsheet reads the £ as UTF-8
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _xlsx(client):
    response = client.get(reverse("contracts:register-xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.content)).active


def test_the_columns_are_the_transparency_codes():
    assert COLUMNS == TRANSPARENCY_CODE_COLUMNS


def test_csv_register_columns_values_and_neutralised_cells(client, tenant_a, hostile_contract):
    client.force_login(tenant_a.officer)
    header, *rows = _csv(client)
    assert header == TRANSPARENCY_CODE_COLUMNS
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["Reference number"] == "'=1+1" and row["Title of agreement"] == "'+SUM(A1:A2)"
    assert row["Extension options"] == "'-2+3"
    assert row["Supplier company registration number"] == '\'=HYPERLINK("x")'
    assert row["Description of the goods and/or services"].startswith("'@cmd")
    assert row["Start date"] == "2020-04-01" and row["End date"] == "2030-03-31"
    assert row["Total value of the contract (£)"] == "1200.50"
    assert row["Supplier name"] == tenant_a.body.name
    for value in rows[0]:
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_xlsx_register_opens_with_the_columns_and_runs_no_formula(client, tenant_a, hostile_contract):
    client.force_login(tenant_a.officer)
    sheet = _xlsx(client)
    assert sheet.title == "Contract register"
    assert [c.value for c in sheet[1]] == TRANSPARENCY_CODE_COLUMNS
    assert all(c.font.bold for c in sheet[1])
    assert sheet.max_row == 2
    cells = {h: c for h, c in zip(TRANSPARENCY_CODE_COLUMNS, sheet[2], strict=True)}
    for cell in sheet[2]:
        assert cell.data_type != "f", cell.value  # no cell is a formula
        if isinstance(cell.value, str):
            assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), cell.value
    assert cells["Reference number"].value == "'=1+1"
    assert cells["Start date"].value == datetime(2020, 4, 1) and cells["Start date"].number_format == "DD/MM/YYYY"
    assert cells["Total value of the contract (£)"].value == 1200.5
    assert cells["Total value of the contract (£)"].number_format == "#,##0.00"


def test_exports_are_scoped_to_the_users_council(client, demo_user):
    client.force_login(demo_user("sandwell-scrutiny"))
    assert [r[0] for r in _csv(client)[1:]] == [SANDWELL]
    assert [r[0] for r in _xlsx(client).iter_rows(min_row=2, values_only=True)] == [SANDWELL]
    client.force_login(demo_user("dfe-liaison"))
    assert len(_csv(client)) - 1 == Contract.objects.count()


def test_sandwell_in_the_register(client, demo_user):
    client.force_login(demo_user("sandwell-officer"))
    header, row = _csv(client)
    row = dict(zip(header, row, strict=True))
    assert row["Title of agreement"] == "Sandwell Children's Trust service contract"
    assert row["Department responsible"] == "Sandwell Metropolitan Borough Council: Children's Services"
    assert row["Supplier is a VCSE"] == "Yes"
    assert row["Value in current financial year (£)"] == "58330000.00"
    assert row["Irrecoverable VAT (£)"] == "1660000.00"
    assert (row["Start date"], row["End date"], row["Review date"]) == ("2018-04-01", "2028-03-31", "2027-04-01")
    assert row["Status"] == "Live"
    assert "early help" in row["Description of the goods and/or services"]


def test_register_is_not_for_anonymous_users(client):
    for name in ("contracts:register-csv", "contracts:register-xlsx"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response["Location"]


def test_a_contract_without_money_has_empty_value_cells(client, tenant_a):
    ContractFactory(delivery_body=tenant_a.body, reference="NO-MONEY")
    client.force_login(tenant_a.officer)
    header, row = _csv(client)
    row = dict(zip(header, row, strict=True))
    assert row["Total value of the contract (£)"] == "" and row["Irrecoverable VAT (£)"] == ""
    assert date.fromisoformat(row["Start date"]) == date(2020, 4, 1)
