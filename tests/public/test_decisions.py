"""The public decision register and forward plan (ADR 0604): decisions of approved minutes on items that are not
exempt and the council's reserved-matter decisions that are not exempt; the forward plan with a private entry's
paragraph; nothing exempt as a title, a link or a count."""

import dataclasses
from datetime import date

from django.urls import reverse

from meetings.models import ForwardPlanEntry
from public.selectors import PublicDecision, public_decisions
from tests.contracts.factories import RequestFactory, ReservedMatterFactory
from tests.factories import DeliveryBodyFactory
from trustgov.organisations.models import Ownership

from .scenario import NEVER, PUBLIC
from .test_pages import text


def test_public_decisions_are_plain_frozen_records_with_nothing_exempt(planted):
    decisions = public_decisions(planted.council)
    assert all(isinstance(d, PublicDecision) for d in decisions)
    assert [f.name for f in dataclasses.fields(PublicDecision)] == [
        "kind",
        "title",
        "decided_on",
        "decided_by",
        "delegation",
        "outcome",
        "reference",
        "url",
        "body_name",
        "key",
    ]
    assert [(d.kind, d.title) for d in decisions] == [
        ("reserved_matter", PUBLIC["reserved-matter decision"]),  # 15 December 2026
        ("resolution", PUBLIC["decided item"]),  # 9 December 2026
    ]
    request, resolution = decisions
    assert (request.decided_by, request.delegation, request.outcome, request.reference) == (
        "Cabinet",
        "Reserved matter: Annual business plan",
        "Approved",
        "Cabinet minute 7",
    )
    assert resolution.url == reverse("public:meeting-detail", kwargs={"slug": "opentown", "pk": planted.held.pk})
    assert resolution.outcome == PUBLIC["resolution"] and resolution.body_name == planted.trust.name
    try:
        resolution.title = "changed"
    except dataclasses.FrozenInstanceError:
        pass
    else:
        raise AssertionError("a public decision must be frozen")


def test_the_decisions_page_never_shows_or_counts_an_exempt_decision(client, planted):
    page = client.get(reverse("public:decisions", kwargs={"slug": planted.council.slug})).content.decode()
    assert PUBLIC["resolution"] in page and PUBLIC["reserved-matter decision"] in page
    for word in NEVER.values():
        assert word not in page
    assert page.count('<tr class="govuk-table__row">') == 3  # the header and the two public decisions
    assert "Not for publication" not in page
    # An exempt request made public again appears; the rule is is_exempt, nothing else.
    planted.exempt_request.is_exempt, planted.exempt_request.exempt_category = False, ""
    planted.exempt_request.save()
    page = client.get(reverse("public:decisions", kwargs={"slug": planted.council.slug})).content.decode()
    assert NEVER["exempt reserved-matter request"] in page


def test_the_forward_plan_names_a_private_decisions_paragraph_and_leaves_out_withdrawn_and_others(client, planted):
    ForwardPlanEntry.objects.create(
        council=planted.council,
        title="A withdrawn decision",
        decision_maker="cabinet",
        planned_on=date(2027, 3, 1),
        notice_published_on=date(2027, 1, 4),
        status=ForwardPlanEntry.Status.WITHDRAWN,
    )
    ForwardPlanEntry.objects.create(
        council=planted.council,
        title="An urgent decision",
        decision_maker="lead_member",
        planned_on=date(2027, 1, 20),
        notice_published_on=date(2027, 1, 18),
        route=ForwardPlanEntry.Route.SPECIAL_URGENCY,
        route_reason="The scrutiny chair agreed it cannot wait.",
    )
    page = text(client.get(reverse("public:forward-plan", kwargs={"slug": planted.council.slug})))
    assert PUBLIC["forward plan entry"] in page
    assert PUBLIC["private forward plan entry"] in page and "To be taken in private, paragraph 3" in page
    assert "Special urgency (regulation 11) : The scrutiny chair agreed it cannot wait." in page
    assert "A withdrawn decision" not in page
    assert NEVER["another council's forward plan"] not in page
    assert "86 clear days" in page  # 4 January to 1 April 2027: 87 days apart, neither end counted


def test_a_jointly_owned_trusts_reserved_matter_decisions_are_on_each_owners_register(client, planted):
    joint = DeliveryBodyFactory(
        slug="shared-trust", name="Shared Children's Trust", council=planted.council, operational_from=date(2022, 4, 1)
    )
    ownership = Ownership.objects.create(delivery_body=joint, council=planted.other_council)
    RequestFactory(
        reserved_matter=ReservedMatterFactory(delivery_body=joint),
        title="Appoint the joint trust's chair",
        council_decision="approved",
        council_decided_on=date(2026, 12, 1),
        council_decided_by="cabinet",
        raised_by=planted.officer,
    )
    for council in (planted.council, planted.other_council):
        page = text(client.get(reverse("public:decisions", kwargs={"slug": council.slug})))
        assert "Appoint the joint trust's chair" in page
    assert PUBLIC["reserved-matter decision"] not in text(
        client.get(reverse("public:decisions", kwargs={"slug": planted.other_council.slug}))
    )
    ownership.until = date(2026, 12, 31)
    ownership.save()
    assert "Appoint the joint trust's chair" not in [d.title for d in public_decisions(planted.other_council)]
