"""The forward plan (ADR 0604): 28 clear days' notice, the exception routes and their reasons, private decisions
with their Schedule 12A paragraph, officer-only changes recorded with who and why, and the signed-in decision
register as each role may read it."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import services
from meetings.models import ForwardPlanEntry, clear_days_between
from meetings.register import register_for
from tests.factories import CouncilFactory, make_user
from tests.public.scenario import NEVER, PUBLIC, TODAY, build
from trustgov.accounts.roles import Role

from .test_pages import date_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def planted(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(TODAY, tick=False):
        yield build()


def entry(**fields) -> ForwardPlanEntry:
    defaults = {
        "title": "Decision on the contract review",
        "decision_maker": "cabinet",
        "planned_on": date(2027, 2, 1),
        "notice_published_on": date(2027, 1, 4),
    }
    return ForwardPlanEntry(council=CouncilFactory(), **{**defaults, **fields})


# --- Clear days, worked ----------------------------------------------------------------------------


def test_clear_days_count_neither_the_day_of_publication_nor_the_day_of_decision():
    # Published Monday 4 January, decided Monday 1 February 2027: 28 days apart, 27 clear days between.
    assert clear_days_between(date(2027, 1, 4), date(2027, 2, 1)) == 27
    # Published Sunday 3 January: 28 clear days (weekends and bank holidays count: these are calendar days).
    assert clear_days_between(date(2027, 1, 3), date(2027, 2, 1)) == 28
    assert clear_days_between(date(2027, 1, 4), date(2027, 1, 5)) == 0


def test_a_standard_key_decision_with_27_clear_days_is_short_notice_and_with_28_is_not():
    short = entry(notice_published_on=date(2027, 1, 4))
    assert short.notice_clear_days == 27 and short.short_notice
    enough = entry(notice_published_on=date(2027, 1, 3))
    assert enough.notice_clear_days == 28 and not enough.short_notice
    not_key = entry(notice_published_on=date(2027, 1, 20), is_key_decision=False)
    assert not not_key.short_notice  # the 28 days are for key decisions


def test_exception_routes_need_their_reason_and_are_not_short_notice():
    general = entry(route="general_exception", notice_published_on=date(2027, 1, 25))
    with pytest.raises(ValidationError) as raised:
        general.full_clean()
    assert raised.value.message_dict["route_reason"] == ["Enter why the decision is taken under general exception."]
    general.route_reason = "The scrutiny chair was told on 25 January; the grant deadline is 5 February."
    general.full_clean()  # 25 January to 1 February: 6 clear days, at least the 5 regulation 10 needs
    assert general.notice_clear_days == 6 and not general.short_notice

    too_late = entry(route="general_exception", route_reason="Urgent", notice_published_on=date(2027, 1, 28))
    with pytest.raises(ValidationError) as raised:
        too_late.full_clean()  # 3 clear days
    assert "5 clear days" in raised.value.message_dict["planned_on"][0]

    urgent = entry(route="special_urgency", notice_published_on=date(2027, 1, 29))
    with pytest.raises(ValidationError) as raised:
        urgent.full_clean()
    assert raised.value.message_dict["route_reason"] == ["Enter why the decision is taken under special urgency."]
    urgent.route_reason = "The scrutiny chair agreed on 29 January that the decision cannot be deferred."
    urgent.full_clean()
    assert urgent.notice_clear_days == 2 and not urgent.short_notice


def test_a_private_decision_names_its_paragraph_and_the_notice_comes_first():
    private = entry(is_private=True)
    with pytest.raises(ValidationError) as raised:
        private.full_clean()
    assert raised.value.message_dict["exempt_category"] == [
        "Choose the Schedule 12A paragraph that makes the decision private."
    ]
    backwards = entry(notice_published_on=date(2027, 2, 1))
    with pytest.raises(ValidationError) as raised:
        backwards.full_clean()
    assert raised.value.message_dict["notice_published_on"] == [
        "The notice must be published before the planned decision date."
    ]


# --- Services: officers only, with who and why ---------------------------------------------------


def test_officers_add_and_change_entries_with_the_reason_recorded(planted):
    officer = planted.officer
    added = services.forward_plan_add(
        user=officer,
        council=planted.council,
        title="Decision on the next annual review",
        decision_maker="cabinet",
        planned_on=date(2027, 4, 1),
        notice_published_on=date(2027, 1, 15),
    )
    assert added.history.get().history_user == officer
    with pytest.raises(ValidationError) as raised:
        services.forward_plan_change(entry=added, user=officer, reason="", planned_on=date(2027, 4, 8))
    assert "reason" in raised.value.message_dict
    changed = services.forward_plan_change(
        entry=added, user=officer, reason="Cabinet moved a week", planned_on=date(2027, 4, 8)
    )
    latest = changed.history.first()
    assert (latest.planned_on, latest.history_change_reason, latest.history_user) == (
        date(2027, 4, 8),
        "Cabinet moved a week",
        officer,
    )


def test_scrutiny_and_other_councils_cannot_change_the_plan_and_nothing_partial_is_saved(planted):
    scrutiny = make_user(Role.SCRUTINY_MEMBER, council=planted.council)
    other = make_user(Role.COUNCIL_OFFICER, council=planted.other_council)
    fields = {
        "title": "A decision",
        "decision_maker": "cabinet",
        "planned_on": date(2027, 4, 1),
        "notice_published_on": date(2027, 1, 15),
    }
    before = ForwardPlanEntry.objects.count()
    for user in (scrutiny, other):
        with pytest.raises(ValidationError):
            services.forward_plan_add(user=user, council=planted.council, **fields)
    with pytest.raises(ValidationError) as raised:
        services.forward_plan_add(user=planted.officer, council=planted.council, **fields, route="special_urgency")
    assert "route_reason" in raised.value.message_dict
    assert ForwardPlanEntry.objects.count() == before


# --- Pages ---------------------------------------------------------------------------------------


def test_the_officer_adds_a_short_notice_entry_and_is_warned(client, planted):
    client.force_login(planted.officer)
    data = {"title": "Decision on respite provision", "decision_maker": "cabinet", "route": "standard"}
    data |= {"status": "planned", "is_key_decision": "on", "exempt_category": ""}
    data |= date_fields("planned_on", date(2027, 2, 1)) | date_fields("notice_published_on", date(2027, 1, 4))
    response = client.post(reverse("meetings:forward-plan-create"), data, follow=True)
    page = response.content.decode()
    assert "Short notice: 27 clear days before the decision" in page
    assert "Short notice: fewer than 28 clear days" in page  # the mark on the list

    data |= {"route": "special_urgency", "route_reason": ""}
    response = client.post(reverse("meetings:forward-plan-create"), data)
    assert response.status_code == 400
    assert "Enter why the decision is taken under special urgency." in response.content.decode()
    assert ForwardPlanEntry.objects.filter(title="Decision on respite provision").count() == 1


def test_another_councils_entry_is_a_404_and_scrutiny_may_not_edit(client, planted):
    other_entry = ForwardPlanEntry.objects.get(title=NEVER["another council's forward plan"])
    client.force_login(planted.officer)
    assert client.get(reverse("meetings:forward-plan-edit", args=[other_entry.pk])).status_code == 404
    assert NEVER["another council's forward plan"] not in client.get(reverse("meetings:forward-plan")).content.decode()
    own = planted.private_entry
    assert client.get(reverse("meetings:forward-plan-edit", args=[own.pk])).status_code == 200
    client.force_login(make_user(Role.SCRUTINY_MEMBER, council=planted.council))
    assert client.get(reverse("meetings:forward-plan-edit", args=[own.pk])).status_code == 403


def test_the_register_shows_scrutiny_nothing_exempt_and_officers_everything_marked(client, planted):
    scrutiny = make_user(Role.SCRUTINY_MEMBER, council=planted.council)
    client.force_login(scrutiny)
    page = client.get(reverse("meetings:decision-register")).content.decode()
    assert PUBLIC["resolution"] in page and PUBLIC["reserved-matter decision"] in page
    for word in (
        NEVER["exempt item decided at a held meeting"],
        NEVER["resolution on an exempt item"],
        NEVER["exempt reserved-matter request"],
        NEVER["resolution under draft minutes"],  # scrutiny reads approved minutes only
        NEVER["another council's reserved-matter decision"],
    ):
        assert word not in page
    assert "Not for publication" not in page

    rows = register_for(planted.officer)
    titles = {d.title: exempt for d, exempt in rows}
    assert titles[NEVER["exempt item decided at a held meeting"]] is True
    assert titles[NEVER["exempt reserved-matter request"]] is True
    assert titles[PUBLIC["decided item"]] is False
    client.force_login(planted.officer)
    page = client.get(reverse("meetings:decision-register")).content.decode()
    assert NEVER["resolution on an exempt item"] in page and "Not for publication" in page


# --- Where a decision is taken ---------------------------------------------------------------------


def test_an_entry_names_the_meeting_and_item_that_take_it_as_each_reader_may_see_them(client, planted):
    from django.utils.html import escape

    from meetings.models import AgendaItem

    item = AgendaItem.objects.get(meeting=planted.meeting, title=PUBLIC["item"])
    secret = AgendaItem.objects.get(meeting=planted.meeting, title=NEVER["exempt item"])
    client.force_login(planted.officer)
    data = {"title": "Decision on the exempt matter", "decision_maker": "cabinet", "route": "standard"}
    data |= {"status": "planned", "is_key_decision": "on", "exempt_category": "", "agenda_item": secret.pk}
    data |= date_fields("planned_on", date(2027, 1, 20)) | date_fields("notice_published_on", date(2026, 12, 1))
    # The item alone is enough: its meeting is filled in.
    assert client.post(reverse("meetings:forward-plan-create"), data).status_code == 302
    at_secret = ForwardPlanEntry.objects.get(title="Decision on the exempt matter")
    assert (at_secret.meeting, at_secret.agenda_item) == (planted.meeting, secret)
    # An item of another meeting than the one chosen is refused, naming the field, and nothing is saved.
    wrong = data | {"title": "Mismatched", "meeting": planted.unpublished_meeting.pk}
    response = client.post(reverse("meetings:forward-plan-create"), wrong)
    assert response.status_code == 400 and "Choose an item on the chosen meeting" in response.content.decode()
    assert not ForwardPlanEntry.objects.filter(title="Mismatched").exists()

    fields = {"decision_maker": "cabinet", "planned_on": date(2027, 2, 20), "notice_published_on": date(2027, 1, 4)}
    services.forward_plan_add(
        user=planted.officer, council=planted.council, title="At the public item", meeting=planted.meeting,
        agenda_item=item, **fields,
    )  # fmt: skip
    services.forward_plan_add(
        user=planted.officer, council=planted.council, title="At the unpublished meeting",
        meeting=planted.unpublished_meeting, **fields,
    )  # fmt: skip

    officer_page = client.get(reverse("meetings:forward-plan")).content.decode()
    assert escape(NEVER["exempt item"]) in officer_page and escape(NEVER["meeting with no agenda out"]) in officer_page
    assert f'href="{reverse("meetings:meeting-detail", args=[planted.meeting.pk])}#item-{item.pk}"' in officer_page

    client.force_login(make_user(Role.SCRUTINY_MEMBER, council=planted.council))
    scrutiny_page = client.get(reverse("meetings:forward-plan")).content.decode()
    assert escape(PUBLIC["item"]) in scrutiny_page and escape(PUBLIC["meeting"]) in scrutiny_page
    assert escape(NEVER["exempt item"]) not in scrutiny_page  # the meeting is named, the exempt item is not

    client.logout()
    public_page = client.get(reverse("public:forward-plan", args=[planted.council.slug])).content.decode()
    meeting_url = reverse("public:meeting-detail", args=[planted.council.slug, planted.meeting.pk])
    assert f'href="{meeting_url}#item-{item.pk}"' in public_page and escape(PUBLIC["item"]) in public_page
    assert f'href="{meeting_url}"' in public_page  # the exempt item's entry: the meeting only
    assert (
        escape(NEVER["exempt item"]) not in public_page
        and escape(NEVER["meeting with no agenda out"]) not in public_page
    )
    meeting_page = client.get(meeting_url).content.decode()
    assert f'id="item-{item.pk}"' in meeting_page
