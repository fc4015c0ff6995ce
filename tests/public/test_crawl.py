"""Crawl every link reachable from a council's public overview, signed out, and find nothing that must never be
public (the agenda pack, ADR 0605, is read as its text): no exempt item or paper (not as a title, not in a link),
no draft paper, no draft minutes, no meeting whose agenda is not out, no other council's meeting, no figure the
council has not accepted (ADR 0603)."""

import io
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.urls import reverse
from pypdf import PdfReader

from public.datasets import DATASETS

from .scenario import NEVER, PUBLIC


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def crawl(client, start: str) -> dict[str, object]:
    """Every page and document under /public/ reachable from ``start``, by path."""
    seen: dict[str, object] = {}
    queue = deque([start])
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        response = client.get(path)
        assert response.status_code == 200, f"{path} gave {response.status_code}"
        seen[path] = response
        if "text/html" not in response["Content-Type"]:
            continue
        parser = Links()
        parser.feed(response.content.decode())
        for href in parser.hrefs:
            target = urldefrag(href)[0]
            parts = urlsplit(target)
            if not parts.netloc and parts.path.startswith("/public/"):
                queue.append(parts.path)
    return seen


def body_of(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("latin-1")
    if response["Content-Type"] == "application/pdf":  # the agenda pack (ADR 0605): its text, as a reader gets it
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return response.content.decode()


def test_nothing_exempt_draft_or_unaccepted_is_reachable(client, planted):
    start = reverse("public:council-index", kwargs={"slug": planted.council.slug})
    pages = crawl(client, start)

    slug = planted.council.slug
    expected = {
        reverse("public:meeting-calendar", kwargs={"slug": slug}),
        reverse("public:meeting-detail", kwargs={"slug": slug, "pk": planted.meeting.pk}),
        reverse("public:meeting-detail", kwargs={"slug": slug, "pk": planted.held.pk}),
        reverse("public:paper-download", kwargs={"slug": slug, "pk": planted.public_paper.pk}),
        reverse("public:agenda-pack", kwargs={"slug": slug, "pk": planted.meeting.pk}),
        reverse("public:board", kwargs={"slug": slug}),
        reverse("public:scorecard", kwargs={"slug": slug}),
        reverse("public:data", kwargs={"slug": slug}),
        *(
            reverse(f"public:data-{fmt}", kwargs={"slug": slug, "dataset": name})
            for name in DATASETS
            for fmt in ("csv", "json")
        ),
        reverse("public:decisions", kwargs={"slug": slug}),
        reverse("public:forward-plan", kwargs={"slug": slug}),
        *(reverse(f"public:{name}", kwargs={"slug": slug}) for name in ("ocds-releases", "ocds-records", "popolo")),
    }
    assert expected <= set(pages), f"not reached: {expected - set(pages)}"
    downloads = {p for p in pages if "/papers/" in p}
    assert downloads == {reverse("public:paper-download", kwargs={"slug": slug, "pk": planted.public_paper.pk})}
    for hidden in planted.hidden_papers:
        assert not any(f"/papers/{hidden.pk}/" in p for p in pages)
    for path in (
        reverse("public:meeting-detail", kwargs={"slug": slug, "pk": planted.unpublished_meeting.pk}),
        reverse("public:meeting-detail", kwargs={"slug": slug, "pk": planted.other_meeting.pk}),
    ):
        assert path not in pages

    everything = "\n".join(body_of(r) for r in pages.values())
    for what, word in NEVER.items():
        assert word not in everything, f"the {what} ({word}) reached the public pages"
    for what, word in PUBLIC.items():
        assert word.replace("'", "&#x27;") in everything or word in everything, f"the public {what} is missing"

    # Agenda numbers do not give away an exempt item: the public agenda is numbered 1, 2 with no gap.
    meeting_page = body_of(pages[reverse("public:meeting-detail", kwargs={"slug": slug, "pk": planted.meeting.pk})])
    assert "govuk-list--number" in meeting_page
    assert meeting_page.count('<h3 class="govuk-heading-s') == 2

    # Small numbers are withheld.
    scorecard = body_of(pages[reverse("public:scorecard", kwargs={"slug": slug})])
    assert scorecard.count(">c</abbr>") == 2
