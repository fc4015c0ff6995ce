"""Changes to organisations' records: the delivery bodies a council contracts with, the councils that own
them, and who holds each named office. Keyword-only, atomic, and refusing bad input with a message naming
the field."""

import re
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from trustgov.core.permissions import role_refused
from trustgov.core.roles import Role, role_of
from trustgov.core.scoping import visible

from .models import Council, DeliveryBody, Direction, MemorandumOfUnderstanding, OfficeHolding, Ownership


def _check_office(*, council: Council, office: str, delivery_body) -> dict[str, str]:
    if office not in OfficeHolding.Office.values:
        return {"office": "Choose the office."}
    if office in OfficeHolding.TRUST_OFFICES:
        if delivery_body is None or not delivery_body.is_owned_by(council):
            return {"office": "A trust's office needs the trust: choose the Chair or Chief Executive of your trust."}
    elif delivery_body is not None:
        return {"office": "This is an office of the council, not of the trust."}
    return {}


@transaction.atomic
def office_holding_record(
    *,
    user,
    council: Council,
    office: str,
    holder_name: str,
    start_date,
    delivery_body=None,
    title_held: str = "",
    account=None,
    source: str = "",
) -> OfficeHolding:
    """Record a new holder of an office from ``start_date``; the holder before them ends the day before."""
    if not user.has_perm("organisations.add_officeholding"):
        raise PermissionDenied("You do not have permission to record office holders.")
    if not visible(Council, user).filter(pk=council.pk).exists() or (user.council_id and user.council_id != council.pk):
        raise ValidationError({"office": "Choose an office of your own council or its trust."})
    errors = _check_office(council=council, office=office, delivery_body=delivery_body)
    if not (holder_name or "").strip():
        errors["holder_name"] = "Enter the name of the person who holds the office."
    if not start_date:
        errors["start_date"] = "Enter the date they hold the office from."
    if account is not None:
        belongs = account.delivery_body_id == delivery_body.pk if delivery_body else account.council_id == council.pk
        if not belongs or not account.is_active:
            errors["account"] = "Choose an active account of the same council or trust."
    if errors:
        raise ValidationError(errors)
    scope = {"delivery_body": delivery_body} if delivery_body else {"council": council, "delivery_body": None}
    current = list(
        OfficeHolding.objects.select_for_update(of=("self",)).filter(office=office, end_date__isnull=True, **scope)
    )
    for previous in current:
        if previous.start_date and previous.start_date >= start_date:
            raise ValidationError(
                {
                    "start_date": f"{previous.holder_name} holds the office from {previous.start_date:%-d %B %Y}: "
                    "the new holder must start after that."
                }
            )
    if (
        OfficeHolding.objects.filter(office=office, **scope)
        .filter(Q(end_date__gte=start_date), Q(start_date__isnull=True) | Q(start_date__lte=start_date))
        .exists()
    ):
        raise ValidationError({"start_date": "Someone already held the office on that date."})
    for previous in current:
        previous.end_date = start_date - timedelta(days=1)
        previous._change_reason = f"Succeeded by {holder_name.strip()} from {start_date:%-d %B %Y}"
        previous.save()
    return _new_holding(
        council, delivery_body, office, holder_name.strip(), title_held, source, user=account, start_date=start_date
    )


def _new_holding(council, delivery_body, office, holder_name, title_held, source, **dates) -> OfficeHolding:
    """The holding, checked and saved (its dates, and the holder's account when known, in ``dates``)."""
    holding = OfficeHolding(
        council=council,
        delivery_body=delivery_body,
        office=office,
        holder_name=holder_name,
        title_held=(title_held or "").strip(),
        source=(source or "").strip(),
        **dates,
    )
    holding.full_clean()
    holding.save()
    return holding


