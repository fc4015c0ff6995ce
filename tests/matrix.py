"""The permission matrix: every named URL, what each role gets on GET, and who uses the page.

Each app contributes ``ROUTES`` in tests/<app>/routes.py. ``test_permission_matrix`` fails
when a named URL has no entry here, so a new page cannot skip the matrix (or the browser
and axe walk, which visits each entry as its ``browser_role``).

``kwargs`` is a callable returning the URL kwargs, evaluated against the demo data
(seed_demo), where the signed-in users of the matrix belong to Sandwell.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

OFFICER, TRUST, SCRUTINY, DFE, ANON = "officer", "trust", "scrutiny", "dfe", "anon"
ROLES = (OFFICER, TRUST, SCRUTINY, DFE)
# Demo users that stand for each role in the matrix (all Sandwell but the DfE).
DEMO_USERNAMES = {
    OFFICER: "sandwell-officer",
    TRUST: "sandwell-trust-exec",
    SCRUTINY: "sandwell-scrutiny",
    DFE: "dfe-liaison",
}
EVERYONE = dict.fromkeys(ROLES, 200)


@dataclass(frozen=True)
class Route:
    name: str
    expected: dict[str, int]  # role -> GET status; anonymous defaults to a redirect to sign in
    kwargs: Callable[[], dict] = dict
    browser_role: str | None = OFFICER  # who uses the page (None: not an HTML page)
    anon: int = 302
    query: str = ""
    notes: str = field(default="", compare=False)
    # The record in the URL is shared by every tenant (a KPI definition, a council's public
    # page): the cross-tenant test does not expect a 404 for it.
    shared: bool = False


def everyone_but(**overrides: int) -> dict[str, int]:
    return {**EVERYONE, **overrides}
