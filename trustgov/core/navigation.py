"""Header navigation and the home page's "needs my attention" list, filled by each app.

Apps register in their AppConfig.ready() so the shell never imports domain code.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse
from django.utils import timezone


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    permission: str | None = None  # the user must hold it; None = any signed-in user
    order: int = 100


@dataclass(frozen=True)
class AttentionItem:
    title: str
    url: str
    detail: str = ""
    due: date | None = None
    tag: str = ""  # e.g. "Overdue", "Due soon"
    tag_colour: str = ""  # a govuk-tag modifier: red, yellow, blue, grey
    waiting_since: date | None = None  # when it reached the step it waits at
    waiting_on_others: bool = False  # someone else must act: shown for information, after the user's own

    @property
    def waited_text(self) -> str:
        if self.waiting_since is None:
            return ""
        days = (timezone.localdate() - self.waiting_since).days
        if days <= 0:
            return "Waiting since today"
        return f"Waited {days} day{'s' if days != 1 else ''}"


@dataclass(frozen=True)
class HomePanel:
    """A section of a home page that leads with what the user must do next (rendered before the list)."""

    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


AttentionProvider = Callable[..., list[AttentionItem]]
PanelProvider = Callable[..., "HomePanel | None"]

_NAV: list[NavItem] = []
_ATTENTION: list[AttentionProvider] = []
_PANELS: list[PanelProvider] = []


def register_nav(item: NavItem) -> None:
    if item not in _NAV:
        _NAV.append(item)


def register_attention(provider: AttentionProvider) -> None:
    if provider not in _ATTENTION:
        _ATTENTION.append(provider)


def register_home_panel(provider: PanelProvider) -> None:
    if provider not in _PANELS:
        _PANELS.append(provider)


def home_panels_for(user) -> list[HomePanel]:
    panels = [panel for provider in _PANELS if (panel := provider(user)) is not None]
    return sorted(panels, key=lambda p: p.order)


def nav_for(user, current_path: str) -> list[dict]:
    items = []
    for item in sorted(_NAV, key=lambda i: i.order):
        if item.permission and not user.has_perm(item.permission):
            continue
        href = reverse(item.url_name)
        active = current_path == href if href == "/" else current_path.startswith(href)
        items.append({"label": item.label, "href": href, "active": active})
    return items


def attention_for(user, *, oldest_first: bool = False) -> list[AttentionItem]:
    """Every provider's items: soonest due first, or (``oldest_first``) the longest waiting first."""
    items: list[AttentionItem] = []
    for provider in _ATTENTION:
        items.extend(provider(user))
    if oldest_first:
        return sorted(items, key=lambda i: (i.waiting_since is None, i.waiting_since or date.max, i.due or date.max))
    return sorted(items, key=lambda i: (i.due is None, i.due or date.max, i.waiting_since or date.max))
