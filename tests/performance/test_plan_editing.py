"""The council sets the improvement plan: priorities, actions and the trajectory, through services and pages,
each change in history; the trust keeps updating progress; another council's plan is a 404."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from performance import services
from performance.models import ImprovementAction, ImprovementPriority, TrajectoryMilestone
from trustgov.organisations.models import DeliveryBody

pytestmark = pytest.mark.django_db


@pytest.fixture
def sandwell():
    return DeliveryBody.objects.get(slug="sandwell-trust")


def test_an_officer_adds_and_changes_a_priority_and_an_action(demo_user, sandwell):
    officer = demo_user("sandwell-officer")
    priority = services.priority_save(user=officer, delivery_body=sandwell, number=42, title="Workforce stability")
    action = services.improvement_action_save(
        user=officer, priority=priority, title="Recruit 20 social workers", owner="Director", due_date=date(2027, 3, 31)
    )
    assert action.status == ImprovementAction.Status.NOT_STARTED
    services.improvement_action_save(
        user=officer, priority=priority, action=action, title="Recruit 25", owner="Director", due_date=date(2027, 6, 30)
    )
    assert ImprovementAction.objects.get(pk=action.pk).title == "Recruit 25"
    assert action.history.count() == 2 and priority.history.count() == 1


def test_a_priority_number_in_use_is_refused_naming_the_field(demo_user, sandwell):
    existing = ImprovementPriority.objects.filter(delivery_body=sandwell).first()
    with pytest.raises(ValidationError) as exc:
        services.priority_save(
            user=demo_user("sandwell-officer"), delivery_body=sandwell, number=existing.number, title="Clash"
        )
    assert "number" in exc.value.message_dict


def test_the_trust_does_not_set_the_plan(demo_user, sandwell):
    with pytest.raises(PermissionDenied):
        services.priority_save(user=demo_user("sandwell-trust-exec"), delivery_body=sandwell, number=43, title="x")


def test_trajectory_points(demo_user, sandwell):
    officer = demo_user("sandwell-officer")
    point = services.milestone_save(
        user=officer, delivery_body=sandwell, judgement="outstanding", by_date=date(2028, 3, 31)
    )
    with pytest.raises(ValidationError) as exc:
        services.milestone_save(user=officer, delivery_body=sandwell, judgement="good", by_date=date(2028, 3, 31))
    assert "by_date" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.milestone_save(user=officer, delivery_body=sandwell, judgement="", by_date=date(2029, 3, 31))
    assert "judgement" in exc.value.message_dict
    assert TrajectoryMilestone.objects.get(pk=point.pk).history.count() == 1


def _date(prefix, d):
    return {f"{prefix}_0": str(d.day), f"{prefix}_1": str(d.month), f"{prefix}_2": str(d.year)}


def test_pages_add_a_priority_an_action_and_a_trajectory_point(client, demo_user, sandwell):
    client.force_login(demo_user("sandwell-officer"))
    response = client.post(
        "/performance/improvement-plan/priorities/new/?body=sandwell-trust",
        {"number": "44", "title": "Early help", "description": ""},
    )
    assert response.status_code == 302
    priority = ImprovementPriority.objects.get(delivery_body=sandwell, number=44)
    response = client.post(
        f"/performance/improvement-plan/priorities/{priority.pk}/actions/new/",
        {"priority": str(priority.pk), "title": "Open two hubs", "owner": "Head of Early Help"}
        | _date("due_date", date(2027, 9, 30)),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert priority.actions.get().title == "Open two hubs"
    plan = client.get("/performance/improvement-plan/?body=sandwell-trust").content.decode()
    assert "Open two hubs" in plan and "Add a priority" in plan
    response = client.post(
        "/performance/ofsted/trajectory/new/?body=sandwell-trust",
        {"judgement": "outstanding"} | _date("by_date", date(2029, 3, 31)),
    )
    assert response.status_code == 302
    assert TrajectoryMilestone.objects.filter(delivery_body=sandwell, judgement="outstanding").exists()


def test_a_page_error_names_the_field_and_saves_nothing(client, demo_user, sandwell):
    client.force_login(demo_user("sandwell-officer"))
    before = ImprovementPriority.objects.count()
    response = client.post("/performance/improvement-plan/priorities/new/?body=sandwell-trust", {"number": "x"})
    assert response.status_code == 400
    assert "The number must be a whole number" in response.content.decode()
    assert ImprovementPriority.objects.count() == before


def test_the_trust_sees_no_plan_editing_links_and_another_council_gets_404(client, demo_user, sandwell):
    client.force_login(demo_user("sandwell-trust-exec"))
    assert "Add a priority" not in client.get("/performance/improvement-plan/").content.decode()
    priority = ImprovementPriority.objects.filter(delivery_body=sandwell).first()
    client.force_login(demo_user("bradford-officer"))
    assert client.get(f"/performance/improvement-plan/priorities/{priority.pk}/edit/").status_code == 404
    assert (
        client.post(
            f"/performance/improvement-plan/priorities/{priority.pk}/edit/", {"number": "1", "title": "x"}
        ).status_code
        == 404
    )
