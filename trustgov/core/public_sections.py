"""The sections of a council's public pages, in the order their navigation shows them (ADR 0603).

The pages come from more than one top-layer app (``public``, and the public search in ``search``), which may not
import each other; each names the others' pages here, by URL name only.
"""

from django.urls import reverse

PUBLIC_SECTIONS = (
    ("public:council-index", "Overview"),
    ("public:meeting-calendar", "Meetings"),
    ("public:decisions", "Decisions"),
    ("public:forward-plan", "Forward plan"),
    ("public:board", "Trust board"),
    ("public:scorecard", "Performance"),
    ("public:data", "Open data"),
    ("search:public-search", "Search"),
)


def public_navigation(slug: str, current: str) -> list[dict]:
    """The navigation of the council's public pages, with ``current`` (a URL name) marked as the page shown."""
    return [
        {"label": label, "href": reverse(name, kwargs={"slug": slug}), "active": name == current}
        for name, label in PUBLIC_SECTIONS
    ]
