"""Boards' reminder rules (registered in apps.py; the platform runs them, meetings delivers)."""

from collections.abc import Iterable
from datetime import date

from trustgov.accounts.recipients import council_officers, owners_officers, trust_executives
from trustgov.core.dates import add_months
from trustgov.core.reminders import Due

from .selectors import terms_ending_between

TERM_WARNING_MONTHS = 3


def board_terms_ending(today: date) -> Iterable[Due]:
    for membership in terms_ending_between(today, add_months(today, TERM_WARNING_MONTHS)):
        body = membership.seat.body
        recipients = (
            owners_officers(body.delivery_body_id) if body.delivery_body_id else council_officers(body.council_id)
        ) + trust_executives(body.delivery_body_id)
        yield Due(
            "term_ending",
            f"boards.membership:{membership.pk}",
            membership.end_date,
            f"{membership.person}'s term on {body} ends on {membership.end_date:%-d %B %Y}",
            "",
            recipients,
        )
