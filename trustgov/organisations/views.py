from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render

from trustgov.core.scoping import get_visible_or_404

from .models import Council, DeliveryBody
from .selectors import councils_visible_to, delivery_bodies_visible_to, directions_visible_to, memoranda_visible_to


@login_required
@permission_required("organisations.view_council", raise_exception=True)
def council_list(request):
    councils = councils_visible_to(request.user).prefetch_related("delivery_bodies", "directions")
    return render(request, "organisations/council_list.html", {"councils": councils})


@login_required
@permission_required("organisations.view_council", raise_exception=True)
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
def delivery_body_detail(request, slug: str):
    body = get_visible_or_404(DeliveryBody, request.user, slug=slug)
    return render(
        request,
        "organisations/delivery_body_detail.html",
        {"body": body, "memoranda": memoranda_visible_to(request.user).filter(delivery_body=body)},
    )
