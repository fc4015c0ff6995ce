"""One demo user per role per council (and a DfE user)."""

from trustgov.organisations.demo import demo_councils
from trustgov.organisations.models import Council, DeliveryBody

from .models import User
from .roles import Role, sync_role_groups
from .services import user_create

DEMO_PASSWORD = "trustgov-demo-2026"  # noqa: S105 - demo data only, printed by seed_demo


def seed() -> list[tuple[str, str, str]]:
    sync_role_groups()
    logins = []
    for council in demo_councils():
        body = DeliveryBody.objects.filter(council=council).order_by("slug").first()
        wanted = [
            (f"{council.slug}-officer", Role.COUNCIL_OFFICER, council.slug, "Client Manager", council.name),
            (f"{council.slug}-scrutiny", Role.SCRUTINY_MEMBER, council.slug, "Scrutiny Member", council.name),
        ]
        if body:
            wanted.append((f"{body.slug}-exec", Role.TRUST_EXECUTIVE, body.slug, "Chief Executive", body.name))
        for username, role, org, title, org_name in wanted:
            _ensure(username, role, org, title)
            logins.append((username, role.value, org_name))
    _ensure("dfe-liaison", Role.DFE_LIAISON, None, "DfE Liaison")
    logins.append(("dfe-liaison", Role.DFE_LIAISON.value, "Department for Education"))
    # Sandwell's Director of Children's Services, as the papers name her: escalations reach her.
    if Council.objects.filter(slug="sandwell").exists():
        _ensure(
            "sandwell-dcs",
            Role.COUNCIL_OFFICER,
            "sandwell",
            "Executive Director of Children's Services",
            name=("Lesley", "Hagger"),
        )
        logins.append(("sandwell-dcs", Role.COUNCIL_OFFICER.value, "Sandwell (Director of Children's Services)"))
    from trustgov.organisations.demo import seed_office_holders

    seed_office_holders()
    # One officer per council, each trust's executive and the DfE liaison administer their organisation's users.
    for username, *_ in logins:
        if username.endswith(("-officer", "-exec")) or username == "dfe-liaison":
            _make_administrator(username)
    return logins


def summary(logins: list[tuple[str, str, str]]) -> list[str]:
    """What seed_demo prints once everything is loaded: the password and one line per login."""
    width = max(len(u) for u, _, _ in logins)
    return [f"Every demo user has the password: {DEMO_PASSWORD}"] + [
        f"  {username:<{width}}  {role:<16}  {org}" for username, role, org in logins
    ]


def _make_administrator(username: str) -> None:
    user = User.objects.get(username=username)
    if not user.is_administrator:
        user.is_administrator = True
        user._change_reason = "Made an administrator (demo data)"
        user.save()


def _ensure(username: str, role: Role, org: str | None, job_title: str, name: tuple[str, str] | None = None) -> None:
    if User.objects.filter(username=username).exists():
        return
    if name:
        first, last = name
    else:
        first, _, last = username.replace("-", " ").title().partition(" ")
    user_create(
        username=username,
        role=role,
        email=f"{username}@demo.trustgov.local",
        password=DEMO_PASSWORD,
        organisation_slug=org,
        first_name=first,
        last_name=last,
        job_title=job_title,
    )
