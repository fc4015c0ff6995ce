"""The public pages of a live council: no sign-in, nothing exempt, nothing in draft (ADR 0603).

Thin views over ``public.selectors`` and ``meetings.selectors.public_*``. A council that does not exist or is not
live, and a meeting or paper that is not published, is a 404: the same page as a record that does not exist.
"""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from meetings.selectors import (
    public_agenda_items,
    public_forward_plan,
    public_meetings,
    public_minutes,
    public_papers,
)
from meetings.views import CONTENT_TYPES
from performance.positions import SUPPRESSED, SUPPRESSED_MEANING
from trustgov.core.exports import content_disposition

from . import selectors

SECTIONS = (
    ("council-index", "Overview"),
    ("meeting-calendar", "Meetings"),
    ("board", "Trust board"),
    ("scorecard", "Performance"),
    ("decisions", "Decisions"),
    ("forward-plan", "Forward plan"),
)


def _context(council, current: str, **extra) -> dict:
    """What every public page shows: the council's name in the header (as the service shows a signed-in user's
    council), the header linking to the council's public overview, and the sections of its public pages."""
    return {
        "council": council,
        "organisation_name": council.name,
        "header_home_url": reverse("public:council-index", kwargs={"slug": council.slug}),
        "navigation": [
            {
                "label": label,
                "href": reverse(f"public:{name}", kwargs={"slug": council.slug}),
                "active": name == current,
            }
            for name, label in SECTIONS
        ],
        **extra,
    }


@require_GET
def council_index(request, slug: str):
    council = selectors.live_council_or_404(slug)
    today = timezone.localdate()
    return render(
        request,
        "public/council_index.html",
        _context(
            council,
            "council-index",
            trusts=selectors.public_trusts(council),
            upcoming=selectors.next_meetings(council, today),
            today=today,
        ),
    )


@require_GET
def meeting_calendar(request, slug: str):
    council = selectors.live_council_or_404(slug)
    return render(
        request,
        "public/meeting_calendar.html",
        _context(council, "meeting-calendar", meetings=public_meetings(council), today=timezone.localdate()),
    )


@require_GET
def meeting_detail(request, slug: str, pk: int):
    council = selectors.live_council_or_404(slug)
    meeting = get_object_or_404(public_meetings(council), pk=pk)
    papers = list(public_papers(council).filter(agenda_item__meeting=meeting))
    minutes = public_minutes(meeting)
    approved_at_public = bool(
        minutes and minutes.approved_at_id and public_meetings(council).filter(pk=minutes.approved_at_id).exists()
    )
    return render(
        request,
        "public/meeting_detail.html",
        _context(
            council,
            "meeting-calendar",
            meeting=meeting,
            items=[(item, [p for p in papers if p.agenda_item_id == item.pk]) for item in public_agenda_items(meeting)],
            minutes=minutes,
            approved_at_public=approved_at_public,
        ),
    )


@require_GET
def paper_download(request, slug: str, pk: int):
    """A published paper that is not exempt, of one of the council's public meetings; anything else is a 404."""
    council = selectors.live_council_or_404(slug)
    paper = get_object_or_404(public_papers(council), pk=pk)
    try:
        handle = paper.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=CONTENT_TYPES[paper.file_type])
    response["Content-Disposition"] = content_disposition(paper.file.name.rsplit("/", 1)[-1])
    return response


@require_GET
def board(request, slug: str):
    council = selectors.live_council_or_404(slug)
    today = timezone.localdate()
    return render(
        request, "public/board.html", _context(council, "board", boards=selectors.trust_boards(council, today))
    )


@require_GET
def scorecard(request, slug: str):
    council = selectors.live_council_or_404(slug)
    return render(
        request,
        "public/scorecard.html",
        _context(
            council,
            "scorecard",
            scorecards=selectors.scorecards(council),
            suppressed=SUPPRESSED,
            suppressed_meaning=SUPPRESSED_MEANING,
        ),
    )


@require_GET
def decisions(request, slug: str):
    council = selectors.live_council_or_404(slug)
    return render(
        request,
        "public/decisions.html",
        _context(council, "decisions", rows=[(d, False) for d in selectors.public_decisions(council)]),
    )


@require_GET
def forward_plan(request, slug: str):
    council = selectors.live_council_or_404(slug)
    return render(
        request,
        "public/forward_plan.html",
        _context(council, "forward-plan", entries=public_forward_plan(council), today=timezone.localdate()),
    )
