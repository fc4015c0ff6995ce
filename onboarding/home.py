"""The home page of a council administrator whose council is party to no contract yet: set up from a workbook.

A council is party to its own contracts and to the joint contracts of the trusts it owns (North
Northamptonshire to the Northamptonshire contract West Northamptonshire leads), as the contracts'
scoping reads it.
"""

from contracts.selectors import contracts_visible_to
from trustgov.core.navigation import HomePanel

from .services import may_onboard


def onboarding_panel(user) -> HomePanel | None:
    council = getattr(user, "council", None)
    if council is None or not may_onboard(user, council) or contracts_visible_to(user).exists():
        return None
    return HomePanel("onboarding/_home_panel.html", order=5)
