"""Pages: tenancy 404s, forms with clear errors, the ratification table and its CSV."""

import csv
import html
import io
import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from boards.models import Appointment, Body, Membership, Person, Seat
from boards.selectors import body_composition, ratification_rows
from trustgov.core.dates import add_months
from trustgov.core.exports import neutralise as csv_safe

from .factories import BodyFactory, MembershipFactory, PersonFactory, SeatFactory, trust_board
from .sandwell_appendix3 import APPENDIX_3, HEADERS, RATIFIED_ON, rows_from_the_paper, sandwell_paper

pytestmark = pytest.mark.django_db


def sandwell_board() -> Body:
    return Body.objects.get(name="Sandwell Children's Trust Board")


def test_sandwell_ratification_table_matches_appendix_3_row_for_row():
    rows = ratification_rows(sandwell_board(), date(2018, 9, 19))
    assert [(r.name, r.board_role, r.professional_capacity) for r in rows] == APPENDIX_3


def test_appendix_3_from_the_seed_paper_itself():
    paper = sandwell_paper()
    if paper is None:
        pytest.skip("the seed papers (/work/shared/seeds) are not mounted here")
    assert rows_from_the_paper(paper) == APPENDIX_3


def table_rows(page: str) -> list[tuple[str, ...]]:
    """The body rows of the ratification table, cell text unescaped."""
    table = page[page.index('data-testid="ratification-table"') :]
    body = table[table.index("<tbody") : table.index("</tbody>")]
    return [
        tuple(html.unescape(cell) for cell in re.findall(r'<td class="govuk-table__cell">(.*?)</td>', row))
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
    ]


def test_ratification_page_and_csv_match_appendix_3_row_for_row(client, demo_user):
    client.force_login(demo_user("sandwell-scrutiny"))
    url = reverse("boards:ratification", kwargs={"pk": sandwell_board().pk})
    page = client.get(f"{url}?on={RATIFIED_ON}").content.decode()
    headers = re.findall(r'<th scope="col" class="govuk-table__header">(.*?)</th>', page)
    assert [html.unescape(h) for h in headers] == list(HEADERS)
    assert table_rows(page) == APPENDIX_3
    response = client.get(reverse("boards:ratification-csv", kwargs={"pk": sandwell_board().pk}) + f"?on={RATIFIED_ON}")
    assert response["Content-Type"].startswith("text/csv")
    assert f"board-members-{sandwell_board().pk}-{RATIFIED_ON}.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == list(HEADERS)
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
    assert [csv_safe(v) for v in ("+1", "-1", "\t=1", "\r=1", "a=b", "")] == ["'+1", "'-1", "'\t=1", "'\r=1", "a=b", ""]


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
    assert response.status_code == 400
    assert (
        "Jacqui Smith is already in Sandwell Metropolitan Borough Council&#x27;s register" in response.content.decode()
    )
    assert "govuk-error-summary" in response.content.decode()
    assert list(response.context["form"].errors) == ["name"]
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
    assert response.status_code == 400
    assert "The term must end on or after it starts (1 June 2025)." in response.content.decode()
    assert response.context["form"].errors == {"end_date": ["The term must end on or after it starts (1 June 2025)."]}
    assert not Membership.objects.filter(person=person).exists()


def test_out_of_order_step_posted_shows_error_and_wrong_role_is_403(client, demo_user):
    hagger = Appointment.objects.get(person__name="Lesley Hagger")
    url = reverse("boards:appointment-step", kwargs={"pk": hagger.pk, "target": "ratified"})
    client.force_login(demo_user("sandwell-officer"))
    response = client.post(url, {"decided_on_0": "1", "decided_on_1": "10", "decided_on_2": "2018"})
    assert response.status_code == 400
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


# --- Each composition rule shows its live warning on the board page --------------------------


def _member(body, role, *, name=None, elected=False, end=None, title=None):
    seat = SeatFactory(body=body, role=role, **({"title": title} if title else {}))
    person = PersonFactory(council=body.council, is_elected_member=elected, **({"name": name} if name else {}))
    return MembershipFactory(seat=seat, person=person, start_date=date(2024, 1, 1), end_date=end)


def _chaired(tenant, **rules):
    body = BodyFactory(council=tenant.council, **rules)
    _member(body, Seat.Role.CHAIR, title="Chair")
    return body


def _too_few(tenant):
    return _chaired(tenant, min_members=3), "Too few members: 1 in office, the rules need at least 3."


def _too_many(tenant):
    body = _chaired(tenant, max_members=1)
    _member(body, Seat.Role.INDEPENDENT_NED)
    return body, "Too many members: 2 in office, the rules allow at most 1."


