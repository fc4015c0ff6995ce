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
from django.utils import timezone

from boards.models import Body, Membership, Seat
from boards.selectors import current_memberships
from contracts.selectors import public_reserved_matter_decisions
from meetings.register import Decision, from_request, from_resolution, newest_first
from meetings.selectors import public_meetings, public_resolutions
from performance.models import Kpi
from performance.positions import Position, latest_period, read_positions
from trustgov.organisations.models import Council, DeliveryBody
from trustgov.organisations.selectors import delivery_bodies_owned_today, live_councils


def live_council_or_404(slug: str) -> Council:
    """A council that does not exist, or is not live on the service, has no public pages: a 404."""
    return get_object_or_404(live_councils(), slug=slug)


def public_trusts(council: Council) -> QuerySet[DeliveryBody]:
    """The trusts the council owns today, alone or jointly, that have taken operational control."""
    return (
        delivery_bodies_owned_today(council)
        .filter(operational_from__isnull=False, operational_from__lte=timezone.localdate())
        .select_related("council")
        .distinct()
        .order_by("name")
    )


def next_meetings(council: Council, today: date, limit: int = 5):
    return public_meetings(council).filter(date__gte=today)[:limit]


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
    out = []
    for body in boards:
        holders = {m.seat_id: m for m in current_memberships(body, today)}
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
        kpis = list(
            Kpi.objects.filter(delivery_body=trust).select_related("priority").order_by("display_order", "code", "pk")
        )
        period = latest_period(kpis, accepted_only=True) if kpis else None
        if period is None:
            out.append(PublicScorecard(trust, None, ()))
            continue
        kpis = [k for k in kpis if k.retired_from is None or k.retired_from > period]
        read = read_positions(kpis, start=period, end=period, accepted_only=True, lookback=0)
        out.append(PublicScorecard(trust, period, tuple(read.at(k, period) for k in kpis)))
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
