from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from trustgov.core.form_views import render_form_page, run_service
from trustgov.core.scoping import get_visible_or_404

from . import services
from .forms import OfficeHoldingForm, OwnershipAddForm, OwnershipEndForm
from .models import Council, DeliveryBody, OfficeHolding
from .selectors import (
    councils_visible_to,
    delivery_bodies_visible_to,
    directions_visible_to,
    memoranda_visible_to,
    office_holdings_visible_to,
    ownerships_visible_to,
)


@login_required
@permission_required("organisations.view_council", raise_exception=True)
@require_GET
def council_list(request):
    councils = councils_visible_to(request.user).prefetch_related("delivery_bodies", "directions")
    return render(request, "organisations/council_list.html", {"councils": councils})


@login_required
@permission_required("organisations.view_council", raise_exception=True)
@require_GET
def council_detail(request, slug: str):
    council = get_visible_or_404(Council, request.user, slug=slug)
    return render(
        request,
        "organisations/council_detail.html",
        {
            "council": council,
            "directions": directions_visible_to(request.user).filter(council=council),
            "delivery_bodies": delivery_bodies_visible_to(request.user).filter(council=council),
            "memoranda": memoranda_visible_to(request.user).filter(council=council),
        },
    )


@login_required
@permission_required("organisations.view_deliverybody", raise_exception=True)
@require_GET
def delivery_body_detail(request, slug: str):
    body = get_visible_or_404(DeliveryBody, request.user, slug=slug)
    return render(
        request,
        "organisations/delivery_body_detail.html",
        {
            "body": body,
            "owners": body.current_ownerships(),
            "former_owners": list(body.ended_ownerships()),
            "can_change_owners": services.may_change_owners(request.user, body),
            "memoranda": memoranda_visible_to(request.user).filter(delivery_body=body),
        },
    )


def _owned_body_for_change(request, slug: str) -> DeliveryBody:
    """The delivery body, if the user sees it (404 otherwise), and may change its owners (403 otherwise)."""
    body = get_visible_or_404(DeliveryBody, request.user, slug=slug)
    if not services.may_change_owners(request.user, body):
        raise PermissionDenied(f"Only an administrator of {body.council}, the lead council, changes the owners.")
    return body


@login_required
@permission_required("organisations.view_deliverybody", raise_exception=True)
def ownership_add(request, slug: str):
    body = _owned_body_for_change(request, slug)
    current = [o.council_id for o in body.ownerships.current()]
    form_kwargs = {"councils": Council.objects.exclude(pk__in=current).order_by("name")}
    if request.method == "POST":
        form = OwnershipAddForm(request.POST, **form_kwargs)
        if form.is_valid() and run_service(
            form, lambda: services.ownership_add(user=request.user, delivery_body=body, **form.cleaned_data)
        ):
            messages.success(request, f"{form.cleaned_data['council']} added as an owner")
            return redirect(body.get_absolute_url())
    else:
        form = OwnershipAddForm(**form_kwargs)
    return render_form_page(
        request,
        form,
        title="Add an owning council",
        caption=body.name,
        intro=f"The council's officers and scrutiny members will see {body.name} and the records every owner is "
        "party to, such as a joint contract. The lead council stays the lead.",
        cancel_url=body.get_absolute_url(),
    )


@login_required
@permission_required("organisations.view_deliverybody", raise_exception=True)
def ownership_end(request, slug: str, pk: int):
    body = _owned_body_for_change(request, slug)
    ownership = get_object_or_404(ownerships_visible_to(request.user).current(), pk=pk, delivery_body=body)
    if ownership.council_id == body.council_id:
        raise Http404("The lead council is always an owner.")
    if request.method == "POST":
        form = OwnershipEndForm(request.POST)
        if form.is_valid() and run_service(
            form, lambda: services.ownership_end(user=request.user, ownership=ownership, **form.cleaned_data)
        ):
            messages.success(request, f"{ownership.council}'s ownership ended")
            return redirect(body.get_absolute_url())
    else:
        form = OwnershipEndForm()
    return render_form_page(
        request,
        form,
        title=f"End {ownership.council}'s ownership",
        caption=body.name,
        intro=f"From the day after the last day, {ownership.council}'s users no longer see {body.name} or its "
        "joint records. What they recorded stays, with its history.",
        cancel_url=body.get_absolute_url(),
    )


@login_required
@permission_required("organisations.view_officeholding", raise_exception=True)
@require_GET
def office_list(request):
    """Who holds each named office of the councils (and trusts) the user sees, now and before."""
    today = timezone.localdate()
    holdings = list(office_holdings_visible_to(request.user).order_by("council__name", "delivery_body__name"))
    organisations = []
    for council in councils_visible_to(request.user).order_by("name"):
        bodies = [None, *delivery_bodies_visible_to(request.user).filter(council=council).order_by("name")]
        for body in bodies:
            offices = OfficeHolding.TRUST_OFFICES if body else OfficeHolding.COUNCIL_OFFICES
            rows = []
            for office in offices:
                held = [
                    h
                    for h in holdings
                    if h.office == office
                    and h.council_id == council.pk
                    and h.delivery_body_id == (body.pk if body else None)
                ]
                held.sort(key=lambda h: (h.start_date is not None, h.start_date), reverse=True)
                current = next((h for h in held if h.held_on(today)), None)
                rows.append(
                    {
                        "office": OfficeHolding.Office(office),
                        "current": current,
                        "past": [h for h in held if h is not current],
                    }
                )
            organisations.append(
                {"name": body.name if body else council.name, "rows": rows, "key": body.slug if body else council.slug}
            )
    return render(
        request,
        "organisations/office_list.html",
        {"organisations": organisations, "can_record": request.user.has_perm("organisations.add_officeholding")},
    )


@login_required
@permission_required("organisations.add_officeholding", raise_exception=True)
def office_create(request):
    user = request.user
    council = councils_visible_to(user).filter(pk=user.council_id).first()
    if council is None:
        raise Http404("Only a council's officers record its office holders.")
    bodies = delivery_bodies_visible_to(user).filter(council=council)
    accounts = get_user_model().objects.filter(is_active=True).filter(Q(council=council) | Q(delivery_body__in=bodies))
    form_kwargs = {"delivery_bodies": bodies, "accounts": accounts.order_by("last_name", "username")}
    if request.method == "POST":
        form = OfficeHoldingForm(request.POST, **form_kwargs)
        if form.is_valid() and run_service(
            form, lambda: services.office_holding_record(user=user, council=council, **form.cleaned_data)
        ):
            messages.success(request, "Office holder recorded")
            return redirect(reverse("organisations:office-list"))
    else:
        form = OfficeHoldingForm(**form_kwargs)
    return render_form_page(
        request,
        form,
        title="Record who holds an office",
        caption=council.name,
        intro="The person holds the office from the date you give; whoever held it before is recorded as holding "
        "it until the day before.",
        cancel_url=reverse("organisations:office-list"),
    )
