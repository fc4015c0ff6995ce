"""Search: signed in, every role searches what it may open; a live council's public search is open to everyone
(ADR 0606)."""

from ..matrix import ANON, EVERYONE, Route

ROUTES = [
    Route("search:search", EVERYONE, query="?q=children"),
    Route(
        "search:public-search",
        EVERYONE,
        kwargs=lambda: {"slug": "sandwell"},
        browser_role=ANON,
        anon=200,
        shared=True,
        query="?q=meeting",
    ),
]
