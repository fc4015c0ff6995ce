"""The demo's contracts as their papers give them: Torbay's term and break from the Council report of
20 July 2017 (read from the seed paper), and West Sussex's money the paper does not give shown as not
recorded (null in the API), never £0.00, on the page, the PDF's money table and the API."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from contracts.models import NOT_RECORDED, Contract, ContractYearFinance
from reports.models import ReportDraft
from reports.sections import contract_money_section
from trustgov.core.dates import add_months

from ..api.helpers import client_with, token_for
from ..seed_papers import paper
from .factories import ContractFactory

pytestmark = pytest.mark.django_db

WORDS = {"three": 3, "five": 5, "ten": 10}
MONTHS = {m: n for n, m in enumerate(["January", "February", "March", "April", "May", "June", "July", "August",
                                       "September", "October", "November", "December"], start=1)}  # fmt: skip


@pytest.fixture(autouse=True)
def _frozen_today(time_machine):
    time_machine.move_to(date(2026, 11, 23), tick=False)


def test_torbay_term_and_break_are_the_papers():
    text = paper("Torbay", "break clause")
    term = re.search(
        r"involved a (\w+) year agreement, subject to annual review and with a (\w+) year \W?break clause", text
    )
    start = re.search(r"(\w+) (\d{4}) would therefore appear to be a reasonable target date for the partnership", text)
    assert term and start, "the Torbay paper no longer gives the term, the break or the start"
    years, break_years = WORDS[term.group(1)], WORDS[term.group(2)]
    go_live = date(int(start.group(2)), MONTHS[start.group(1)], 1)
    assert (years, break_years, go_live) == (5, 3, date(2018, 4, 1))

    torbay = Contract.objects.get(delivery_body__slug="torbay-partnership")
    assert torbay.start_date == go_live and torbay.initial_term_years == years
    assert torbay.end_date == add_months(go_live, 12 * years) - timedelta(days=1)  # 31 March 2023
    assert torbay.break_clause_date == add_months(go_live, 12 * break_years) - timedelta(days=1)  # 31 March 2021
    assert torbay.break_notice_months is None  # the paper gives no notice period
    body = client_with(token_for("torbay-officer")).get(f"/api/v1/contracts/{torbay.pk}/").json()
    assert (body["initial_term_years"], body["end_date"], body["break_clause_date"]) == (5, "2023-03-31", "2021-03-31")


def test_the_demo_records_no_money_as_nought_where_a_paper_gives_no_figure():
    # Every £0.00 in the demo's money was a figure no paper gives: none is left.
    money = [f.name for f in ContractYearFinance._meta.fields if f.get_internal_type() == "DecimalField"]
    for finance in ContractYearFinance.objects.all():
        assert all(getattr(finance, name) != 0 for name in money), finance


def test_west_sussex_missing_money_is_not_recorded_on_the_page_pdf_and_api(client, demo_user):
    text = paper("West Sussex", "Children's Trust")
    assert "falls to be met by the Department for Education" in text  # §5.2, which the notes cite
    contract = Contract.objects.get(delivery_body__slug="west-sussex-trust")
    finance = contract.finance_years.get(financial_year=2021)
    assert finance.contract_sum is None and finance.setup_costs is None

    client.force_login(demo_user("west-sussex-officer"))
    page = client.get(contract.get_absolute_url()).content.decode()
    row = re.search(r">2021/22</th>((?:(?!</tr>).)*)</tr>", page, re.DOTALL)
    assert row and row.group(1).count(NOT_RECORDED) == 6 and "£0.00" not in row.group(1)

    draft = ReportDraft(
        council=contract.council,
        delivery_body=contract.delivery_body,
        period_start=date(2021, 10, 1),
        period_end=date(2022, 3, 31),
    )
    cells = [c.text for table in contract_money_section(draft).tables for r in table.rows for c in r]
    assert cells.count(NOT_RECORDED) >= 5 and not any("£0.00" in c for c in cells)

    api = client_with(token_for("west-sussex-officer"))
    rows = api.get(f"/api/v1/contract-finance/?contract={contract.pk}").json()["results"]
    assert rows[0]["contract_sum"] is None and rows[0]["setup_costs"] is None


def test_money_left_empty_in_the_form_or_null_in_the_api_is_saved_as_not_recorded(client, tenant_a):
    contract = ContractFactory(delivery_body=tenant_a.body)
    client.force_login(tenant_a.officer)
    data = {"financial_year": 2024, "contract_sum": "", "setup_costs": "", "accommodation_income": "0"}
    response = client.post(reverse("contracts:finance-create", args=[contract.pk]), data)
    assert response.status_code == 302
    finance = contract.finance_years.get(financial_year=2024)
    assert finance.contract_sum is None and finance.setup_costs is None and finance.accommodation_income == 0
    assert finance.history.latest().history_user == tenant_a.officer
    page = client.get(contract.get_absolute_url()).content.decode()
    row = re.search(r">2024/25</th>((?:(?!</tr>).)*)</tr>", page, re.DOTALL)
    assert row and row.group(1).count(NOT_RECORDED) == 5 and "£0.00" in row.group(1)  # a nought is a figure

    bad = client.post(
        reverse("contracts:finance-create", args=[contract.pk]), {"financial_year": 2025, "contract_sum": "-1"}
    )
    assert bad.status_code == 400 and "Contract sum cannot be negative" in bad.content.decode()
    assert not contract.finance_years.filter(financial_year=2025).exists()

    api = client_with(token_for(tenant_a.officer, scope="write"))
    body = {"contract": contract.pk, "financial_year": 2026, "contract_sum": None, "dfe_vat_funding": "12.50"}
    created = api.post("/api/v1/contract-finance/", body, format="json")
    assert created.status_code == 201 and created.json()["contract_sum"] is None
    assert created.json()["setup_costs"] is None and created.json()["dfe_vat_funding"] == "12.50"
