"""From parsed rows to a plan (what each row creates or changes), and running the plan through the services.

``build_plan`` compares every row with what the council already has, by natural key (a delivery
body's short name, a contract's reference, a KPI's code, a financial year…), and says per row:
create, change (naming the fields) or unchanged. It also refuses what needs the database to judge:
a reference to a contract or KPI neither in the file nor in the council's records, a date outside
the contract, a trust's submitted figure that differs.

``apply_plan`` runs every create and change through the apps' services (so validation, history
and rules stay there) inside one transaction. A service's refusal is mapped back to the row's cell
and the run goes on, so every error is listed; if there is any, everything is rolled back. A dry
run always rolls back: the preview is exactly what the confirm will do.
"""

import contextvars
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.http import Http404
from django.utils import timezone
from simple_history.signals import pre_create_historical_record

from boards import services as board_services
from boards.models import Body, Membership, Person, Seat
from contracts import services as contract_services
from contracts.models import BudgetMonth, Contract, ContractYearFinance, Obligation, SupportServiceLine
from performance import services as performance_services
from performance.models import Benchmark, ImprovementPriority, Kpi, Target
from trustgov.core.dates import financial_year_bounds, financial_year_label, month_end
from trustgov.organisations import services as organisation_services
from trustgov.organisations.models import Council, DeliveryBody, OfficeHolding, Ownership

from . import spec
from .workbook import FILE, Parsed, Problem, Row

CREATE, CHANGE, UNCHANGED = "create", "change", "unchanged"
IMPORTABLE_STATUSES = (Contract.Status.DRAFT, Contract.Status.SIGNED, Contract.Status.LIVE)
STATUS_PATH = [Contract.Status.DRAFT, Contract.Status.SIGNED, Contract.Status.LIVE]


@dataclass
class Item:
    sheet: spec.Sheet
    rows: list[Row]
    action: str
    label: str
    changes: tuple[str, ...] = ()
    run: Callable | None = None
    cells: dict[str, str] = field(default_factory=dict)  # error key -> cell
    parent: tuple = ()  # the record the row belongs to: ("contract", ref), ("kpi", body, code)...

    @property
    def row(self) -> Row:
        return self.rows[0]

    def cell_for(self, key: str) -> str:
        if key in self.cells:
            return self.cells[key]
        return self.row.cells.get(key, f"A{self.row.number}")


@dataclass
class Plan:
    council: Council
    file_name: str
    items: list[Item] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> list[dict]:
        """Per sheet: rows to create, to change and unchanged."""
        out = []
        for sheet in spec.SHEETS:
            tally = {CREATE: 0, CHANGE: 0, UNCHANGED: 0}
            for item in self.items:
                if item.sheet is sheet:
                    tally[item.action] += len(item.rows)
            if any(tally.values()):
                out.append({"sheet": sheet.name, **tally})
        return out

    @property
    def to_do(self) -> list[Item]:
        return [i for i in self.items if i.action != UNCHANGED]

    @property
    def nothing_to_do(self) -> bool:
        return not self.to_do


def change_reason(file_name: str) -> str:
    return f"Onboarding import: {file_name}"[:100]


# --- what exists ------------------------------------------------------------------------------------


class Existing:
    """The council's records, looked up by natural key. Created records are found the same way at apply time."""

    def __init__(self, council: Council, user):
        self.council = council
        self.user = user

    def body(self, slug: str) -> DeliveryBody | None:
        return DeliveryBody.objects.filter(slug=(slug or "").lower()).first()

    def contract(self, reference: str) -> Contract | None:
        return Contract.objects.filter(reference__iexact=reference or "").select_related("delivery_body").first()

    def kpi(self, slug: str, code: str) -> Kpi | None:
        return Kpi.objects.filter(delivery_body__slug=(slug or "").lower(), code__iexact=code or "").first()

    def priority(self, slug: str, number: int) -> ImprovementPriority | None:
        return ImprovementPriority.objects.filter(delivery_body__slug=(slug or "").lower(), number=number).first()

    def board(self, name: str) -> Body | None:
        return Body.objects.filter(council=self.council, name__iexact=name or "").first()

    def seat(self, board: str, title: str) -> Seat | None:
        return Seat.objects.filter(body__council=self.council, body__name__iexact=board, title__iexact=title).first()

    def person(self, name: str) -> Person | None:
        return Person.objects.filter(council=self.council, name__iexact=" ".join((name or "").split())).first()


def _differs(obj, values: dict, fields) -> tuple[str, ...]:
    out = []
    for name in fields:
        new, old = values.get(name), getattr(obj, name)
        if isinstance(old, Decimal) and isinstance(new, Decimal):
            if old != new:
                out.append(name)
        elif (old if old is not None else "") != (new if new is not None else ""):
            out.append(name)
    return tuple(out)


# --- the planner ----------------------------------------------------------------------------------------


