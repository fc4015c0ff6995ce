"""Header navigation and the home page's "needs my attention" list, filled by each app.

Apps register in their AppConfig.ready() so the shell never imports domain code.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.urls import reverse


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


def attention_for(user) -> list[AttentionItem]:
    items: list[AttentionItem] = []
    for provider in _ATTENTION:
        items.extend(provider(user))
    return sorted(items, key=lambda i: (i.due is None, i.due or date.max))
