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
from .forms import (
    CouncilCreateForm,
    CouncilForm,
    DeliveryBodyCreateForm,
    DeliveryBodyForm,
    DirectionEditForm,
    DirectionForm,
    DirectionRevokeForm,
    MemorandumEditForm,
    MemorandumForm,
    MemorandumSignForm,
    OfficeHoldingForm,
    OwnershipAddForm,
    OwnershipEndForm,
)
from .models import Council, DeliveryBody, Direction, MemorandumOfUnderstanding, OfficeHolding
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
    return render(
        request,
        "organisations/council_list.html",
        {"councils": councils, "can_register": request.user.is_superuser},
    )


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
            "can_set_up": services.may_set_up(request.user, council),
            "may_edit_memoranda": _may_edit_memoranda(request.user),
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
            "can_set_up": services.may_set_up(request.user, body.council),
            "may_edit_memoranda": _may_edit_memoranda(request.user),
            "can_record_memorandum": _may_edit_memoranda(request.user) and body.is_owned_by(request.user.council_id),
        },
    )


def _may_edit_memoranda(user) -> bool:
    """Whether the user keeps their council's memoranda: the council's administrator."""
    return bool(user.council_id and services.may_set_up(user, user.council))


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
        # The trusts the council owns today, alone or jointly: a jointly owned trust's offices are each owner's to see.
        owned = delivery_bodies_visible_to(request.user).filter(
            Q(ownerships__until__isnull=True) | Q(ownerships__until__gte=today), ownerships__council=council
        )
        bodies = [None, *owned.distinct().order_by("name")]
        for body in bodies:
            offices = OfficeHolding.TRUST_OFFICES if body else OfficeHolding.COUNCIL_OFFICES
            rows = []
            for office in offices:
                held = [
                    h
                    for h in holdings
                    if h.office == office
                    and (
                        h.delivery_body_id == body.pk
                        if body
                        else (h.council_id, h.delivery_body_id) == (council.pk, None)
                    )
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


# --- setting up a council: its details, delivery bodies, directions and memoranda ---------------------------
# Every page: the record must be visible (404 otherwise) and the user its council's administrator (403 otherwise);
# the rules are the services'.


def _for_set_up(request, council: Council) -> Council:
    if not services.may_set_up(request.user, council):
        raise PermissionDenied(f"Only an administrator of {council} sets up its records.")
    return council


def _form_page(request, form_class, *, initial=None, save, done, **page):
    """A set-up form: on a valid POST the service ``save(cleaned_data)`` runs; its refusal stays on the form."""
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if saved := run_service(form, lambda: save(form.cleaned_data)):
            message, url = done(saved)
            messages.success(request, message)
            return redirect(url)
    return render_form_page(request, form, **page)


@login_required
@permission_required("organisations.view_council", raise_exception=True)
def council_create(request):
    if not request.user.is_superuser:
        raise PermissionDenied("Only the service's administrators register a council.")
    return _form_page(
        request,
        CouncilCreateForm,
        save=lambda data: services.council_create(by=request.user, **data),
        done=lambda council: (f"{council.name} registered", council.get_absolute_url()),
        title="Register a council",
        intro="A council that owns a trust with another, or adopts TrustGov. Its first administrator is set up "
        "with the bootstrap_council command or invited afterwards.",
        cancel_url=reverse("organisations:council-list"),
    )


@login_required
@permission_required("organisations.view_council", raise_exception=True)
def council_edit(request, slug: str):
    council = _for_set_up(request, get_visible_or_404(Council, request.user, slug=slug))
    return _form_page(
        request,
        CouncilForm,
        initial={f: getattr(council, f) for f in services.COUNCIL_FIELDS},
        save=lambda data: services.council_update(user=request.user, council=council, **data),
        done=lambda c: ("The council's details are saved", council.get_absolute_url()),
        title="Change the council's details",
        caption=council.name,
        intro="The LA and GSS codes identify the council in the DfE's and the ONS's data and in open data.",
        cancel_url=council.get_absolute_url(),
    )


@login_required
@permission_required("organisations.view_deliverybody", raise_exception=True)
def delivery_body_create(request):
    council = councils_visible_to(request.user).filter(pk=request.user.council_id).first()
    if council is None:
        raise Http404("Only a council's administrator adds its delivery bodies.")
    _for_set_up(request, council)
    return _form_page(
        request,
        DeliveryBodyCreateForm,
        save=lambda data: services.delivery_body_create(user=request.user, council=council, **data),
        done=lambda body: (f"{body.name} added. Next, record its contract.", body.get_absolute_url()),
        title="Add a delivery body",
        caption=council.name,
        intro=f"The trust, company or partnership {council.name} contracts with. {council.name} is its lead "
        "owner; another owning council is added on the next page.",
        cancel_url=council.get_absolute_url(),
    )


@login_required
@permission_required("organisations.view_deliverybody", raise_exception=True)
def delivery_body_edit(request, slug: str):
    body = get_visible_or_404(DeliveryBody, request.user, slug=slug)
    _for_set_up(request, body.council)
    initial = {f: getattr(body, f) for f in services.DELIVERY_BODY_FIELDS}
    initial["wholly_owned"] = "yes" if body.wholly_owned else "no"
    return _form_page(
        request,
        DeliveryBodyForm,
        initial=initial,
        save=lambda data: services.delivery_body_update(user=request.user, delivery_body=body, **data),
        done=lambda b: (f"{body.name} saved", body.get_absolute_url()),
        title=f"Change {body.name}",
        caption=body.council.name,
        cancel_url=body.get_absolute_url(),
    )


@login_required
@permission_required("organisations.view_direction", raise_exception=True)
def direction_create(request, slug: str):
    council = _for_set_up(request, get_visible_or_404(Council, request.user, slug=slug))
    return _form_page(
        request,
        DirectionForm,
        save=lambda data: services.direction_record(user=request.user, council=council, **data),
        done=lambda d: ("Direction recorded", council.get_absolute_url() + "#directions"),
        title="Record a statutory direction",
        caption=council.name,
        intro="A direction from the Secretary of State to the council. It is in force until you record that it "
        "was revoked.",
        cancel_url=council.get_absolute_url(),
    )


def _direction_for_set_up(request, pk: int) -> Direction:
    direction = get_visible_or_404(Direction, request.user, pk=pk)
    _for_set_up(request, direction.council)
    return direction


@login_required
@permission_required("organisations.view_direction", raise_exception=True)
def direction_edit(request, pk: int):
    direction = _direction_for_set_up(request, pk)
    return _form_page(
        request,
        DirectionEditForm,
        initial={f: getattr(direction, f) for f in services.DIRECTION_FIELDS},
        save=lambda data: services.direction_update(user=request.user, direction=direction, **data),
        done=lambda d: ("Direction saved", direction.council.get_absolute_url() + "#directions"),
        title=f"Change {direction.title}",
        caption=direction.council.name,
        cancel_url=direction.council.get_absolute_url(),
    )


@login_required
@permission_required("organisations.view_direction", raise_exception=True)
def direction_revoke(request, pk: int):
    direction = _direction_for_set_up(request, pk)
    if not direction.in_force:
        raise Http404("The direction is revoked already.")
    return _form_page(
        request,
        DirectionRevokeForm,
        save=lambda data: services.direction_revoke(user=request.user, direction=direction, **data),
        done=lambda d: ("Revocation recorded", direction.council.get_absolute_url() + "#directions"),
        title=f"Record that {direction.title} was revoked",
        caption=direction.council.name,
        cancel_url=direction.council.get_absolute_url(),
    )


@login_required
@permission_required("organisations.view_memorandumofunderstanding", raise_exception=True)
def memorandum_create(request, slug: str):
    body = get_visible_or_404(DeliveryBody, request.user, slug=slug)
    council = request.user.council
    if council is None or not body.is_owned_by(council):
        raise Http404("Only an owning council records a memorandum.")
    _for_set_up(request, council)
    return _form_page(
        request,
        MemorandumForm,
        save=lambda data: services.memorandum_record(user=request.user, delivery_body=body, **data),
        done=lambda m: ("Memorandum recorded", body.get_absolute_url() + "#memoranda"),
        title="Record the memorandum of understanding",
        caption=f"{council.name} and {body.name}",
        intro="The memorandum the council and the DfE agreed about the arrangement, before go-live.",
        cancel_url=body.get_absolute_url(),
    )


def _memorandum_for_set_up(request, pk: int) -> MemorandumOfUnderstanding:
    memo = get_visible_or_404(MemorandumOfUnderstanding, request.user, pk=pk)
    _for_set_up(request, memo.council)
    return memo


@login_required
@permission_required("organisations.view_memorandumofunderstanding", raise_exception=True)
def memorandum_edit(request, pk: int):
    memo = _memorandum_for_set_up(request, pk)
    return _form_page(
        request,
        MemorandumEditForm,
        initial={"principal_provisions": memo.principal_provisions},
        save=lambda data: services.memorandum_update(user=request.user, memorandum=memo, **data),
        done=lambda m: ("Memorandum saved", memo.delivery_body.get_absolute_url() + "#memoranda"),
        title="Change the memorandum of understanding",
        caption=f"{memo.council} and {memo.delivery_body}",
        cancel_url=memo.delivery_body.get_absolute_url(),
    )


@login_required
@permission_required("organisations.view_memorandumofunderstanding", raise_exception=True)
def memorandum_sign(request, pk: int):
    memo = _memorandum_for_set_up(request, pk)
    if memo.status != MemorandumOfUnderstanding.Status.DRAFT:
        raise Http404("The memorandum is signed already.")
    return _form_page(
        request,
        MemorandumSignForm,
        save=lambda data: services.memorandum_sign(user=request.user, memorandum=memo, **data),
        done=lambda m: ("Signing recorded", memo.delivery_body.get_absolute_url() + "#memoranda"),
        title="Record the signing of the memorandum",
        caption=f"{memo.council} and {memo.delivery_body}",
        cancel_url=memo.delivery_body.get_absolute_url(),
    )
