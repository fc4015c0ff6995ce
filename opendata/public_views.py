"""A council's contracts as OCDS and its trusts' boards as Popolo, on its public pages: no sign-in (ADR 0608).

They read what the public pages read (``contracts.selectors.public_contracts``, ``boards.selectors.
trust_board_members`` of the council's public trusts, ``meetings.selectors.public_papers``), so a draft contract,
a release from before signing, an exempt variation or paper, or another council's record never appears. Registered
among the public pages by ``opendata.apps`` ("public" may not import this consumer, nor this one "public").
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from boards.models import Body
from boards.selectors import trust_board_members
from contracts.selectors import public_contracts
from trustgov.organisations.selectors import live_councils, public_delivery_bodies

from .ocds import public_contract_releases, record_package, release_package


def _json(request, document: dict) -> JsonResponse:
    response = JsonResponse(document, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"  # open data: anyone's page may read it
    return response


def _histories(council) -> list[list[dict]]:
    return [public_contract_releases(contract, council) for contract in public_contracts(council)]


@require_GET
def ocds_releases(request, slug: str):
    """The council's signed contracts as an OCDS 1.1 release package: every release since signing."""
    council = get_object_or_404(live_councils(), slug=slug)
    releases = [r for history in _histories(council) for r in history]
    return _json(request, release_package(releases, settings.SITE_URL + request.path))


@require_GET
def ocds_records(request, slug: str):
    """The council's signed contracts as an OCDS 1.1 record package: each contract's releases and compiled release."""
    council = get_object_or_404(live_councils(), slug=slug)
    return _json(request, record_package(_histories(council), settings.SITE_URL + request.path))


def public_popolo(council, today) -> dict:
    """The boards of the council's public trusts as Popolo: who sits on them today, by name and post only (as the
    public board page shows them: no contact details, no capacity, no past members)."""
    trusts = public_delivery_bodies(council)
    boards = Body.objects.filter(kind=Body.Kind.TRUST_BOARD, delivery_body__in=trusts).select_related("delivery_body")
    persons, memberships = {}, []
    for m in trust_board_members(trusts, today).order_by("seat__body__name", "seat__order", "start_date", "pk"):
        persons.setdefault(m.person_id, {"id": f"person-{m.person_id}", "name": m.person.name})
        memberships.append(
            {
                "id": f"membership-{m.pk}",
                "person_id": f"person-{m.person_id}",
                "organization_id": f"body-{m.seat.body_id}",
                "role": m.seat.get_role_display(),
                "label": m.seat.title,
                "start_date": m.start_date.isoformat(),
            }
        )
    organizations = [
        {"id": f"trust-{t.slug}", "name": t.name, "classification": "trust"} for t in trusts.order_by("name")
    ]
    organizations += [
        {
            "id": f"body-{b.pk}",
            "name": b.name,
            "classification": b.get_kind_display(),
            "parent_id": f"trust-{b.delivery_body.slug}",
        }
        for b in boards.order_by("delivery_body__name", "name")
    ]
    return {"persons": list(persons.values()), "organizations": organizations, "memberships": memberships}


@require_GET
def popolo(request, slug: str):
    council = get_object_or_404(live_councils(), slug=slug)
    return _json(request, public_popolo(council, timezone.localdate()))
