"""Changes to organisations' records: the delivery bodies a council contracts with, the councils that own
them, and who holds each named office. Keyword-only, atomic, and refusing bad input with a message naming
the field."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from trustgov.core.permissions import role_refused
from trustgov.core.roles import Role, role_of
from trustgov.core.scoping import visible

from .models import Council, DeliveryBody, OfficeHolding, Ownership


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


def _check_council_administrator(user, council: Council) -> None:
    if user.is_superuser:
        return
    if not _is_council_administrator(user):
        raise PermissionDenied("Only a council administrator sets up the council's delivery bodies.")
    if user.council_id != council.pk:
        raise ValidationError({"council": "You can set up delivery bodies of your own council only."})


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
    body.save()
    return body


@transaction.atomic
def delivery_body_update(*, user, delivery_body: DeliveryBody, **changes) -> DeliveryBody:
    _check_council_administrator(user, delivery_body.council)
    for key, value in changes.items():
        if key in DELIVERY_BODY_FIELDS:
            setattr(delivery_body, key, value)
    _check_delivery_body(delivery_body)
    delivery_body.save()
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
    reason_text = ""
    try:
        reason_text = _reason(reason)
    except ValidationError as exc:
        errors.update(exc.message_dict)
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
    try:
        reason_text = _reason(reason)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    ownership.until = until
    ownership.full_clean()
    ownership._change_reason = reason_text
    ownership._history_user = user  # who, from a command or a task as from a request
    ownership.save()
    return ownership
