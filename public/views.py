"""The public pages of a live council: no sign-in, nothing exempt, nothing in draft (ADR 0603).

Thin views over ``public.selectors`` and ``meetings.selectors.public_*``. A council that does not exist or is not
live, and a meeting or paper that is not published, is a 404: the same page as a record that does not exist.
"""

from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from meetings.models import BodyKind
from meetings.register import where_taken
from meetings.selectors import (
    public_agenda_items,
    public_forward_plan,
    public_items,
    public_meetings,
    public_minutes,
    public_papers,
)
from meetings.views import paper_file
from performance.positions import SUPPRESSED, SUPPRESSED_MEANING
from trustgov.core.exports import content_disposition, csv_response
from trustgov.core.public_sections import public_navigation

from . import feeds, selectors, subscriptions
from .datasets import DATASETS, DATASETS_IN_ORDER, LICENCE, TYPES, absolute
from .forms import SubscribeForm


def _context(council, current: str, **extra) -> dict:
    """What every public page shows: the council's name in the header (as the service shows a signed-in user's
    council), the header linking to the council's public overview, the sections of its public pages, and its
    Atom feed (a ``<link rel="alternate">`` in the head, ADR 0607)."""
    return {
        "council": council,
        "atom_feed_url": reverse("public:publications-atom", kwargs={"slug": council.slug}),
        "organisation_name": council.name,
        "header_home_url": reverse("public:council-index", kwargs={"slug": council.slug}),
        "navigation": public_navigation(council.slug, f"public:{current}"),
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
    meetings = public_meetings(council)
    bodies = [(kind, BodyKind(kind).label) for kind in sorted(set(meetings.values_list("body_kind", flat=True)))]
    return render(
        request,
        "public/meeting_calendar.html",
        _context(
            council,
            "meeting-calendar",
            meetings=meetings,
            today=timezone.localdate(),
            ical_url=reverse("public:meetings-ical", kwargs={"slug": council.slug}),
            bodies=bodies,
        ),
    )


def _body_or_400(request):
    """``?body=``: blank or absent is every body; a value that is no kind of body is a 400 naming the field."""
    try:
        return feeds.body_filter(request.GET.get("body")), None
    except feeds.BadBody as error:
        return None, HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")


@require_GET
def meetings_ical(request, slug: str):
    """The council's public meetings as an iCalendar (``?body=<kind>`` for one body's)."""
    council = selectors.live_council_or_404(slug)
    body_kind, bad = _body_or_400(request)
    if bad:
        return bad
    response = HttpResponse(feeds.render_calendar(council, body_kind), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = content_disposition(f"{council.slug}-meetings.ics", inline=True)
    return response


@require_GET
def publications_atom(request, slug: str):
    """What the council's meetings publish, newest first, as Atom (``?body=<kind>`` for one body's)."""
    council = selectors.live_council_or_404(slug)
    body_kind, bad = _body_or_400(request)
    if bad:
        return bad
    body = feeds.render_atom(council, body_kind, feed_path=request.get_full_path())
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")


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
    return paper_file(get_object_or_404(public_papers(council), pk=pk))


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


# --- Open data (ADR 0608) -------------------------------------------------------------------------


@require_GET
def data(request, slug: str):
    council = selectors.live_council_or_404(slug)
    return render(
        request,
        "public/data.html",
        _context(
            council,
            "data",
            datasets=DATASETS_IN_ORDER,
            types=[(label, meaning) for label, meaning in TYPES.values()],
            suppressed=SUPPRESSED,
            suppressed_meaning=SUPPRESSED_MEANING,
            licence=LICENCE,
        ),
    )


def _dataset_or_404(slug: str, name: str):
    council = selectors.live_council_or_404(slug)
    dataset = DATASETS.get(name)
    if dataset is None:
        raise Http404
    return council, dataset


@require_GET
def dataset_csv(request, slug: str, dataset: str):
    """UTF-8 with a byte-order mark, the fields' headers first, every text cell neutralised (trustgov.core.exports)."""
    council, ds = _dataset_or_404(slug, dataset)
    rows = ([v for v in record.values()] for record in ds.records(council))
    return csv_response(rows, filename=f"{council.slug}-{ds.name}.csv", header=ds.headers, excel_bom=True)


@require_GET
def dataset_json(request, slug: str, dataset: str):
    council, ds = _dataset_or_404(slug, dataset)
    body = {
        "dataset": ds.name,
        "title": ds.title,
        "description": ds.description,
        "council": {"slug": council.slug, "name": council.name},
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "licence": LICENCE,
        "documentation": absolute("public:data", slug=council.slug),
        "fields": [f.doc() for f in ds.fields],
        "rows": ds.records(council),
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = content_disposition(f"{council.slug}-{ds.name}.json", inline=True)
    return response


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
        _context(
            council,
            "forward-plan",
            entries=where_taken(
                public_forward_plan(council),
                meetings=public_meetings(council),
                items=public_items(council),
                url=lambda m: reverse("public:meeting-detail", args=[council.slug, m.pk]),
            ),
            today=timezone.localdate(),
        ),
    )


# --- Email alerts (ADR 0609) ----------------------------------------------------------------------------------
# A GET never changes anything (mail scanners follow links): confirming and unsubscribing are POSTs, CSRF-checked.
# A token that is unknown, used or of another council is a 404.


@require_http_methods(["GET", "POST"])
def subscribe(request, slug: str):
    council = selectors.live_council_or_404(slug)
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        subscriptions.subscription_request(
            council=council, email=form.cleaned_data["email"], body_kind=form.cleaned_data["body_kind"]
        )
        return redirect("public:subscribe-check-email", slug=council.slug)
    status = 400 if form.is_bound and form.errors else 200  # a refused form is a 400, as on every page
    return render(request, "public/subscribe.html", _context(council, "meeting-calendar", form=form), status=status)


@require_GET
def subscribe_check_email(request, slug: str):
    """The same page whatever the address: it never says whether it was subscribed already."""
    council = selectors.live_council_or_404(slug)
    minutes = int(subscriptions.THROTTLE.total_seconds() // 60)
    return render(request, "public/subscribe_check_email.html", _context(council, "meeting-calendar", minutes=minutes))


@require_http_methods(["GET", "POST"])
def subscribe_confirm(request, slug: str, token: str):
    council = selectors.live_council_or_404(slug)
    subscription = subscriptions.pending(token, council.slug)
    if subscription is None:
        raise Http404
    if request.method == "POST":
        subscriptions.subscription_confirm(subscription=subscription)
        return render(
            request, "public/subscribe_done.html", _context(council, "meeting-calendar", subscription=subscription)
        )
    return render(
        request, "public/subscribe_confirm.html", _context(council, "meeting-calendar", subscription=subscription)
    )


@require_http_methods(["GET", "POST"])
def unsubscribe(request, slug: str, token: str):
    council = selectors.live_council_or_404(slug)
    subscription = subscriptions.current(token, council.slug)
    if subscription is None:
        raise Http404
    if request.method == "POST":
        subscriptions.subscription_unsubscribe(subscription=subscription)
        return render(
            request, "public/unsubscribe_done.html", _context(council, "meeting-calendar", subscription=subscription)
        )
    return render(request, "public/unsubscribe.html", _context(council, "meeting-calendar", subscription=subscription))
