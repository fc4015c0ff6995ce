"""The demo shows a notification of each workflow kind, to the people the workflow tells; reseeding adds none."""

import os
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from meetings.models import Notification

pytestmark = pytest.mark.django_db

WORKFLOW_KINDS = {
    "reserved_matter_submitted": {"sandwell-officer", "sandwell-dcs"},
    "reserved_matter_awaiting_dfe": {"dfe-liaison"},
    "reserved_matter_decided": {"sandwell-trust-exec"},
    "variation_awaiting_dfe": {"dfe-liaison"},
    "variation_decided": {"sandwell-trust-exec"},
    "appointment_awaiting_council": {"sandwell-dcs"},
    "appointment_awaiting_dfe": {"dfe-liaison"},
    "appointment_decided": {"sandwell-trust-exec"},
}


def told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_each_workflow_kind_has_a_demo_notification_for_the_right_people():
    for kind, people in WORKFLOW_KINDS.items():
        assert told(kind) == people, kind
    for notification in Notification.objects.filter(kind__in=WORKFLOW_KINDS):
        assert notification.url.startswith("/") and notification.emailed_at is None  # seeding emails nobody
    assert not Notification.objects.filter(kind__in=WORKFLOW_KINDS, recipient__username__startswith="torbay").exists()


def test_seeding_again_on_another_day_adds_no_notification():
    before = sorted(Notification.objects.values_list("kind", "recipient_id", "title", "due_date"))
    later = timezone.now() + timedelta(days=45)
    with time_machine.travel(later, tick=False):
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    after = sorted(
        Notification.objects.filter(kind__in=WORKFLOW_KINDS).values_list("kind", "recipient_id", "title", "due_date")
    )
    assert after == [n for n in before if n[0] in WORKFLOW_KINDS]