@transaction.atomic
def office_holding_import(
    *,
    user,
    council: Council,
    office: str,
    holder_name: str,
    start_date=None,
    end_date=None,
    delivery_body=None,
    title_held: str = "",
    source: str = "",
) -> OfficeHolding:
    """Record a holding as another record already has it (an onboarding import): a past holder with the
    dates they held the office, or the present one, whose start may not be known.

    Unlike ``office_holding_record`` it succeeds nobody: a holding that overlaps another holder of the same
    office is refused, naming the other holder.
    """
    if not user.has_perm("organisations.add_officeholding"):
        raise PermissionDenied("You do not have permission to record office holders.")
    if not visible(Council, user).filter(pk=council.pk).exists() or (user.council_id and user.council_id != council.pk):
        raise ValidationError({"office": "Choose an office of your own council or its trust."})
    errors = _check_office(council=council, office=office, delivery_body=delivery_body)
    holder_name = " ".join((holder_name or "").split())
    if not holder_name:
        errors["holder_name"] = "Enter the name of the person who holds the office."
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = "The date they held the office until must be on or after the date they held it from."
    if errors:
        raise ValidationError(errors)
    scope = {"delivery_body": delivery_body} if delivery_body else {"council": council, "delivery_body": None}
    clash = OfficeHolding.objects.filter(office=office, **scope)
    if start_date:
        clash = clash.filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date))
    if end_date:
        clash = clash.filter(Q(start_date__isnull=True) | Q(start_date__lte=end_date))
    other = clash.first()
    if other is not None:
        held = f"from {other.start_date:%-d %B %Y}" if other.start_date else "(from a date not recorded)"
        raise ValidationError(
            {"start_date": f"{other.holder_name} holds the office {held} then: holdings cannot overlap."}
        )
    return _new_holding(
        council, delivery_body, office, holder_name, title_held, source, start_date=start_date, end_date=end_date
    )


def _save(obj, *, user, reason: str) -> None:
    obj._change_reason = reason
    obj._history_user = user  # who, from a command or a task as from a request
    obj.save()


def _apply_changes(obj, changes: dict, fields, *, check, user) -> None:
    """Set the allowed fields that differ, check the record, and save it (if anything changed) with the
    history reason naming what did: "Changed LA code, GSS code"."""
    changed = [k for k, v in changes.items() if k in fields and getattr(obj, k) != v]
    for key in changed:
        setattr(obj, key, changes[key])
    check(obj)
    if changed:
        labels = ", ".join(str(obj._meta.get_field(k).verbose_name) for k in changed)
        _save(obj, user=user, reason=f"Changed {labels}")


DELIVERY_BODY_FIELDS = (
    "name",
    "kind",
    "lead_authority",
    "company_number",
    "wholly_owned",
    "shadow_from",
    "operational_from",
)


def _is_council_administrator(user) -> bool:
    return bool(role_of(user) == Role.COUNCIL_OFFICER and getattr(user, "is_administrator", False) and user.is_active)


def is_set_up_administrator(user) -> bool:
    """Whether the user sets up some council's records (their own council's administrator, or a superuser)."""
    return bool(user.is_superuser or _is_council_administrator(user))


def may_set_up(user, council: Council) -> bool:
    """Whether the user sets up the council's records (its details, delivery bodies, directions, MoUs): the
    council's own administrator, or a superuser."""
    return bool(user.is_superuser or (_is_council_administrator(user) and user.council_id == council.pk))


def _check_council_administrator(user, council: Council, what: str = "the council's delivery bodies") -> None:
    if user.is_superuser:
        return
    if not _is_council_administrator(user):
        raise PermissionDenied(f"Only a council administrator sets up {what}.")
    if user.council_id != council.pk:
        raise ValidationError({"council": f"You can set up {what.replace('the council', 'your own council')} only."})


def _check_delivery_body(body: DeliveryBody) -> None:
    errors = {}
    if body.shadow_from and body.operational_from and body.shadow_from >= body.operational_from:
        errors["shadow_from"] = "The shadow period must start before the trust goes live."
    clash = DeliveryBody.objects.filter(name__iexact=body.name).exclude(pk=body.pk).first()
    if clash is not None:
        errors["name"] = f"A delivery body called '{clash.name}' already exists."
    if errors:
        raise ValidationError(errors)
    body.full_clean()


@transaction.atomic
def delivery_body_create(*, user, council: Council, slug: str, name: str, **data) -> DeliveryBody:
    """A council's administrator records the delivery body (trust, CIC or partnership) it contracts with."""
    _check_council_administrator(user, council)
    slug = (slug or "").strip().lower()
    if DeliveryBody.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": f"A delivery body with the short name '{slug}' already exists."})
    body = DeliveryBody(
        council=council,
        slug=slug,
        name=" ".join((name or "").split()),
        **{k: v for k, v in data.items() if k in DELIVERY_BODY_FIELDS},
    )
    _check_delivery_body(body)
    _save(body, user=user, reason="Added")
    return body


@transaction.atomic
def delivery_body_update(*, user, delivery_body: DeliveryBody, **changes) -> DeliveryBody:
    _check_council_administrator(user, delivery_body.council)
    _apply_changes(delivery_body, changes, DELIVERY_BODY_FIELDS, check=_check_delivery_body, user=user)
    return delivery_body


