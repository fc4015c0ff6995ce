"""In the browser, as the council officer who keeps it: the forward plan, its form without JavaScript (an error
names the field; a short notice is warned), and the decision register, each with no axe violation."""

import pytest
import time_machine

from tests.browser.harness import assert_accessible, login
from tests.factories import TEST_PASSWORD
from tests.public.scenario import NEVER, PUBLIC, TODAY, build

pytestmark = [pytest.mark.browser]


@pytest.fixture
def planted_live(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(TODAY, tick=True):
        yield build()


def test_officer_keeps_the_forward_plan_and_reads_the_register_without_javascript(planted_live, nojs_page):
    page = nojs_page
    login(page, "opentown-officer", TEST_PASSWORD)
    page.goto("/meetings/")
    page.get_by_role("link", name="Forward plan").click()
    body = page.locator("main").inner_text()
    assert PUBLIC["forward plan entry"] in body and "To be taken in private, paragraph 3" in body
    assert NEVER["another council's forward plan"] not in body
    assert_accessible(page)

    page.get_by_role("link", name="Add a decision").click()
    page.fill("#id_title", "Decision on respite provision")
    page.check("input[name=decision_maker][value=cabinet]")
    for name, (day, month, year) in (("planned_on", (1, 2, 2027)), ("notice_published_on", (4, 1, 2027))):
        page.fill(f"#id_{name}_0", str(day))
        page.fill(f"#id_{name}_1", str(month))
        page.fill(f"#id_{name}_2", str(year))
    page.check("#id_is_key_decision")
    page.check("input[name=route][value=special_urgency]")
    page.click("main button[type=submit]")
    assert "Enter why the decision is taken under special urgency." in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.check("input[name=route][value=standard]")
    page.click("main button[type=submit]")
    assert "Short notice: 27 clear days before the decision" in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Decision register").click()
    body = page.locator("main").inner_text()
    assert PUBLIC["resolution"] in body and NEVER["resolution on an exempt item"] in body
    assert "Not for publication" in body
    assert_accessible(page)