class Planner:
    def __init__(self, *, council: Council, user, parsed: Parsed):
        self.council = council
        self.user = user
        self.parsed = parsed
        self.existing = Existing(council, user)
        self.plan = Plan(council=council, file_name=parsed.name, problems=list(parsed.problems))
        self.today = timezone.localdate()
        self.file_bodies = {
            r.values["slug"].lower(): r for r in parsed.of(spec.DELIVERY_BODIES) if r.values.get("slug")
        }
        self.file_contracts = {
            r.values["reference"].lower(): r for r in parsed.of(spec.CONTRACTS) if r.values.get("reference")
        }
        self.file_kpis = {
            (r.values["delivery_body"].lower(), r.values["code"].lower()): r
            for r in parsed.of(spec.KPIS)
            if r.values.get("delivery_body") and r.values.get("code")
        }
        self.file_priorities = {
            (r.values["delivery_body"].lower(), r.values["number"])
            for r in parsed.of(spec.PRIORITIES)
            if r.values.get("delivery_body") and r.values.get("number") is not None
        }
        self.file_boards = {r.values["name"].lower(): r for r in parsed.of(spec.BOARDS) if r.values.get("name")}

    def error(self, row: Row, name: str, message: str) -> None:
        header = row.sheet.column(name).header if any(c.field == name for c in row.sheet.columns) else ""
        self.plan.problems.append(
            Problem(row.sheet.name, row.cell(name), f"{header}: {message}" if header else message)
        )

    def add(self, item: Item) -> None:
        v, sheet = item.row.values, item.sheet
        if "contract" in v:
            item.parent = ("contract", v.get("contract"))
        elif sheet in (spec.TARGETS, spec.BENCHMARKS, spec.VALUES):
            item.parent = ("kpi", v.get("delivery_body"), v.get("kpi"))
        elif sheet is spec.BOARD_MEMBERS:
            item.parent = ("board", v.get("body"))
        elif sheet is not spec.DELIVERY_BODIES and v.get("delivery_body"):
            item.parent = ("body", v.get("delivery_body"))
        self.plan.items.append(item)

    # references ---------------------------------------------------------------------------------------

    def body_ref(self, row: Row, name: str = "delivery_body", *, required: bool = True) -> bool:
        slug = (row.values.get(name) or "").lower()
        if not slug:
            return not required
        if slug in self.file_bodies:
            return True
        body = self.existing.body(slug)
        if body is not None and body.is_owned_by(self.council):
            return True
        self.error(
            row,
            name,
            f"'{row.values.get(name)}' is not in the '{spec.DELIVERY_BODIES.name}' sheet nor one of "
            f"{self.council}'s delivery bodies",
        )
        return False

    def contract_dates(self, reference: str) -> tuple[date, date, date] | None:
        """(earliest date the contract covers: shadow start or go-live, go-live, end)."""
        row = self.file_contracts.get((reference or "").lower())
        if row is not None:
            v = row.values
            if not (v.get("start_date") and v.get("end_date")) or v["end_date"] <= v["start_date"]:
                return None  # the contract's own dates are refused on its row
            return (v.get("shadow_start_date") or v["start_date"], v["start_date"], v["end_date"])
        contract = self.existing.contract(reference)
        if contract is not None and contract.council_id == self.council.pk:
            return (contract.shadow_start_date or contract.start_date, contract.start_date, contract.end_date)
        return None

    def contract_ref(self, row: Row) -> tuple[date, date, date] | None | bool:
        reference = row.values.get("contract") or ""
        if not reference:
            return False
        if reference.lower() in self.file_contracts:
            return self.contract_dates(reference)
        contract = self.existing.contract(reference)
        if contract is not None and contract.council_id == self.council.pk:
            return self.contract_dates(reference)
        self.error(
            row,
            "contract",
            f"'{reference}' is not in the '{spec.CONTRACTS.name}' sheet nor one of {self.council}'s contracts",
        )
        return False

    def within(self, row: Row, name: str, day: date | None, span, *, what: str = "") -> bool:
        if day is None or not span:
            return True
        first, _start, end = span
        if first <= day <= end:
            return True
        self.error(
            row,
            name,
            f"{what or f'{day:%-d %B %Y}'} is outside the contract {row.values.get('contract')} "
            f"({first:%-d %B %Y} to {end:%-d %B %Y})",
        )
        return False

    def kpi_ref(self, row: Row) -> bool:
        slug, code = (row.values.get("delivery_body") or "").lower(), (row.values.get("kpi") or "").lower()
        if not (slug and code) or not self.body_ref(row):
            return False
        if (slug, code) in self.file_kpis or self.existing.kpi(slug, code):
            return True
        self.error(
            row,
            "kpi",
            f"'{row.values.get('kpi')}' is not a KPI of {row.values.get('delivery_body')} in the "
            f"'{spec.KPIS.name}' sheet nor in its catalogue",
        )
        return False

    # sheets ----------------------------------------------------------------------------------------------

    def build(self) -> Plan:
        for method in (
            self.delivery_bodies,
            self.contracts,
            self.owners,
            self.money,
            self.budget,
            self.ssa,
            self.obligations,
            self.priorities,
            self.kpis,
            self.targets,
            self.benchmarks,
            self.boards,
            self.board_members,
            self.office_holders,
            self.values,
        ):
            method()
        return self.plan

    def delivery_bodies(self) -> None:
        sheet = spec.DELIVERY_BODIES
        fields = [c.field for c in sheet.columns if c.field != "slug"]
        for row in self.parsed.of(sheet):
            v = row.values
            if not v.get("slug"):
                continue
            body = self.existing.body(v["slug"])
            data = {f: v.get(f) for f in fields}
            data = {
                k: (val if val is not None or k in ("shadow_from", "operational_from") else "")
                for k, val in data.items()
            }
            if v.get("wholly_owned") is None:
                data["wholly_owned"] = True
            if body is not None and body.council_id != self.council.pk:
                self.error(row, "slug", f"'{v['slug']}' is already the short name of another council's delivery body")
                continue
            if body is None:
                slug = v["slug"].lower()

                def run(ctx, slug=slug, data=data):
                    organisation_services.delivery_body_create(user=ctx.user, council=ctx.council, slug=slug, **data)

                self.add(Item(sheet, [row], CREATE, f"{v.get('name')} ({slug})", run=run))
                continue
            changed = _differs(body, data, fields)
            if not changed:
                self.add(Item(sheet, [row], UNCHANGED, body.name))
                continue

            changes = {f: data[f] for f in changed}

            def change(ctx, slug=body.slug, data=changes):
                organisation_services.delivery_body_update(user=ctx.user, delivery_body=ctx.existing.body(slug), **data)

            self.add(Item(sheet, [row], CHANGE, body.name, _headers_tuple(sheet, changed), run=change))

    def contracts(self) -> None:
        sheet = spec.CONTRACTS
        fields = [c.field for c in sheet.columns if c.field not in ("reference", "delivery_body", "status")]
        for row in self.parsed.of(sheet):
            v = row.values
            if not v.get("reference"):
                continue
            if not self.body_ref(row):
                continue
            for name, message in contract_services.contract_date_errors(
                start_date=v.get("start_date"),
                end_date=v.get("end_date"),
                shadow_start_date=v.get("shadow_start_date"),
                break_clause_date=v.get("break_clause_date"),
                break_notice_months=v.get("break_notice_months"),
                annual_review_date=v.get("annual_review_date"),
            ).items():
                self.error(row, name, message)
            status = v.get("status") or Contract.Status.DRAFT
            data = {f: (v.get(f) if v.get(f) is not None else _blank(sheet, f)) for f in fields}
            contract = self.existing.contract(v["reference"])
            if contract is not None and contract.council_id != self.council.pk:
                self.error(
                    row, "reference", f"'{v['reference']}' is already the reference of another council's contract"
                )
                continue
            if contract is None:
                if status not in IMPORTABLE_STATUSES:
                    self.error(
                        row,
                        "status",
                        f"a contract is imported as draft, signed or live; record that it is "
                        f"{Contract.Status(status).label.lower()} on its page afterwards",
                    )
                    continue

                def run(ctx, v=v, data=data, status=status):
                    body = ctx.existing.body(v["delivery_body"])
                    contract = contract_services.contract_create(
                        user=ctx.user, council=ctx.council, delivery_body=body, reference=v["reference"], **data
                    )
                    _move_to(ctx, contract, status)

                self.add(Item(sheet, [row], CREATE, f"{v['reference']} {v.get('title')}", run=run))
                continue
            changed = list(_differs(contract, data, fields))
            if contract.delivery_body.slug != (v.get("delivery_body") or "").lower():
                self.error(
                    row, "delivery_body", f"{contract.reference} is with {contract.delivery_body}: it cannot move"
                )
                continue
            status_changes = status != contract.status
            if status_changes and not (
                status in STATUS_PATH
                and contract.status in STATUS_PATH
                and STATUS_PATH.index(status) > STATUS_PATH.index(contract.status)
            ):
                self.error(
                    row,
                    "status",
                    f"{contract.reference} is {contract.get_status_display().lower()}: change its status on its page",
                )
                continue
            if not changed and not status_changes:
                self.add(Item(sheet, [row], UNCHANGED, f"{contract.reference} {contract.title}"))
                continue

            changes = {f: data[f] for f in changed}

            def change(ctx, reference=contract.reference, data=changes, status=status):
                contract = ctx.existing.contract(reference)
                if data:
                    contract = contract_services.contract_update(contract=contract, user=ctx.user, **data)
                _move_to(ctx, contract, status)

            headers = _headers_tuple(sheet, changed) + (("Status",) if status_changes else ())
            self.add(Item(sheet, [row], CHANGE, f"{contract.reference} {contract.title}", headers, run=change))

    def owners(self) -> None:
        """The other councils that own a body the council leads (ADR 0002): added and ended through
        ``ownership_add``/``ownership_end``, as on the delivery body's page. A joint contract needs one."""
        sheet = spec.OWNERS
        co_owned: set[str] = set()
        for row in self.parsed.of(sheet):
            v = row.values
            slug = (v.get("delivery_body") or "").lower()
            if not (slug and v.get("council")) or not self.body_ref(row):
                continue
            body = self.existing.body(slug)
            if body is not None and body.council_id != self.council.pk:
                self.error(
                    row, "delivery_body", f"{body} is led by {body.council}: its administrator records its owners"
                )
                continue
            council = Council.objects.filter(slug=v["council"].lower()).first()
            if council is None:
                self.error(
                    row,
                    "council",
                    f"'{v['council']}' is not the short name of a council in TrustGov: set the council up first, "
                    "or check the short name on its page",
                )
                continue
            if council.pk == self.council.pk:
                self.error(row, "council", f"{council} leads {slug}: list only the other owning councils")
                continue
            since, until = v.get("since"), v.get("until")
            if until is None or until >= self.today:
                co_owned.add(slug)  # the row's own errors are listed below; the joint contract's check is met
            if since and until and until < since:
                self.error(row, "until", f"the ownership cannot end before it starts ({since:%-d %B %Y})")
                continue
            # An owner of a jointly owned trust is party to its joint contract: the ownership must fall within the
            # contract's term. It may begin after the contract starts (North and West Northamptonshire became owners
            # on 1 April 2021, when they were created; the trust's contract began on 1 November 2020).
            outside = [
                (ref, start, end)
                for ref, start, end in self._joint_contracts(slug)
                if (since and end and since > end) or (until and start and until < start)
            ]
            if outside:
                ref, start, end = outside[0]
                name, day = ("since", since) if since and end and since > end else ("until", until)
                self.error(
                    row,
                    name,
                    f"{day:%-d %B %Y} is outside the joint contract {ref} ({start:%-d %B %Y} to {end:%-d %B %Y}): "
                    "an owner of the trust is party to its joint contract, so the ownership must overlap it",
                )
                continue
            reason = v.get("reason") or "Recorded in the onboarding workbook"
            label = f"{council} owns {slug}"
            existing = Ownership.objects.filter(delivery_body__slug=slug, council=council).first()
            if existing is None:

                def run(ctx, slug=slug, council=council, since=since, until=until, reason=reason):
                    body = ctx.existing.body(slug)
                    ownership = organisation_services.ownership_add(
                        user=ctx.user, delivery_body=body, council=council, since=since, reason=reason
                    )
                    if until:
                        organisation_services.ownership_end(
                            user=ctx.user, ownership=ownership, until=until, reason=reason
                        )

                self.add(Item(sheet, [row], CREATE, label, run=run))
                continue
            if existing.since != since:
                recorded = f"{existing.since:%-d %B %Y}" if existing.since else "a date not recorded"
                self.error(
                    row,
                    "since",
                    f"{council} is recorded as an owner from {recorded}: the workbook does not change that",
                )
                continue
            if existing.until == until:
                self.add(Item(sheet, [row], UNCHANGED, label))
                continue
            if existing.until is not None:
                self.error(
                    row,
                    "until",
                    f"{council}'s ownership ended on {existing.until:%-d %B %Y}: to make it an owner again, add it "
                    "on the delivery body's page",
                )
                continue

            def end(ctx, pk=existing.pk, until=until, reason=reason):
                ownership = Ownership.objects.get(pk=pk)
                organisation_services.ownership_end(user=ctx.user, ownership=ownership, until=until, reason=reason)

            self.add(Item(sheet, [row], CHANGE, label, _headers_tuple(sheet, ["until"]), run=end))
        self._joint_contracts_need_owners(co_owned)

    def _joint_contracts(self, slug: str) -> list[tuple[str, date | None, date | None]]:
        """(reference, start, end) of the body's joint contracts, as the file has them (or the council's records)."""
        out = {}
        for contract in Contract.objects.filter(delivery_body__slug=slug, is_joint=True, council=self.council):
            out[contract.reference.lower()] = (contract.reference, contract.start_date, contract.end_date)
        for ref, row in self.file_contracts.items():
            if (row.values.get("delivery_body") or "").lower() != slug:
                continue
            v = row.values
            if v.get("is_joint") and v.get("start_date") and v.get("end_date"):
                out[ref] = (v["reference"], v["start_date"], v["end_date"])
            else:
                out.pop(ref, None)
        return list(out.values())

    def _joint_contracts_need_owners(self, co_owned: set[str]) -> None:
        for row in self.parsed.of(spec.CONTRACTS):
            slug = (row.values.get("delivery_body") or "").lower()
            if not row.values.get("is_joint") or slug in co_owned:
                continue
            body = self.existing.body(slug)
            if body is not None and body.council_id == self.council.pk and body.jointly_owned:
                continue
            self.error(
                row,
                "is_joint",
                f"a joint contract is one every owner of {row.values.get('delivery_body')} is party to: add its "
                f"other owning councils to the '{spec.OWNERS.name}' sheet",
            )

    def money(self) -> None:
        sheet = spec.MONEY
        fields = [c.field for c in sheet.columns if c.field not in ("contract",)]
        for row in self.parsed.of(sheet):
            v = row.values
            span = self.contract_ref(row)
            if span is False or v.get("financial_year") is None:
                continue
            if span:
                first, last = financial_year_bounds(v["financial_year"])
                if last < span[0] or first > span[2]:
                    self.error(
                        row,
                        "financial_year",
                        f"{financial_year_label(v['financial_year'])} is outside the contract {v['contract']} "
                        f"({span[0]:%-d %B %Y} to {span[2]:%-d %B %Y})",
                    )
                    continue
            data = {f: (v.get(f) if v.get(f) is not None else _blank(sheet, f)) for f in fields}
            existing = self._existing(
                ContractYearFinance, contract__reference__iexact=v["contract"], financial_year=v["financial_year"]
            )
            label = f"{v['contract']} {financial_year_label(v['financial_year'])}"

            def run(ctx, reference=v["contract"], data=data, fy=v["financial_year"]):
                contract = ctx.existing.contract(reference)
                finance = ContractYearFinance.objects.filter(contract=contract, financial_year=fy).first()
                contract_services.finance_year_save(contract=contract, user=ctx.user, finance=finance, **data)

            self._create_or_change(sheet, row, existing, data, fields, label, run)

    def budget(self) -> None:
        sheet = spec.BUDGET
        fields = ["budget", "forecast_outturn", "commentary"]
        for row in self.parsed.of(sheet):
            v = row.values
            span = self.contract_ref(row)
            if span is False or v.get("month") is None:
                continue
            if span and not (span[0].replace(day=1) <= v["month"] <= span[2]):
                self.within(row, "month", v["month"], span, what=f"{v['month']:%B %Y}")
                continue
            data = {f: (v.get(f) if v.get(f) is not None else _blank(sheet, f)) for f in fields}
            existing = self._existing(BudgetMonth, contract__reference__iexact=v["contract"], month=v["month"])

            def run(ctx, reference=v["contract"], month=v["month"], data=data):
                contract_services.budget_month_save(
                    contract=ctx.existing.contract(reference), user=ctx.user, month=month, **data
                )

            self._create_or_change(sheet, row, existing, data, fields, f"{v['contract']} {v['month']:%B %Y}", run)

    def ssa(self) -> None:
        sheet = spec.SSA
        fields = ["term_start", "term_end", "annual_charge", "review_date"]
        for row in self.parsed.of(sheet):
            v = row.values
            span = self.contract_ref(row)
            if span is False or not v.get("service"):
                continue
            if not self.within(row, "term_start", v.get("term_start"), span):
                continue
            existing = self._existing(
                SupportServiceLine, contract__reference__iexact=v["contract"], service__iexact=v["service"]
            )
            data = {f: v.get(f) for f in fields}

            def run(ctx, reference=v["contract"], service=v["service"], data=data):
                contract = ctx.existing.contract(reference)
                line = SupportServiceLine.objects.filter(contract=contract, service__iexact=service).first()
                contract_services.support_service_save(
                    contract=contract, user=ctx.user, line=line, service=service, **data
                )

            self._create_or_change(sheet, row, existing, data, fields, f"{v['contract']} {v['service']}", run)

    def obligations(self) -> None:
        sheet = spec.OBLIGATIONS
        fields = [c.field for c in sheet.columns if c.field not in ("contract", "kind", "title")]
        for row in self.parsed.of(sheet):
            v = row.values
            span = self.contract_ref(row)
            if span is False or not (v.get("kind") and v.get("title")):
                continue
            if not all(self.within(row, f, v.get(f), span) for f in ("original_due_date", "due_date")):
                continue
            data = {f: (v.get(f) if v.get(f) is not None else _blank(sheet, f)) for f in fields}
            if data.get("due_date") and not data.get("original_due_date"):
                data["original_due_date"] = data["due_date"]
            existing = self._existing(
                Obligation, contract__reference__iexact=v["contract"], kind=v["kind"], title__iexact=v["title"]
            )

            def run(ctx, reference=v["contract"], kind=v["kind"], title=v["title"], data=data):
                contract = ctx.existing.contract(reference)
                obligation = Obligation.objects.filter(contract=contract, kind=kind, title__iexact=title).first()
                if obligation is None:
                    contract_services.obligation_create(
                        contract=contract, user=ctx.user, kind=kind, title=title, **data
                    )
                else:
                    contract_services.obligation_update(obligation=obligation, user=ctx.user, **data)

            self._create_or_change(sheet, row, existing, data, fields, f"{v['contract']} {v['title']}", run)

    def priorities(self) -> None:
        sheet = spec.PRIORITIES
        fields = ["title", "description"]
        for row in self.parsed.of(sheet):
            v = row.values
            if v.get("number") is None or not self.body_ref(row):
                continue
            existing = self.existing.priority(v["delivery_body"], v["number"])
            data = {f: v.get(f) or "" for f in fields}

            def run(ctx, slug=v["delivery_body"], number=v["number"], data=data):
                performance_services.priority_save(
                    user=ctx.user,
                    delivery_body=ctx.existing.body(slug),
                    number=number,
                    priority=ctx.existing.priority(slug, number),
                    **data,
                )

            self._create_or_change(
                sheet, row, existing, data, fields, f"{v['delivery_body']} priority {v['number']}", run
            )

    def kpis(self) -> None:
        sheet = spec.KPIS
        fields = [
            c.field for c in sheet.columns if c.field not in ("delivery_body", "code", "priority", "retired_from")
        ]
        for row in self.parsed.of(sheet):
            v = row.values
            if not v.get("code") or not self.body_ref(row):
                continue
            slug = v["delivery_body"].lower()
            number = v.get("priority")
            if (
                number is not None
                and (slug, number) not in self.file_priorities
                and not self.existing.priority(slug, number)
            ):
                self.error(
                    row,
                    "priority",
                    f"{v['delivery_body']} has no improvement priority {number} in the "
                    f"'{spec.PRIORITIES.name}' sheet nor in its plan",
                )
                continue
            data = {f: (v.get(f) if v.get(f) is not None else _blank(sheet, f)) for f in fields}
            if data.get("display_order") == "":
                data["display_order"] = None
            kpi = self.existing.kpi(slug, v["code"])
            label = f"{v['delivery_body']} {v['code']} {v.get('title')}"
            if kpi is None:

                def run(ctx, slug=slug, v=v, data=data, number=number):
                    body = ctx.existing.body(slug)
                    priority = ctx.existing.priority(slug, number) if number is not None else None
                    kpi = performance_services.kpi_create(
                        user=ctx.user, delivery_body=body, code=v["code"], priority=priority, **data
                    )
                    if v.get("retired_from"):
                        performance_services.kpi_retire(user=ctx.user, kpi=kpi, retired_from=v["retired_from"])

                self.add(Item(sheet, [row], CREATE, label, run=run))
                continue
            changed = list(_differs(kpi, data, [f for f in fields if not (f == "display_order" and data[f] is None)]))
            priority_changes = (kpi.priority.number if kpi.priority else None) != number
            retire = v.get("retired_from") != kpi.retired_from
            if retire and kpi.retired_from:
                self.error(
                    row, "retired_from", f"{kpi.code} was retired from {kpi.retired_from:%B %Y}: it stays retired"
                )
                continue
            if not changed and not priority_changes and not retire:
                self.add(Item(sheet, [row], UNCHANGED, label))
                continue
            changes = {f: data[f] for f in changed}

            def change(
                ctx,
                slug=slug,
                code=kpi.code,
                data=changes,
                number=number,
                priority_changes=priority_changes,
                v=v,
            ):
                kpi, data = ctx.existing.kpi(slug, code), dict(data)
                if priority_changes:
                    data["priority"] = ctx.existing.priority(slug, number) if number is not None else None
                if data:
                    kpi = performance_services.kpi_update(user=ctx.user, kpi=kpi, reason=ctx.reason, **data)
                if v.get("retired_from") and not kpi.retired_from:
                    performance_services.kpi_retire(user=ctx.user, kpi=kpi, retired_from=v["retired_from"])

            headers = (
                _headers_tuple(sheet, changed)
                + (("Improvement priority",) if priority_changes else ())
                + (("Retired from",) if retire else ())
            )
            self.add(Item(sheet, [row], CHANGE, label, headers, run=change))

    def targets(self) -> None:
        sheet = spec.TARGETS
        fields = ["value", "amber_tolerance"]
        for row in self.parsed.of(sheet):
            v = row.values
            if v.get("financial_year") is None or not self.kpi_ref(row):
                continue
            data = {"value": v.get("value"), "amber_tolerance": v.get("amber_tolerance") or Decimal(0)}
            existing = self._existing(
                Target,
                kpi__delivery_body__slug=v["delivery_body"].lower(),
                kpi__code__iexact=v["kpi"],
                financial_year=v["financial_year"],
            )

            def run(ctx, slug=v["delivery_body"], code=v["kpi"], fy=v["financial_year"], data=data):
                kpi = ctx.existing.kpi(slug, code)
                target = Target.objects.filter(kpi=kpi, financial_year=fy).first()
                performance_services.target_save(user=ctx.user, kpi=kpi, financial_year=fy, target=target, **data)

            label = f"{v['delivery_body']} {v['kpi']} {financial_year_label(v['financial_year'])}"
            self._create_or_change(sheet, row, existing, data, fields, label, run)

    def benchmarks(self) -> None:
        sheet = spec.BENCHMARKS
        fields = ["value", "source"]
        for row in self.parsed.of(sheet):
            v = row.values
            if not (v.get("kind") and v.get("year")) or not self.kpi_ref(row):
                continue
            data = {"value": v.get("value"), "source": v.get("source") or ""}
            existing = self._existing(
                Benchmark,
                kpi__delivery_body__slug=v["delivery_body"].lower(),
                kpi__code__iexact=v["kpi"],
                kind=v["kind"],
                year=v["year"],
            )

            def run(ctx, slug=v["delivery_body"], code=v["kpi"], kind=v["kind"], year=v["year"], data=data):
                kpi = ctx.existing.kpi(slug, code)
                benchmark = Benchmark.objects.filter(kpi=kpi, kind=kind, year=year).first()
                performance_services.benchmark_save(
                    user=ctx.user, kpi=kpi, kind=kind, year=year, benchmark=benchmark, **data
                )

            label = f"{v['delivery_body']} {v['kpi']} {Benchmark.Kind(v['kind']).label} {v['year']}"
            self._create_or_change(sheet, row, existing, data, fields, label, run)

    def boards(self) -> None:
        sheet = spec.BOARDS
        rules = [c.field for c in sheet.columns if c.field not in ("name", "kind", "delivery_body")]
        for row in self.parsed.of(sheet):
            v = row.values
            if not v.get("name") or not self.body_ref(row, required=False):
                continue
            data = {f: (v.get(f) if v.get(f) is not None else _blank(sheet, f)) for f in rules}
            for flag, default in (
                ("requires_chair", True),
                ("elected_members_allowed", True),
                ("chair_appointed_by_dfe", False),
                ("chief_executive_needs_dfe", False),
                ("requires_chief_executive", False),
            ):
                if data.get(flag) in (None, ""):
                    data[flag] = default
            for number in (
                "min_members",
                "max_members",
                "required_council_neds",
                "required_independent_neds",
                "required_executives",
            ):
                if data.get(number) == "":
                    data[number] = None
            body = self.existing.board(v["name"])
            slug = (v.get("delivery_body") or "").lower()
            if body is None:

                def run(ctx, v=v, data=data, slug=slug):
                    board_services.body_create(
                        user=ctx.user,
                        council=ctx.council,
                        name=v["name"],
                        kind=v["kind"],
                        delivery_body=ctx.existing.body(slug) if slug else None,
                        **data,
                    )

                self.add(Item(sheet, [row], CREATE, v["name"], run=run))
                continue
            changed = list(_differs(body, {**data, "kind": v["kind"]}, [*rules, "kind"]))
            body_changes = (body.delivery_body.slug if body.delivery_body else "") != slug
            if not changed and not body_changes:
                self.add(Item(sheet, [row], UNCHANGED, body.name))
                continue
            changes = {f: {**data, "kind": v["kind"]}[f] for f in changed}

            def change(
                ctx,
                name=body.name,
                data=changes,
                slug=slug,
                body_changes=body_changes,
            ):
                data = dict(data)
                if body_changes:
                    data["delivery_body"] = ctx.existing.body(slug) if slug else None
                board_services.body_update(user=ctx.user, body=ctx.existing.board(name), **data)

            headers = _headers_tuple(sheet, changed) + (("Delivery body",) if body_changes else ())
            self.add(Item(sheet, [row], CHANGE, body.name, headers, run=change))

    def board_members(self) -> None:
        sheet = spec.BOARD_MEMBERS
        seats_seen: set[tuple[str, str]] = set()
        people_seen: set[str] = set()
        for row in self.parsed.of(sheet):
            v = row.values
            if not (v.get("body") and v.get("seat") and v.get("role")):
                continue
            board_key = v["body"].lower()
            if board_key not in self.file_boards and self.existing.board(v["body"]) is None:
                self.error(
                    row,
                    "body",
                    f"'{v['body']}' is not in the '{spec.BOARDS.name}' sheet nor one of {self.council}'s bodies",
                )
                continue
            seat_key = (board_key, v["seat"].lower())
            seat = self.existing.seat(v["body"], v["seat"])
            new_seat = seat is None and seat_key not in seats_seen
            seats_seen.add(seat_key)
            if seat is not None and seat.role != v["role"]:
                self.error(
                    row, "role", f"the seat '{seat.title}' is a {seat.get_role_display()} seat: it cannot change"
                )
                continue
            name = " ".join((v.get("person") or "").split())
            if not name:
                label = f"{v['body']}: {v['seat']} (vacant)"
                if new_seat:
                    self.add(Item(sheet, [row], CREATE, label, run=_seat_runner(v)))
                else:
                    self.add(Item(sheet, [row], UNCHANGED, label))
                continue
            if not v.get("start_date"):
                self.error(row, "start_date", f"enter the date {name}'s term in the seat started")
                continue
            if (
                not v.get("professional_capacity")
                and self.existing.person(name) is None
                and name.lower() not in people_seen
            ):
                self.error(
                    row, "professional_capacity", f"enter {name}'s professional capacity, as the board table gives it"
                )
                continue
            people_seen.add(name.lower())
            label = f"{v['body']}: {v['seat']} – {name} from {v['start_date']:%-d %B %Y}"
            membership = None
            if seat is not None:
                membership = Membership.objects.filter(
                    seat=seat, person__name__iexact=name, start_date=v["start_date"]
                ).first()
            if membership is None:
                self.add(Item(sheet, [row], CREATE, label, run=_membership_runner(v, name)))
                continue
            if (
                membership.end_date != v.get("end_date")
                or (membership.appointed_by or "") != (v.get("appointed_by") or "")
                or (membership.decision_reference or "") != (v.get("decision_reference") or "")
            ):
                self.error(
                    row,
                    "end_date",
                    f"{name}'s term in '{seat.title}' from {membership.start_date:%-d %B %Y} is recorded differently: "
                    "renew or end it on the board's page (a term of office is not rewritten by an import)",
                )
                continue
            self.add(Item(sheet, [row], UNCHANGED, label))

    def office_holders(self) -> None:
        sheet = spec.OFFICE_HOLDERS
        for row in self.parsed.of(sheet):
            v = row.values
            if not (v.get("office") and v.get("holder_name")) or not self.body_ref(row, required=False):
                continue
            slug = (v.get("delivery_body") or "").lower()
            scope = {"delivery_body__slug": slug} if slug else {"council": self.council, "delivery_body__isnull": True}
            existing = OfficeHolding.objects.filter(
                office=v["office"], holder_name__iexact=v["holder_name"], start_date=v.get("start_date"), **scope
            ).first()
            label = f"{OfficeHolding.Office(v['office']).label}: {v['holder_name']}"
            if existing is None:

                def run(ctx, v=v, slug=slug):
                    organisation_services.office_holding_import(
                        user=ctx.user,
                        council=ctx.council,
                        office=v["office"],
                        holder_name=v["holder_name"],
                        start_date=v.get("start_date"),
                        end_date=v.get("end_date"),
                        delivery_body=ctx.existing.body(slug) if slug else None,
                        title_held=v.get("title_held") or "",
                        source=v.get("source") or "",
                    )

                self.add(Item(sheet, [row], CREATE, label, run=run))
            elif _differs(
                existing,
                {f: v.get(f) or "" for f in ("title_held", "source")} | {"end_date": v.get("end_date")},
                ("title_held", "source", "end_date"),
            ):
                self.error(
                    row,
                    "holder_name",
                    f"{existing.holder_name}'s holding of the office is recorded differently: record a successor "
                    "on the office holders page (a holding is not rewritten by an import)",
                )
            else:
                self.add(Item(sheet, [row], UNCHANGED, label))

    def values(self) -> None:
        sheet = spec.VALUES
        months: dict[tuple[str, date], list[Row]] = defaultdict(list)
        for row in self.parsed.of(sheet):
            v = row.values
            if v.get("month") is None or not self.kpi_ref(row):
                continue
            if month_end(v["month"].year, v["month"].month) >= self.today:
                self.error(
                    row, "month", f"{v['month']:%B %Y} has not ended: historic figures are for months that have ended"
                )
                continue
            months[(v["delivery_body"].lower(), v["month"])].append(row)
        for (slug, month), rows in sorted(months.items(), key=lambda pair: (pair[0][0], pair[0][1])):
            figures = {
                r.values["kpi"]: performance_services.Figures(
                    r.values.get("value"),
                    r.values.get("numerator"),
                    r.values.get("denominator"),
                    r.values.get("commentary") or "",
                )
                for r in rows
            }
            body = self.existing.body(slug)
            conflicts = None
            if body is not None:
                canonical = {}
                for r in rows:
                    kpi = self.existing.kpi(slug, r.values["kpi"])
                    if kpi is not None:
                        canonical[kpi.code] = figures[r.values["kpi"]]
                conflicts = performance_services.historic_return_conflicts(
                    delivery_body=body, period=month, figures=canonical
                )
            cells = {}
            for r in rows:
                for f in ("value", "numerator", "denominator", "commentary", "kpi"):
                    cells[f"{r.values['kpi'].upper()}-{f}"] = r.cell(f)
                    cells[f"{r.values['kpi']}-{f}"] = r.cell(f)
            label = f"{slug} {month:%B %Y} ({len(rows)} KPI{'s' if len(rows) != 1 else ''})"
            if conflicts:
                by_code = {r.values["kpi"].lower(): r for r in rows}
                for code, message in conflicts.items():
                    row = by_code.get(code.lower(), rows[0])
                    typed = row.values.get("value") is not None or row.values.get("numerator") is None
                    self.error(row, "value" if typed else "numerator", message)
                continue
            if conflicts == {}:
                self.add(Item(sheet, rows, UNCHANGED, label, cells=cells))
                continue

            def run(ctx, slug=slug, month=month, rows=rows):
                body = ctx.existing.body(slug)
                canonical = {}
                for r in rows:
                    kpi = ctx.existing.kpi(slug, r.values["kpi"])
                    code = kpi.code if kpi else r.values["kpi"]
                    canonical[code] = performance_services.Figures(
                        r.values.get("value"),
                        r.values.get("numerator"),
                        r.values.get("denominator"),
                        r.values.get("commentary") or "",
                    )
                performance_services.historic_return_record(
                    user=ctx.user, delivery_body=body, period=month, figures=canonical, reason=ctx.reason
                )

            self.add(Item(sheet, rows, CREATE, label, run=run, cells=cells))

    # helpers ---------------------------------------------------------------------------------------------

    def _existing(self, model, **lookup):
        return model.objects.filter(**lookup).first()

    def _create_or_change(self, sheet, row, existing, data, fields, label, run) -> None:
        if existing is None:
            self.add(Item(sheet, [row], CREATE, label, run=run))
            return
        changed = _differs(existing, data, fields)
        if not changed:
            self.add(Item(sheet, [row], UNCHANGED, label))
        else:
            self.add(Item(sheet, [row], CHANGE, label, _headers_tuple(sheet, changed), run=run))


