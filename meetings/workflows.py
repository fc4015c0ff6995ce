"""The lifecycles of a meeting, its minutes and its actions, declared once."""

from trustgov.accounts.roles import Role
from trustgov.core.workflow import Transition, Workflow

from .models import Action, Document, Meeting, Minutes

OFFICER = frozenset({Role.COUNCIL_OFFICER})
OFFICER_OR_TRUST = frozenset({Role.COUNCIL_OFFICER, Role.TRUST_EXECUTIVE})

MEETING_WORKFLOW = Workflow(
    "meeting",
    dict(Meeting.Status.choices),
    [
        Transition(Meeting.Status.SCHEDULED, Meeting.Status.PAPERS_PUBLISHED, OFFICER, "Publish the papers"),
        Transition(Meeting.Status.SCHEDULED, Meeting.Status.HELD, OFFICER, "Record as held"),
        Transition(Meeting.Status.PAPERS_PUBLISHED, Meeting.Status.HELD, OFFICER, "Record as held"),
        Transition(Meeting.Status.SCHEDULED, Meeting.Status.CANCELLED, OFFICER, "Cancel"),
        Transition(Meeting.Status.PAPERS_PUBLISHED, Meeting.Status.CANCELLED, OFFICER, "Cancel"),
    ],
    tones={
        Meeting.Status.SCHEDULED: "light-blue",
        Meeting.Status.PAPERS_PUBLISHED: "blue",
        Meeting.Status.HELD: "green",
    },
)

MINUTES_WORKFLOW = Workflow(
    "set of minutes",
    dict(Minutes.Status.choices),
    [Transition(Minutes.Status.DRAFT, Minutes.Status.APPROVED, OFFICER, "Approve as a correct record")],
    tones={Minutes.Status.DRAFT: "yellow", Minutes.Status.APPROVED: "green"},
)

ACTION_WORKFLOW = Workflow(
    "action",
    dict(Action.Status.choices),
    [
        Transition(Action.Status.OPEN, Action.Status.IN_PROGRESS, OFFICER_OR_TRUST, "Start"),
        Transition(Action.Status.OPEN, Action.Status.DONE, OFFICER_OR_TRUST, "Mark done"),
        Transition(Action.Status.IN_PROGRESS, Action.Status.DONE, OFFICER_OR_TRUST, "Mark done"),
        Transition(Action.Status.DONE, Action.Status.IN_PROGRESS, OFFICER, "Reopen"),
    ],
)


def _meeting_papers_not_out(document: Document) -> str | None:
    meeting = document.agenda_item.meeting
    if meeting.papers_published_on is None and meeting.status != Meeting.Status.HELD:
        return (
            "Publish the meeting's agenda and papers first: approved papers are published with them, "
            "and a paper added later is published on its own."
        )
    return None


P = Document.Publication
PAPER_WORKFLOW = Workflow(
    "paper",
    dict(P.choices),
    [
        Transition(P.DRAFT, P.APPROVED, OFFICER, "Approve for publication"),
        Transition(P.APPROVED, P.DRAFT, OFFICER, "Withdraw approval (back to draft)"),
        Transition(P.APPROVED, P.PUBLISHED, OFFICER, "Publish", guard=_meeting_papers_not_out),
    ],
    tones={P.DRAFT: "yellow", P.APPROVED: "blue", P.PUBLISHED: "green"},
)