# --- owning councils ----------------------------------------------------------------------------------
# A delivery body's lead council (``DeliveryBody.council``) is always an owner; co-owning councils are added
# and ended by an administrator of the lead council, each change with its reason in the history (ADR 0002).


def may_change_owners(user, delivery_body: DeliveryBody) -> bool:
    """Whether the user may add or end a co-owner of the body: the lead council's administrator (or a superuser)."""
    return bool(user.is_superuser or (_is_council_administrator(user) and user.council_id == delivery_body.council_id))


def _check_lead_administrator(user, delivery_body: DeliveryBody) -> None:
    if not may_change_owners(user, delivery_body):
        raise role_refused(
            "council",
            f"Only an administrator of {delivery_body.council}, the lead council, adds or ends an owner of "
            f"{delivery_body}.",
        )


def _reason_into(reason: str, errors: dict) -> str:
    """The reason, tidied; when there is none, its message goes into ``errors`` (to be raised with the others)."""
    try:
        return _reason(reason)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        return ""


def _reason(reason: str) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "Enter why the ownership changes, for example the decision that agreed it."})
    return reason


@transaction.atomic
def ownership_add(*, user, delivery_body: DeliveryBody, council: Council, since, reason: str) -> Ownership:
    """Record ``council`` as a co-owner of ``delivery_body`` from ``since``: its users then see the trust and the
    records every owner is party to (a joint contract, a joint committee). A council that owned it before and
    stopped is an owner again from the new date (its earlier period stays in the history)."""
    _check_lead_administrator(user, delivery_body)
    errors = {}
    if council is None:
        errors["council"] = "Choose the council that becomes an owner."
    elif council.pk == delivery_body.council_id:
        errors["council"] = f"{council} is the lead council: it owns {delivery_body} already."
    if not since:
        errors["since"] = "Enter the date the council becomes an owner."
    reason_text = _reason_into(reason, errors)
    if errors:
        raise ValidationError(errors)
    ownership = Ownership.objects.select_for_update().filter(delivery_body=delivery_body, council=council).first()
    if ownership is not None and ownership.until is None:
        raise ValidationError({"council": f"{council} is already an owner of {delivery_body}."})
    if ownership is not None and since <= ownership.until:
        raise ValidationError(
            {"since": f"{council} owned {delivery_body} until {ownership.until:%-d %B %Y}: enter a later date."}
        )
    if ownership is None:
        ownership = Ownership(delivery_body=delivery_body, council=council)
    ownership.since, ownership.until = since, None
    ownership.full_clean()
    ownership._change_reason = reason_text
    ownership._history_user = user  # who, from a command or a task as from a request
    ownership.save()
    return ownership


@transaction.atomic
def ownership_end(*, user, ownership: Ownership, until, reason: str) -> Ownership:
    """End a co-owner's ownership on ``until`` (its last day as an owner): from the day after, its users no longer
    see the trust. The lead council is never removed."""
    ownership = Ownership.objects.select_for_update().select_related("delivery_body", "council").get(pk=ownership.pk)
    body = ownership.delivery_body
    _check_lead_administrator(user, body)
    if ownership.council_id == body.council_id:
        raise ValidationError(
            {"council": f"{ownership.council} is the lead council of {body}: the lead council is always an owner."}
        )
    errors = {}
    if ownership.until is not None:
        errors["until"] = f"{ownership.council}'s ownership already ended on {ownership.until:%-d %B %Y}."
    elif not until:
        errors["until"] = "Enter the last day the council is an owner."
    elif ownership.since and until < ownership.since:
        errors["until"] = f"The ownership began on {ownership.since:%-d %B %Y}: enter that date or a later one."
    reason_text = _reason_into(reason, errors)
    if errors:
        raise ValidationError(errors)
    ownership.until = until
    ownership.full_clean()
    ownership._change_reason = reason_text
    ownership._history_user = user  # who, from a command or a task as from a request
    ownership.save()
    return ownership


# --- councils -----------------------------------------------------------------------------------------
# A council is registered once, by ``bootstrap_council`` (its first administrator) or by a superuser (a
# co-owning council whose own users come later); its administrator keeps its details. One set of rules for both.

COUNCIL_FIELDS = ("name", "council_type", "website", "la_code", "gss_code")
# The areas of English councils with children's services: unitary (E06), metropolitan (E08), London (E09),
# county (E10).
GSS_CODE = re.compile(r"^E(06|08|09|10)[0-9]{6}$")
LA_CODE = re.compile(r"^[0-9]{3}$")  # ASCII digits: str.isdigit() would take '８０１'


