"""The council officer's home links to the council's public pages, once the council is live (ADR 0603)."""

from django.urls import reverse

from trustgov.core.navigation import HomePanel
from trustgov.core.roles import Role, role_of
from trustgov.organisations.selectors import live_councils


def public_pages_panel(user) -> HomePanel | None:
    council_id = getattr(user, "council_id", None)
    if not council_id or role_of(user) != Role.COUNCIL_OFFICER:
        return None
    council = live_councils().filter(pk=council_id).first()
    if council is None:
        return None
    return HomePanel(
        "public/_home_panel.html",
        {"council": council, "url": reverse("public:council-index", kwargs={"slug": council.slug})},
        order=900,
    )
