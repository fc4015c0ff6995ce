"""Every change to users and tokens goes through these functions."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from trustgov.organisations import services as organisation_services
from trustgov.organisations.models import Council, DeliveryBody

from .models import ApiToken, User, hash_token_key
from .roles import Role, role_of, sync_role_groups


@transaction.atomic
def user_create(
    *,
    username: str,
    role: Role,
    email: str,
    password: str,
    organisation_slug: str | None = None,
    first_name: str = "",
    last_name: str = "",
    job_title: str = "",
) -> User:
    """Create a user in a role, attached to the organisation the role needs.

    Council officers and scrutiny members belong to a council, trust executives to a
    delivery body, and the DfE liaison to the DfE (no organisation).
    """
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": f"A user called '{username}' already exists."})
    council = delivery_body = None
    if role in (Role.COUNCIL_OFFICER, Role.SCRUTINY_MEMBER):
        if not organisation_slug:
            raise ValidationError(
                {"organisation": f"A {role.value.lower()} must belong to a council: give --organisation."}
            )
        council = Council.objects.filter(slug=organisation_slug).first()
        if council is None:
            raise ValidationError({"organisation": f"No council with slug '{organisation_slug}'."})
    elif role == Role.TRUST_EXECUTIVE:
        if not organisation_slug:
            raise ValidationError({"organisation": "A trust executive must belong to a trust: give --organisation."})
        delivery_body = DeliveryBody.objects.filter(slug=organisation_slug).first()
        if delivery_body is None:
            raise ValidationError({"organisation": f"No trust or delivery body with slug '{organisation_slug}'."})
    elif organisation_slug:
        raise ValidationError({"organisation": "A DfE liaison belongs to the DfE: do not give --organisation."})

    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        job_title=job_title,
        council=council,
        delivery_body=delivery_body,
        is_dfe=role == Role.DFE_LIAISON,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    if not Group.objects.filter(name=role.value).exists():
        sync_role_groups()
    user.groups.set([Group.objects.get(name=role.value)])
    return user


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    key: str  # shown once, never stored


@transaction.atomic
def api_token_issue(*, user: User, name: str, scope: str = ApiToken.Scope.READ, days: int | None = None) -> IssuedToken:
    if scope not in ApiToken.Scope.values:
        raise ValidationError({"scope": f"Scope must be one of: {', '.join(ApiToken.Scope.values)}."})
    days = days or settings.API_TOKEN_DEFAULT_DAYS
    if not 1 <= days <= 366:
        raise ValidationError({"days": "A token must expire within 1 to 366 days."})
    key = ApiToken.generate_key()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[: ApiToken.PREFIX_LENGTH],
        key_hash=hash_token_key(key),
        scope=scope,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return IssuedToken(token=token, key=key)


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


# --- administration: invitations, deactivation, role changes ----------------------------------
#
# Every change is saved on the user with a reason and the administrator's name, so the user's
# history says who did what and why (the role lives in a group, which history does not see).


def _save_with_reason(user: User, *, by: User | None, reason: str) -> None:
    user._change_reason = reason
    if by is not None:
        user._history_user = by
    user.save()


def _check_can_act_on(*, admin: User, user: User) -> None:
    from django.http import Http404

    from .selectors import users_administered_by

    if not users_administered_by(admin).filter(pk=user.pk).exists():
        raise Http404("No such user.")


def _placement(*, admin: User, role: Role, organisation) -> tuple[Council | None, DeliveryBody | None]:
    """Check the role is one the administrator may give and the organisation one they manage and the role fits."""
    from .roles import assignable_roles
    from .selectors import organisations_administered_by

    allowed = assignable_roles(admin)
    if role not in allowed:
        names = ", ".join(r.value.lower() for r in allowed) or "nobody"
        raise ValidationError({"role": f"You cannot give the role '{role.value}': you may give {names}."})
    if organisation not in organisations_administered_by(admin):
        raise ValidationError({"organisation": "Choose an organisation you administer."})
    if role in (Role.COUNCIL_OFFICER, Role.SCRUTINY_MEMBER):
        if not isinstance(organisation, Council):
            raise ValidationError({"organisation": f"A {role.value.lower()} belongs to a council: choose the council."})
        return organisation, None
    if role == Role.TRUST_EXECUTIVE:
        if not isinstance(organisation, DeliveryBody):
            raise ValidationError({"organisation": "A trust executive belongs to a trust: choose the trust."})
        return None, organisation
    if organisation is not None:
        raise ValidationError({"organisation": "A DfE liaison belongs to the Department for Education."})
    return None, None


@dataclass(frozen=True)
class Invitation:
    user: User
    link: str  # absolute set-password link, also emailed


def _send_invitation(*, user: User, by: User, base_url: str) -> str:
    from django.core.mail import send_mail

    from .invitations import invitation_path

    link = base_url.rstrip("/") + invitation_path(user)
    days = settings.INVITATION_TIMEOUT // 86400
    inviter = by.get_full_name() or by.username
    organisation = user.organisation_name or "TrustGov"
    send_mail(
        subject="You have been invited to TrustGov",
        message=(
            f"{inviter} has invited you to TrustGov as {user.role_label} ({organisation}).\n\n"
            f"Your username is {user.username}. Set your password with this link:\n\n{link}\n\n"
            f"The link works once and expires in {days} days. If you were not expecting this, ignore this email."
        ),
        from_email=None,
        recipient_list=[user.email],
    )
    return link


@transaction.atomic
def user_invite(
    *,
    admin: User,
    email: str,
    role: Role,
    organisation,
    base_url: str,
    first_name: str = "",
    last_name: str = "",
    job_title: str = "",
    is_administrator: bool = False,
) -> Invitation:
    """An administrator invites someone: an account with no password, and an emailed set-password link.

    The username is the email address. An address already in use is refused, naming the field.
    """
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": "Enter an email address"})
    if User.objects.filter(email__iexact=email).exists() or User.objects.filter(username__iexact=email).exists():
        raise ValidationError({"email": f"{email} is already in use by another TrustGov account"})
    council, delivery_body = _placement(admin=admin, role=role, organisation=organisation)
    user = User(
        username=email,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        job_title=job_title.strip(),
        council=council,
        delivery_body=delivery_body,
        is_dfe=role == Role.DFE_LIAISON,
        is_administrator=is_administrator,
    )
    user.set_unusable_password()
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        raise ValidationError({"username" if f == "username" else f: m for f, m in exc.message_dict.items()}) from exc
    _save_with_reason(user, by=admin, reason=f"Invited as {role.value} by {admin.get_full_name() or admin.username}")
    _set_role(user, role)
    link = _send_invitation(user=user, by=admin, base_url=base_url)
    return Invitation(user=user, link=link)


def _set_role(user: User, role: Role) -> None:
    if not Group.objects.filter(name=role.value).exists():
        sync_role_groups()
    user.groups.set([Group.objects.get(name=role.value)])
    user._trustgov_role = role


@transaction.atomic
def invitation_resend(*, admin: User, user: User, base_url: str) -> Invitation:
    """A new link for someone who has not yet set a password (the old one keeps its own expiry)."""
    _check_can_act_on(admin=admin, user=user)
    if user.has_usable_password():
        raise ValidationError({"user": f"{user.username} has already set a password: they can reset it themselves"})
    _save_with_reason(user, by=admin, reason="Invitation sent again")
    return Invitation(user=user, link=_send_invitation(user=user, by=admin, base_url=base_url))


@transaction.atomic
def invitation_accept(*, uidb64: str, token: str, password: str) -> User:
    """The invited person sets their password through the link; the link then stops working."""
    from .invitations import LINK_MESSAGES, LinkState, invitation_tokens, user_from_uidb64

    user = user_from_uidb64(uidb64)
    state = invitation_tokens.state(user, token)
    if state != LinkState.VALID:
        raise ValidationError({"token": LINK_MESSAGES[state]})
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from exc
    user.set_password(password)
    _save_with_reason(user, by=user, reason="Accepted the invitation and set a password")
    return user


@transaction.atomic
def user_deactivate(*, admin: User, user: User) -> User:
    _check_can_act_on(admin=admin, user=user)
    if user.pk == admin.pk:
        raise ValidationError({"user": "You cannot deactivate your own account: ask another administrator"})
    if role_rank_exceeds(user, admin):
        raise ValidationError({"user": f"You cannot deactivate a {user.role_label.lower()}"})
    if user.is_active:
        user.is_active = False
        _save_with_reason(user, by=admin, reason="Deactivated")
        # Tokens stop working with the account; revoke them too, so reactivating does not revive them.
        for token in user.api_tokens.filter(revoked_at__isnull=True):
            api_token_revoke(token=token)
    return user


@transaction.atomic
def user_reactivate(*, admin: User, user: User) -> User:
    _check_can_act_on(admin=admin, user=user)
    if role_rank_exceeds(user, admin):
        raise ValidationError({"user": f"You cannot reactivate a {user.role_label.lower()}"})
    if not user.is_active:
        user.is_active = True
        _save_with_reason(user, by=admin, reason="Reactivated")
    return user


def role_rank_exceeds(user: User, admin: User) -> bool:
    """The user holds a role the administrator could not give (so cannot be managed by them)."""
    from .roles import assignable_roles

    role = role_of(user)
    return role is not None and role not in assignable_roles(admin)


@transaction.atomic
def user_update(
    *, admin: User, user: User, role: Role, organisation, job_title: str = "", is_administrator: bool = False
) -> User:
    """Change a user's role, organisation, job title or administrator permission (never above the admin's own)."""

    _check_can_act_on(admin=admin, user=user)
    if role_rank_exceeds(user, admin):
        raise ValidationError({"role": f"You cannot change a {user.role_label.lower()}'s account"})
    if user.pk == admin.pk and (role != role_of(user) or not is_administrator):
        raise ValidationError({"role": "You cannot change your own role or remove your own administrator permission"})
    council, delivery_body = _placement(admin=admin, role=role, organisation=organisation)
    old_role = role_of(user)
    changes = []
    if old_role != role:
        changes.append(f"role {old_role.value if old_role else 'none'} → {role.value}")
    user.council, user.delivery_body, user.is_dfe = council, delivery_body, role == Role.DFE_LIAISON
    user.job_title = job_title.strip()
    user.is_administrator = is_administrator
    user.full_clean(exclude=["password"])
    _set_role(user, role)
    _save_with_reason(user, by=admin, reason=("Changed " + ", ".join(changes)) if changes else "Details changed")
    return user


@transaction.atomic
def council_bootstrap(
    *,
    name: str,
    la_code: str,
    gss_code: str,
    admin_email: str,
    base_url: str,
    slug: str = "",
    council_type: str = "unitary",
    first_name: str = "",
    last_name: str = "",
) -> Invitation:
    """A council adopting TrustGov with no demo data: the council and its first administrator (an officer).

    Nothing is saved unless both are valid; the administrator is invited like anyone else.
    """
    council = organisation_services.council_create(
        by=None, name=name, slug=slug, la_code=la_code, gss_code=gss_code, council_type=council_type
    )
    # The first administrator is invited by the system: there is nobody yet to invite them.
    system = User(username="system", is_superuser=True)
    email = (admin_email or "").strip().lower()
    if not email:
        raise ValidationError({"admin_email": "Enter the first administrator's email address"})
    if User.objects.filter(email__iexact=email).exists() or User.objects.filter(username__iexact=email).exists():
        raise ValidationError({"admin_email": f"{email} is already in use by another TrustGov account"})
    user = User(
        username=email,
        email=email,
        first_name=first_name,
        last_name=last_name,
        council=council,
        job_title="Administrator",
        is_administrator=True,
    )
    user.set_unusable_password()
    user.full_clean(exclude=["password"])
    _save_with_reason(user, by=None, reason=f"First administrator of {council.name} (bootstrap_council)")
    _set_role(user, Role.COUNCIL_OFFICER)
    link = _send_invitation(user=user, by=system, base_url=base_url)
    return Invitation(user=user, link=link)


# --- two-factor sign-in (ADR 0012) --------------------------------------------------------------


def _two_factor_devices_delete(user: User) -> None:
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@transaction.atomic
def two_factor_enrol(*, user: User, key: str, code: str) -> list[str]:
    """Confirm set-up: the code must match the key shown on the set-up page. Saves the authenticator
    app's device and ten new recovery codes (replacing any earlier ones) and returns the codes, to be
    shown once. A wrong code saves nothing."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from . import two_factor

    code = two_factor.normalise_code(code)
    if not (code.isdigit() and len(code) == 6):
        raise ValidationError({"code": "Enter the 6-digit code from your authenticator app"})
    step = two_factor.setup_code_step(key, code)
    if step is None:
        raise ValidationError(
            {"code": "The code is not right or has expired: enter the code your authenticator app shows now"}
        )
    _two_factor_devices_delete(user)
    device = TOTPDevice(user=user, name=two_factor.TOTP_DEVICE_NAME, key=key, confirmed=True)
    # The code just entered (and any earlier one) may not be used again to sign in.
    device.last_t = step
    device.save()
    recovery = StaticDevice.objects.create(user=user, name=two_factor.RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.TRUSTGOV_RECOVERY_CODE_COUNT)]
    for token in codes:
        recovery.token_set.create(token=token)
    _save_with_reason(user, by=user, reason="Two-factor authentication set up")
    return codes


@transaction.atomic
def two_factor_reset_own(*, user: User) -> None:
    """The user removes their own authenticator app and recovery codes (the view has checked a code first)."""
    _two_factor_devices_delete(user)
    _save_with_reason(user, by=user, reason="Two-factor authentication reset by the user")


@transaction.atomic
def two_factor_reset(*, admin: User, user: User, reason: str) -> User:
    """An administrator resets another user's two-factor sign-in (a lost phone): at their next sign-in
    they set it up again. The user's history records who did it and why."""
    _check_can_act_on(admin=admin, user=user)
    if user.pk == admin.pk:
        raise ValidationError({"reason": "Reset your own two-factor authentication from your account page"})
    if role_rank_exceeds(user, admin):
        role = user.role_label.lower()
        raise ValidationError({"reason": f"You cannot reset the two-factor authentication of a {role}"})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why you are resetting their two-factor authentication"})
    _two_factor_devices_delete(user)
    by = admin.get_full_name() or admin.username
    _save_with_reason(user, by=admin, reason=f"Two-factor authentication reset by {by}: {reason}")
    return user
