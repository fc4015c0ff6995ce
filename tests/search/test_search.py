"""Search finds what the pages show and nothing else: a planted public word is found, a planted exempt word is
found only by an officer who may open exempt papers, and nobody else sees it in a title, snippet or count
(ADR 0606). Runs on SQLite and, with DATABASE_URL, on PostgreSQL."""

import re

import pytest
from django.urls import reverse

from search import engine, kinds

from .scenario import DRAFT_WORD, EXEMPT_WORD, JOINT_WORD, PUBLIC_WORD

pytestmark = pytest.mark.django_db


def _get(client, user, q, **params):
    if user is not None:
        client.force_login(user)
    else:
        client.logout()
    return client.get(reverse("search:search"), {"q": q, **params})


def _public(client, slug, q, **params):
    client.logout()
    return client.get(reverse("search:public-search", kwargs={"slug": slug}), {"q": q, **params})


def _counts(results) -> dict[str, int]:
    return {count.kind.key: count.count for count in results.counts}


def test_the_officer_finds_the_exempt_paper_and_item_and_the_public_paper(planted):
    officer = planted.users["officer"]
    found = engine.search(kinds.SIGNED_IN, officer, EXEMPT_WORD)
    assert {hit.title for hit in found.hits} == {"Commercial terms", f"Sale of land {EXEMPT_WORD}"}
    assert _counts(found)["papers"] == 1 and _counts(found)["items"] == 1 and found.total == 2
    public = engine.search(kinds.SIGNED_IN, officer, PUBLIC_WORD)
    assert [hit.title for hit in public.hits] == ["Annual performance"]
    assert f"<mark>{PUBLIC_WORD}</mark>" in public.hits[0].snippet


@pytest.mark.parametrize("who", ["scrutiny", "trust"])
def test_scrutiny_and_the_trust_find_the_public_word_never_the_exempt_one(client, planted, who):
    user = planted.users[who]
    found = engine.search(kinds.SIGNED_IN, user, EXEMPT_WORD)
    assert found.total == 0 and not found.hits and set(_counts(found).values()) == {0}
    assert [hit.title for hit in engine.search(kinds.SIGNED_IN, user, PUBLIC_WORD).hits] == ["Annual performance"]
    # Nor on the page: no title, no snippet, no count other than nought.
    page = _get(client, user, EXEMPT_WORD).content.decode()
    assert "Commercial terms" not in page and "Sale of land" not in page
    assert "0 results" in page and not re.search(r"\((?!0\))\d+\)", page)
    assert "Annual performance" in _get(client, user, PUBLIC_WORD).content.decode()


def test_a_draft_paper_is_found_by_the_officer_who_publishes_it_never_by_scrutiny_or_the_public(client, planted):
    assert engine.search(kinds.SIGNED_IN, planted.users["officer"], DRAFT_WORD).total == 1
    assert engine.search(kinds.SIGNED_IN, planted.users["scrutiny"], DRAFT_WORD).total == 0
    assert engine.search(kinds.PUBLIC, planted.planted.council, DRAFT_WORD).total == 0
    assert "Early draft" not in _public(client, "opentown", DRAFT_WORD).content.decode()


def test_the_public_find_the_public_word_never_the_exempt_one(client, planted):
    page = _public(client, "opentown", PUBLIC_WORD)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Annual performance" in body and "1 result" in body
    assert reverse("public:paper-download", args=["opentown", planted.public_paper.pk]) in body
    for word in (EXEMPT_WORD, "ZZEXEMPTTITLE", "ZZEXEMPTREPORT", "ZZEXEMPTPAPER", "ZZEXEMPTITEMPAPER"):
        found = engine.search(kinds.PUBLIC, planted.planted.council, word)
        assert found.total == 0 and set(_counts(found).values()) == {0}, word
        body = _public(client, "opentown", word).content.decode()
        assert "0 results" in body and "Commercial terms" not in body and "Sale of land" not in body


def test_another_tenants_officer_finds_neither(planted):
    stranger = planted.users["stranger officer"]
    for word in (EXEMPT_WORD, PUBLIC_WORD, JOINT_WORD):
        assert engine.search(kinds.SIGNED_IN, stranger, word).total == 0


def test_both_owners_of_a_shared_trust_find_its_public_items(client, planted):
    for user in (planted.users["officer"], planted.users["co-owner officer"]):
        assert [hit.title for hit in engine.search(kinds.SIGNED_IN, user, JOINT_WORD).hits] == [
            f"Shared placements {JOINT_WORD}"
        ]
    for slug in ("opentown", "elsewhere"):
        assert f"Shared placements {JOINT_WORD}" in _public(client, slug, JOINT_WORD).content.decode()
    # The co-owner does not see the lead council's own meetings' papers.
    assert engine.search(kinds.SIGNED_IN, planted.users["co-owner officer"], PUBLIC_WORD).total == 0
    assert engine.search(kinds.PUBLIC, planted.planted.other_council, PUBLIC_WORD).total == 0


def test_every_word_must_match_and_results_come_newest_first(planted):
    officer = planted.users["officer"]
    assert engine.search(kinds.SIGNED_IN, officer, f"{PUBLIC_WORD} measure").total == 1
    assert engine.search(kinds.SIGNED_IN, officer, f"{PUBLIC_WORD} Nosuchwordanywhere").total == 0
    meetings = engine.search(kinds.SIGNED_IN, officer, "Strategic Partnership Board", kind_key="meetings")
    titles = [hit.title for hit in meetings.hits]
    assert titles == ["Strategic Partnership Board – January 2027", "Strategic Partnership Board – December 2026"]