def _headers_tuple(sheet: spec.Sheet, fields) -> tuple[str, ...]:
    return tuple(sheet.column(f).header for f in fields if any(c.field == f for c in sheet.columns))


def _blank(sheet: spec.Sheet, name: str):
    """What an empty optional cell means: '' for text, None for dates and numbers, 0 for money (not recorded,
    None, on the Money sheet: a year's figure no one has), No for yes/no."""
    parse = sheet.column(name).parse
    if parse is spec.money:
        return None if sheet is spec.MONEY else Decimal(0)
    if parse is spec.yes_no:
        return False
    if parse in (spec.text, spec.benchmark_year) or hasattr(parse, "choices"):
        return ""
    return None


def _move_to(ctx, contract: Contract, status: str) -> None:
    while contract.status != status and contract.status in STATUS_PATH:
        following = STATUS_PATH[STATUS_PATH.index(contract.status) + 1]
        contract = contract_services.contract_transition(
            contract=contract, user=ctx.user, target=following, reason=ctx.reason
        )


def _seat(ctx, v) -> Seat:
    seat = ctx.existing.seat(v["body"], v["seat"])
    if seat is None:
        seat = board_services.seat_create(
            user=ctx.user,
            body=ctx.existing.board(v["body"]),
            role=v["role"],
            title=v["seat"],
            order=v.get("order") or 0,
        )
    return seat