def _check_council(council: Council) -> None:
    errors = {}
    council.name = " ".join((council.name or "").split())
    council.la_code = (council.la_code or "").strip()
    council.gss_code = (council.gss_code or "").strip().upper()
    if not council.name:
        errors["name"] = "Enter the council's name."
    if not LA_CODE.match(council.la_code):
        errors["la_code"] = "Enter the LA code: the DfE's three-digit number, for example 333."
    if not GSS_CODE.match(council.gss_code):
        errors["gss_code"] = (
            "Enter the GSS code: E06, E08, E09 or E10 and six digits, for example E08000028 "
            "(a council with children's services)."
        )
    others = Council.objects.exclude(pk=council.pk)
    for field, label in (("name", "name"), ("slug", "short name"), ("la_code", "LA code"), ("gss_code", "GSS code")):
        value = getattr(council, field)
        if field not in errors and value and others.filter(**{f"{field}__iexact": value}).exists():
            errors[field] = f"A council with the {label} '{value}' already exists."
    if errors:
        raise ValidationError(errors)
    council.full_clean()


@transaction.atomic
def council_create(*, by, name: str, la_code: str, gss_code: str, council_type: str, slug: str = "", website=""):
    """Register a council. ``by`` is the superuser who does, or None for the system (``bootstrap_council``)."""
    if by is not None and not by.is_superuser:
        raise PermissionDenied("Only the service's administrators register a council.")
    name = " ".join((name or "").split())
    slug = (slug or slugify(name.removesuffix(" Council").removesuffix(" council"))).strip().lower()
    council = Council(
        name=name, slug=slug, la_code=la_code, gss_code=gss_code, council_type=council_type, website=website or ""
    )
    _check_council(council)
    council._change_reason = "Registered" if by is not None else "Created by bootstrap_council"
    if by is not None:
        council._history_user = by
    council.save()
    return council


@transaction.atomic
def council_update(*, user, council: Council, **changes) -> Council:
    """The council's administrator corrects its details (name, type, website, LA and GSS codes)."""
    _check_council_administrator(user, council, "the council's details")
    council = Council.objects.select_for_update().get(pk=council.pk)
    _apply_changes(council, changes, COUNCIL_FIELDS, check=_check_council, user=user)
    return council


# --- statutory directions -------------------------------------------------------------------------------

DIRECTION_FIELDS = ("title", "issued_on", "legal_basis", "commissioner", "summary")


def _check_direction(direction: Direction) -> None:
    today = timezone.localdate()
    errors = {}
    for field in ("title", "legal_basis", "commissioner"):
        setattr(direction, field, " ".join((getattr(direction, field) or "").split()))
    if not direction.title:
        errors["title"] = "Enter the direction's title, for example 'Statutory direction: children's services'."
    if not direction.legal_basis:
        errors["legal_basis"] = "Enter the legal basis, for example s497A(4B) Education Act 1996."
    if not direction.issued_on:
        errors["issued_on"] = "Enter the date the direction was issued."
    elif direction.issued_on > today:
        errors["issued_on"] = "The date the direction was issued must be today or in the past."
    if direction.revoked_on:
        if direction.revoked_on > today:
            errors["revoked_on"] = "The date it was revoked must be today or in the past."
        elif direction.issued_on and direction.revoked_on < direction.issued_on:
            errors["revoked_on"] = f"It was issued on {direction.issued_on:%-d %B %Y}: enter that date or a later one."
    if errors:
        raise ValidationError(errors)
    direction.full_clean()


@transaction.atomic
def direction_record(*, user, council: Council, **data) -> Direction:
    """Record a statutory direction the Secretary of State issued to the council (in force until revoked)."""
    _check_council_administrator(user, council, "the council's statutory directions")
    direction = Direction(council=council, **{k: v for k, v in data.items() if k in DIRECTION_FIELDS})
    direction.summary = (direction.summary or "").strip()
    _check_direction(direction)
    _save(direction, user=user, reason="Recorded")
    return direction


@transaction.atomic
def direction_update(*, user, direction: Direction, reason: str, **changes) -> Direction:
    """Correct a direction's details; why is kept in the history."""
    _check_council_administrator(user, direction.council, "the council's statutory directions")
    direction = Direction.objects.select_for_update().get(pk=direction.pk)
    for key, value in changes.items():
        if key in DIRECTION_FIELDS:
            setattr(direction, key, value)
    errors = {}
    reason = _reason_into(reason, errors)
    try:
        _check_direction(direction)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    _save(direction, user=user, reason=reason)
    return direction


