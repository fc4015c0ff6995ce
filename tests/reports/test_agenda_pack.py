"""The agenda pack (ADR 0605): one PDF/UA document of a meeting's public agenda and published papers, numbered as
the public meeting page numbers it, with every page numbered "Page N of M", a bookmark per item, nothing exempt or
in draft (a withheld paper is "Item N: not for publication, paragraph P" in its place), on the public pages and for
signed-in readers."""

import io
import re

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from meetings.models import AgendaItem, Document
from reports.agenda_pack import agenda_pack, cached_page_count, paragraphs
from tests.factories import make_user
from tests.meetings.factories import paper
from tests.public.scenario import NEVER, PUBLIC, TODAY, build
from trustgov.accounts.roles import Role

from .conftest import pdf_text

PLANTED = {
    "exempt paper's title": "ZZWITHHELDCONTRACTPAPER",
    "exempt paper's words": "ZZWITHHELDWORDS",
    "exempt item's paper's words": "ZZEXEMPTITEMWORDS",
    "draft paper's words": "ZZDRAFTWORDS",
}
PUBLIC_WORDS = "The re-referral rate fell to 21.4 per cent in the quarter."


def _with_text(document: Document, text: str) -> Document:
    document.text = text
    document.save()
    return document


@pytest.fixture
def pack(db, settings, tmp_path):
    """The public scenario's meeting (a public item with a published paper, an exempt paper and a draft; an exempt
    item with its paper; "Any other business"), with words in every paper, a withheld paper under paragraph 3, and
    a paper whose text could not be read."""
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(TODAY, tick=False):
        planted = build()
        item = AgendaItem.objects.get(meeting=planted.meeting, title=PUBLIC["item"])
        secret = AgendaItem.objects.get(meeting=planted.meeting, is_exempt=True)
        sentence = PUBLIC_WORDS + " Caseloads stayed within the agreed range for every team in the quarter."
        _with_text(planted.public_paper, "\n".join(f"{n}. {sentence}" for n in range(1, 120)))
        hidden = {d.title: d for d in planted.hidden_papers}
        _with_text(hidden[NEVER["draft paper"]], PLANTED["draft paper's words"])
        _with_text(hidden[NEVER["paper on the exempt item"]], PLANTED["exempt item's paper's words"])
        _with_text(paper(item, PLANTED["exempt paper's title"], exempt_category="3"), PLANTED["exempt paper's words"])
        aob = AgendaItem.objects.get(meeting=planted.meeting, title="Any other business")
        planted.scan = paper(aob, "Scanned letter from the Department")
        planted.secret = secret
        yield planted


def render(planted) -> bytes:
    return agenda_pack(planted.meeting, paper_url=lambda p: f"https://example.test/papers/{p.pk}/", links="test")


def test_the_pack_is_tagged_pdf_ua_with_language_and_title(pack):
    reader = PdfReader(io.BytesIO(render(pack)))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en-GB"
    title = f"Agenda pack: {PUBLIC['meeting']}, 20 January 2027"
    assert reader.metadata.title == title
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert all(page["/Tabs"] == "/S" for page in reader.pages)
    assert "/Outlines" in root
    xmp = reader.xmp_metadata.stream.get_data().decode()
    assert re.search(r'pdfuaid:part="1"|<pdfuaid:part>1</pdfuaid:part>', xmp)
    assert title in xmp


def test_pages_are_a4_and_numbered_continuously(pack):
    data = render(pack)
    reader = PdfReader(io.BytesIO(data))
    total = len(reader.pages)
    assert total >= 4  # cover, item 1 with its long paper over pages, item 2
    assert data.page_count == total
    for number, page in enumerate(reader.pages, start=1):
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
        assert f"Page {number} of {total}" in page.extract_text()
    assert "Page 3 of" in reader.pages[2].extract_text()


def test_one_bookmark_per_agenda_item_in_the_public_pages_order(pack, client):
    reader = PdfReader(io.BytesIO(render(pack)))
    top = [entry.title for entry in reader.outline if not isinstance(entry, list)]
    assert top == ["Agenda", f"1. {PUBLIC['item']}", "2. Any other business"]
    # Each item's bookmark opens the item's page; the papers are bookmarks under their item.
    pages = [reader.get_destination_page_number(e) for e in reader.outline if not isinstance(e, list)]
    assert pages == sorted(pages) and pages[1] >= 1
    assert "1. " + PUBLIC["item"] in reader.pages[pages[1]].extract_text()
    children = [e for e in reader.outline if isinstance(e, list)]
    assert [c.title for c in children[0]] == [PUBLIC["paper"]]
    # The public meeting page numbers the same items in the same order.
    response = client.get(reverse("public:meeting-detail", kwargs={"slug": pack.council.slug, "pk": pack.meeting.pk}))
    page = re.sub(r"\s+", " ", response.content.decode())
    headings = re.findall(r'<h3 class="govuk-heading-s[^"]*">([^<]+)</h3>', page)
    assert [h.replace("&#x27;", "'") for h in headings] == [PUBLIC["item"], "Any other business"]