def _seat_runner(v):
    return lambda ctx: _seat(ctx, v)


def _membership_runner(v, name):
    def run(ctx):
        seat = _seat(ctx, v)
        person = ctx.existing.person(name)
        if person is None:
            person = board_services.person_create(
                user=ctx.user,
                council=ctx.council,
                name=name,
                professional_capacity=v.get("professional_capacity") or "",
                honorific=v.get("honorific") or "",
                organisation=v.get("organisation") or "",
                is_elected_member=bool(v.get("is_elected_member")),
            )
        board_services.membership_create(
            user=ctx.user,
            person=person,
            seat=seat,
            start_date=v["start_date"],
            end_date=v.get("end_date"),
            appointed_by=v.get("appointed_by") or "",
            decision_reference=v.get("decision_reference") or "",
        )

    return run


def build_plan(*, council: Council, user, parsed: Parsed) -> Plan:
    return Planner(council=council, user=user, parsed=parsed).build()


# --- the applier ------------------------------------------------------------------------------------------


@dataclass
class Context:
    council: Council
    user: object
    reason: str
    existing: Existing


_importing: contextvars.ContextVar[Context | None] = contextvars.ContextVar("onboarding_import", default=None)


@receiver(pre_create_historical_record)
def _record_import(sender, history_instance, **kwargs) -> None:
    """Every history row written during an import names the file (and, from the command, the user)."""
    ctx = _importing.get()
    if ctx is None:
        return
    own = getattr(history_instance, "history_change_reason", "") or ""
    history_instance.history_change_reason = f"{ctx.reason}: {own}"[:100] if own and own != ctx.reason else ctx.reason
    if getattr(history_instance, "history_user_id", None) is None and hasattr(history_instance, "history_user_id"):
        history_instance.history_user_id = ctx.user.pk


