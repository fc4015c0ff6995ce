"""Scoped reads of meetings and everything hanging off them.

- a meeting belongs to a council (and usually its delivery body): council users see their
  council's meetings, trust users their trust's, the DfE everything (``scope_by_council``);
- exempt ("not for publication") items and papers are visible only to users holding
  ``meetings.view_exempt_document`` (council officers and the DfE); for everyone else they
  do not exist, so a direct URL is a 404. What derives from an exempt item (a requested
  follow-up item, the resolutions on it, the actions arising) is exempt with it;
- notifications, feeds and preferences are the user's own.

The rules for what a reader without officer permissions sees (no exempt item or paper, papers only once
published, minutes only once approved) are written once, in ``readers_*`` below: the scoping functions
apply them to the user's meetings, and the public pages (``public_*``) to a council's published meetings,
as read by nobody signed in (ADR 0603).
"""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from trustgov.core.scoping import is_dfe_or_admin, scope_for
from trustgov.organisations.selectors import delivery_bodies_owned_today, delivery_bodies_visible_to, scope_by_council

from .models import (
    Action,
    ActionUpdate,
    AgendaItem,
    Attendance,
    Declaration,
    Document,
    ForwardPlanEntry,
    Meeting,
    Minutes,
    Resolution,
)

EXEMPT_PERMISSION = "meetings.view_exempt_document"


def can_see_exempt(user) -> bool:
    return bool(user.is_authenticated and user.has_perm(EXEMPT_PERMISSION))


@scope_for(Meeting)
def meetings_visible_to(user) -> QuerySet[Meeting]:
    qs = Meeting.objects.select_related("council", "delivery_body")
    if not user.is_authenticated:
        return qs.none()
    if is_dfe_or_admin(user):
        return qs
    if user.delivery_body_id:
        # A trust sees the meetings it is party to (or its council's meetings with no body recorded).
        council_id = user.delivery_body.council_id
        return qs.filter(
            Q(delivery_body_id=user.delivery_body_id) | Q(delivery_body__isnull=True, council_id=council_id)
        )
    return scope_by_council(qs, user) | qs.filter(is_joint=True, delivery_body__in=delivery_bodies_visible_to(user))


# --- The one set of rules for readers: scrutiny, the trust, the DfE and the public -----------------


def readers_agenda_items(qs: QuerySet[AgendaItem], user) -> QuerySet[AgendaItem]:
    """Agenda items as ``user`` may read them: an exempt item only with the exempt permission."""
    if not can_see_exempt(user):
        qs = qs.filter(is_exempt=False)
    return qs


def readers_documents(qs: QuerySet[Document], user) -> QuerySet[Document]:
    """Papers as ``user`` may read them: exempt papers (or papers on exempt items) only with the exempt
    permission; papers in draft or approved but not yet out only for those who publish them."""
    if not can_see_exempt(user):
        qs = qs.filter(is_exempt=False, agenda_item__is_exempt=False)
    if not user.has_perm("meetings.change_document"):
        # Papers reach everyone else once published: never a draft, nor one approved but not yet out.
        qs = qs.filter(publication=Document.Publication.PUBLISHED)
    return qs


def readers_minutes(qs: QuerySet[Minutes], user) -> QuerySet[Minutes]:
    """Minutes as ``user`` may read them: drafts are for officers; everyone else reads approved minutes only."""
    if not user.has_perm("meetings.change_minutes"):
        qs = qs.filter(status=Minutes.Status.APPROVED)
    return qs


@scope_for(AgendaItem)
def agenda_items_visible_to(user) -> QuerySet[AgendaItem]:
    qs = AgendaItem.objects.select_related("meeting").filter(meeting__in=meetings_visible_to(user))
    return readers_agenda_items(qs, user)


@scope_for(Document)
def documents_visible_to(user) -> QuerySet[Document]:
    qs = Document.objects.select_related("agenda_item__meeting").filter(
        agenda_item__meeting__in=meetings_visible_to(user)
    )
    return readers_documents(qs, user)


def public_documents(user) -> QuerySet[Document]:
    """Papers safe for any view that must never carry exempt material (API, feeds, scrutiny)."""
    return documents_visible_to(user).filter(is_exempt=False, agenda_item__is_exempt=False)


def upcoming_meetings(user, *, today, body_kinds=None) -> QuerySet[Meeting]:
    """The user's meetings from today on, soonest first (cancelled ones left out)."""
    qs = meetings_visible_to(user).filter(date__gte=today).exclude(status=Meeting.Status.CANCELLED)
    if body_kinds is not None:
        qs = qs.filter(body_kind__in=body_kinds)
    return qs.order_by("date", "start_time", "pk")


@scope_for(Attendance)
def attendances_visible_to(user) -> QuerySet[Attendance]:
    return Attendance.objects.filter(meeting__in=meetings_visible_to(user))


@scope_for(Declaration)
def declarations_visible_to(user) -> QuerySet[Declaration]:
    qs = Declaration.objects.filter(meeting__in=meetings_visible_to(user))
    if not can_see_exempt(user):
        qs = qs.filter(Q(agenda_item__isnull=True) | Q(agenda_item__is_exempt=False))
    return qs


@scope_for(Minutes)
def minutes_visible_to(user) -> QuerySet[Minutes]:
    qs = Minutes.objects.select_related("meeting", "approved_at").filter(meeting__in=meetings_visible_to(user))
    return readers_minutes(qs, user)


