"""Pages: tenancy 404s, forms with clear errors, the ratification table and its CSV."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse

from boards.models import Appointment, Body, Membership, Person
from boards.selectors import ratification_rows
from boards.views import csv_safe

from .factories import MembershipFactory, PersonFactory, trust_board

pytestmark = pytest.mark.django_db

APPENDIX_3 = [
    ("Rt Hon Jacqui Smith", "Chair", "Former Cabinet Minister"),
    ("Cllr Paul Sanders", "Council appointed Non-Executive Director", "Elected member"),
    ("Stuart Lackenby", "Council appointed Non-Executive Director", "Director of Prevention & Protection, SMBC"),
    ("Stephen Rimmer", "Non-Executive Director", "Director of Impact and Learning, Barnardos"),
    ("Linda Sanders", "Non-Executive Director", "Former Director of Children's Services"),
    ("Vineeta Manchanda", "Non-Executive Director", "Senior Finance Manager"),
    ("Frances Craven", "Executive Director", "Chief Executive, SCT"),
    ("Dan Mortiboys", "Executive Director", "Director of Resources, SCT"),
    ("Steven Gauntley", "Executive Director", "Director of Quality & Performance, SCT"),
]


def sandwell_board() -> Body:
    return Body.objects.get(name="Sandwell Children's Trust Board")


def test_sandwell_ratification_table_matches_appendix_3_row_for_row():
    rows = ratification_rows(sandwell_board(), date(2018, 9, 19))
    assert [(r.name, r.board_role, r.professional_capacity) for r in rows] == APPENDIX_3


def test_appendix_3_from_the_seed_paper_itself():
    from pathlib import Path

    paper = next(Path("/work/shared/seeds").glob("002_*.txt"), None)
    if paper is None:
        pytest.skip("seed papers not available")
    lines = paper.read_text().splitlines()
    start = lines.index("Name\tBoard Role\tProfessional Capacity") + 1
    expected = [tuple(line.split("\t")) for line in lines[start : start + 9]]
    assert expected == APPENDIX_3


def test_ratification_page_and_csv(client, demo_user):
    client.force_login(demo_user("sandwell-scrutiny"))
    url = reverse("boards:ratification", kwargs={"pk": sandwell_board().pk})
    page = client.get(url + "?on=2018-09-19").content.decode()
    assert "Rt Hon Jacqui Smith" in page and "Director of Quality &amp; Performance, SCT" in page
    response = client.get(reverse("boards:ratification-csv", kwargs={"pk": sandwell_board().pk}) + "?on=2018-09-19")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Name", "Board Role", "Professional Capacity"]
    assert [tuple(r) for r in rows[1:]] == APPENDIX_3
    before = client.get(url + "?on=2018-02-01").content.decode()
    assert "No members in office on that date." in before


def test_csv_neutralises_formulas(tenant_a, client):
    body = trust_board(tenant_a)
    person = PersonFactory(council=tenant_a.council, name="=HYPERLINK(1)", professional_capacity="@SUM(A1)")
    MembershipFactory(seat=body.seats.get(role="chair"), person=person, start_date=date(2024, 1, 1))
    client.force_login(tenant_a.officer)
    response = client.get(reverse("boards:ratification-csv", kwargs={"pk": body.pk}))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1] == ["'=HYPERLINK(1)", "Chair", "'@SUM(A1)"]
    assert [csv_safe(v) for v in ("+1", "-1", "a=b", "")] == ["'+1", "'-1", "a=b", ""]


def test_other_tenants_records_are_404(tenant_a, tenant_b, client):
    body = trust_board(tenant_b)
    membership = MembershipFactory(seat=body.seats.get(role="chair"))
    client.force_login(tenant_a.officer)
    for name, pk in [
        ("boards:body-detail", body.pk),
        ("boards:ratification", body.pk),
        ("boards:ratification-csv", body.pk),
        ("boards:appointment-create", body.pk),
        ("boards:membership-create", body.pk),
        ("boards:seat-create", body.pk),
        ("boards:person-detail", membership.person.pk),
        ("boards:interest-create", membership.person.pk),
        ("boards:membership-renew", membership.pk),
    ]:
        assert client.get(reverse(name, kwargs={"pk": pk})).status_code == 404, name
    client.force_login(tenant_a.trust_exec)
    assert client.get(reverse("boards:body-detail", kwargs={"pk": body.pk})).status_code == 404
    hagger = Appointment.objects.get(person__name="Lesley Hagger")
    assert client.get(reverse("boards:appointment-detail", kwargs={"pk": hagger.pk})).status_code == 404


def test_board_page_shows_live_warnings(client, demo_user):
    client.force_login(demo_user("west-sussex-officer"))
    body = Body.objects.get(name="West Sussex Children's Trust Board")
    page = client.get(body.get_absolute_url()).content.decode()
    assert "govuk-warning-text" in page
    assert "Too few members: 0 in office, the rules need at least 7." in page
    assert "No chair is in office." in page
    assert "Vacancy: Chair." in page


def test_duplicate_person_form_shows_the_error_and_saves_nothing(client, demo_user):
    client.force_login(demo_user("sandwell-trust-exec"))
    before = Person.objects.count()
    response = client.post(
        reverse("boards:person-create"), {"name": "jacqui smith", "professional_capacity": "Former Cabinet Minister"}
    )
    assert response.status_code == 200
    assert (
        "Jacqui Smith is already in Sandwell Metropolitan Borough Council&#x27;s register" in response.content.decode()
    )
    assert "govuk-error-summary" in response.content.decode()
    assert Person.objects.count() == before


def test_term_ending_before_start_form_error(client, tenant_a):
    body = trust_board(tenant_a)
    person = PersonFactory(council=tenant_a.council)
    client.force_login(tenant_a.officer)
    response = client.post(
        reverse("boards:membership-create", kwargs={"pk": body.pk}),
        {
            "person": person.pk,
            "seat": body.seats.get(role="chair").pk,
            "start_date_0": "1",
            "start_date_1": "6",
            "start_date_2": "2025",
            "end_date_0": "1",
            "end_date_1": "5",
            "end_date_2": "2025",
        },
    )
    assert response.status_code == 200
    assert "The term must end on or after it starts (1 June 2025)." in response.content.decode()
    assert not Membership.objects.filter(person=person).exists()


def test_out_of_order_step_posted_shows_error_and_wrong_role_is_403(client, demo_user):
    hagger = Appointment.objects.get(person__name="Lesley Hagger")
    url = reverse("boards:appointment-step", kwargs={"pk": hagger.pk, "target": "ratified"})
    client.force_login(demo_user("sandwell-officer"))
    response = client.post(url, {"decided_on_0": "1", "decided_on_1": "10", "decided_on_2": "2018"})
    assert response.status_code == 200
    assert "cannot move from &#x27;Proposed&#x27; to &#x27;Ratified by Cabinet&#x27;" in response.content.decode()
    client.force_login(demo_user("sandwell-trust-exec"))
    approve = reverse("boards:appointment-step", kwargs={"pk": hagger.pk, "target": "council_approved"})
    assert client.post(approve, {"decided_on_0": "1", "decided_on_1": "10", "decided_on_2": "2018"}).status_code == 403
    hagger.refresh_from_db()
    assert hagger.status == Appointment.Status.PROPOSED


def test_attention_lists_appointments_awaiting_the_officer(client, demo_user):
    client.force_login(demo_user("sandwell-officer"))
    page = client.get("/").content.decode()
    assert "Appointment: Lesley Hagger as Director of Children&#x27;s Services" in page
    client.force_login(demo_user("sandwell-scrutiny"))
    assert "Lesley Hagger" not in client.get("/").content.decode()


def test_officers_see_terms_ending_within_three_months(client, tenant_a):
    import time_machine

    body = trust_board(tenant_a)
    MembershipFactory(seat=body.seats.get(role="chair"), person__name="Soon Ending", end_date=date(2025, 8, 1))
    client.force_login(tenant_a.officer)
    with time_machine.travel(date(2025, 6, 1), tick=False):
        home = client.get("/").content.decode()
        page = client.get(reverse("boards:terms-ending")).content.decode()
    assert "Term ending: Soon Ending (Chair)" in home
    assert "Soon Ending" in page and "1 August 2025" in page


def test_interest_review_overdue_flag_on_person_page(client, demo_user):
    client.force_login(demo_user("sandwell-officer"))
    moffat = Person.objects.get(name="Paul Moffat")
    page = client.get(moffat.get_absolute_url()).content.decode()
    assert "Annual review overdue: last declared or reviewed on 17 April 2018" in page


def test_officer_ends_a_recorded_term_with_a_reason(client, tenant_a):
    body = trust_board(tenant_a)
    m = MembershipFactory(seat=body.seats.get(role="chair"), start_date=date(2024, 1, 1))
    client.force_login(tenant_a.officer)
    url = reverse("boards:membership-end", kwargs={"pk": m.pk})
    bad = client.post(url, {"end_date_0": "1", "end_date_1": "1", "end_date_2": "2023", "reason": "resignation"})
    assert "The term cannot end before it started (1 January 2024)." in bad.content.decode()
    ok = client.post(url, {"end_date_0": "31", "end_date_1": "3", "end_date_2": "2025", "reason": "resignation"})
    assert ok.status_code == 302
    m.refresh_from_db()
    assert (m.end_date, m.ended_reason) == (date(2025, 3, 31), "resignation")
    client.force_login(tenant_a.trust_exec)
    assert client.get(url).status_code == 403
