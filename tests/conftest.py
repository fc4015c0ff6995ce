"""Shared fixtures.

The demo data (seed_demo) is loaded once into the test database, so ordinary tests see the
five councils of the source papers; tests that need their own records use the factories.
Browser and worker tests run in real transactions and load what they need themselves.
"""

import os
from dataclasses import dataclass

import factory.random
import pytest
import time_machine
from django.core.management import call_command

from trustgov.accounts.models import User
from trustgov.accounts.roles import Role
from trustgov.organisations.models import Council, DeliveryBody

from .factories import CouncilFactory, DeliveryBodyFactory, make_user

# The same fake names and sentences every run, so a failure can be reproduced.
factory.random.reseed_random("trustgov")

# Playwright's sync API runs an event loop in this thread; Django's ORM is used beside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# TRUSTGOV_TEST_CLOCK="2027-12-01 09:00" runs the whole session with the clock moved there (and
# ticking), before the demo data is seeded, so nothing may assume the day a test was written.
# .ci/run runs the suite this way at several dates; tests that freeze time themselves still do.
_moved_clock = None


def pytest_configure(config):
    global _moved_clock
    moment = os.environ.get("TRUSTGOV_TEST_CLOCK", "").strip()
    if moment:
        _moved_clock = time_machine.travel(moment, tick=True)
        _moved_clock.start()


def pytest_unconfigure(config):
    if _moved_clock is not None:
        _moved_clock.stop()


def pytest_report_header(config):
    moment = os.environ.get("TRUSTGOV_TEST_CLOCK", "").strip()
    return f"clock moved to {moment} (TRUSTGOV_TEST_CLOCK)" if moment else None


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


@dataclass
class Tenant:
    council: Council
    body: DeliveryBody
    officer: User
    trust_exec: User
    scrutiny: User

    def user(self, role: Role) -> User:
        return {
            Role.COUNCIL_OFFICER: self.officer,
            Role.TRUST_EXECUTIVE: self.trust_exec,
            Role.SCRUTINY_MEMBER: self.scrutiny,
        }[role]


def build_tenant(prefix: str) -> Tenant:
    council = CouncilFactory(slug=f"{prefix}-council", name=f"{prefix.title()} Council")
    body = DeliveryBodyFactory(slug=f"{prefix}-trust", name=f"{prefix.title()} Children's Trust", council=council)
    return Tenant(
        council=council,
        body=body,
        officer=make_user(Role.COUNCIL_OFFICER, council=council, username=f"{prefix}-officer"),
        trust_exec=make_user(Role.TRUST_EXECUTIVE, delivery_body=body, username=f"{prefix}-exec"),
        scrutiny=make_user(Role.SCRUTINY_MEMBER, council=council, username=f"{prefix}-scrutiny"),
    )


@pytest.fixture
def tenant_a(db) -> Tenant:
    return build_tenant("alpha")


@pytest.fixture
def tenant_b(db) -> Tenant:
    return build_tenant("beta")


@pytest.fixture
def dfe_user(db) -> User:
    return make_user(Role.DFE_LIAISON, username="dfe-test")


@pytest.fixture
def users(tenant_a, dfe_user) -> dict[str, User]:
    """One user of each role, keyed as the lifecycle tests name them (tenant A's, and the DfE)."""
    return {
        "officer": tenant_a.officer,
        "trust_exec": tenant_a.trust_exec,
        "scrutiny": tenant_a.scrutiny,
        "dfe": dfe_user,
    }


@pytest.fixture
def demo_user(db):
    """A demo user by username (from seed_demo)."""
    return lambda username: User.objects.get(username=username)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Failed sign-ins (django-axes) and API throttles count in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
