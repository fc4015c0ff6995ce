""" "As it stood on" a day: the dashboard, the KPI page, the comparison, the report preview and the read model show
what was on record at the end of that day (Europe/London) — the versions submitted by then, their acceptance then,
the targets in force then — and nothing recorded later. Each step's clock is set with time_machine."""

import re
from datetime import date, datetime
from decimal import Decimal as D
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import lxml.html
import pytest
import time_machine
from django.urls import Resolver404, resolve, reverse

from meetings.models import Meeting
from performance import services
from performance.as_of import AsOf, keep_date
from performance.models import Kpi, MonthlyReturn, ReturnValue, ReturnVersion, Target
from performance.positions import read_positions
from tests.factories import DeliveryBodyFactory
from tests.performance.test_positions import text_of
from tests.reports.factories import ReportDraftFactory
from trustgov.core.dates import end_of_day

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
JAN, FEB = date(2025, 1, 1), date(2025, 2, 1)
DAY = date(2025, 3, 3)
BANNER = "As it stood at the end of 3 March 2025 — later changes are not shown"


def at(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def submit(body, period, value, *, user, number=1, ret=None) -> MonthlyReturn:
    """A version of the month's return submitted now, with one figure for RR (a version above 1 corrects it)."""
    if ret is None:
        ret = MonthlyReturn.objects.create(
            delivery_body=body, period=period, due_date=period.replace(day=14), status=MonthlyReturn.Status.SUBMITTED
        )
    else:
        ret.status = MonthlyReturn.Status.RESUBMITTED
        ret.save()
    version = ReturnVersion.objects.create(
        monthly_return=ret,
        number=number,
        created_by=user,
        submitted_at=datetime.now(tz=LONDON),
        reason="" if number == 1 else "Corrected figures",
    )
    ReturnValue.objects.create(version=version, kpi=Kpi.objects.get(delivery_body=body, code="RR"), value=D(value))
    return ret


@pytest.fixture
def story(tenant_a):
    """January's 25% accepted and February's 30% submitted by 3 March 2025 (target 22% within 2, lower is better);
    after that day January is corrected to 21% and accepted, February is accepted, and the target becomes 26%."""
    body = tenant_a.body
    with time_machine.travel(at(2025, 2, 1, 9), tick=False):
        kpi = Kpi.objects.create(
            delivery_body=body,
            code="RR",
            title="Re-referral rate",
            definition="Re-referrals",
            unit="percentage",
            polarity="lower",
        )
        target = Target.objects.create(kpi=kpi, financial_year=2024, value=D("22"), amber_tolerance=D("2"))
    with time_machine.travel(at(2025, 2, 10, 12), tick=False):
        january = submit(body, JAN, "25", user=tenant_a.trust_exec)
    with time_machine.travel(at(2025, 2, 20, 12), tick=False):
        services.return_accept(monthly_return=january, user=tenant_a.officer)
    with time_machine.travel(at(2025, 3, 1, 12), tick=False):
        february = submit(body, FEB, "30", user=tenant_a.trust_exec)
    # --- after the day ---
    with time_machine.travel(at(2025, 3, 5, 12), tick=False):
        services.return_accept(monthly_return=february, user=tenant_a.officer)
    with time_machine.travel(at(2025, 3, 10, 12), tick=False):
        submit(body, JAN, "21", user=tenant_a.trust_exec, number=2, ret=MonthlyReturn.objects.get(pk=january.pk))
    with time_machine.travel(at(2025, 3, 12, 12), tick=False):
        services.return_accept(monthly_return=MonthlyReturn.objects.get(pk=january.pk), user=tenant_a.officer)
    with time_machine.travel(at(2025, 3, 15, 12), tick=False):
        target.value = D("26")
        target.save()
    return kpi


@pytest.fixture
def now():
    with time_machine.travel(at(2025, 3, 20, 12), tick=False):
        yield


def test_the_read_model_as_it_stood(story, now):
    kpi = story
    past = read_positions([kpi], start=JAN, end=FEB, as_of=end_of_day(DAY), spc=True)
    jan, feb = past.at(kpi, JAN), past.at(kpi, FEB)
    # January: version 1 accepted then (the later accepted version 2 does not replace it), against the target then
    assert (jan.value, jan.version, jan.accepted, jan.status, jan.target, jan.rag) == (
        D("25"),
        1,
        True,
        "accepted",
        D("22"),
        "red",
    )
    # February: accepted later, so not accepted then
    assert (feb.value, feb.accepted, feb.provisional, feb.status) == (D("30"), False, True, "submitted")
    assert [p.value for p in past.figures(kpi)] == [D("25"), D("30")]  # SPC reads the figures of then
    assert past.spc(kpi).chart.latest.value == D("30")
    accepted = read_positions([kpi], start=JAN, end=FEB, as_of=end_of_day(DAY), accepted_only=True)
    assert accepted.at(kpi, JAN).value == D("25")
    assert accepted.at(kpi, FEB).value is None

    current = read_positions([kpi], start=JAN, end=FEB)
    jan, feb = current.at(kpi, JAN), current.at(kpi, FEB)
    assert (jan.value, jan.version, jan.accepted, jan.target, jan.rag) == (D("21"), 2, True, D("26"), "green")
    assert (feb.value, feb.accepted) == (D("30"), True)


def test_the_read_model_in_a_bounded_number_of_queries(story, now, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # figures, returns then, targets then, benchmarks then
        read_positions([story], start=JAN, end=FEB, as_of=end_of_day(DAY))


def test_the_dashboard_as_it_stood(client, tenant_a, story, now):
    client.force_login(tenant_a.officer)
    url = reverse("performance:dashboard")
    past = client.get(url, {"as_of": "2025-03-03"})
    assert past.status_code == 200
    page = text_of(past.content.decode())
    assert BANNER in page
    assert "Latest submitted month: February 2025" in page
    assert "30% (provisional)" in page and "Target 22% (2024/25" in page
    assert "Show the current view" in page and 'href="/performance/"' in past.content.decode()
    # the GOV.UK date input, typed in three boxes (the form the page carries), reads the same
    typed = client.get(url, {"as_of-day": "3", "as_of-month": "3", "as_of-year": "2025"})
    shown = text_of(typed.content.decode())
    assert BANNER in shown and "30% (provisional)" in shown and "Target 22% (2024/25" in shown

    accepted = text_of(client.get(url, {"as_of": "2025-03-03", "figures": "accepted"}).content.decode())
    assert "Latest accepted month: January 2025" in accepted and "25%" in accepted and BANNER in accepted

    current = text_of(client.get(url).content.decode())
    assert BANNER not in current
    assert "30%" in current and "(provisional)" not in current and "Target 26%" in current


def test_the_kpi_page_as_it_stood(client, tenant_a, story, now):
    client.force_login(tenant_a.officer)
    url = reverse("performance:kpi-detail", kwargs={"pk": story.pk})
    past = text_of(client.get(url, {"as_of": "2025-03-03"}).content.decode())
    assert BANNER in past
    assert "February 2025: 30% (provisional)" in past
    assert "21%" not in past  # January's correction came later
    assert "Corrected" not in past
    accepted = text_of(client.get(url, {"as_of": "2025-03-03", "figures": "accepted"}).content.decode())
    assert "January 2025: 25% Red" in accepted and "(target 22% for 2024/25)" in accepted
    assert "2024/25 22.00 2.00" in accepted  # the targets table as it stood
    current = text_of(client.get(url).content.decode())
    assert "February 2025: 30% Red" in current and "(target 26% for 2024/25)" in current
    assert "21%" in current and "2024/25 26.00 2.00" in current


def test_the_comparison_as_it_stood(client, tenant_a, story, now):
    client.force_login(tenant_a.officer)
    url = reverse("performance:comparison")
    past = text_of(client.get(url, {"kpi": "RR", "as_of": "2025-03-03", "figures": "accepted"}).content.decode())
    assert BANNER in past and "Jan 2025 25% 22%" in past
    current = text_of(client.get(url, {"kpi": "RR", "figures": "accepted"}).content.decode())
    assert BANNER not in current and "Feb 2025 30% 26%" in current


def test_the_report_preview_as_it_stood(client, tenant_a, story, now):
    draft = ReportDraftFactory(
        delivery_body=tenant_a.body, created_by=tenant_a.officer, period_start=JAN, period_end=date(2025, 3, 31)
    )
    client.force_login(tenant_a.officer)
    url = reverse("reports:draft-preview", kwargs={"pk": draft.pk})
    past = text_of(client.get(url, {"as_of": "2025-03-03"}).content.decode())
    assert BANNER in past
    assert "January 2025 return, version 1" in past and "RR Re-referral rate 25% 22% Red" in past
    assert "February 2025 return" not in past
    current = text_of(client.get(url).content.decode())
    assert BANNER not in current
    assert "February 2025 return, version 1" in current and "RR Re-referral rate 30% 26%" in current


# --- the edges of the day -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("submitted", "shown"),
    [(at(2025, 3, 3, 23, 59), True), (at(2025, 3, 4, 0, 0), False)],
    ids=["23:59 on the day is included", "00:00 the next day is not"],
)
def test_the_end_of_the_day_in_london(client, tenant_a, story, submitted, shown):
    with time_machine.travel(submitted, tick=False):
        submit(tenant_a.body, date(2025, 3, 1), "19", user=tenant_a.trust_exec)
    with time_machine.travel(at(2025, 3, 20, 12), tick=False):
        read = read_positions([story], start=JAN, end=date(2025, 3, 1), as_of=end_of_day(DAY))
        assert (read.at(story, date(2025, 3, 1)).value == D("19")) is shown
        client.force_login(tenant_a.officer)
        page = text_of(client.get(reverse("performance:dashboard"), {"as_of": "2025-03-03"}).content.decode())
        assert ("Latest submitted month: March 2025" in page) is shown


def test_end_of_day_is_london_time_in_summer():
    assert end_of_day(date(2025, 7, 1)).astimezone(ZoneInfo("UTC")).strftime("%H:%M") == "22:59"


# --- bad dates ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"as_of": "2025-02-30"}, "Date must be a real date, for example 3 March 2025"),
        ({"as_of": "yesterday"}, "Date must be a real date, for example 3 March 2025"),
        ({"as_of-day": "31", "as_of-month": "2", "as_of-year": "2025"}, "Date must be a real date"),
        ({"as_of-day": "3", "as_of-month": "", "as_of-year": "2025"}, "Date must include a month"),
        ({"as_of": "2025-03-21"}, "Date must be today or in the past"),
        ({"as_of-day": "99999999999999999999", "as_of-month": "1", "as_of-year": "2025"}, "Date must be a real date"),
    ],
)
@pytest.mark.parametrize("name", ["performance:dashboard", "performance:comparison"])
def test_a_bad_date_is_refused_naming_the_field(client, tenant_a, story, now, params, message, name):
    client.force_login(tenant_a.officer)
    response = client.get(reverse(name), params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and message in text_of(html)
    assert 'href="#as_of-' in html and BANNER not in text_of(html)


def test_a_bad_date_on_the_kpi_page_and_the_preview(client, tenant_a, story, now):
    client.force_login(tenant_a.officer)
    draft = ReportDraftFactory(delivery_body=tenant_a.body, created_by=tenant_a.officer)
    for url in (
        reverse("performance:kpi-detail", kwargs={"pk": story.pk}),
        reverse("reports:draft-preview", kwargs={"pk": draft.pk}),
    ):
        response = client.get(url, {"as_of": "2026-01-01"})
        assert response.status_code == 400
        assert "Date must be today or in the past" in text_of(response.content.decode())


# --- the same scoping as the current view ---------------------------------------------------------------------


def test_scrutiny_sees_no_draft_in_the_past_view(client, tenant_a, story, now):
    with time_machine.travel(at(2025, 3, 2, 12), tick=False):  # a draft of March, never submitted
        ret = MonthlyReturn.objects.create(
            delivery_body=tenant_a.body, period=date(2025, 3, 1), due_date=date(2025, 4, 14)
        )
        draft = ReturnVersion.objects.create(monthly_return=ret, number=1, created_by=tenant_a.trust_exec)
        ReturnValue.objects.create(version=draft, kpi=story, value=D("99"))
    client.force_login(tenant_a.scrutiny)
    for url in (reverse("performance:dashboard"), reverse("performance:kpi-detail", kwargs={"pk": story.pk})):
        page = text_of(client.get(url, {"as_of": "2025-03-03"}).content.decode())
        assert BANNER in page and "99%" not in page


def test_another_councils_trust_is_not_found_in_the_past_view(client, tenant_a, tenant_b, story, now):
    client.force_login(tenant_b.officer)
    assert (
        client.get(reverse("performance:kpi-detail", kwargs={"pk": story.pk}), {"as_of": "2025-03-03"}).status_code
        == 404
    )
    response = client.get(reverse("performance:dashboard"), {"body": tenant_a.body.slug, "as_of": "2025-03-03"})
    assert response.status_code == 404


# --- what scrutiny saw ----------------------------------------------------------------------------------------


def test_a_meeting_links_to_the_dashboard_as_it_stood_when_its_papers_were_published(client, tenant_a, now):
    meeting = Meeting.objects.create(
        council=tenant_a.council,
        delivery_body=tenant_a.body,
        body_kind="scrutiny_committee",
        title="Scrutiny – March 2025",
        date=date(2025, 3, 11),
    )
    url = reverse("meetings:meeting-detail", kwargs={"pk": meeting.pk})
    client.force_login(tenant_a.scrutiny)
    assert "What scrutiny saw" not in client.get(url).content.decode()  # papers not yet published
    meeting.papers_published_on = DAY
    meeting.status = Meeting.Status.PAPERS_PUBLISHED
    meeting.save()
    html = client.get(url).content.decode()
    link = re.search(
        r'<a class="govuk-link" href="([^"]+)">What scrutiny saw: the dashboard as it stood on 3 March 2025', html
    )
    assert link, "no link to the dashboard as it stood"
    page = client.get(link.group(1).replace("&amp;", "&"))
    assert page.status_code == 200 and BANNER in text_of(page.content.decode())


def test_a_kpi_retired_later_still_has_its_tile_in_the_past_view(client, tenant_a, story):
    with time_machine.travel(at(2025, 3, 16, 12), tick=False):
        story.retired_from = FEB
        story.save()
    with time_machine.travel(at(2025, 3, 20, 12), tick=False):
        client.force_login(tenant_a.officer)
        url = reverse("performance:dashboard")
        past = client.get(url, {"as_of": "2025-03-03"}).content.decode()
        assert past.count('data-testid="kpi-tile"') == 1 and 'data-testid="retired-kpis"' not in past
        current = client.get(url).content.decode()
        assert 'data-testid="kpi-tile"' not in current
        assert "retired from February 2025" in text_of(current)


# --- links inside a past view keep its date -------------------------------------------------------------------

PAST_VIEWS = {"performance:dashboard", "performance:kpi-detail", "performance:comparison", "reports:draft-preview"}
CHANGES = re.compile(r"add|create|edit|retire|accept|submit|query|reply|upload|enter|change|import")
TODAY = "Show the current view"


def links_of(response) -> list[tuple[str, dict, str]]:
    """Each link to a TrustGov page in the page's content (the main element; the whole body of the preview, a
    document of its own): its URL name, query and text. The header and footer are the service's own."""
    tree = lxml.html.fromstring(response.content)
    scope = (tree.xpath('//main[@id="main-content"]') or tree.xpath("//body"))[0]
    out = []
    for a in scope.iter("a"):
        parts = urlsplit(a.get("href", ""))
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue  # a fragment on the page, or another site
        try:
            name = resolve(parts.path).view_name
        except Resolver404:
            continue
        out.append((name, parse_qs(parts.query), " ".join(a.text_content().split())))
    return out


def assert_the_date_is_kept(response, *, day="2025-03-03", leading_to=()):
    """Every link to a page that reads the date carries it, but the way back to today's figures; the pages named
    in ``leading_to`` are linked; no link or form changes a record; each GET form redrawing the page keeps the
    date."""
    assert response.status_code == 200
    links = links_of(response)
    today = [(name, query) for name, query, text in links if text.startswith(TODAY)]
    assert today, "no way back to today's figures"
    assert all("as_of" not in query for _, query in today), today
    kept = [(name, query) for name, query, text in links if name in PAST_VIEWS and not text.startswith(TODAY)]
    dropped = [(name, query) for name, query in kept if query.get("as_of") != [day]]
    assert not dropped, f"links that drop the date: {dropped}"
    assert set(leading_to) <= {name for name, _ in kept}
    assert all("as_of" not in query for name, query, _ in links if name not in PAST_VIEWS)  # today's record
    changes = [name for name, _, _ in links if CHANGES.search(name.partition(":")[2])]
    assert not changes, f"a past view offers changes: {changes}"
    tree = lxml.html.fromstring(response.content)
    assert not tree.xpath('//main//form[@method="post"]'), "a past view offers a form that changes a record"
    for form in tree.xpath('//form[@method="get"][not(@data-testid="as-of-form")][not(ancestor::header)]'):
        assert form.xpath(f'.//input[@type="hidden"][@name="as_of"][@value="{day}"]'), "a form drops the date"
    return kept


def test_links_in_the_past_dashboard_keep_the_date(client, tenant_a, story, now):
    DeliveryBodyFactory(council=tenant_a.council, slug="alpha-second-trust")  # the trust switch is shown
    client.force_login(tenant_a.officer)
    response = client.get(reverse("performance:dashboard"), {"body": tenant_a.body.slug, "as_of": "2025-03-03"})
    html = response.content.decode()
    assert 'data-testid="scorecard"' in html and 'data-testid="kpi-tile"' in html and 'id="body-switch"' in html
    kept = assert_the_date_is_kept(
        response, leading_to=("performance:dashboard", "performance:kpi-detail", "performance:comparison")
    )
    kpi_links = [query for name, query in kept if name == "performance:kpi-detail"]
    assert len(kpi_links) == 2  # the scorecard's row and the tile
    subnav = [query for name, query in kept if name == "performance:dashboard"]
    assert {"body": [tenant_a.body.slug], "as_of": ["2025-03-03"]} in subnav  # the trust chosen is kept too
    grid = [query for name, query, _ in links_of(response) if name == "performance:national-grid"]
    assert grid == [{}]  # the national grid has no past view: today's record, as the banner says
    assert "Other pages show today's record" in text_of(html)
    # today's view: no link gains a date
    current = client.get(reverse("performance:dashboard"))
    assert all("as_of" not in query for _, query, _ in links_of(current))
    assert 'name="as_of"' not in current.content.decode()


def test_a_retired_kpi_in_the_past_dashboard_keeps_the_date(client, tenant_a, story):
    with time_machine.travel(at(2025, 2, 25, 12), tick=False):  # retired before the day: listed, not a tile
        story.retired_from = JAN
        story.save()
    with time_machine.travel(at(2025, 3, 20, 12), tick=False):
        client.force_login(tenant_a.officer)
        response = client.get(reverse("performance:dashboard"), {"as_of": "2025-03-03"})
        assert 'data-testid="retired-kpis"' in response.content.decode()
        assert_the_date_is_kept(response, leading_to=("performance:kpi-detail",))


def test_links_in_the_past_kpi_page_keep_the_date_and_offer_no_change(client, tenant_a, story, now):
    client.force_login(tenant_a.officer)  # a council officer may recalculate a baseline, but not in a past view
    url = reverse("performance:kpi-detail", kwargs={"pk": story.pk})
    response = client.get(url, {"as_of": "2025-03-03"})
    assert_the_date_is_kept(response)
    page = text_of(response.content.decode())
    assert "Recalculate the baseline" not in page
    assert "Download the series as it stands today" in page  # the downloads read today's record, and say so
    assert "each month links to its return as it stands today" in page
    assert "Recalculate the baseline" in text_of(client.get(url).content.decode())


def test_links_in_the_past_comparison_keep_the_date(client, tenant_a, story, now):
    client.force_login(tenant_a.officer)
    response = client.get(reverse("performance:comparison"), {"kpi": "RR", "as_of": "2025-03-03"})
    assert_the_date_is_kept(response, leading_to=("performance:kpi-detail",))
    tree = lxml.html.fromstring(response.content)
    assert tree.xpath('//form[.//select[@name="kpi"]]//input[@name="as_of"][@value="2025-03-03"]')


def test_links_in_the_past_report_preview_keep_the_date(client, tenant_a, story, now):
    draft = ReportDraftFactory(
        delivery_body=tenant_a.body, created_by=tenant_a.officer, period_start=JAN, period_end=date(2025, 3, 31)
    )
    client.force_login(tenant_a.officer)
    response = client.get(reverse("reports:draft-preview", kwargs={"pk": draft.pk}), {"as_of": "2025-03-03"})
    assert_the_date_is_kept(response)
    back = [query for name, query, _ in links_of(response) if name == "reports:draft-detail"]
    assert back == [{}]  # back to the draft: today's record


@pytest.mark.parametrize(
    ("url", "params", "past", "today"),
    [
        ("/performance/kpis/7/", {}, "/performance/kpis/7/?as_of=2025-03-03", "/performance/kpis/7/"),
        (
            "/performance/?as_of=2024-01-01",
            {"body": "alpha-trust"},
            "/performance/?body=alpha-trust&as_of=2025-03-03",
            "/performance/?as_of=2024-01-01&body=alpha-trust",
        ),
        (
            "/performance/comparison/?kpi=RR#chart",
            {"body": ""},
            "/performance/comparison/?kpi=RR&as_of=2025-03-03#chart",
            "/performance/comparison/?kpi=RR#chart",
        ),
        ("/performance/returns/", {"body": "alpha-trust"}, "/performance/returns/?body=alpha-trust", None),
        ("/performance/national-grid/", {}, "/performance/national-grid/", None),
        ("/no-such-page/", {}, "/no-such-page/", None),
    ],
)
def test_keep_date_carries_the_date_only_to_the_pages_that_read_it(url, params, past, today):
    assert keep_date(AsOf(day=DAY), url, **params) == past
    assert keep_date(AsOf(), url, **params) == (today or past)  # today's view: the link as it is
    assert keep_date(None, url, **params) == (today or past)  # a page with no date at all