@transaction.atomic
def direction_revoke(*, user, direction: Direction, revoked_on, reason: str) -> Direction:
    """The Secretary of State revoked the direction on ``revoked_on``."""
    _check_council_administrator(user, direction.council, "the council's statutory directions")
    direction = Direction.objects.select_for_update().get(pk=direction.pk)
    errors = {}
    if direction.status == Direction.Status.REVOKED:
        errors["revoked_on"] = f"The direction was revoked on {direction.revoked_on:%-d %B %Y} already."
    elif not revoked_on:
        errors["revoked_on"] = "Enter the date the direction was revoked."
    reason = _reason_into(reason, errors)
    if errors:
        raise ValidationError(errors)
    direction.status, direction.revoked_on = Direction.Status.REVOKED, revoked_on
    _check_direction(direction)
    _save(direction, user=user, reason=reason)
    return direction


# --- memoranda of understanding with the DfE ---------------------------------------------------------------


def _check_memorandum_council(user, delivery_body: DeliveryBody) -> Council:
    """The MoU is the user's council's (one of the body's owners); its administrator records it."""
    council = user.council if user.council_id else delivery_body.council
    _check_council_administrator(user, council, "the council's memoranda of understanding")
    if not delivery_body.is_owned_by(council):
        raise ValidationError({"delivery_body": f"{council} does not own {delivery_body}."})
    return council


def _check_signed_on(signed_on, errors: dict) -> None:
    if not signed_on:
        errors["signed_on"] = "Enter the date the memorandum was signed."
    elif signed_on > timezone.localdate():
        errors["signed_on"] = "The date it was signed must be today or in the past."


@transaction.atomic
def memorandum_record(
    *, user, delivery_body: DeliveryBody, principal_provisions: str, signed_on=None
) -> MemorandumOfUnderstanding:
    """Record the council's MoU with the DfE about the delivery body: a draft, or signed on ``signed_on``."""
    council = _check_memorandum_council(user, delivery_body)
    errors = {}
    provisions = (principal_provisions or "").strip()
    if not provisions:
        errors["principal_provisions"] = "Enter the memorandum's principal provisions."
    if signed_on is not None:
        _check_signed_on(signed_on, errors)
    if errors:
        raise ValidationError(errors)
    status = MemorandumOfUnderstanding.Status.SIGNED if signed_on else MemorandumOfUnderstanding.Status.DRAFT
    memo = MemorandumOfUnderstanding(
        council=council,
        delivery_body=delivery_body,
        principal_provisions=provisions,
        status=status,
        signed_on=signed_on,
    )
    memo.full_clean()
    _save(memo, user=user, reason="Recorded")
    return memo


@transaction.atomic
def memorandum_update(*, user, memorandum: MemorandumOfUnderstanding, principal_provisions: str, reason: str):
    """Correct a memorandum's provisions; why is kept in the history (the earlier text stays there)."""
    memo = MemorandumOfUnderstanding.objects.select_for_update().get(pk=memorandum.pk)
    _check_council_administrator(user, memo.council, "the council's memoranda of understanding")
    errors = {}
    provisions = (principal_provisions or "").strip()
    if not provisions:
        errors["principal_provisions"] = "Enter the memorandum's principal provisions."
    reason = _reason_into(reason, errors)
    if errors:
        raise ValidationError(errors)
    memo.principal_provisions = provisions
    _save(memo, user=user, reason=reason)
    return memo


@transaction.atomic
def memorandum_sign(*, user, memorandum: MemorandumOfUnderstanding, signed_on) -> MemorandumOfUnderstanding:
    """Record that the council and the DfE signed the draft memorandum on ``signed_on``."""
    memo = MemorandumOfUnderstanding.objects.select_for_update().get(pk=memorandum.pk)
    _check_council_administrator(user, memo.council, "the council's memoranda of understanding")
    errors = {}
    if memo.status == MemorandumOfUnderstanding.Status.SIGNED:
        errors["signed_on"] = f"The memorandum was signed on {memo.signed_on:%-d %B %Y} already."
    else:
        _check_signed_on(signed_on, errors)
    if errors:
        raise ValidationError(errors)
    memo.status, memo.signed_on = MemorandumOfUnderstanding.Status.SIGNED, signed_on
    memo.full_clean()
    _save(memo, user=user, reason=f"Signed on {signed_on:%-d %B %Y}")
    return memo
