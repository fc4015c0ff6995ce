"""The four roles, and how to read a user's role.

The platform's lowest layer names the roles because workflows, the home pages and the header
need them. What each role may *do* (its model permissions) is said in ``trustgov.accounts.roles``,
which builds the groups.
"""

from enum import StrEnum


class Role(StrEnum):
    COUNCIL_OFFICER = "Council officer"
    TRUST_EXECUTIVE = "Trust executive"
    SCRUTINY_MEMBER = "Scrutiny member"
    DFE_LIAISON = "DfE liaison"

    @property
    def slug(self) -> str:
        return self.value.lower().replace(" ", "-")

    @classmethod
    def from_slug(cls, slug: str) -> "Role":
        for role in cls:
            if role.slug == slug:
                return role
        raise ValueError(f"Unknown role '{slug}'. Choose one of: {', '.join(r.slug for r in cls)}.")


def role_of(user) -> Role | None:
    """The user's role, from their group. Cached on the user for the request."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_trustgov_role"):
        names = set(user.groups.values_list("name", flat=True))
        user._trustgov_role = next((r for r in Role if r.value in names), None)
    return user._trustgov_role