def _no_chair(tenant):
    body = BodyFactory(council=tenant.council)
    _member(body, Seat.Role.INDEPENDENT_NED)
    return body, "No chair is in office."


def _no_chief_executive(tenant):
    return _chaired(tenant, requires_chief_executive=True), "The Trust Chief Executive does not sit on the body."


def _elected_member(tenant):
    body = _chaired(tenant, elected_members_allowed=False)
    _member(body, Seat.Role.COUNCIL_NED, name="Pat Councillor", elected=True)
    return body, "Pat Councillor is an elected member, and elected members may not sit on this body."


def _council_neds(tenant):
    body = _chaired(tenant, required_council_neds=2)
    _member(body, Seat.Role.COUNCIL_NED)
    return body, "The rules need 2 council-appointed non-executive directors; 1 in office."


def _independent_neds(tenant):
    body = _chaired(tenant, required_independent_neds=1)
    _member(body, Seat.Role.COUNCIL_NED)
    return body, "The rules need 1 independent non-executive director; 0 in office."


def _executives(tenant):
    body = _chaired(tenant, required_executives=2)
    _member(body, Seat.Role.CHIEF_EXECUTIVE)
    return body, "The rules need 2 executive directors; 1 in office."


def _vacancy(tenant):
    body = _chaired(tenant)
    SeatFactory(body=body, role=Seat.Role.EXECUTIVE_DIRECTOR, title="Director of Resources")
    return body, "Vacancy: Director of Resources."


def _term_ending(tenant):
    body = BodyFactory(council=tenant.council)
    end = add_months(timezone.localdate(), 2)
    _member(body, Seat.Role.CHAIR, name="Sam Outgoing", title="Chair", end=end)
    return body, f"Sam Outgoing's term as Chair ends on {end:%-d %B %Y}."


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (_too_few, "too_few"),
        (_too_many, "too_many"),
        (_no_chair, "no_chair"),
        (_no_chief_executive, "no_chief_executive"),
        (_elected_member, "elected_member"),
        (_council_neds, "mix_council"),
        (_independent_neds, "mix_independent"),
        (_executives, "mix_executive"),
        (_vacancy, "vacancy"),
        (_term_ending, "term_ending"),
    ],
)
def test_each_composition_rule_shows_its_live_warning_on_the_board_page(client, tenant_a, build, code):
    body, message = build(tenant_a)
    assert [w.code for w in body_composition(body, timezone.localdate())] == [code]
    client.force_login(tenant_a.scrutiny)
    page = client.get(body.get_absolute_url())
    assert page.status_code == 200
    text = html.unescape(page.content.decode())
    warnings = text[text.index('data-testid="composition-warnings"') : text.index('data-testid="members"')]
    assert f"Warning</span> {message}</strong>" in warnings
    assert warnings.count("govuk-warning-text__text") == 1
    assert "Meets the rules" not in text
    listing = html.unescape(client.get(reverse("boards:body-list")).content.decode())
    assert f"{body.name}</a></td>" in listing
    row = listing[listing.index(f"{body.name}</a>") :]
    assert row[: row.index("</tr>")].count("1 warning") == 1


def test_a_body_meeting_its_rules_shows_no_warning_and_a_later_term_end_does_not_warn(client, tenant_a):
    body = _chaired(tenant_a, min_members=2, max_members=3, requires_chief_executive=True, required_executives=1)
    chief = _member(body, Seat.Role.CHIEF_EXECUTIVE, end=add_months(timezone.localdate(), 4))
    client.force_login(tenant_a.officer)
    page = client.get(body.get_absolute_url()).content.decode()
    assert "Meets the rules" in page and "govuk-warning-text" not in page
    # Looking ahead with ?on=, the same page warns about the term then ending within 3 months.
    on = add_months(timezone.localdate(), 2)
    later = html.unescape(client.get(f"{body.get_absolute_url()}?on={on.isoformat()}").content.decode())
    assert f"{chief.person.display_name}'s term as {chief.seat.title} ends on {chief.end_date:%-d %B %Y}." in later


@pytest.mark.parametrize("bad", ["2026-02-30", "yesterday", "19/09/2018"])
def test_a_date_that_is_not_real_shows_today_and_says_so(client, demo_user, bad):
    client.force_login(demo_user("sandwell-officer"))
    url = reverse("boards:ratification", kwargs={"pk": sandwell_board().pk})
    response = client.get(f"{url}?on={bad}")
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert f"‘{bad}’ is not a date like" in page
    assert "showing the board as it is today" in page
