"""The demo's public decision register has entries: Sandwell's July 2026 Board minutes are approved at the October
Board (through the service, so the history says who), and its resolution is on the public register; nothing exempt
or under draft minutes is (October's are in draft), and any resolution text taken from a seed paper is the paper's
(Bradford's, seed 001). Reads the demo data the test database is loaded with (seed_demo, tests/conftest.py)."""

import html
import re

import pytest
from django.urls import reverse

from meetings.models import Minutes, Resolution
from meetings.selectors import public_resolutions
from public.selectors import public_decisions
from tests.seed_papers import paper as seed_paper
from trustgov.organisations.models import Council

pytestmark = pytest.mark.django_db


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'")).strip()


def test_sandwells_public_register_lists_the_approved_boards_resolution(client):
    sandwell = Council.objects.get(slug="sandwell")
    minutes = Minutes.objects.get(meeting__council=sandwell, meeting__title="Strategic Partnership Board – July 2026")
    assert minutes.status == Minutes.Status.APPROVED
    assert minutes.approved_at.title == "Strategic Partnership Board – October 2026"
    approval = minutes.history.filter(status=Minutes.Status.APPROVED).earliest("history_date")
    assert approval.history_user.username == "sandwell-officer" and "correct record" in approval.history_change_reason

    client.logout()
    body = client.get(reverse("public:decisions", kwargs={"slug": "sandwell"})).content.decode()
    assert "That the quarterly performance and finance report be noted." in body
    assert "Quarterly performance and finance report" in body
    # October's minutes are in draft: its resolution (the same words, on its own report) is not on the register.
    assert "Strategic Partnership Board – October 2026" not in html.unescape(body)
    # The resolution keeps the text the demo gave it.
    resolution = Resolution.objects.get(meeting=minutes.meeting, agenda_item__title__startswith="Quarterly")
    assert resolution.text == "That the quarterly performance and finance report be noted."


def test_sandwells_public_register_has_nothing_exempt_or_under_draft_minutes(client):
    sandwell = Council.objects.get(slug="sandwell")
    client.logout()
    body = client.get(reverse("public:decisions", kwargs={"slug": "sandwell"})).content.decode()
    for resolution in Resolution.objects.filter(meeting__council=sandwell).select_related("agenda_item", "meeting"):
        minutes = Minutes.objects.filter(meeting=resolution.meeting).first()
        public = (
            not resolution.agenda_item.is_exempt and minutes is not None and minutes.status == Minutes.Status.APPROVED
        )
        if not public:  # neither its meeting nor (on an exempt item) its item is named
            assert html.escape(resolution.meeting.title) not in body, resolution
            if resolution.agenda_item.is_exempt:
                assert html.escape(resolution.agenda_item.title) not in body, resolution
    assert "Contract sum negotiation" not in body  # the October Board's exempt item
    decisions = public_decisions(sandwell)
    assert decisions, "the public register is empty"
    for resolution in public_resolutions(sandwell):
        assert not resolution.agenda_item.is_exempt
        assert resolution.meeting.minutes.status == Minutes.Status.APPROVED


def test_a_public_resolution_taken_from_a_seed_paper_is_the_papers_text(client):
    """Bradford's July 2022 resolutions come from its published minutes (seed 001): on its public register each
    reads as the paper does."""
    bradford = Council.objects.get(slug="bradford")
    paper = _words(seed_paper("ESTABLISHING THE CHILDREN'S TRUST", "Resolved"))
    resolutions = [r for r in public_resolutions(bradford) if r.meeting.date.year == 2022]
    assert resolutions
    client.logout()
    page = client.get(reverse("public:decisions", kwargs={"slug": "bradford"}))
    body = _words(html.unescape(page.content.decode()))
    for resolution in resolutions:
        assert f"{resolution.label} {_words(resolution.text)}" in paper, resolution.text
        assert _words(resolution.text) in body, resolution.text
