"""What needs my attention: open queries for the trust, returns awaiting review for officers."""

from django.urls import reverse

from trustgov.accounts.roles import Role, role_of
from trustgov.core.navigation import AttentionItem

from .models import MonthlyReturn, ReturnQuery
from .selectors import queries_visible_to, returns_visible_to


def performance_attention(user) -> list[AttentionItem]:
    role = role_of(user)
    items: list[AttentionItem] = []
    if role == Role.TRUST_EXECUTIVE:
        for query in queries_visible_to(user).filter(status=ReturnQuery.Status.OPEN).order_by("created_at")[:20]:
            subject = query.kpi.title if query.kpi else "the whole return"
            items.append(
                AttentionItem(
                    title=f"Council query on {subject} ({query.monthly_return.period:%B %Y})",
                    url=reverse("performance:return-detail", kwargs={"pk": query.monthly_return_id}),
                    detail=query.question[:120],
                    tag="Query open",
                    tag_colour="red",
                )
            )
    elif role == Role.COUNCIL_OFFICER:
        waiting = returns_visible_to(user).filter(
            status__in=[MonthlyReturn.Status.SUBMITTED, MonthlyReturn.Status.RESUBMITTED]
        )
        for ret in waiting.order_by("period")[:20]:
            items.append(
                AttentionItem(
                    title=f"Review the {ret.delivery_body.name} return for {ret.period:%B %Y}",
                    url=reverse("performance:return-detail", kwargs={"pk": ret.pk}),
                    detail=ret.get_status_display(),
                    due=ret.due_date,
                    tag="Late" if ret.late else "",
                    tag_colour="red" if ret.late else "",
                )
            )
    return items