def test_the_kind_filter_and_pages_of_twenty(client, planted):
    from meetings.models import AgendaItem

    meeting = planted.planted.meeting
    for n in range(25):
        AgendaItem.objects.create(meeting=meeting, order=100 + n, title=f"Pagedword item {n}")
    officer = planted.users["officer"]
    first = engine.search(kinds.SIGNED_IN, officer, "Pagedword", kind_key="items")
    assert first.total == 25 and len(first.hits) == 20 and first.pages == 2
    second = engine.search(kinds.SIGNED_IN, officer, "Pagedword", kind_key="items", page=2)
    assert len(second.hits) == 5 and not {h.title for h in first.hits} & {h.title for h in second.hits}
    page = _get(client, officer, "Pagedword", kind="items").content.decode()
    assert 'data-testid="search-pagination"' in page and "kind=items&amp;page=2" in page
    assert "Agenda items (25)" in page


def test_an_empty_query_shows_guidance_and_a_long_one_names_the_field(client, planted):
    officer = planted.users["officer"]
    page = _get(client, officer, "").content.decode()
    assert 'data-testid="search-guidance"' in page and "result" not in page.split("search-guidance")[1][:40]
    long = _get(client, officer, "x" * 201)
    assert long.status_code == 200
    body = long.content.decode()
    assert "Search terms must be 200 characters or fewer" in body and 'href="#search-q"' in body
    assert 'data-testid="search-results"' not in body


def test_snippets_are_escaped(planted):
    from meetings.models import Document

    Document.objects.filter(pk=planted.public_paper.pk).update(text=f"<script>alert(1)</script> {PUBLIC_WORD}")
    hit = engine.search(kinds.SIGNED_IN, planted.users["officer"], PUBLIC_WORD).hits[0]
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet
    assert f"<mark>{PUBLIC_WORD}</mark>" in hit.snippet


def test_search_is_in_the_service_navigation_and_the_public_pages(client, planted):
    client.force_login(planted.users["scrutiny"])
    assert reverse("search:search") in client.get(reverse("home")).content.decode()
    client.logout()
    overview = client.get(reverse("public:council-index", kwargs={"slug": "opentown"})).content.decode()
    assert reverse("search:public-search", kwargs={"slug": "opentown"}) in overview


def test_public_search_of_a_council_not_live_is_404(client, planted):
    assert _public(client, "stranger", PUBLIC_WORD).status_code == 404
    assert _public(client, "no-such-council", PUBLIC_WORD).status_code == 404


def test_a_page_that_is_not_a_number_is_the_first_and_an_unknown_kind_is_all(client, planted):
    officer = planted.users["officer"]
    body = _get(client, officer, PUBLIC_WORD, page="abc", kind="nonsense").content.decode()
    assert "Annual performance" in body and "There is a problem" not in body
    assert engine.search(kinds.SIGNED_IN, officer, PUBLIC_WORD, page=99).page == 1


def test_the_public_find_decisions_and_contracts_as_the_public_pages_show_them(client, planted):
    from contracts.models import Contract
    from tests.contracts.factories import ContractFactory
    from tests.public.scenario import NEVER, PUBLIC
    from trustgov.organisations.models import DeliveryBody

    council, trust = planted.planted.council, planted.planted.trust
    ContractFactory(delivery_body=trust, council=council, reference="ZKSIGNEDREF", title="Services contract")
    ContractFactory(delivery_body=trust, council=council, reference="ZKDRAFTREF", status=Contract.Status.DRAFT)
    other = DeliveryBody.objects.get(slug="elsewhere-trust")
    ContractFactory(delivery_body=other, council=other.council, reference="ZKOTHERREF")

    found = engine.search(kinds.PUBLIC, council, "endorsed placement sufficiency", slug="opentown")
    assert _counts(found)["resolutions"] == 1
    body = _public(client, "opentown", "endorsed placement sufficiency").content.decode()
    assert "Resolution on Placement sufficiency strategy" in body
    assert reverse("public:meeting-detail", args=["opentown", planted.planted.held.pk]) in body
    assert (
        _counts(engine.search(kinds.PUBLIC, council, "annual business plan 2027-28", slug="opentown"))["decisions"] == 1
    )
    assert _counts(engine.search(kinds.PUBLIC, council, "Cabinet minute 7", slug="opentown"))["decisions"] == 1
    assert _counts(engine.search(kinds.PUBLIC, council, "ZKSIGNEDREF", slug="opentown"))["contracts"] == 1
    assert PUBLIC["reserved-matter decision"] in _public(client, "opentown", "business plan").content.decode()
    for word in (
        NEVER["resolution on an exempt item"],
        NEVER["resolution under draft minutes"],
        NEVER["exempt reserved-matter request"],
        NEVER["exempt reserved-matter decision reference"],
        NEVER["undecided reserved-matter request"],
        NEVER["another council's reserved-matter decision"],
        "ZKDRAFTREF",
        "ZKOTHERREF",
    ):
        found = engine.search(kinds.PUBLIC, council, word, slug="opentown")
        assert found.total == 0, word
    # Not vacuous: the officer finds the exempt decision and the draft contract through their own search.
    assert engine.search(kinds.SIGNED_IN, planted.users["officer"], NEVER["exempt reserved-matter request"]).total
    assert engine.search(kinds.SIGNED_IN, planted.users["officer"], "ZKDRAFTREF").total
