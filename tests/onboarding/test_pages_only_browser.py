"""A council onboarded through pages only, in a real browser with JavaScript off, from an empty database.

``bootstrap_council`` creates the council and its first administrator (the one step that needs the server's
command line: there is nobody yet to sign in). From there everything is a page, led by the set-up task list on the
home page: the administrator sets a password, checks the council's details, records the statutory direction, adds
the trust, records the MoU, adds the contract and puts it live, builds a KPI catalogue with a target, and invites
the trust's executive, who sets a password and submits the trust's first return. axe on every page.

The dates follow the clock (the contract went live four months before today), so the walk works on any day.
"""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from contracts.models import Contract
from performance.models import Kpi, MonthlyReturn, Target
from tests.browser.harness import assert_accessible, login
from trustgov.accounts.models import User
from trustgov.core.dates import financial_year_start
from trustgov.organisations.models import Council, DeliveryBody, Direction, MemorandumOfUnderstanding

pytestmark = [pytest.mark.browser]

PASSWORD = "a-long-northshire-passphrase-2027"  # noqa: S105


def fill_date(page, field: str, day) -> None:
    page.fill(f"#id_{field}_0", str(day.day))
    page.fill(f"#id_{field}_1", str(day.month))
    page.fill(f"#id_{field}_2", str(day.year))


def set_password(page, link: str) -> None:
    page.goto(link)
    expect(page.locator("h1")).to_have_text("Set your password")
    assert_accessible(page)
    page.fill("#id_new_password1", PASSWORD)
    page.fill("#id_new_password2", PASSWORD)
    page.get_by_role("button", name="Set password and continue").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your password is set")


def task(page, name: str):
    return page.get_by_test_id("set-up-tasks").locator(".govuk-task-list__item", has_text=name)


