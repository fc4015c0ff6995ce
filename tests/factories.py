"""factory_boy factories for the platform models. Each domain app adds tests/<app>/factories.py."""

from datetime import date

import factory
from django.contrib.auth.models import Group

from trustgov.accounts.models import User
from trustgov.accounts.roles import Role, sync_role_groups
from trustgov.organisations.models import Council, DeliveryBody, Direction, MemorandumOfUnderstanding

factory.Faker._DEFAULT_LOCALE = "en_GB"
TEST_PASSWORD = "correct-horse-battery-staple"  # noqa: S105


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Testshire Council {n}")
    slug = factory.Sequence(lambda n: f"testshire-{n}")
    council_type = "unitary"


class DeliveryBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeliveryBody
        django_get_or_create = ["slug"]

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Testshire Children's Trust {n}")
    slug = factory.Sequence(lambda n: f"testshire-trust-{n}")
    kind = DeliveryBody.Kind.TRUST
    operational_from = date(2020, 4, 1)


class DirectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Direction

    council = factory.SubFactory(CouncilFactory)
    title = "Direction to establish a children's trust"
    issued_on = date(2019, 6, 1)
    legal_basis = "s497A(4B) Education Act 1996"
    commissioner = factory.Faker("name")


class MemorandumFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemorandumOfUnderstanding

    delivery_body = factory.SubFactory(DeliveryBodyFactory)
    council = factory.SelfAttribute("delivery_body.council")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.uk")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def role(self, create, extracted: Role | None, **kwargs):
        self.save()
        if extracted:
            if not Group.objects.filter(name=extracted.value).exists():
                sync_role_groups()
            self.groups.set([Group.objects.get(name=extracted.value)])


def make_user(role: Role, *, council: Council | None = None, delivery_body: DeliveryBody | None = None, **kw) -> User:
    """A user in a role, attached where that role belongs."""
    if role in (Role.COUNCIL_OFFICER, Role.SCRUTINY_MEMBER):
        return UserFactory(role=role, council=council, **kw)
    if role == Role.TRUST_EXECUTIVE:
        return UserFactory(role=role, delivery_body=delivery_body, **kw)
    return UserFactory(role=role, is_dfe=True, **kw)