def readers_resolutions(qs: QuerySet[Resolution], user) -> QuerySet[Resolution]:
    """Resolutions as ``user`` may read them: on an exempt item only with the exempt permission."""
    if not can_see_exempt(user):
        qs = qs.filter(agenda_item__is_exempt=False)
    return qs


@scope_for(Resolution)
def resolutions_visible_to(user) -> QuerySet[Resolution]:
    qs = Resolution.objects.select_related("agenda_item", "meeting").filter(meeting__in=meetings_visible_to(user))
    return readers_resolutions(qs, user)


def register_resolutions(user) -> QuerySet[Resolution]:
    """The decision register's resolutions: the user's resolutions whose minutes the user may read (approved
    minutes for anyone who does not draft them), newest meeting first."""
    return (
        resolutions_visible_to(user)
        .filter(meeting__minutes__in=readers_minutes(Minutes.objects.all(), user))
        .select_related("meeting__council", "meeting__minutes")
        .order_by("-meeting__date", "meeting", "agenda_item__order", "number")
    )


@scope_for(ForwardPlanEntry)
def forward_plan_visible_to(user) -> QuerySet[ForwardPlanEntry]:
    """The forward plan of the user's councils (the plan itself is public; an entry's exempt paragraph is all
    it says of a private decision)."""
    qs = ForwardPlanEntry.objects.select_related("council", "delivery_body", "meeting")
    if not user.is_authenticated:
        return qs.none()
    return scope_by_council(qs, user)


@scope_for(Action)
def actions_visible_to(user) -> QuerySet[Action]:
    qs = Action.objects.select_related("meeting", "owner_user", "resolution").filter(
        meeting__in=meetings_visible_to(user)
    )
    if not can_see_exempt(user):
        # An action arising from a resolution on an exempt item is as exempt as the item.
        qs = qs.filter(Q(resolution__isnull=True) | Q(resolution__agenda_item__is_exempt=False))
    return qs


@scope_for(ActionUpdate)
def action_updates_visible_to(user) -> QuerySet[ActionUpdate]:
    return ActionUpdate.objects.select_related("author").filter(action__in=actions_visible_to(user))


def open_actions(user) -> QuerySet[Action]:
    return actions_visible_to(user).exclude(status=Action.Status.DONE)


def carried_forward_actions(meeting: Meeting, user) -> QuerySet[Action]:
    """Open actions from earlier meetings of the same body, carried forward until done."""
    return open_actions(user).filter(
        meeting__council_id=meeting.council_id, meeting__body_kind=meeting.body_kind, meeting__date__lt=meeting.date
    )


# --- The public pages: a council's published meetings, read as by nobody signed in ----------------

NOBODY = AnonymousUser()  # holds no permission: the readers_* rules give what anyone may read


def papers_out() -> Q:
    """A meeting whose agenda and papers are out: published, or the meeting held (ADR 0400)."""
    return Q(papers_published_on__isnull=False) | Q(status=Meeting.Status.HELD)


def public_meetings(council) -> QuerySet[Meeting]:
    """The council's meetings the public may see: its own meetings and the joint committees of the trusts it owns
    today, once their agenda is out, never a cancelled one. Another council's meetings never."""
    return (
        Meeting.objects.select_related("council", "delivery_body")
        .filter(Q(council=council) | Q(is_joint=True, delivery_body__in=delivery_bodies_owned_today(council)))
        .filter(papers_out())
        .exclude(status=Meeting.Status.CANCELLED)
        .distinct()
        .order_by("date", "start_time", "pk")
    )


def public_agenda_items(meeting: Meeting) -> QuerySet[AgendaItem]:
    return readers_agenda_items(AgendaItem.objects.filter(meeting=meeting), NOBODY)


def public_items(council) -> QuerySet[AgendaItem]:
    """Agenda items anyone may read: the public items of the council's public meetings (search, ADR 0606)."""
    qs = AgendaItem.objects.select_related("meeting").filter(meeting__in=public_meetings(council))
    return readers_agenda_items(qs, NOBODY)


def public_papers(council) -> QuerySet[Document]:
    """Papers anyone may download: published, not exempt, of the council's public meetings."""
    qs = Document.objects.select_related("agenda_item__meeting").filter(
        agenda_item__meeting__in=public_meetings(council)
    )
    return readers_documents(qs, NOBODY)


def public_minutes(meeting: Meeting) -> Minutes | None:
    return readers_minutes(Minutes.objects.select_related("approved_at").filter(meeting=meeting), NOBODY).first()


def public_resolutions(council) -> QuerySet[Resolution]:
    """Resolutions anyone may read: on a non-exempt item of one of the council's public meetings, once the
    meeting's minutes are approved."""
    qs = Resolution.objects.select_related("agenda_item", "meeting__council", "meeting__delivery_body").filter(
        meeting__in=public_meetings(council),
        meeting__minutes__in=readers_minutes(Minutes.objects.all(), NOBODY),
    )
    return readers_resolutions(qs, NOBODY).order_by("-meeting__date", "meeting", "agenda_item__order", "number")


def public_forward_plan(council) -> QuerySet[ForwardPlanEntry]:
    """The council's forward plan as published: every entry but a withdrawn one. A private entry's title is
    public (reg. 9 requires it); nothing of its exempt content is held here."""
    return (
        ForwardPlanEntry.objects.select_related("delivery_body")
        .filter(council=council)
        .exclude(status=ForwardPlanEntry.Status.WITHDRAWN)
        .order_by("planned_on", "pk")
    )
