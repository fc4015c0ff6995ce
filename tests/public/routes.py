"""A live council's public pages: open to everyone, signed in or not (ADR 0603). ``shared``: a council's public
pages are the same for every tenant, so the cross-tenant test expects no 404 for them."""

from meetings.selectors import public_meetings, public_papers
from public.models import PublicSubscription
from trustgov.organisations.models import Council

from ..matrix import ANON, EVERYONE, Route


def sandwell() -> dict:
    return {"slug": "sandwell"}


def _council() -> Council:
    return Council.objects.get(slug="sandwell")


def published_meeting() -> dict:
    meeting = public_meetings(_council()).filter(items__documents__in=public_papers(_council())).first()
    return {"slug": "sandwell", "pk": meeting.pk}


def published_paper() -> dict:
    return {"slug": "sandwell", "pk": public_papers(_council()).first().pk}


def pending_subscription() -> dict:
    """An unconfirmed subscription (a GET of its confirm or unsubscribe page changes nothing, ADR 0609)."""
    subscription, _ = PublicSubscription.objects.get_or_create(
        council=_council(), body_kind="", email="matrix@example.com", unsubscribed_at=None
    )
    return {"slug": "sandwell", "token": subscription.token}


def _open(name: str, kwargs, browser_role: str | None = ANON) -> Route:
    return Route(name, EVERYONE, kwargs=kwargs, browser_role=browser_role, anon=200, shared=True)


ROUTES = [
    _open("public:council-index", sandwell),
    _open("public:meeting-calendar", sandwell),
    _open("public:meeting-detail", published_meeting),
    _open("public:paper-download", published_paper, browser_role=None),
    _open("public:meetings-ical", sandwell, browser_role=None),
    _open("public:publications-atom", sandwell, browser_role=None),
    _open("public:agenda-pack", published_meeting, browser_role=None),  # a PDF (ADR 0605)
    _open("public:subscribe", sandwell),
    _open("public:subscribe-check-email", sandwell),
    _open("public:subscribe-confirm", pending_subscription),
    _open("public:unsubscribe", pending_subscription),
    _open("public:board", sandwell),
    _open("public:scorecard", sandwell),
    _open("public:data", sandwell),
    _open("public:data-csv", lambda: {"slug": "sandwell", "dataset": "meetings"}, browser_role=None),
    _open("public:data-json", lambda: {"slug": "sandwell", "dataset": "kpi-figures"}, browser_role=None),
    _open("public:ocds-releases", sandwell, browser_role=None),  # JSON (ADR 0608)
    _open("public:ocds-records", sandwell, browser_role=None),
    _open("public:popolo", sandwell, browser_role=None),
    _open("public:decisions", sandwell),
    _open("public:forward-plan", sandwell),
]