def test_a_council_is_onboarded_through_pages_only_from_an_empty_database(transactional_db, nojs_page, live_server):
    # An empty database, as after ``migrate``: the role groups are rebuilt by the post-migrate signal flush sends.
    call_command("flush", interactive=False, verbosity=0)
    assert not Council.objects.exists() and not User.objects.exists()
    page = nojs_page
    today = timezone.localdate()
    go_live = (today.replace(day=1) - timedelta(days=100)).replace(day=1)

    out = StringIO()
    call_command(
        "bootstrap_council",
        name="Northshire Council",
        la_code="999",
        gss_code="E06000999",
        admin_email="first.admin@northshire.gov.uk",
        first_name="Fran",
        last_name="First",
        base_url=live_server.url,
        stdout=out,
    )
    link = re.search(r"http\S+/invitation/\S+/", out.getvalue()).group(0)
    set_password(page, link)
    login(page, "first.admin@northshire.gov.uk", PASSWORD)

    # The home page leads: 1 of 8 done (the codes came with bootstrap_council), the trust's tasks cannot start.
    expect(page.get_by_test_id("set-up-tasks")).to_contain_text("You have completed 1 of 8 tasks")
    expect(task(page, "Add the service contract")).to_contain_text("Cannot start yet")
    assert_accessible(page)

    task(page, "Check the council's details").get_by_role("link").click()
    assert_accessible(page)
    page.fill("#id_gss_code", "E07000999")  # a district council's code: no children's services
    page.get_by_label("Unitary authority").check()
    page.get_by_role("button", name="Save the council's details").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("E06, E08, E09 or E10")
    assert_accessible(page)
    page.fill("#id_gss_code", "E06000999")
    page.fill("#id_website", "https://www.northshire.gov.uk")
    page.get_by_role("button", name="Save the council's details").click()
    expect(page.get_by_test_id("council-details")).to_contain_text("https://www.northshire.gov.uk")
    assert_accessible(page)

    page.goto("/")
    task(page, "Record the statutory direction").get_by_role("link").click()
    assert_accessible(page)
    page.fill("#id_title", "Direction to establish a children's trust")
    fill_date(page, "issued_on", go_live - timedelta(days=400))
    page.fill("#id_legal_basis", "s497A(4B) Education Act 1996")
    page.get_by_role("button", name="Record the direction").click()
    expect(page.locator("#directions ~ .govuk-summary-card").first).to_contain_text("In force")
    assert_accessible(page)

    page.goto("/")
    task(page, "Add the delivery body").get_by_role("link").click()
    assert_accessible(page)
    page.fill("#id_name", "Northshire Children's Trust")
    page.fill("#id_slug", "northshire-trust")
    page.get_by_label("Children's trust (company limited by guarantee)").check()
    page.get_by_label("Yes").check()
    fill_date(page, "operational_from", go_live)
    fill_date(page, "shadow_from", go_live + timedelta(days=1))  # after go-live: refused
    page.get_by_role("button", name="Add the delivery body").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("shadow period must start before")
    assert_accessible(page)
    fill_date(page, "shadow_from", go_live - timedelta(days=180))
    page.get_by_role("button", name="Add the delivery body").click()
    expect(page.locator("h1")).to_have_text("Northshire Children's Trust")
    expect(page.get_by_test_id("owners")).to_contain_text("Northshire Council (lead)")
    assert_accessible(page)

    page.get_by_role("link", name="Record a memorandum").click()
    assert_accessible(page)
    page.fill("#id_principal_provisions", "Trust wholly owned by the council; DfE consent to the Chair's appointment.")
    fill_date(page, "signed_on", go_live - timedelta(days=30))
    page.get_by_role("button", name="Record the memorandum").click()
    expect(page.locator("#memoranda ~ table").first).to_contain_text("Signed")

    page.goto("/")
    task(page, "Add the service contract").get_by_role("link").click()
    assert_accessible(page)
    page.fill("#id_title", "Service contract for children's social care")
    page.fill("#id_reference", "NSH-2026-01")
    page.fill("#id_description", "Children's social care services delivered by the trust.")
    fill_date(page, "start_date", go_live)
    fill_date(page, "end_date", go_live.replace(year=go_live.year + 5) - timedelta(days=1))
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Contract added")
    contract = Contract.objects.get(reference="NSH-2026-01")
    for status, reason in (("Signed", "Sealed by both parties."), ("Live", "The trust took operational control.")):
        page.goto(f"/contracts/{contract.pk}/status/")
        assert_accessible(page)
        page.get_by_label(status, exact=True).check()
        page.fill("#id_reason", reason)
        page.get_by_role("button", name="Change status").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Contract status changed")

    page.goto("/")
    task(page, "Build the KPI catalogue").get_by_role("link").click()
    assert_accessible(page)
    page.get_by_role("link", name="Add a KPI").click()
    page.fill("#id_code", "RR")
    page.fill("#id_title", "Re-referrals within 12 months")
    page.fill("#id_definition", "Referrals within 12 months of a previous referral, as a percentage of referrals.")
    page.get_by_label("Percentage").check()
    page.get_by_label("Lower is better").check()
    page.fill("#id_numerator_definition", "Re-referrals within 12 months")
    page.fill("#id_denominator_definition", "Referrals")
    page.get_by_label("Contractual").check()
    page.get_by_role("button", name="Save KPI").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("KPI RR added")
    assert_accessible(page)
    page.get_by_test_id("kpi-RR").get_by_role("link", name="Add a target for RR").click()
    page.fill("#id_financial_year", str(financial_year_start(go_live)))
    page.fill("#id_value", "22")
    page.fill("#id_amber_tolerance", "3")
    page.get_by_role("button", name="Save target").click()
    expect(page.get_by_test_id("targets-RR")).to_contain_text("22.00")

    page.goto("/")
    task(page, "Invite the trust's executives").get_by_role("link").click()
    assert_accessible(page)
    page.fill("#id_email", "tara.trust@northshire-trust.org.uk")
    page.fill("#id_first_name", "Tara")
    page.fill("#id_last_name", "Trust")
    page.get_by_label("Trust executive").check()
    page.locator("#id_organisation").select_option(label="Northshire Children's Trust")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("tara.trust@northshire-trust.org.uk")
    page.goto("/")
    expect(page.get_by_test_id("set-up-tasks")).to_have_count(0)  # the essentials are done: the list goes
    page.get_by_role("button", name="Sign out").click()

    invitation = next(m for m in reversed(mail.outbox) if "tara.trust@northshire-trust.org.uk" in m.to)
    set_password(page, re.search(r"http\S+/invitation/\S+/", invitation.body).group(0))
    login(page, "tara.trust@northshire-trust.org.uk", PASSWORD)
    page.goto("/performance/returns/enter/")
    assert_accessible(page)
    page.locator("main ul.govuk-list a").first.click()
    expect(page.locator("h1")).to_contain_text("Enter the return for")
    page.get_by_label("Re-referrals within 12 months: numerator").fill("21")
    page.get_by_label("Re-referrals within 12 months: denominator").fill("100")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Check them and submit the return")
    assert_accessible(page)
    page.get_by_label("I confirm these figures are signed off by me as a named trust executive").check()
    page.get_by_role("button", name="Submit return").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("submitted to the council")
    assert_accessible(page)

    council = Council.objects.get(slug="northshire")
    body = DeliveryBody.objects.get(slug="northshire-trust")
    assert (council.la_code, council.gss_code, body.council) == ("999", "E06000999", council)
    assert Direction.objects.filter(council=council, status="in_force").count() == 1
    assert MemorandumOfUnderstanding.objects.get(delivery_body=body).status == "signed"
    assert Kpi.objects.filter(delivery_body=body).count() == 1 and Target.objects.filter(kpi__delivery_body=body)
    submitted = MonthlyReturn.objects.get(delivery_body=body)
    assert submitted.first_submitted_at is not None and submitted.period >= go_live
