"""A Chair appointment from proposal to the board page, in a real browser, with axe on each page."""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from boards.models import Appointment, Body
from tests.browser.harness import assert_accessible, login

pytestmark = [pytest.mark.browser]


def fill_date(page: Page, field: str, day: date) -> None:
    page.fill(f"#id_{field}_0", str(day.day))
    page.fill(f"#id_{field}_1", str(day.month))
    page.fill(f"#id_{field}_2", str(day.year))


def switch_user(page: Page, username: str) -> None:
    page.context.clear_cookies()
    login(page, username)


def take_step(page: Page, appointment_url: str, button: str, reference: str = "") -> None:
    page.goto(appointment_url)
    assert_accessible(page)
    page.get_by_role("link", name=button).click()
    expect(page.locator("h1")).to_have_text(button)
    assert_accessible(page)
    fill_date(page, "decided_on", date.today())
    if reference:
        page.fill("#id_decision_reference", reference)
    page.get_by_role("button", name=button).click()
    page.wait_for_url(re.compile(r"/boards/appointments/\d+/$"))


def test_chair_appointment_from_proposal_to_the_board(seeded, page: Page):
    board = Body.objects.get(name="West Sussex Children's Trust Board")

    # The trust executive adds the candidate to the register and proposes them as Chair.
    login(page, "west-sussex-trust-exec")
    page.goto("/boards/people/new/")
    assert_accessible(page)
    page.fill("#id_name", "Eleanor Brightwater")
    page.fill("#id_professional_capacity", "Former Director of Children's Services")
    page.get_by_role("button", name="Add person").click()
    expect(page.locator("h1")).to_have_text("Eleanor Brightwater")
    assert_accessible(page)

    page.goto(board.get_absolute_url())
    expect(page.get_by_text("No chair is in office.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Propose an appointment").click()
    assert_accessible(page)
    page.select_option("#id_seat", label=f"Chair ({board.name})")
    page.select_option("#id_person", label="Eleanor Brightwater")
    fill_date(page, "term_start", date.today())
    page.get_by_role("button", name="Propose appointment").click()
    page.wait_for_url(re.compile(r"/boards/appointments/\d+/$"))
    expect(page.get_by_test_id("appointment-status")).to_have_text("Proposed")
    assert_accessible(page)
    appointment_url = page.url

    # The council officer approves; the DfE liaison records the DfE's approval; Cabinet ratifies.
    switch_user(page, "west-sussex-officer")
    take_step(page, appointment_url, "Record council approval", "Officer delegated decision OD/2026/14")
    expect(page.get_by_test_id("appointment-status")).to_have_text("Approved by the council")
    switch_user(page, "dfe-liaison")
    take_step(page, appointment_url, "Record DfE approval", "DfE letter to the Chief Executive")
    expect(page.get_by_test_id("appointment-status")).to_have_text("Approved by the DfE")
    # The appointment is the reserved matter: its request shows the council's decision and the DfE's consent.
    request_panel = page.get_by_test_id("reserved-request")
    expect(request_panel).to_contain_text("Appointment of the Chair")
    expect(request_panel).to_contain_text("Officer delegated decision OD/2026/14")
    expect(request_panel).to_contain_text("Approved")
    page.get_by_role("link", name="Appointment of Eleanor Brightwater as Chair").click()
    expect(page.get_by_test_id("request-status")).to_have_text("Approved")
    expect(page.get_by_test_id("decided-through")).to_be_visible()
    expect(page.get_by_role("link", name="Record the council's decision")).to_have_count(0)
    assert_accessible(page)
    switch_user(page, "west-sussex-officer")
    take_step(page, appointment_url, "Record Cabinet ratification", "Cabinet minute 2026/117")
    expect(page.get_by_test_id("appointment-status")).to_have_text("Ratified by Cabinet")
    take_step(page, appointment_url, "Record taking office")
    expect(page.get_by_test_id("appointment-status")).to_have_text("In office")
    log = page.get_by_test_id("step-log").inner_text()
    assert "Cabinet minute 2026/117" in log and "DfE letter to the Chief Executive" in log
    assert_accessible(page)

    # The board page now shows the new Chair, and no longer warns that there is none.
    page.goto(board.get_absolute_url())
    members = page.get_by_test_id("members")
    expect(members).to_contain_text("Eleanor Brightwater")
    expect(members).to_contain_text("Chair")
    expect(members).to_contain_text("Cabinet minute 2026/117")  # the ratification, on the board page
    expect(page.get_by_text("No chair is in office.")).to_have_count(0)
    assert_accessible(page)
    appointment = Appointment.objects.get(person__name="Eleanor Brightwater")
    assert [s.by.username for s in appointment.steps.all()] == [
        "west-sussex-trust-exec",
        "west-sussex-officer",
        "dfe-liaison",
        "west-sussex-officer",
        "west-sussex-officer",
    ]
