"""The onboarding import: every bad input is refused naming its sheet and cell, and nothing partial is saved."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError

from contracts.models import Contract, SupportServiceLine
from onboarding import services
from onboarding.export import export_bytes, template_bytes
from onboarding.spec import MAX_ROWS_PER_SHEET, SHEETS
from performance.models import Kpi, MonthlyReturn, Target
from tests.factories import CouncilFactory, make_user
from trustgov.accounts.roles import Role
from trustgov.organisations.models import Council, DeliveryBody

from .helpers import minimal_sheets, row_counts, sheets_of, workbook_bytes

pytestmark = pytest.mark.django_db

FROZEN = "2026-11-18T10:00:00+00:00"  # the data below is dated; the clock is fixed so it stays valid


@pytest.fixture
def admin(frozen):
    council = CouncilFactory(slug="northshire", name="Northshire Council")
    return make_user(Role.COUNCIL_OFFICER, council=council, username="northshire-admin", is_administrator=True)


@pytest.fixture
def frozen():
    with time_machine.travel(FROZEN, tick=False):
        yield


def _preview(admin, data: bytes, name: str = "northshire.xlsx"):
    return services.preview(council=admin.council, user=admin, name=name, data=data)


def _import(admin, data: bytes, name: str = "northshire.xlsx"):
    return services.run_import(council=admin.council, user=admin, name=name, data=data)


def _where(result) -> set[tuple[str, str]]:
    return {(p.sheet, p.cell) for p in result.problems}


def assert_refused(admin, data: bytes, *expected: tuple[str, str], words: str = ""):
    """The import is refused, naming each (sheet, cell), and not one row (nor history row) is saved."""
    before = row_counts()
    result = _import(admin, data)
    assert not result.ok
    assert not result.outcome.applied
    for where in expected:
        assert where in _where(result), [str(p) for p in result.problems]
    if words:
        assert any(words in p.message for p in result.problems), [str(p) for p in result.problems]
    assert row_counts() == before
    return result


def test_a_valid_workbook_is_previewed_then_imported_with_history_naming_the_file(admin):
    data = workbook_bytes(minimal_sheets())
    before = row_counts()
    preview = _preview(admin, data)
    assert preview.ok, [str(p) for p in preview.problems]
    counts = {c["sheet"]: c for c in preview.plan.counts()}
    assert counts["KPI catalogue"]["create"] == 2
    assert counts["Targets"]["create"] == 2
    assert row_counts() == before  # the preview saved nothing

    result = _import(admin, data)
    assert result.ok and result.outcome.applied
    body = DeliveryBody.objects.get(slug="northshire-trust")
    contract = Contract.objects.get(reference="NC-NCT-2026")
    assert contract.status == Contract.Status.LIVE and contract.delivery_body == body
    assert set(Kpi.objects.filter(delivery_body=body).values_list("code", flat=True)) == {"RR", "CL"}
    assert Target.objects.get(kpi__delivery_body=body, kpi__code="RR", financial_year=2026).value == Decimal("22")
    record = contract.history.earliest("history_date")
    assert record.history_change_reason == "Onboarding import: northshire.xlsx"
    assert record.history_user == admin
    assert SupportServiceLine.objects.get(contract=contract).history.get().history_user == admin


def test_importing_the_same_file_again_changes_nothing(admin):
    data = workbook_bytes(minimal_sheets())
    assert _import(admin, data).ok
    before = row_counts()
    again = _import(admin, data)
    assert again.ok
    assert again.plan.nothing_to_do
    assert all(c["create"] == 0 and c["change"] == 0 for c in again.plan.counts())
    assert row_counts() == before


def test_a_changed_row_is_previewed_as_a_change_naming_the_fields(admin):
    sheets = minimal_sheets()
    assert _import(admin, workbook_bytes(sheets)).ok
    sheets["Targets"][0][3] = 21
    sheets["KPI catalogue"][1][2] = "Average caseload"
    preview = _preview(admin, workbook_bytes(sheets))
    assert preview.ok
    changes = {(i.sheet.name, i.changes) for i in preview.plan.to_do}
    assert changes == {("Targets", ("Target",)), ("KPI catalogue", ("Title",))}
    assert _import(admin, workbook_bytes(sheets)).ok
    target = Target.objects.get(kpi__delivery_body__slug="northshire-trust", kpi__code="RR", financial_year=2026)
    assert target.value == 21


def test_a_wrong_sheet_is_named(admin):
    sheets = minimal_sheets()
    data = workbook_bytes({**sheets, "KPIs": [["x"]]}, headers={"KPIs": ["Code"]})
    result = assert_refused(admin, data, ("KPIs", ""))
    assert "'KPIs' is not a sheet of the onboarding workbook" in str(result.problems[0])


def test_a_missing_column_is_named_with_its_cell(admin):
    sheets = minimal_sheets()
    header = [h for h in SHEETS[7].headers if h != "Unit"]  # KPI catalogue without its Unit column
    rows = [[v for i, v in enumerate(r) if i != 4] for r in sheets["KPI catalogue"]]
    data = workbook_bytes({**sheets, "KPI catalogue": rows}, headers={"KPI catalogue": header})
    assert_refused(admin, data, ("KPI catalogue", "O1"), words="The column 'Unit' is missing")


def test_a_duplicate_kpi_code_is_named(admin):
    sheets = minimal_sheets()
    sheets["KPI catalogue"][1][1] = "rr"
    result = assert_refused(admin, workbook_bytes(sheets), ("KPI catalogue", "B3"))
    assert "repeats row 2" in str(result.problems[0])


def test_a_target_for_a_kpi_neither_in_the_file_nor_the_catalogue(admin):
    sheets = minimal_sheets()
    sheets["Targets"].append(["northshire-trust", "AGY", "2026/27", 10, 1])
    assert_refused(admin, workbook_bytes(sheets), ("Targets", "B4"), words="'AGY' is not a KPI of northshire-trust")


def test_a_date_outside_the_contract(admin):
    sheets = minimal_sheets()
    sheets["SSA lines"][0][2] = date(2019, 4, 1)  # the contract runs from April 2026
    sheets["Obligations"][0][9] = date(2035, 1, 31)  # ... to April 2031
    assert_refused(
        admin,
        workbook_bytes(sheets),
        ("SSA lines", "C2"),
        ("Obligations", "J2"),
        words="is outside the contract NC-NCT-2026",
    )


def test_every_error_in_the_file_is_listed_at_once(admin):
    sheets = minimal_sheets()
    sheets["Contracts"][0][5] = date(2025, 1, 1)  # ends before it starts
    sheets["KPI catalogue"][0][4] = "percent"  # not a unit
    sheets["Targets"][1][3] = "eighteen"
    sheets["KPI catalogue"][1][7] = "Cases held"  # refused by the service: a numerator needs a denominator
    result = assert_refused(
        admin,
        workbook_bytes(sheets),
        ("Contracts", "F2"),
        ("KPI catalogue", "E2"),
        ("Targets", "D3"),
        ("KPI catalogue", "I3"),
    )
    assert len(result.problems) == 4, [str(p) for p in result.problems]


def test_a_service_refusal_is_mapped_to_its_cell(admin):
    sheets = minimal_sheets()
    sheets["KPI catalogue"][0][7] = "Re-referrals in 12 months"  # a numerator with no denominator
    assert_refused(admin, workbook_bytes(sheets), ("KPI catalogue", "I2"), words="A rate needs both")


def test_a_formula_is_refused_at_its_cell(admin):
    sheets = minimal_sheets()
    sheets["Targets"][0][3] = "=20+2"
    assert_refused(admin, workbook_bytes(sheets), ("Targets", "D2"), words="Formulas are not allowed")


def test_a_macro_enabled_workbook_is_refused(admin):
    data = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook_bytes(minimal_sheets()))) as source, zipfile.ZipFile(data, "w") as out:
        for item in source.infolist():
            out.writestr(item, source.read(item))
        out.writestr("xl/vbaProject.bin", b"\x00" * 64)
    assert_refused(admin, data.getvalue(), ("", ""), words="contains macros")


def test_ten_thousand_rows_are_refused_naming_the_sheet_and_the_limit(admin):
    rows = [["northshire-trust", "RR", f"{2000 + i // 12}-{i % 12 + 1:02d}", 20, None, None, ""] for i in range(10_000)]
    data = workbook_bytes({**minimal_sheets(), "KPI values": rows})
    result = assert_refused(admin, data, ("KPI values", ""))
    assert f"more than {MAX_ROWS_PER_SHEET:,} rows" in str(result.problems[0])


@pytest.mark.parametrize(
    "data", [b"%PDF-1.4 not a workbook", b"Code,Value\nRR,20\n", b"PK\x03\x04broken"], ids=["pdf", "csv", "broken"]
)
def test_a_file_that_is_not_a_spreadsheet(admin, data):
    result = assert_refused(admin, data, ("", ""))
    assert "northshire.xlsx" in result.problems[0].message


def test_a_trusts_submitted_figure_is_never_overwritten(demo_user):
    officer = demo_user("sandwell-officer")
    council = officer.council
    data = export_bytes(council)
    sheets = sheets_of(data)
    values = sheets["KPI values"]
    header = values[0]
    column = header.index("Numerator")  # Sandwell's KPIs are rates: numerator and denominator
    row = next(i for i, r in enumerate(values[1:], start=2) if (r[column] or 0) >= 1)
    values[row - 1][column] = values[row - 1][column] - 1
    changed = workbook_bytes({k: v[1:] for k, v in sheets.items() if k != "Read me"})
    before = row_counts()
    result = services.run_import(council=council, user=officer, name="sandwell.xlsx", data=changed)
    assert not result.ok
    assert ("KPI values", f"E{row}") in _where(result), [str(p) for p in result.problems]
    assert "never overwritten" in next(p.message for p in result.problems if p.cell == f"E{row}")
    assert row_counts() == before


def test_the_export_imported_where_it_came_from_changes_nothing(demo_user):
    officer = demo_user("sandwell-officer")
    result = services.preview(
        council=officer.council, user=officer, name="sandwell.xlsx", data=export_bytes(officer.council)
    )
    assert result.ok, [str(p) for p in result.problems]
    assert result.plan.nothing_to_do
    assert sum(c["unchanged"] for c in result.plan.counts()) > 300


def test_every_demo_councils_export_reimports_as_nothing_to_do():
    for council in Council.objects.exclude(slug="sandwell"):
        result = services.preview(council=council, user=_superuser(), name="x.xlsx", data=export_bytes(council))
        assert result.ok, (council.slug, [str(p) for p in result.problems])
        assert result.plan.nothing_to_do, council.slug


def _superuser():
    from trustgov.accounts.models import User

    return User.objects.get_or_create(username="onboarding-super", defaults={"is_superuser": True})[0]


def test_the_template_has_every_sheet_and_header_and_imports_as_nothing(admin):
    sheets = sheets_of(template_bytes())
    assert list(sheets) == ["Read me"] + [s.name for s in SHEETS]
    for sheet in SHEETS:
        assert sheets[sheet.name] == [sheet.headers]
    result = _preview(admin, template_bytes())
    assert result.ok and result.plan.items == []


def test_only_the_councils_administrator_may_import(admin, demo_user):
    data = workbook_bytes(minimal_sheets())
    other_council = Council.objects.get(slug="sandwell")
    for user, council in (
        (demo_user("sandwell-officer"), admin.council),  # another council's administrator
        (make_user(Role.COUNCIL_OFFICER, council=admin.council, username="plain-officer"), admin.council),
        (demo_user("sandwell-trust-exec"), other_council),
        (demo_user("sandwell-scrutiny"), other_council),
    ):
        with pytest.raises(PermissionDenied):
            services.run_import(council=council, user=user, name="x.xlsx", data=data)
    assert not DeliveryBody.objects.filter(slug="northshire-trust").exists()


def test_the_command_imports_dry_runs_and_refuses(admin, tmp_path, capsys):
    path = tmp_path / "northshire.xlsx"
    path.write_bytes(workbook_bytes(minimal_sheets()))
    call_command("import_onboarding", "northshire", str(path), "--dry-run")
    assert "Dry run: nothing was saved." in capsys.readouterr().out
    assert not DeliveryBody.objects.filter(slug="northshire-trust").exists()
    call_command("import_onboarding", "northshire", str(path))
    assert DeliveryBody.objects.filter(slug="northshire-trust").exists()
    call_command("import_onboarding", "northshire", str(path))
    assert "Nothing to change" in capsys.readouterr().out
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a spreadsheet")
    with pytest.raises(CommandError, match="nothing was saved"):
        call_command("import_onboarding", "northshire", str(bad))
    assert "bad.xlsx is not a spreadsheet" in capsys.readouterr().err
    out = tmp_path / "export.xlsx"
    call_command("export_onboarding", "northshire", str(out))
    assert sheets_of(out.read_bytes())["Contracts"][1][0] == "NC-NCT-2026"
    assert MonthlyReturn.objects.filter(delivery_body__slug="northshire-trust").count() == 0


def test_rows_of_a_refused_contract_are_not_reported_again(admin):
    sheets = minimal_sheets()
    sheets["Contracts"][0][3] = "terminated"
    result = assert_refused(admin, workbook_bytes(sheets), ("Contracts", "D2"))
    assert [(p.sheet, p.cell) for p in result.problems] == [("Contracts", "D2")]


def test_a_kpi_change_that_would_change_accepted_figures_is_refused_at_its_cell(demo_user):
    officer = demo_user("sandwell-officer")
    sheets = sheets_of(export_bytes(officer.council))
    header = sheets["KPI catalogue"][0]
    sheets["KPI catalogue"][1][header.index("Unit")] = "count"
    changed = workbook_bytes({k: v[1:] for k, v in sheets.items() if k != "Read me"})
    before = row_counts()
    result = services.run_import(council=officer.council, user=officer, name="sandwell.xlsx", data=changed)
    assert [(p.sheet, p.cell) for p in result.problems] == [("KPI catalogue", "E2")]
    assert "would change accepted figures" in result.problems[0].message
    assert row_counts() == before
