"""A spreadsheet is checked for what it unpacks to before it is parsed: a decompression bomb, too
many zip entries or too many rows or cells is a 400 naming the file, quickly, with nothing saved."""

import functools
import io
import time
import tracemalloc
from datetime import date

import pytest
import time_machine
from openpyxl import load_workbook

from performance import spreadsheets
from performance.models import MonthlyReturn
from tests import bombs

from .factories import small_catalogue
from .test_upload import GOOD, filled_xlsx, template, upload


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(date(2025, 7, 10), tick=False):
        yield


@pytest.fixture
def trust(client, tenant_a):
    small_catalogue(tenant_a.body)
    client.force_login(tenant_a.trust_exec)
    return tenant_a


@functools.cache
def bomb() -> bytes:
    return bombs.xlsx_bomb(300)


def refused(client, trust, data: bytes, name="return.xlsx"):
    started = time.perf_counter()
    response = upload(client, data, name=name)
    elapsed = time.perf_counter() - started
    assert response.status_code == 400
    assert not MonthlyReturn.objects.filter(delivery_body=trust.body).exists()
    return response.content.decode(), elapsed, None


def test_a_decompression_bomb_is_refused_before_it_is_inflated(client, trust):
    data = bomb()
    assert len(data) < 1024 * 1024  # under the 2 MB upload limit
    page, elapsed, _ = refused(client, trust, data)
    assert "return.xlsx unpacks to 300 MB, more than the 20 MB allowed" in page
    assert elapsed < 5.0, f"took {elapsed:.2f}s"  # inflating it takes a worker a minute and 1.6 GB


def test_checking_a_bomb_reads_only_its_directory():
    data = bomb()
    tracemalloc.start()
    started = time.perf_counter()
    parsed = spreadsheets.parse_upload(name="return.xlsx", data=data)
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert parsed.errors[0][0] == "file" and "unpacks to 300 MB" in parsed.errors[0][1]
    assert elapsed < 0.5, f"took {elapsed:.2f}s"
    assert peak < 5 * 1024 * 1024, f"peak {peak / 1024 / 1024:.1f} MB"


def test_too_many_zip_entries_are_refused(client, trust):
    page, _, _ = refused(client, trust, bombs.many_entries(500))
    assert "return.xlsx has too many parts (502; the limit is 100)" in page


def test_rows_over_the_limit_are_refused(client, trust, settings):
    settings.SPREADSHEET_MAX_ROWS = 20
    wb = load_workbook(io.BytesIO(filled_xlsx(client, GOOD)))
    for r in range(8, 40):
        wb.active[f"F{r}"] = "padding"
    out = io.BytesIO()
    wb.save(out)
    page, _, _ = refused(client, trust, out.getvalue())
    assert "return.xlsx has more than 20 rows or 50,000 cells" in page


def test_cells_over_the_limit_are_refused(client, trust, settings):
    settings.SPREADSHEET_MAX_CELLS = 30  # the template is 7 rows of 6 columns
    page, _, _ = refused(client, trust, filled_xlsx(client, GOOD))
    assert "more than 2,000 rows or 30 cells" in page


def test_a_macro_part_anywhere_is_refused(client, trust):
    page, _, _ = refused(client, trust, bombs.with_macros())
    assert "return.xlsx contains macros" in page


def test_the_template_itself_is_within_every_limit(client, trust):
    assert upload(client, filled_xlsx(client, GOOD)).status_code == 302
    assert template(client)


# --- figures: finite, in range, two decimal places, ASCII digits (each refused naming its cell) -----------


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        ({"D5": "1e309"}, "D5: enter a number, using the digits 0 to 9"),
        ({"D5": 1e15}, "D5: the figure is too large: enter a number below 1,000,000,000,000"),
        ({"E6": 10**15}, "E6: the figure is too large"),
        ({"C7": 1650.125}, "C7: enter the figure to at most 2 decimal places"),
        ({"C7": "1650.125"}, "C7: enter the figure to at most 2 decimal places"),
        ({"D5": "٤٠"}, "D5: enter a number, using the digits 0 to 9"),  # Arabic-Indic 40
        ({"C7": "NaN"}, "C7: enter a number"),
    ],
)
def test_bad_figures_in_a_workbook_are_refused_naming_the_cell(client, trust, edits, expected):
    page, _, _ = refused(client, trust, filled_xlsx(client, {**GOOD, **edits}))
    assert expected in page


@pytest.mark.parametrize(
    ("numerator", "expected"),
    [
        ("1e309", "D5: enter a number"),
        ("1e15", "D5: enter a number"),
        ("40.001", "D5: enter the figure to at most 2 decimal places"),
        ("١٢", "D5: enter a number"),
    ],
)
def test_bad_figures_in_a_csv_are_refused_naming_the_cell(client, trust, numerator, expected):
    text = template(client, "csv").decode()
    text = text.replace("RR,Re-referral rate,,,", f"RR,Re-referral rate,,{numerator},200").replace(
        "AS45,Assessments within 45 working days,,,", "AS45,Assessments within 45 working days,,170,200"
    )
    text = text.replace("CIN,Children in need,,", "CIN,Children in need,1650,")
    page, _, _ = refused(client, trust, text.encode("utf-8"), name="return.csv")
    assert expected in page


def test_figures_the_form_accepts_are_accepted_from_a_workbook(client, trust):
    response = upload(client, filled_xlsx(client, {**GOOD, "D5": "40", "E5": "1,200", "C7": 1650.0}))
    assert response.status_code == 302, response.content.decode()
