"""The agenda pack: one PDF of a meeting's published agenda and papers, through the one PDF path (ADR 0605).

What is in it is what anyone may read, by the readers' rules (``meetings.selectors.public_agenda_items`` and
``readers_documents`` as read by nobody signed in): the public agenda, numbered 1, 2, 3 as the public meeting page
numbers it, and each published paper's words (``Document.text``, read on upload). An exempt item is not there at all,
as on the public page; a paper withheld from a public item is replaced, in its place, by "Item N: not for
publication, paragraph P" (its Schedule 12A paragraph) and nothing of it but that paragraph. Papers in draft or
approved but not out are left out. There is one pack per meeting, whoever asks: nobody gets an exempt-inclusive pack.

The rendered PDF is cached under a key made of every row it reads from (the meeting, its council, each agenda item
and paper with its ``updated_at``), so any change to any of them renders a new pack.
"""

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Q
from django.template.defaultfilters import filesizeformat

from meetings.models import AgendaItem, Document, Meeting
from meetings.selectors import NOBODY, public_agenda_items, readers_documents

from .rendering import PdfBytes, render_pdf

TEMPLATE = "reports/agenda_pack.html"
PACK_VERSION = 1  # raise when the template or this module changes what a pack holds
CACHE_SECONDS = 7 * 24 * 3600
SENTENCE_END = re.compile(r"[.:;?!)]$")


@dataclass(frozen=True)
class PackPaper:
    title: str
    file_label: str  # "PDF, 2.0 KB"
    paragraphs: list[str]
    url: str  # where the paper itself is downloaded
    withheld = False


@dataclass(frozen=True)
class Withheld:
    """A paper not for publication, in its place: its item's number and its Schedule 12A paragraph only."""

    item_number: int
    paragraph: str
    withheld = True

    @property
    def text(self) -> str:
        return f"Item {self.item_number}: not for publication, paragraph {self.paragraph}"


@dataclass
class PackItem:
    number: int
    title: str
    report_author: str
    report: str
    entries: list[PackPaper | Withheld] = field(default_factory=list)


def paragraphs(text: str) -> list[str]:
    """The paper's lines joined into paragraphs: a line ends its paragraph when it ends a sentence or is short (a
    heading, the last line of a paragraph). A Word paper's lines are its paragraphs already."""
    out: list[str] = []
    current: list[str] = []
    lines = [line for line in text.splitlines() if line.strip()]
    longest = max((len(line) for line in lines), default=0)
    for line in lines:
        current.append(line.strip())
        if SENTENCE_END.search(line.strip()) or len(line) < 0.7 * longest:
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return out


def _file_label(paper: Document) -> str:
    return f"{paper.get_file_type_display()}, {filesizeformat(paper.size)}"


def pack_items(meeting: Meeting, paper_url: Callable[[Document], str]) -> list[PackItem]:
    """The public agenda in order, each item with its published papers and, in their place, the withheld ones."""
    items = list(public_agenda_items(meeting))
    public = {p.pk for p in readers_documents(Document.objects.filter(agenda_item__meeting=meeting), NOBODY).only("pk")}
    # Which papers of a public item are out (published, that is circulated) but exempt: only their paragraph is
    # read, for the placeholder. What a paper shows still comes from the readers' rule above alone.
    papers = Document.objects.filter(agenda_item__in=items).filter(
        Q(pk__in=public) | Q(is_exempt=True, publication=Document.Publication.PUBLISHED)
    )
    by_item: dict[int, list[Document]] = {}
    for paper in papers.order_by("agenda_item", "pk"):
        by_item.setdefault(paper.agenda_item_id, []).append(paper)
    out = []
    for number, item in enumerate(items, start=1):
        entry = PackItem(number, item.title, item.report_author, item.report)
        for paper in by_item.get(item.pk, []):
            if paper.pk in public:
                entry.entries.append(
                    PackPaper(paper.title, _file_label(paper), paragraphs(paper.text), paper_url(paper))
                )
            else:
                entry.entries.append(Withheld(number, paper.exempt_category))
        out.append(entry)
    return out


def css_string(text: str) -> str:
    """``text`` as the inside of a quoted CSS string (the running header and footer are CSS ``content``)."""
    return "".join(f"\\{ord(c):x} " if c in '"\\<>\n' else c for c in text)


def pack_context(meeting: Meeting, paper_url: Callable[[Document], str]) -> dict:
    return {
        "meeting": meeting,
        "council": meeting.council,
        "running_header": css_string(f"{meeting.title}, {meeting.date:%-d %B %Y}"),
        "running_footer": css_string(f"Agenda pack · {meeting.council.name}"),
        "items": pack_items(meeting, paper_url),
        "document_title": f"Agenda pack: {meeting.title}, {meeting.date:%-d %B %Y}",
    }


def cache_key(meeting: Meeting, links: str) -> str:
    """Changes whenever anything the pack reads changes: the meeting, its council's name, any item or paper."""
    rows = [
        PACK_VERSION,
        links,
        meeting.pk,
        meeting.updated_at.isoformat(),
        meeting.council.name,
        list(AgendaItem.objects.filter(meeting=meeting).order_by("pk").values_list("pk", "updated_at")),
        list(Document.objects.filter(agenda_item__meeting=meeting).order_by("pk").values_list("pk", "updated_at")),
    ]
    return "agenda-pack:" + hashlib.sha256(repr(rows).encode()).hexdigest()


def agenda_pack(meeting: Meeting, *, paper_url: Callable[[Document], str], links: str) -> PdfBytes:
    """The meeting's agenda pack, rendered or from the cache. ``links`` names where ``paper_url`` points (it is part
    of the cache key): the public pages of a council, or the signed-in service."""
    key = cache_key(meeting, links)
    cached = cache.get(key)
    if cached is not None:
        pdf = PdfBytes(cached[1])
        pdf.page_count = cached[0]
        return pdf
    pdf = render_pdf(TEMPLATE, pack_context(meeting, paper_url))
    cache.set(key, (pdf.page_count, bytes(pdf)), CACHE_SECONDS)
    return pdf


def cached_page_count(meeting: Meeting, *, links: str) -> int | None:
    """The pack's page count if it has been rendered since it last changed; None rather than render it."""
    cached = cache.get(cache_key(meeting, links))
    return cached[0] if cached is not None else None
