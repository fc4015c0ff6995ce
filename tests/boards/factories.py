from datetime import date

import factory

from boards.models import Body, Membership, Person, Seat
from tests.factories import CouncilFactory


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Alex Example {n}")
    professional_capacity = factory.Faker("job")
    organisation = factory.Faker("company")


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Trust Board {n}")
    kind = Body.Kind.TRUST_BOARD


class SeatFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Seat

    body = factory.SubFactory(BodyFactory)
    role = Seat.Role.INDEPENDENT_NED
    title = factory.Sequence(lambda n: f"Seat {n}")
    order = factory.Sequence(lambda n: n)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    seat = factory.SubFactory(SeatFactory)
    person = factory.SubFactory(PersonFactory, council=factory.SelfAttribute("..seat.body.council"))
    start_date = date(2024, 1, 1)
    end_date = None


def trust_board(tenant, **rules) -> Body:
    """A trust board for a test tenant, with a Chair and a Chief Executive seat."""
    body = BodyFactory(council=tenant.council, delivery_body=tenant.body, **rules)
    SeatFactory(body=body, role=Seat.Role.CHAIR, title="Chair", order=1)
    SeatFactory(body=body, role=Seat.Role.CHIEF_EXECUTIVE, title="Chief Executive", order=2)
    return body
