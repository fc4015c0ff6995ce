"""The kinds of notification meetings sends (registered in apps.py): its reminders, and "papers published".

"Papers published" is for those who ask for it (ADR 0607): its default is no email, and only a person who chose
a frequency for it on the notifications page is told, once per publication (a meeting's agenda and papers going
out together, or one paper published on its own afterwards), of the papers of a meeting they can see. What each
person is told is read through their own scope: never a paper they may not read, and never an exempt paper (not
its title, not its count), whoever they are.
"""

from trustgov.accounts.models import User
from trustgov.core.notifications import Frequency, notify, register_notification_kind

from .models import NotificationPreference
from .selectors import meetings_visible_to, public_documents

GROUP = "Meetings"
PAPERS_PUBLISHED = "papers_published"
KINDS = [
    ("papers_due", "Papers due", "A meeting's papers are not yet published and the deadline is near."),
    ("papers_late", "Papers late", "A meeting's papers deadline has passed and they are not published."),
    ("minutes_due", "Minutes due", "Draft minutes are due within days."),
    ("minutes_overdue", "Minutes overdue", "Draft minutes are past their due date."),
    ("action_due", "Action due", "An action from a meeting is due within a week."),
    ("action_overdue", "Action overdue", "An action from a meeting is past its due date."),
]
NAMED_PAPERS = 3  # a notification names this many papers, then says how many more


def register() -> None:
    for code, label, description in KINDS:
        register_notification_kind(code, label, description, group=GROUP)
    register_notification_kind(
        PAPERS_PUBLISHED,
        "Papers published",
        "The papers of a meeting you can see are published. Off unless you choose it.",
        default=Frequency.OFF,
        group=GROUP,
    )


def _names(titles: list[str]) -> str:
    if len(titles) > NAMED_PAPERS:
        more = len(titles) - NAMED_PAPERS
        return f"{', '.join(titles[:NAMED_PAPERS])} and {more} more"
    if len(titles) > 1:
        return f"{', '.join(titles[:-1])} and {titles[-1]}"
    return titles[0]


def tell_papers_published(meeting, document_pks: list[int], *, actor, subject_key: str) -> None:
    """Tell those who asked for it that these papers of ``meeting`` are published (once the change commits).

    Each person is told only of the papers of the batch that they may read (``public_documents``: their scope,
    never anything exempt); someone who may read none of them, or cannot see the meeting, is not told.
    """
    if not document_pks:
        return
    chose = NotificationPreference.objects.filter(kind=PAPERS_PUBLISHED).exclude(frequency=Frequency.OFF)
    asked = User.objects.filter(is_active=True, pk__in=chose.values("user_id")).order_by("pk")
    groups: dict[tuple[int, ...], tuple[list[str], list]] = {}
    for person in asked:
        if person.pk == getattr(actor, "pk", None) or not meetings_visible_to(person).filter(pk=meeting.pk).exists():
            continue
        papers = list(
            public_documents(person)
            .filter(pk__in=document_pks)
            .order_by("agenda_item__order", "pk")
            .values_list("pk", "title")
        )
        if not papers:
            continue
        key = tuple(pk for pk, _ in papers)
        groups.setdefault(key, ([title for _, title in papers], []))[1].append(person)
    for titles, people in groups.values():
        noun = "Paper" if len(titles) == 1 else f"{len(titles)} papers"
        notify(
            kind=PAPERS_PUBLISHED,
            subject_key=subject_key,
            recipients=people,
            title=f"{noun} published for {meeting}: {_names(titles)}"[:300],
            url=meeting.get_absolute_url(),
            actor=actor,
        )