class _Rollback(Exception):
    pass


@dataclass
class Outcome:
    applied: bool
    problems: list[Problem]
    counts: list[dict]


def _messages(exc: ValidationError) -> list[tuple[str, str]]:
    if hasattr(exc, "error_dict"):
        return [
            (key, " ".join(str(m) for m in ValidationError(errors).messages)) for key, errors in exc.error_dict.items()
        ]
    return [("", " ".join(exc.messages))]


def _problem(item: Item, key: str, message: str) -> Problem:
    column = next((c for c in item.sheet.columns if c.field == key), None)
    text = message.rstrip()
    if column is not None:
        text = f"{column.header}: {text}"
    return Problem(item.sheet.name, item.cell_for(key) if key and key != "__all__" else f"A{item.row.number}", text)


def _row_of(cell: str) -> int:
    digits = "".join(ch for ch in cell if ch.isdigit())
    return int(digits) if digits else 0


def _parent_exists(ctx: Context, parent: tuple) -> bool:
    if not parent:
        return True
    kind, *key = parent
    found = {
        "contract": lambda: ctx.existing.contract(*key),
        "kpi": lambda: ctx.existing.kpi(*key),
        "board": lambda: ctx.existing.board(*key),
        "body": lambda: ctx.existing.body(*key),
    }[kind]()
    return found is not None


