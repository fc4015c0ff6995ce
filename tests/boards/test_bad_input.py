"""Bad input on the pages and the API: a clear message naming the field, nothing saved, a 4xx.

Covers a term ending before it starts, overlapping tenures in one seat, an appointment proposed
by the wrong body, and the register of interests. Approval out of order is in
test_workflow_roles.py (every step, web and API); a duplicate person in test_views.py and test_api.py.
"""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from boards.models import Appointment, Body, InterestDeclaration, Membership, Seat

from .factories import BodyFactory, MembershipFactory, PersonFactory, SeatFactory, trust_board

pytestmark = pytest.mark.django_db


def date_fields(name: str, day: date) -> dict:
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def api(user) -> APIClient:
    client = APIClient()
    client.default_format = "json"
    client.force_authenticate(user)
    return client


def test_proposal_whose_term_ends_before_it_starts(client, tenant_a):
    body = trust_board(tenant_a)
    person = PersonFactory(council=tenant_a.council)
    chair = body.seats.get(role=Seat.Role.CHAIR)
    client.force_login(tenant_a.officer)
    response = client.post(
        reverse("boards:appointment-create", kwargs={"pk": body.pk}),
        {
            "seat": chair.pk,
            "person": person.pk,
            **date_fields("term_start", date(2025, 7, 1)),
            **date_fields("term_end", date(2025, 6, 30)),
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"term_end": ["The term must end on or after it starts (1 July 2025)."]}
    assert 'href="#id_term_end' in response.content.decode()  # the error summary links to the field
    refused = api(tenant_a.officer).post(
        "/api/v1/appointments/",
        {"body": body.pk, "seat": chair.pk, "person": person.pk, "term_start": "2025-07-01", "term_end": "2025-06-30"},
    )
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"term_end": ["The term must end on or after it starts (1 July 2025)."]}
    assert not Appointment.objects.filter(seat=chair).exists()


def test_renewal_ending_before_the_new_term_starts(client, tenant_a):
    # An improvement board: its terms are recorded directly (a trust board's are reserved matters).
    body = trust_board(tenant_a, kind=Body.Kind.IMPROVEMENT_BOARD)
    term = MembershipFactory(seat=body.seats.get(role=Seat.Role.CHAIR), end_date=date(2025, 7, 31))
    client.force_login(tenant_a.officer)
    response = client.post(
        reverse("boards:membership-renew", kwargs={"pk": term.pk}), date_fields("end_date", date(2025, 7, 1))
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"end_date": ["The new term must end after it starts (1 August 2025)."]}
    assert Membership.objects.filter(seat=term.seat).count() == 1


def test_overlapping_tenures_in_one_seat(client, tenant_a):
    body = trust_board(tenant_a)
    chair = body.seats.get(role=Seat.Role.CHAIR)
    holder = MembershipFactory(
        seat=chair, person__name="Holly Holder", start_date=date(2023, 1, 1), end_date=date(2026, 12, 31)
    )
    newcomer = PersonFactory(council=tenant_a.council)
    message = (
        "Holly Holder holds the seat 'Chair' from 1 January 2023 to 31 December 2026; terms in one seat cannot overlap."
    )
    client.force_login(tenant_a.officer)
    response = client.post(
        reverse("boards:membership-create", kwargs={"pk": body.pk}),
        {"person": newcomer.pk, "seat": chair.pk, **date_fields("start_date", date(2025, 1, 1))},
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"start_date": [message]}
    refused = api(tenant_a.officer).post(
        "/api/v1/appointments/",
        {"body": body.pk, "seat": chair.pk, "person": newcomer.pk, "term_start": "2026-06-01"},
    )
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"term_start": [message]}
    assert list(Membership.objects.filter(seat=chair)) == [holder]
    assert not Appointment.objects.filter(seat=chair).exists()


def test_appointment_proposed_by_the_wrong_body(client, tenant_a):
    """A trust executive proposes to their own trust's board only; council bodies are the council's."""
    own_board = trust_board(tenant_a)
    committee = BodyFactory(council=tenant_a.council, kind="scrutiny_committee", name="Children's Scrutiny")
    seat = SeatFactory(body=committee, role=Seat.Role.CHAIR, title="Chair")
    person = PersonFactory(council=tenant_a.council)
    client.force_login(tenant_a.trust_exec)
    assert "Propose an appointment" in client.get(own_board.get_absolute_url()).content.decode()
    assert "Propose an appointment" not in client.get(committee.get_absolute_url()).content.decode()
    url = reverse("boards:appointment-create", kwargs={"pk": committee.pk})
    assert client.get(url).status_code == 403
    posted = client.post(url, {"seat": seat.pk, "person": person.pk, **date_fields("term_start", date(2025, 7, 1))})
    assert posted.status_code == 403
    refused = api(tenant_a.trust_exec).post(
        "/api/v1/appointments/",
        {"body": committee.pk, "seat": seat.pk, "person": person.pk, "term_start": "2025-07-01"},
    )
    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "body": ["Children's Scrutiny is not your trust's board: only the council proposes appointments to it."]
    }
    assert not Appointment.objects.filter(body=committee).exists()
    # The council officer proposes to the committee.
    client.force_login(tenant_a.officer)
    ok = client.post(url, {"seat": seat.pk, "person": person.pk, **date_fields("term_start", date(2025, 7, 1))})
    assert ok.status_code == 302
    assert Appointment.objects.get(body=committee).proposed_by == tenant_a.officer


def test_register_of_interests_pages_flag_overdue_review_and_refuse_bad_input(client, tenant_a):
    body = trust_board(tenant_a)
    person = PersonFactory(council=tenant_a.council, name="Ivy Interested")
    client.force_login(tenant_a.trust_exec)
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Annual review overdue: no declaration recorded." in page
    create = reverse("boards:interest-create", kwargs={"pk": person.pk})
    missing = client.post(
        create, {"body": body.pk, "kind": "directorship", "detail": "", **date_fields("declared_on", date(2024, 3, 1))}
    )
    assert missing.status_code == 400
    assert missing.context["form"].errors == {"detail": ["Describe the interest."]}
    assert not InterestDeclaration.objects.filter(person=person).exists()
    ok = client.post(
        create,
        {
            "body": body.pk,
            "kind": "directorship",
            "detail": "Director, X Ltd",
            **date_fields("declared_on", date(2024, 3, 1)),
        },
    )
    assert ok.status_code == 302
    page = client.get(person.get_absolute_url()).content.decode()
    assert 'data-testid="review-overdue"' in page
    assert "Annual review overdue: last declared or reviewed on 1 March 2024." in page

    declaration = InterestDeclaration.objects.get(person=person)
    review = reverse("boards:interest-review", kwargs={"pk": declaration.pk})
    assert client.get(review).status_code == 403  # the council reviews the register
    client.force_login(tenant_a.officer)
    early = client.post(review, date_fields("reviewed_on", date(2024, 2, 1)))
    assert early.status_code == 400
    assert early.context["form"].errors == {
        "reviewed_on": ["The review cannot be before the declaration (1 March 2024)."]
    }
    declaration.refresh_from_db()
    assert declaration.reviewed_on is None
    today = timezone.localdate()
    assert client.post(review, date_fields("reviewed_on", today)).status_code == 302
    page = client.get(person.get_absolute_url()).content.decode()
    assert 'data-testid="review-overdue"' not in page
    assert f"Up to date</strong> Last declared or reviewed on {today:%-d %B %Y}." in page
