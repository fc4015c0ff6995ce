"""Composition rules: a pure function that checks a body's membership on a date.

It takes the body (its rules), its seats and the memberships current on the date, and
returns warnings; it reads nothing else, so each rule is tested without the database
beyond building the objects.
"""

from dataclasses import dataclass
from datetime import date

from trustgov.core.dates import add_months

from .models import Seat

TERM_WARNING_MONTHS = 3


@dataclass(frozen=True)
class CompositionWarning:
    code: str
    message: str


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def composition_warnings(*, body, seats, memberships, on_date: date) -> list[CompositionWarning]:
    warnings: list[CompositionWarning] = []
    current = [m for m in memberships if m.is_current(on_date)]
    size = len(current)
    roles = [m.seat.role for m in current]

    if body.min_members is not None and size < body.min_members:
        warnings.append(
            CompositionWarning(
                "too_few",
                f"Too few members: {size} in office, the rules need at least {body.min_members}.",
            )
        )
    if body.max_members is not None and size > body.max_members:
        warnings.append(
            CompositionWarning(
                "too_many",
                f"Too many members: {size} in office, the rules allow at most {body.max_members}.",
            )
        )
    if body.requires_chair and Seat.Role.CHAIR not in roles:
        warnings.append(CompositionWarning("no_chair", "No chair is in office."))
    if body.requires_chief_executive and Seat.Role.CHIEF_EXECUTIVE not in roles:
        warnings.append(CompositionWarning("no_chief_executive", "The Trust Chief Executive does not sit on the body."))
    if not body.elected_members_allowed:
        for m in current:
            if m.person.is_elected_member:
                warnings.append(
                    CompositionWarning(
                        "elected_member",
                        f"{m.person.display_name} is an elected member, and elected members may not sit on this body.",
                    )
                )
    counts = (
        (
            "council",
            body.required_council_neds,
            roles.count(Seat.Role.COUNCIL_NED),
            "council-appointed non-executive director",
        ),
        (
            "independent",
            body.required_independent_neds,
            roles.count(Seat.Role.INDEPENDENT_NED),
            "independent non-executive director",
        ),
        (
            "executive",
            body.required_executives,
            roles.count(Seat.Role.CHIEF_EXECUTIVE) + roles.count(Seat.Role.EXECUTIVE_DIRECTOR),
            "executive director",
        ),
    )
    for code, required, actual, word in counts:
        if required is not None and actual != required:
            warnings.append(
                CompositionWarning(
                    f"mix_{code}",
                    f"The rules need {_plural(required, word)}; {actual} in office.",
                )
            )
    held = {m.seat_id for m in current}
    for seat in seats:
        if seat.pk not in held:
            warnings.append(CompositionWarning("vacancy", f"Vacancy: {seat.title}."))
    horizon = add_months(on_date, TERM_WARNING_MONTHS)
    for m in current:
        if m.end_date is not None and m.end_date <= horizon and not _renewed(m):
            warnings.append(
                CompositionWarning(
                    "term_ending",
                    f"{m.person.display_name}'s term as {m.seat.title} ends on {m.end_date:%-d %B %Y}.",
                )
            )
    return warnings


def _renewed(membership) -> bool:
    return getattr(membership, "renewed_by", None) is not None
