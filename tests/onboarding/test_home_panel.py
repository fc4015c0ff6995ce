"""The home page leads a council administrator through the set-up (a task list, or the workbook) until the
essentials are done: a council party to a joint contract counts it as its own."""

import pytest
from django.urls import reverse

from onboarding.home import onboarding_panel
from tests.factories import CouncilFactory, make_user
from trustgov.accounts.models import User
from trustgov.accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_a_council_party_only_to_a_joint_contract_is_not_told_to_set_up(client):
    # North Northamptonshire co-owns the Northamptonshire trust; its joint contract is recorded under West.
    officer = User.objects.get(username="north-northamptonshire-officer")
    assert officer.is_administrator
    assert onboarding_panel(officer) is None
    client.force_login(officer)
    assert 'data-testid="set-up-tasks"' not in client.get(reverse("home")).content.decode()


def test_a_council_with_no_contract_is_offered_the_workbook(client):
    council = CouncilFactory(slug="northshire", name="Northshire Council")
    admin = make_user(Role.COUNCIL_OFFICER, council=council, username="northshire-admin", is_administrator=True)
    assert onboarding_panel(admin) is not None
    client.force_login(admin)
    page = client.get(reverse("home")).content.decode()
    assert "Set up Northshire Council" in page and "set up from a workbook" in page


def test_the_set_up_task_list_leads_a_new_council_from_its_details_to_inviting_the_trust(client):
    from datetime import date

    from tests.factories import DeliveryBodyFactory
    from tests.performance.factories import KpiFactory, TargetFactory
    from trustgov.organisations.models import Direction

    council = CouncilFactory(slug="northshire", name="Northshire Council", la_code="", gss_code="")
    admin = make_user(Role.COUNCIL_OFFICER, council=council, username="northshire-admin", is_administrator=True)
    client.force_login(admin)

    def statuses() -> dict[str, str]:
        return {t.name: t.status for t in onboarding_panel(admin).context["tasks"]}

    assert statuses() == {
        "Check the council's details": "Not yet started",
        "Record the statutory direction": "Not yet started",
        "Add the delivery body": "Not yet started",
        "Record the memorandum of understanding": "Cannot start yet",
        "Add the service contract": "Cannot start yet",
        "Build the KPI catalogue": "Cannot start yet",
        "Set this year's targets": "Cannot start yet",
        "Invite the trust's executives": "Cannot start yet",
    }
    page = client.get(reverse("home")).content.decode()
    assert "You have completed 0 of 8 tasks" in page
    assert reverse("organisations:council-edit", args=["northshire"]) in page
    assert reverse("contracts:contract-create") not in page  # it cannot start before the delivery body

    council.la_code, council.gss_code = "999", "E06000999"
    council.save()
    Direction.objects.create(council=council, title="Direction", issued_on=date(2016, 10, 1), legal_basis="s497A")
    body = DeliveryBodyFactory(slug="northshire-trust", name="Northshire Children's Trust", council=council)
    kpi = KpiFactory(delivery_body=body)
    TargetFactory(kpi=kpi)
    status = statuses()
    assert [name for name, s in status.items() if s == "Completed"] == [
        "Check the council's details",
        "Record the statutory direction",
        "Add the delivery body",
        "Build the KPI catalogue",
        "Set this year's targets",
    ]
    assert status["Add the service contract"] == "Not yet started"
    page = client.get(reverse("home")).content.decode()
    assert "You have completed 5 of 8 tasks" in page and reverse("contracts:contract-create") in page


def test_no_demo_administrator_is_shown_the_set_up_tasks(client):
    for admin in User.objects.filter(is_administrator=True, council__isnull=False, is_active=True):
        assert onboarding_panel(admin) is None, admin.username
