"""The home page of a council administrator whose council has no contract yet: set up from a workbook."""

from contracts.models import Contract
from trustgov.core.navigation import HomePanel

from .services import may_onboard


def onboarding_panel(user) -> HomePanel | None:
    council = getattr(user, "council", None)
    if council is None or not may_onboard(user, council) or Contract.objects.filter(council=council).exists():
        return None
    return HomePanel("onboarding/_home_panel.html", order=5)
