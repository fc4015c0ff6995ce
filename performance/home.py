"""Home-page panels: the trust leads with the return now due; the officer with returns not received
and reviews waiting, oldest first, with how long each has waited."""

from itertools import groupby

from django.utils import timezone

from trustgov.accounts.roles import Role, role_of
from trustgov.core.navigation import HomePanel

from . import expected as exp

GROUP_BACKLOG_OVER = 3  # a trust with more returns missing than this is shown as one line


def trust_return_panel(user) -> HomePanel | None:
    if role_of(user) != Role.TRUST_EXECUTIVE or not user.delivery_body_id:
        return None
    today = timezone.localdate()
    rows = exp.expected_returns_for(user, today=today)
    now_due = next((e for e in rows if e.period == exp.last_ended_period(today)), None)
    missing = [e for e in rows if not e.received and e is not now_due and e.stage in (exp.LATE, exp.OVERDUE)]
    queried = [e for e in rows if e.state == exp.S.QUERIED and e.open_queries]
    return HomePanel(
        "performance/home_trust_return.html",
        {"now_due": now_due, "missing": missing, "queried": queried},
        order=10,
    )


def officer_returns_panel(user) -> HomePanel | None:
    if role_of(user) != Role.COUNCIL_OFFICER:
        return None
    today = timezone.localdate()
    rows = exp.expected_returns_for(user, today=today)
    not_received = [e for e in rows if not e.received and e.stage in (exp.LATE, exp.OVERDUE, exp.DUE)]
    reviews = sorted((e for e in rows if e.awaiting_review), key=lambda e: (e.waiting_since, e.delivery_body.name))
    lines = []
    for _, group in groupby(sorted(not_received, key=lambda e: e.delivery_body.name), key=lambda e: e.delivery_body.pk):
        group = sorted(group, key=lambda e: e.period)
        if len(group) > GROUP_BACKLOG_OVER:
            lines.append({"first": group[0], "last": group[-1], "count": len(group)})
        else:
            lines.extend({"first": e, "last": e, "count": 1} for e in group)
    lines.sort(key=lambda line: (line["first"].due_date, line["first"].delivery_body.name))
    return HomePanel("performance/home_officer_returns.html", {"not_received": lines, "reviews": reviews}, order=10)
