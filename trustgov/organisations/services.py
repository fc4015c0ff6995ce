"""Changes to organisations' records: who holds each named office. Keyword-only, atomic, and refusing bad
input with a message naming the field."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from trustgov.core.scoping import visible

from .models import Council, OfficeHolding


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
    errors: dict[str, str] = {}
    if office not in OfficeHolding.Office.values:
        errors["office"] = "Choose the office."
    elif office in OfficeHolding.TRUST_OFFICES:
        if delivery_body is None or delivery_body.council_id != council.pk:
            errors["office"] = "A trust's office needs the trust: choose the Chair or Chief Executive of your trust."
    elif delivery_body is not None:
        errors["office"] = "This is an office of the council, not of the trust."
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
    holding = OfficeHolding(
        council=council,
        delivery_body=delivery_body,
        office=office,
        holder_name=holder_name.strip(),
        title_held=(title_held or "").strip(),
        user=account,
        start_date=start_date,
        source=(source or "").strip(),
    )
    holding.full_clean()
    holding.save()
    return holding
