"""Contracts' reminder rules: key dates, SSA lines, reserved matters.

Registered in apps.py; the platform runs them (``trustgov.core.reminders``), meetings delivers.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from trustgov.accounts.recipients import council_officers, dcs_for, trust_executives
from trustgov.core.dates import add_months
from trustgov.core.reminders import Due

from .models import Contract, ReservedMatterRequest, SupportServiceLine

BREAK_NOTICE_WARNING_DAYS = 90
EXPIRY_WARNING_DAYS = 180
SSA_WARNING_DAYS = 90
ANNUAL_REVIEW_WARNING_DAYS = 30
RESERVED_MATTER_WARNING_DAYS = 10


def _live_contracts():
    return Contract.objects.select_related("council", "delivery_body").exclude(
        status__in=[Contract.Status.TERMINATED, Contract.Status.EXPIRED]
    )


def break_clause_notice(today: date) -> Iterable[Due]:
    for contract in _live_contracts().filter(break_clause_date__isnull=False, break_notice_months__isnull=False):
        notice_by = add_months(contract.break_clause_date, -contract.break_notice_months)
        if today <= notice_by <= today + timedelta(days=BREAK_NOTICE_WARNING_DAYS):
            yield Due(
                "break_notice",
                f"contracts.contract:{contract.pk}",
                notice_by,
                f"Notice to use the break clause of {contract} must be given by {notice_by:%-d %B %Y}",
                _contract_url(contract),
                council_officers(contract.council_id),
            )


def contract_expiry(today: date) -> Iterable[Due]:
    for contract in _live_contracts().filter(
        end_date__gte=today, end_date__lte=today + timedelta(days=EXPIRY_WARNING_DAYS)
    ):
        yield Due(
            "contract_expiry",
            f"contracts.contract:{contract.pk}",
            contract.end_date,
            f"{contract} expires on {contract.end_date:%-d %B %Y}",
            _contract_url(contract),
            council_officers(contract.council_id) + trust_executives(contract.delivery_body_id),
        )


def ssa_expiry(today: date) -> Iterable[Due]:
    lines = SupportServiceLine.objects.select_related("contract").filter(
        term_end__gte=today, term_end__lte=today + timedelta(days=SSA_WARNING_DAYS)
    )
    for line in lines:
        contract = line.contract
        yield Due(
            "ssa_expiry",
            f"contracts.supportserviceline:{line.pk}",
            line.term_end,
            f"Support service '{line.service}' under {contract} ends on {line.term_end:%-d %B %Y}",
            _contract_url(contract),
            council_officers(contract.council_id) + trust_executives(contract.delivery_body_id),
        )


def annual_review(today: date) -> Iterable[Due]:
    contracts = _live_contracts().filter(
        annual_review_date__gte=today, annual_review_date__lte=today + timedelta(days=ANNUAL_REVIEW_WARNING_DAYS)
    )
    for contract in contracts:
        yield Due(
            "annual_review",
            f"contracts.contract:{contract.pk}",
            contract.annual_review_date,
            f"Annual review of {contract} is due on {contract.annual_review_date:%-d %B %Y}",
            _contract_url(contract),
            council_officers(contract.council_id) + trust_executives(contract.delivery_body_id),
        )


def reserved_matters_due(today: date) -> Iterable[Due]:
    waiting = ReservedMatterRequest.objects.select_related("delivery_body").filter(
        status=ReservedMatterRequest.Status.RAISED,
        decision_due__lte=today + timedelta(days=RESERVED_MATTER_WARNING_DAYS),
    )
    for request in waiting:
        council_id = request.delivery_body.council_id
        overdue = request.decision_due < today
        yield Due(
            "reserved_matter_overdue" if overdue else "reserved_matter_due",
            f"contracts.reservedmatterrequest:{request.pk}",
            request.decision_due,
            f"Decision on reserved matter '{request.title}' {'was' if overdue else 'is'} due by "
            f"{request.decision_due:%-d %B %Y}",
            "",
            council_officers(council_id),
            dcs_for(council_id) if overdue else [],
        )


def _contract_url(contract) -> str:
    try:
        return contract.get_absolute_url()
    except Exception:  # noqa: BLE001 - the contract pages may not be wired yet
        return ""
