"""The public pages' council (tests/public/scenario.py) with unique words planted for search (ADR 0606).

``EXEMPT_WORD`` is in an exempt paper's text and an exempt item's title; ``DRAFT_WORD`` in a draft paper's text;
``PUBLIC_WORD`` in a published public paper's text; ``JOINT_WORD`` in a public item of a joint committee of a trust
owned with the public scenario's other council. A third council has an officer and nothing to do with either trust.
"""

from dataclasses import dataclass
from datetime import date

from meetings.models import AgendaItem, BodyKind, Document, Meeting
from tests.factories import CouncilFactory, DeliveryBodyFactory, make_user
from tests.meetings.factories import MeetingFactory, paper
from tests.public import scenario as public_scenario
from trustgov.accounts.models import User
from trustgov.accounts.roles import Role
from trustgov.organisations.models import Ownership

TODAY = public_scenario.TODAY
PUBLIC_WORD = "Zyxpublicword"
EXEMPT_WORD = "Qqexemptword"
DRAFT_WORD = "Wwdraftword"
JOINT_WORD = "Jjjointword"


@dataclass
class Searched:
    planted: public_scenario.Planted
    users: dict
    exempt_paper: Document
    exempt_item: AgendaItem
    public_paper: Document
    draft_paper: Document


def _with_text(document: Document, text: str) -> Document:
    Document.objects.filter(pk=document.pk).update(text=text)
    document.refresh_from_db()
    return document


def build() -> Searched:
    planted = public_scenario.build()
    council, meeting = planted.council, planted.meeting
    item = meeting.items.get(title=public_scenario.PUBLIC["item"])
    exempt_item = AgendaItem.objects.create(
        meeting=meeting, order=9, title=f"Sale of land {EXEMPT_WORD}", is_exempt=True, exempt_category="3"
    )
    exempt_paper = _with_text(
        paper(item, "Commercial terms", exempt_category="3"), f"The bid price and {EXEMPT_WORD} terms."
    )
    public_paper = _with_text(
        paper(item, "Annual performance"), f"Performance improved. The {PUBLIC_WORD} measure rose."
    )
    draft_paper = _with_text(paper(item, "Early draft", published=False), f"Not yet out {DRAFT_WORD}.")

    # A trust the council owns jointly with another council, and a joint committee of it with a public item.
    joint = DeliveryBodyFactory(
        slug="shared-trust", name="Shared Children's Trust", council=council, operational_from=date(2022, 4, 1)
    )
    Ownership.objects.create(delivery_body=joint, council=planted.other_council)
    joint_meeting = MeetingFactory(
        delivery_body=joint,
        council=council,
        is_joint=True,
        title="Joint Committee – January 2027",
        body_kind=BodyKind.OTHER,
        date=date(2027, 1, 25),
        status=Meeting.Status.PAPERS_PUBLISHED,
        papers_published_on=date(2027, 1, 14),
    )
    AgendaItem.objects.create(meeting=joint_meeting, order=1, title=f"Shared placements {JOINT_WORD}")
    stranger = CouncilFactory(slug="stranger", name="Stranger Council")
    users = {
        "officer": planted.officer,
        "scrutiny": make_user(Role.SCRUTINY_MEMBER, council=council, username="opentown-scrutiny"),
        "trust": User.objects.get(username="opentown-exec"),
        "co-owner officer": make_user(
            Role.COUNCIL_OFFICER, council=planted.other_council, username="elsewhere-officer"
        ),
        "stranger officer": make_user(Role.COUNCIL_OFFICER, council=stranger, username="stranger-officer"),
    }
    return Searched(planted, users, exempt_paper, exempt_item, public_paper, draft_paper)
