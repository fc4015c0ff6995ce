"""What needs my attention: open queries for the trust.

Returns not received and reviews waiting lead the officer's home page as their own panel (home.py),
oldest first, so they are not repeated here.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from trustgov.accounts.roles import Role, role_of
from trustgov.core.navigation import AttentionItem

from .models import ReturnQuery
from .selectors import queries_visible_to


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
                    detail=Truncator(query.question).words(20, truncate="…"),
                    tag="Query open",
                    tag_colour="red",
                    waiting_since=timezone.localdate(query.created_at),
                )
            )
    return items