def test_nothing_exempt_or_in_draft_reaches_the_pack_but_the_placeholder(pack):
    text = pdf_text(render(pack))
    for word in [*NEVER.values(), *PLANTED.values()]:
        assert word not in text, word
    assert "Item 1: not for publication, paragraph 3" in text  # the withheld contract paper, in its place
    assert "Item 1: not for publication, paragraph 2" in text  # the scenario's exempt paper
    assert PUBLIC_WORDS in text and PUBLIC["paper"] in text
    assert "paragraph 1" not in text  # the exempt item (paragraph 1) leaves no trace, as on the public page


def test_a_paper_without_text_says_so_and_gives_its_download_link(pack):
    text = pdf_text(render(pack))
    assert "Scanned letter from the Department" in text
    assert "This paper has no text that can be printed here" in text
    assert f"https://example.test/papers/{pack.scan.pk}/" in text


def test_a_change_to_a_paper_renders_a_new_pack(pack):
    first = pdf_text(render(pack))
    assert PUBLIC["paper"] in first
    assert cached_page_count(pack.meeting, links="test") is not None
    with time_machine.travel(TODAY.replace(hour=11), tick=False):
        pack.public_paper.is_exempt, pack.public_paper.exempt_category = True, "3"
        pack.public_paper.save()
        assert cached_page_count(pack.meeting, links="test") is None  # the cached pack no longer matches
        second = pdf_text(render(pack))
    assert PUBLIC_WORDS not in second and PUBLIC["paper"] not in second.replace("Item 1: not", "")


def test_lines_become_paragraphs():
    text = "1. Purpose\nThe Trust reports on its performance against the contract\nfor the quarter.\nShort last line"
    assert paragraphs(text) == [
        "1. Purpose",
        "The Trust reports on its performance against the contract for the quarter.",
        "Short last line",
    ]
    assert paragraphs("") == []


def test_the_public_route_serves_the_pack_and_404s_what_is_not_public(pack, client):
    slug = pack.council.slug
    response = client.get(reverse("public:agenda-pack", kwargs={"slug": slug, "pk": pack.meeting.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment") or ".pdf" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert PUBLIC_WORDS in text and NEVER["exempt item"] not in text
    paper_link = reverse("public:paper-download", kwargs={"slug": slug, "pk": pack.scan.pk})
    assert "http://testserver" + paper_link in text
    for meeting in (pack.unpublished_meeting, pack.other_meeting):
        assert client.get(reverse("public:agenda-pack", kwargs={"slug": slug, "pk": meeting.pk})).status_code == 404
    other = reverse("public:agenda-pack", kwargs={"slug": pack.other_council.slug, "pk": pack.meeting.pk})
    assert client.get(other).status_code == 404
    page = client.get(reverse("public:meeting-detail", kwargs={"slug": slug, "pk": pack.meeting.pk}))
    assert reverse("public:agenda-pack", kwargs={"slug": slug, "pk": pack.meeting.pk}) in page.content.decode()
    assert "Download the agenda pack (PDF)" in page.content.decode()


def test_an_officer_signed_in_gets_the_public_pack_and_another_tenant_a_404(pack, client):
    url = reverse("reports:agenda-pack", kwargs={"pk": pack.meeting.pk})
    assert client.get(url).status_code == 302  # signed out: to sign in
    client.force_login(pack.officer)  # may read exempt papers: still the public pack
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    for word in [*NEVER.values(), *PLANTED.values()]:
        assert word not in text, word
    assert "Item 1: not for publication, paragraph 3" in text
    page = client.get(reverse("meetings:meeting-detail", kwargs={"pk": pack.meeting.pk})).content.decode()
    assert url in page and "Download the agenda pack (PDF)" in page
    stranger = make_user(Role.COUNCIL_OFFICER, council=pack.other_council, username="elsewhere-officer")
    client.force_login(stranger)
    assert client.get(url).status_code == 404
