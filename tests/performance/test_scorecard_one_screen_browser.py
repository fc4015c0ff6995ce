"""A scorecard a committee can read in one screen (ADR 0309): at 1920×1080, as Sandwell's council officer on the
demo data, the whole scorecard table down to its last KPI row is in view without scrolling, every KPI row is one
line tall, and axe finds nothing. A screenshot is kept at /tmp/scorecard-1920.png to look at."""

import pytest
from playwright.sync_api import expect

from performance.models import Kpi
from tests.browser.harness import assert_accessible, login

pytestmark = [pytest.mark.browser]

WIDTH, HEIGHT = 1920, 1080


def test_every_scorecard_row_is_one_line_and_the_last_is_above_the_fold(seeded, nojs_page):
    page = nojs_page
    page.set_viewport_size({"width": WIDTH, "height": HEIGHT})
    kpis = Kpi.objects.filter(delivery_body__slug="sandwell-trust", retired_from__isnull=True).count()
    login(page, "sandwell-officer")

    page.goto("/performance/?body=sandwell-trust")
    rows = page.get_by_test_id("scorecard-row")
    expect(rows).to_have_count(kpis)
    page.screenshot(path="/tmp/scorecard-1920.png")  # noqa: S108 - a picture to look at, nothing secret
    assert page.evaluate("window.scrollY") == 0
    boxes = [row.bounding_box() for row in rows.all()]
    # One line: the tallest row is no taller than the first (itself at most two and a half lines of the 14px
    # type, which holds the RAG tag's padding), within a few pixels.
    font_px = float(
        rows.first.locator("th").evaluate("e => parseFloat(getComputedStyle(e).fontSize)")  # 14 on desktop
    )
    heights = [round(b["height"]) for b in boxes]
    assert heights[0] <= 2.5 * font_px + 12, heights
    assert max(heights) - min(heights) <= 3, heights
    # The last row's bottom edge is within the first screen.
    last = boxes[-1]
    assert last["y"] + last["height"] <= HEIGHT, (last, heights)
    assert_accessible(page)
