"""What needs my attention: reserved-matter requests waiting on the user's role, and contracts whose
term has ended (or is about to) with nothing recorded about what happens next."""

from trustgov.accounts.roles import Role, role_of
from trustgov.core.navigation import AttentionItem

from .clock import RUNNING, contract_clock
from .models import ReservedMatterRequest
from .selectors import contracts_visible_to, reserved_matter_requests_visible_to

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
    # A request decided through another record (an appointment) is reached through that record's own item.
    requests = reserved_matter_requests_visible_to(user).filter(status__in=waiting, decided_through="")
    for req in requests.order_by("decision_due"):
        items.append(
            AttentionItem(
                title=f"Reserved matter: {req.title}",
                url=req.get_absolute_url(),
                detail=f"{req.delivery_body.name} · {req.get_status_display()}",
                due=req.decision_due,
                tag=req.get_status_display(),
                tag_colour="yellow" if req.status == S.AWAITING_DFE else "blue",
                waiting_since=(req.council_decided_on or req.raised_on)
                if req.status == S.AWAITING_DFE
                else req.raised_on,
                waiting_on_others=role == Role.TRUST_EXECUTIVE,
            )
        )
    return items


def contract_clock_attention(user) -> list[AttentionItem]:
    """For council officers: each running contract past its end date or due to expire, with no decision yet."""
    if role_of(user) != Role.COUNCIL_OFFICER:
        return []
    items = []
    running = contracts_visible_to(user).filter(status__in=RUNNING).prefetch_related("end_of_term_decisions")
    for contract in running.order_by("end_date"):
        clock = contract_clock(contract)
        if clock.needs_next_step or clock.review_overdue:
            what = "record what happens next" if clock.needs_next_step else "annual review overdue"
            items.append(
                AttentionItem(
                    title=f"{contract.title}: {what}",
                    url=contract.get_absolute_url(),
                    detail=f"{clock.label} · ends {contract.end_date:%-d %B %Y}",
                    due=contract.end_date if clock.needs_next_step else contract.annual_review_date,
                    tag=clock.label if clock.needs_next_step else "Review overdue",
                    tag_colour=clock.tag_colour if clock.needs_next_step else "red",
                )
            )
    return items
