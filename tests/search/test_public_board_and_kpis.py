"""The public search finds the trust's board as the public board page shows it and the KPIs the public scorecard
lists, through the selectors those pages read, and nothing of another council's (ADR 0606). Signed out; runs on
SQLite and, with DATABASE_URL, on PostgreSQL."""

from datetime import date

import pytest
from django.urls import reverse

from boards.models import Body, Membership, Person, Seat
from performance.models import Kpi
from tests.factories import make_user
from tests.public.scenario import REPORTED
from tests.reports.factories import make_board, make_return
from trustgov.accounts.roles import Role
from trustgov.organisations.models import DeliveryBody

pytestmark = pytest.mark.django_db

MEMBER_WORD = "Kkmembername"  # a current member's name
SEAT_WORD = "Bbseatword"  # the title of the seat a current member holds
CAPACITY_WORD = "Ppcapacityword"  # a current member's professional capacity: on their record, not the public page
FORMER_WORD = "Ffformerword"  # a member whose term has ended: not on the public board page
KPI_WORD = "Kkkpiword"  # a KPI in force at the scorecard's month (no accepted figure: listed as such)
RETIRED_WORD = "Rrretiredword"  # a KPI retired before the scorecard's month: not listed
OTHER_MEMBER_WORD = "Oootherboard"  # on the board of another council's trust
OTHER_KPI_WORD = "Oootherkpi"  # on another council's trust's scorecard


def _public(client, slug, q, **params):
    client.logout()
    return client.get(reverse("search:public-search", kwargs={"slug": slug}), {"q": q, **params})


def _page(client, name, slug) -> str:
    client.logout()
    return client.get(reverse(f"public:{name}", kwargs={"slug": slug})).content.decode()


@pytest.fixture
def boarded(planted):
    trust = planted.planted.trust
    board = Body.objects.get(kind=Body.Kind.TRUST_BOARD, delivery_body=trust)
    seat = Seat.objects.create(body=board, role=Seat.Role.INDEPENDENT_NED, title=f"Director of {SEAT_WORD}", order=5)
    person = Person.objects.create(
        council=trust.council, name=f"Ann {MEMBER_WORD}", professional_capacity=f"Retired {CAPACITY_WORD}"
    )
    Membership.objects.create(seat=seat, person=person, start_date=date(2025, 6, 1))
    former_seat = Seat.objects.create(body=board, role=Seat.Role.MEMBER, title="Former seat", order=6)
    former = Person.objects.create(council=trust.council, name=f"Bob {FORMER_WORD}", professional_capacity="Past")
    Membership.objects.create(seat=former_seat, person=former, start_date=date(2024, 1, 1), end_date=date(2026, 6, 30))
    listed = Kpi.objects.create(
        delivery_body=trust, code="NEW", title=f"Care leavers {KPI_WORD}", definition="A count.", display_order=9
    )
    Kpi.objects.create(
        delivery_body=trust,
        code="OLD",
        title=f"Old measure {RETIRED_WORD}",
        definition="A count.",
        display_order=10,
        retired_from=date(2026, 10, 1),
    )

    other_trust = DeliveryBody.objects.get(slug="elsewhere-trust")
    make_board(other_trust, [(f"Cara {OTHER_MEMBER_WORD}", "chair", "Chair elsewhere")])
    other_kpi = Kpi.objects.create(
        delivery_body=other_trust, code="OTH", title=f"Elsewhere {OTHER_KPI_WORD}", definition="A count."
    )
    other_exec = make_user(Role.TRUST_EXECUTIVE, delivery_body=other_trust, username="elsewhere-exec")
    make_return(other_trust, REPORTED, {other_kpi: "4"}, user=other_exec)
    return {"seat": seat, "kpi": listed, "other_kpi": other_kpi}


def test_a_current_board_member_is_found_by_name_and_seat_signed_out(client, boarded):
    for word in (MEMBER_WORD, SEAT_WORD):
        response = _public(client, "opentown", word)
        body = response.content.decode()
        assert response.status_code == 200
        assert f"Ann {MEMBER_WORD}" in body
        assert reverse("public:board", args=["opentown"]) + f"#seat-{boarded['seat'].pk}" in body
        assert "Non-Executive Director" in body
    # The link's anchor is a row of the public board page, which shows the same name and seat.
    board_page = _page(client, "board", "opentown")
    assert f'id="seat-{boarded["seat"].pk}"' in board_page
    assert f"Ann {MEMBER_WORD}" in board_page and f"Director of {SEAT_WORD}" in board_page


def test_what_the_board_page_does_not_show_is_not_found(client, boarded):
    board_page = _page(client, "board", "opentown")
    for word in (CAPACITY_WORD, FORMER_WORD):
        assert word not in board_page
        results = _public(client, "opentown", word).context["results"]
        assert results.total == 0 and not results.hits


def test_a_kpi_on_the_scorecard_is_found_and_links_to_its_row(client, boarded):
    kpi = boarded["kpi"]
    scorecard = _page(client, "scorecard", "opentown")
    assert f'id="kpi-{kpi.pk}"' in scorecard and KPI_WORD in scorecard
    body = _public(client, "opentown", KPI_WORD).content.decode()
    assert f"NEW: Care leavers {KPI_WORD}" in body.replace("<mark>", "").replace("</mark>", "")
    assert reverse("public:scorecard", args=["opentown"]) + f"#kpi-{kpi.pk}" in body
    # A KPI on the scorecard found by its code too, as the signed-in search does.
    assert (
        "CLA: Children looked after placed far away" in _public(client, "opentown", "placed far away").content.decode()
    )


def test_a_kpi_the_scorecard_does_not_list_is_not_found(client, boarded):
    assert RETIRED_WORD not in _page(client, "scorecard", "opentown")
    results = _public(client, "opentown", RETIRED_WORD).context["results"]
    assert results.total == 0 and "Old measure" not in _public(client, "opentown", RETIRED_WORD).content.decode()


def test_another_councils_board_and_kpis_are_not_found_on_this_councils_search(client, boarded):
    for word, shown in ((OTHER_MEMBER_WORD, f"Cara {OTHER_MEMBER_WORD}"), (OTHER_KPI_WORD, "OTH: Elsewhere")):
        assert shown not in _public(client, "opentown", word).content.decode()
        # ... and they are found on their own council's public search, so the words are really there.
        assert shown in _public(client, "elsewhere", word).content.decode().replace("<mark>", "").replace("</mark>", "")


def test_the_public_kinds_have_their_own_counts_and_filter(client, boarded):
    response = _public(client, "opentown", MEMBER_WORD, kind="board")
    assert [hit.kind_label for hit in response.context["results"].hits] == ["The trust's board"]
    counts = {count.kind.key: count.count for count in response.context["results"].counts}
    assert counts["board"] == 1 and counts["kpis"] == 0 and counts["papers"] == 0
