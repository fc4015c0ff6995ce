"""What needs my attention: reserved-matter requests waiting on the user's role."""

from trustgov.accounts.roles import Role, role_of
from trustgov.core.navigation import AttentionItem

from .models import ReservedMatterRequest
from .selectors import reserved_matter_requests_visible_to

S = ReservedMatterRequest.Status


def reserved_matter_attention(user) -> list[AttentionItem]:
    role = role_of(user)
    if role in (Role.TRUST_EXECUTIVE, Role.COUNCIL_OFFICER):
        waiting = [S.RAISED, S.AWAITING_DFE] if role == Role.TRUST_EXECUTIVE else [S.RAISED]
    elif role == Role.DFE_LIAISON:
        waiting = [S.AWAITING_DFE]
    else:
        return []
    items = []
    for req in reserved_matter_requests_visible_to(user).filter(status__in=waiting).order_by("decision_due"):
        items.append(
            AttentionItem(
                title=f"Reserved matter: {req.title}",
                url=req.get_absolute_url(),
                detail=f"{req.delivery_body.name} · {req.get_status_display()}",
                due=req.decision_due,
                tag=req.get_status_display(),
                tag_colour="yellow" if req.status == S.AWAITING_DFE else "blue",
            )
        )
    return items
