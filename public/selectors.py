"""What the public pages read: a live council's trusts, its published meetings, its trusts' boards and their
accepted figures. Nobody is signed in, so nothing here takes a user.

The publication rules are not written here: meetings come through ``meetings.selectors.public_*`` (the same
``readers_*`` rules that keep exempt and unpublished material from scrutiny), figures through the one read
model (``performance.positions.read_positions`` with ``accepted_only``), boards through
``boards.selectors.current_memberships`` (ADR 0603).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from boards.models import Body, Membership, Seat
from boards.selectors import trust_board_members
from contracts import selectors as contract_selectors
from contracts.selectors import public_reserved_matter_decisions
from meetings.models import AgendaItem, Meeting
from meetings.register import Decision, from_request, from_resolution, newest_first
from meetings.selectors import public_agenda_items, public_meetings, public_resolutions
from performance.positions import Position, months_received, read_positions
from performance.selectors import in_force, public_scorecard, trust_kpis
from trustgov.core.scoping import scope_for
from trustgov.organisations.models import Council, DeliveryBody
from trustgov.organisations.selectors import live_councils, public_delivery_bodies

from .models import PublicSubscription


def live_council_or_404(slug: str) -> Council:
    """A council that does not exist, or is not live on the service, has no public pages: a 404."""
    return get_object_or_404(live_councils(), slug=slug)


def public_trusts(council: Council) -> QuerySet[DeliveryBody]:
    """The trusts the council owns today, alone or jointly, that have taken operational control."""
    return public_delivery_bodies(council)


def next_meetings(council: Council, today: date, limit: int = 5):
    return public_meetings(council).filter(date__gte=today)[:limit]


def numbered_agenda(council: Council) -> list[tuple[Meeting, int, AgendaItem]]:
    """Each public meeting's public agenda items with the number the public agenda gives them: 1, 2, 3 in the
    agenda's order, counted over the public items only (never the item's order or minute number, whose gaps
    would show an exempt item)."""
    out = []
    for meeting in public_meetings(council):
        for number, item in enumerate(public_agenda_items(meeting), start=1):
            out.append((meeting, number, item))
    return out


# --- Contracts ------------------------------------------------------------------------------------


public_contracts = contract_selectors.public_contracts  # one rule, shared with the public OCDS (ADR 0608)


# --- Boards ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicSeat:
    seat: Seat
    holder: Membership | None  # in office today, or None when the seat is vacant


@dataclass(frozen=True)
class PublicBoard:
    body: Body
    seats: tuple[PublicSeat, ...]


def trust_boards(council: Council, today: date) -> list[PublicBoard]:
    """The boards of the council's trusts, each seat with who holds it today (names and posts only)."""
    boards = (
        Body.objects.filter(kind=Body.Kind.TRUST_BOARD, delivery_body__in=public_trusts(council))
        .select_related("delivery_body")
        .prefetch_related("seats")
        .order_by("delivery_body__name", "name")
    )
    holders = {m.seat_id: m for m in trust_board_members(public_trusts(council), today).order_by("start_date")}
    out = []
    for body in boards:
        out.append(PublicBoard(body, tuple(PublicSeat(seat, holders.get(seat.pk)) for seat in body.seats.all())))
    return out


# --- Performance ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicScorecard:
    trust: DeliveryBody
    period: date | None  # the latest month with an accepted figure
    positions: tuple[Position, ...]


def scorecards(council: Council) -> list[PublicScorecard]:
    """Each trust's KPIs at the latest month the council accepted figures for: accepted figures only."""
    out = []
    for trust in public_trusts(council):
        period, kpis = public_scorecard(trust)
        if period is None:
            out.append(PublicScorecard(trust, None, ()))
            continue
        read = read_positions(kpis, start=period, end=period, accepted_only=True, lookback=0)
        out.append(PublicScorecard(trust, period, tuple(read.at(k, period) for k in kpis)))
    return out


def accepted_figures(council: Council) -> list[tuple[DeliveryBody, Position]]:
    """Every figure the council accepted for its trusts' KPIs, month by month from the first accepted month to the
    latest (the scorecard's), read as the scorecard reads them: through the one read model, accepted only. A month
    with no accepted figure for a KPI has no row; a KPI is left out from the month it was retired."""
    out = []
    for trust in public_trusts(council):
        kpis = trust_kpis(trust)
        span = months_received(kpis, accepted_only=True).get(trust.pk) if kpis else None
        if span is None:
            continue
        first, last = span
        read = read_positions(kpis, start=first, end=last, accepted_only=True, lookback=0)
        for period in read.months():
            for kpi in kpis:
                if in_force(kpi, period) and (position := read.at(kpi, period)).has_value:
                    out.append((trust, position))
    return out


# --- The decision register -----------------------------------------------------------------------

PublicDecision = Decision  # one decision on the public register (ADR 0604): plain, frozen data


def public_decisions(council: Council) -> list[PublicDecision]:
    """Every decision the public may read, newest first: resolutions of the council's public meetings whose
    minutes are approved, on items that are not exempt; and reserved-matter decisions the council has taken on
    its trusts (owned today) that are not exempt. The publication rules are the selectors' (ADR 0603)."""

    def meeting_url(meeting) -> str:
        return reverse("public:meeting-detail", kwargs={"slug": council.slug, "pk": meeting.pk})

    decisions = [from_resolution(r, meeting_url) for r in public_resolutions(council)]
    decisions += [from_request(r) for r in public_reserved_matter_decisions(public_trusts(council))]
    return newest_first(decisions)


@scope_for(PublicSubscription)
def subscriptions_visible_to(user) -> QuerySet[PublicSubscription]:
    """A member of the public's subscription is their personal data, read by no signed-in user through the service
    (not its pages, its API or its history page): only the Django admin's superusers (ADR 0609)."""
    if getattr(user, "is_superuser", False):
        return PublicSubscription.objects.all()
    return PublicSubscription.objects.none()
