"""What needs the user's attention on the home page: actions they own, late papers, minutes to write."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from trustgov.core.navigation import AttentionItem

from .models import Action, Meeting
from .selectors import actions_visible_to, meetings_visible_to


def meetings_attention(user) -> list[AttentionItem]:
    if not user.is_authenticated or not user.has_perm("meetings.view_meeting"):
        return []
    today = timezone.localdate()
    items = []
    actions = actions_visible_to(user).exclude(status=Action.Status.DONE)
    if user.has_perm("meetings.add_action"):
        mine = actions.filter(due_date__lte=today)
    else:
        mine = actions.filter(owner_user=user)
    for action in mine[:10]:
        overdue = action.due_date < today
        items.append(
            AttentionItem(
                title=f"Action: {action.description[:80]}",
                url=reverse("meetings:action-detail", kwargs={"pk": action.pk}),
                detail=f"Owner: {action.owner}",
                due=action.due_date,
                tag="Overdue" if overdue else "Due",
                tag_colour="red" if overdue else "yellow",
            )
        )
    if user.has_perm("meetings.change_meeting"):
        upcoming = meetings_visible_to(user).filter(
            status=Meeting.Status.SCHEDULED, date__gte=today, date__lte=today + timedelta(days=14)
        )
        for meeting in upcoming[:10]:
            if meeting.papers_deadline <= today + timedelta(days=3):
                items.append(
                    AttentionItem(
                        title=f"Publish papers: {meeting.title}",
                        url=meeting.get_absolute_url(),
                        detail=f"Meeting on {meeting.date:%-d %B %Y}",
                        due=meeting.papers_deadline,
                        tag="Late" if meeting.papers_deadline < today else "Due soon",
                        tag_colour="red" if meeting.papers_deadline < today else "yellow",
                    )
                )
    return items
