"""A trust owned by two councils is on both councils' public pages; a council's own meetings never reach the other's."""

from datetime import date

from django.urls import reverse

from meetings.models import BodyKind, Meeting
from tests.factories import DeliveryBodyFactory
from tests.meetings.factories import MeetingFactory
from tests.reports.factories import make_board
from trustgov.organisations.models import Ownership

from .scenario import PUBLIC
from .test_pages import text


def test_a_jointly_owned_trust_is_on_both_councils_pages(client, planted):
    joint = DeliveryBodyFactory(
        slug="shared-trust", name="Shared Children's Trust", council=planted.council, operational_from=date(2022, 4, 1)
    )
    Ownership.objects.create(delivery_body=joint, council=planted.other_council)
    make_board(joint, [("Sam Jointchair", "chair", "Independent chair")])
    MeetingFactory(
        delivery_body=joint,
        council=planted.council,
        is_joint=True,
        title="Joint Committee – January 2027",
        body_kind=BodyKind.OTHER,
        date=date(2027, 1, 25),
        status=Meeting.Status.PAPERS_PUBLISHED,
        papers_published_on=date(2027, 1, 14),
    )

    for council in (planted.council, planted.other_council):
        index = text(client.get(reverse("public:council-index", kwargs={"slug": council.slug})))
        assert "Shared Children's Trust" in index
        assert "Opentown Borough Council and Elsewhere Council" in index  # its owners, the lead first
        board = text(client.get(reverse("public:board", kwargs={"slug": council.slug})))
        assert "Sam Jointchair" in board
        calendar = text(client.get(reverse("public:meeting-calendar", kwargs={"slug": council.slug})))
        assert "Joint Committee – January 2027" in calendar
        scorecard = text(client.get(reverse("public:scorecard", kwargs={"slug": council.slug})))
        assert "Shared Children's Trust" in scorecard

    elsewhere = text(client.get(reverse("public:meeting-calendar", kwargs={"slug": planted.other_council.slug})))
    assert PUBLIC["meeting"] not in elsewhere  # Opentown's own meeting (not joint)
    assert PUBLIC["board member"] not in text(
        client.get(reverse("public:board", kwargs={"slug": planted.other_council.slug}))
    )
    opentown = text(client.get(reverse("public:meeting-calendar", kwargs={"slug": planted.council.slug})))
    assert "ZZOTHERCOUNCILMEETING" not in opentown


def test_an_owner_whose_ownership_ended_no_longer_shows_the_trust(client, planted):
    joint = DeliveryBodyFactory(
        slug="shared-trust", name="Shared Children's Trust", council=planted.council, operational_from=date(2022, 4, 1)
    )
    Ownership.objects.create(delivery_body=joint, council=planted.other_council, until=date(2026, 3, 31))
    index = text(client.get(reverse("public:council-index", kwargs={"slug": planted.other_council.slug})))
    assert "Shared Children's Trust" not in index
