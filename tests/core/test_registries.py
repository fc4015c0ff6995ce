"""Each app registers what it owns from its AppConfig.ready(); the platform's lists come out as they
were when they were written by hand in core (same entries, same order)."""

from trustgov.accounts.roles import GOVERNANCE_APPS
from trustgov.core.demo import demo_modules
from trustgov.core.filters import PERIOD_FIELDS
from trustgov.core.publishing import bulk_resources
from trustgov.core.reminders import reminder_rules


def test_reminder_rules_run_in_the_order_they_always_did():
    assert [f"{rule.__module__}.{rule.__name__}" for rule in reminder_rules()] == [
        "performance.reminders.monthly_returns",
        "meetings.reminders.papers_deadline",
        "meetings.reminders.minutes_due",
        "meetings.reminders.actions_due",
        "boards.reminders.board_terms_ending",
        "contracts.reminders.break_notice",
        "contracts.reminders.contract_expiry",
        "contracts.reminders.ssa_expiry",
        "contracts.reminders.annual_review",
        "contracts.reminders.reserved_matters_due",
    ]


def test_demo_loaders_keep_their_order():
    assert demo_modules() == [
        "trustgov.organisations.demo",
        "trustgov.accounts.demo",
        "contracts.demo",
        "boards.demo",
        "performance.demo",
        "meetings.demo",
        "reports.demo",
    ]


def test_period_fields_are_registered_by_their_apps():
    assert PERIOD_FIELDS == {
        "organisations.direction": "issued_on",
        "contracts.contract": "start_date",
        "contracts.obligation": "due_date",
        "contracts.budgetmonth": "month",
        "contracts.supportserviceline": "term_start",
        "contracts.variation": "proposed_on",
        "contracts.escalationstep": "taken_on",
        "contracts.risk": "review_date",
        "contracts.reservedmatterrequest": "raised_on",
        "boards.membership": "start_date",
        "boards.appointment": "term_start",
        "boards.interestdeclaration": "declared_on",
        "performance.monthlyreturn": "period",
        "meetings.meeting": "date",
        "meetings.agendaitem": "meeting__date",
        "meetings.document": "agenda_item__meeting__date",
        "meetings.minutes": "meeting__date",
        "meetings.resolution": "meeting__date",
        "meetings.action": "due_date",
        "reports.generatedreport": "created_at",
    }


def test_open_data_resources_are_registered_by_contracts_and_boards():
    resources = bulk_resources()
    assert list(resources) == ["contracts", "obligations", "bodies", "memberships"]
    assert {name: r.model._meta.label for name, r in resources.items()} == {
        "contracts": "contracts.Contract",
        "obligations": "contracts.Obligation",
        "bodies": "boards.Body",
        "memberships": "boards.Membership",
    }
    assert resources["memberships"].fields == (
        "id",
        "person__name",
        "seat__body__name",
        "seat__role",
        "seat__title",
        "start_date",
        "end_date",
        "updated_at",
    )


def test_every_governance_app_is_covered_by_the_roles():
    assert GOVERNANCE_APPS == ["organisations", "contracts", "boards", "performance", "meetings", "reports"]