def apply_plan(plan: Plan, *, user, dry_run: bool) -> Outcome:
    """Run the plan's creates and changes through the services in one transaction; nothing is kept unless
    every one succeeds (and never on a dry run)."""
    ctx = Context(
        council=plan.council, user=user, reason=change_reason(plan.file_name), existing=Existing(plan.council, user)
    )
    problems = list(plan.problems)
    token = _importing.set(ctx)
    applied = False
    try:
        with transaction.atomic():
            if not any(p.sheet == FILE for p in problems):
                refused_rows = {(p.sheet, _row_of(p.cell)) for p in problems}
                for item in plan.to_do:
                    if any((item.sheet.name, r.number) in refused_rows for r in item.rows):
                        continue  # the row is already refused: one message per problem
                    if problems and not _parent_exists(ctx, item.parent):
                        continue  # its contract, KPI or board was refused above: that error is listed
                    try:
                        with transaction.atomic():
                            item.run(ctx)
                    except ValidationError as exc:
                        problems.extend(_problem(item, key, message) for key, message in _messages(exc))
                    except (PermissionDenied, Http404) as exc:
                        problems.append(Problem(FILE, "", str(exc) or "You cannot make this change"))
                        break
                    except Exception:
                        # A row whose parent (a contract, a KPI…) was refused above cannot be run: its
                        # parent's error is listed. Before any refusal, an exception is a fault: raise it.
                        if not problems:
                            raise
            if problems or dry_run:
                raise _Rollback
            applied = True
    except _Rollback:
        pass
    finally:
        _importing.reset(token)
    return Outcome(applied=applied, problems=problems, counts=plan.counts())
