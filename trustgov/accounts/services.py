"""Every change to users and tokens goes through these functions."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from trustgov.organisations.models import Council, DeliveryBody

from .models import ApiToken, User, hash_token_key
from .roles import Role, sync_role_groups


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
