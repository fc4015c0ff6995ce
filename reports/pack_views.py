"""The agenda pack's two downloads: on a council's public pages, and for a signed-in reader of the meeting.

Both serve the same pack (ADR 0605): what anyone may read of the meeting, never an exempt-inclusive one. Only the
links to each paper differ (the public download, or the signed-in one).
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from meetings.models import Meeting
from meetings.selectors import public_meetings
from trustgov.core.exports import content_disposition
from trustgov.core.scoping import get_visible_or_404
from trustgov.organisations.selectors import live_councils

from .agenda_pack import agenda_pack


def _response(meeting: Meeting, pdf: bytes, *, public: bool) -> HttpResponse:
    response = HttpResponse(bytes(pdf), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(f"agenda-pack-{slugify(meeting.title)}-{meeting.date}.pdf")
    response["Cache-Control"] = "public, max-age=300" if public else "private, no-store"
    return response


@require_GET
def public_agenda_pack(request, slug: str, pk: int):
    """A live council's public meeting (agenda out, not cancelled); anything else is a 404, as its page is."""
    council = get_object_or_404(live_councils(), slug=slug)
    meeting = get_object_or_404(public_meetings(council), pk=pk)

    def paper_url(paper) -> str:
        return request.build_absolute_uri(reverse("public:paper-download", kwargs={"slug": slug, "pk": paper.pk}))

    links = request.build_absolute_uri(reverse("public:council-index", kwargs={"slug": slug}))
    return _response(meeting, agenda_pack(meeting, paper_url=paper_url, links=links), public=True)


@login_required
@permission_required("meetings.view_meeting", raise_exception=True)
@require_GET
def agenda_pack_download(request, pk: int):
    """The same pack for a signed-in reader of the meeting (another tenant's meeting is a 404)."""
    meeting = get_visible_or_404(Meeting, request.user, pk=pk)
    if meeting.status == Meeting.Status.CANCELLED:
        raise Http404

    def paper_url(paper) -> str:
        return request.build_absolute_uri(reverse("meetings:document-download", kwargs={"pk": paper.pk}))

    links = request.build_absolute_uri(reverse("meetings:meeting-list"))
    return _response(meeting, agenda_pack(meeting, paper_url=paper_url, links=links), public=False)
