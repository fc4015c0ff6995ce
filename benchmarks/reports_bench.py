"""Report benchmark: render time of a 20-page quarterly report to the Strategic Partnership Board.

Run with ``python -m benchmarks.reports_bench [out.pdf]``. Not a timed test: it prints a table.
It builds a throwaway test database with one trust: 24 KPIs with twelve months of accepted
returns (so 24 SVG charts), a contract with money, budget months and 30 risks, 40 open actions,
and a draft whose narrative fills the sections. It then times, over several runs, reading the
data appendices and rendering the PDF with ``render_pdf`` (the one path every report takes),
and reports the page count so the "20 pages" is checked, not assumed.
"""

import os
import statistics
import sys
import time
from datetime import date
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trustgov.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

import django  # noqa: E402

django.setup()

from django.test.utils import setup_databases, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

KPI_COUNT = 24
RISKS = 30
ACTIONS = 40
RUNS = 3
PARAGRAPH = (
    "The Trust reported its figures for the quarter on time and the council accepted each monthly return "
    "after review. Performance against the contract's key indicators is set out in Appendix 1, with the "
    "direction of travel against the previous month and the trend over twelve months. Where an indicator "
    "is red the Trust has set out its recovery actions, owners and dates, which the client-management "
    "function will follow up at the monthly performance meeting."
)


def build_data():
    from contracts.models import BudgetMonth, Risk
    from meetings.models import Action, Meeting
    from performance.models import Kpi, Target
    from reports.models import ReportDraft
    from tests.conftest import build_tenant
    from tests.reports.factories import make_contract, make_return

    tenant = build_tenant("bench")
    body = tenant.body
    contract = make_contract(body)
    for month in range(4, 13):
        BudgetMonth.objects.get_or_create(
            contract=contract,
            month=date(2025, month, 1),
            defaults={"budget": Decimal("4860000"), "forecast_outturn": Decimal("4900000"), "commentary": "On plan"},
        )
    for i in range(RISKS):
        Risk.objects.create(
            contract=contract,
            title=f"Risk {i:02d}: demand for placements exceeds the budgeted level",
            owner="Director of Resources",
            likelihood=1 + i % 5,
            impact=1 + (i * 2) % 5,
            mitigations_in_place="Placement sufficiency strategy; monthly review of high-cost placements.",
        )
    meeting = Meeting.objects.create(
        council=tenant.council,
        delivery_body=body,
        body_kind="strategic_partnership_board",
        title="Strategic Partnership Board",
        date=date(2026, 1, 21),
    )
    for i in range(ACTIONS):
        Action.objects.create(
            meeting=meeting,
            description=f"Action {i:02d}: report back on the recovery plan for the indicator concerned",
            owner="Trust Chief Executive",
            due_date=date(2026, 2 + i % 3, 1 + i % 27),
        )
    kpis = []
    for i in range(KPI_COUNT):
        kpi = Kpi.objects.create(
            delivery_body=body,
            code=f"K{i:02d}",
            title=f"Indicator {i:02d} of children's social care",
            definition="Benchmark indicator",
            unit=Kpi.Unit.PERCENTAGE,
            polarity="higher" if i % 3 else "lower",
            display_order=i,
        )
        Target.objects.create(kpi=kpi, financial_year=2025, value=Decimal(60), amber_tolerance=Decimal(5))
        kpis.append(kpi)
    for m in range(12):
        period = date(2025 + (m + 3) // 12, (m + 3) % 12 + 1, 1)  # April 2025 .. March 2026
        values = {k: str(40 + (i * 7 + m * 3) % 45) for i, k in enumerate(kpis)}
        make_return(body, period, values, user=tenant.trust_exec)
    narrative = "\n\n".join([PARAGRAPH] * 6)
    return ReportDraft.objects.create(
        report_type="spb_quarterly",
        council=tenant.council,
        delivery_body=body,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        title="Quarterly performance report to the Strategic Partnership Board",
        meeting_name="Strategic Partnership Board",
        meeting_date=date(2026, 4, 22),
        subject="Quarter 4 2025/26 performance of the Children's Trust",
        recommendations="Note the performance of the Trust in quarter 4.\nAgree the recovery actions.",
        **{name: narrative for name in ["purpose", "background", "current_position", "resources", "risk"]},
        created_by=tenant.officer,
    )


def main() -> int:
    from reports.documents import TEMPLATE, build_context
    from reports.rendering import render_pdf
    from reports.sections import read_sections

    setup_test_environment()
    setup_databases(verbosity=0, interactive=False)
    draft = build_data()
    read_times, render_times, cpu_times, pages, size = [], [], [], 0, 0
    for _ in range(RUNS):
        start = time.perf_counter()
        sections = read_sections(draft)
        context = build_context(draft, sections=sections, snapshot_at=timezone.now())
        read_times.append(time.perf_counter() - start)
        start, cpu_start = time.perf_counter(), time.process_time()
        pdf = render_pdf(TEMPLATE, context)
        render_times.append(time.perf_counter() - start)
        cpu_times.append(time.process_time() - cpu_start)
        pages, size = pdf.page_count, len(pdf)
    print("Quarterly report to the Strategic Partnership Board")
    print(f"  {KPI_COUNT} KPIs with 12 months of accepted returns and charts, {RISKS} risks, {ACTIONS} open actions")
    print(f"  pages: {pages}   PDF size: {size / 1024:.0f} KiB   runs: {RUNS}")
    print(f"  read data appendices: median {statistics.median(read_times):.2f} s")
    print(f"  render_pdf:           median {statistics.median(render_times):.2f} s (min {min(render_times):.2f} s)")
    print(
        f"  render_pdf CPU time:  median {statistics.median(cpu_times):.2f} s (wall time includes waiting for a core)"
    )
    if len(sys.argv) > 1:  # python -m benchmarks.reports_bench out.pdf: keep the PDF to look at
        with open(sys.argv[1], "wb") as fh:
            fh.write(pdf)
    if pages < 20:
        print(f"WARNING: only {pages} pages; the benchmark is meant to render about 20", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
