"""Open data: a trust's non-exempt records in bulk (JSON and CSV), the contract as an OCDS release,
and people and memberships in Popolo shape.

Everything reads through the scoping functions, so a caller gets only what they may see; personal
contact details (email, phone) and exempt material are never included. The bulk resources are
registered by the apps that own them (``trustgov.core.publishing``). Mounted under ``/api/v1/``.
Shapes:

- OCDS 1.1 release package (every release of each contract, one per change) and record package
  (https://standard.open-contracting.org/1.1/en/schema/), built in ``opendata.ocds``;
- Popolo persons, organizations and memberships (https://www.popoloproject.com/specs/).
"""

from django.conf import settings
from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from boards.models import Body, Membership
from contracts.models import Contract
from opendata.ocds import contract_releases, moment, record_package, release_package
from trustgov.core.api import ApiConventionsMixin
from trustgov.core.exports import csv_response
from trustgov.core.publishing import bulk_resources
from trustgov.core.scoping import get_visible_or_404, visible
from trustgov.organisations.models import DeliveryBody


def _iso(d) -> str | None:
    return d.isoformat() if d else None


# --- Popolo ------------------------------------------------------------------------------------------------


def popolo_for(user, delivery_body) -> dict:
    """Persons, organizations (governance bodies) and memberships of one trust's council, in Popolo shape."""
    bodies = visible(Body, user).filter(council=delivery_body.council)
    memberships = (
        visible(Membership, user)
        .filter(seat__body__in=bodies)
        .select_related("person", "seat__body")
        .order_by("seat__body__name", "seat__order", "start_date", "pk")
    )
    persons = {}
    out_memberships = []
    for m in memberships:
        p = m.person
        persons.setdefault(
            p.pk,
            {
                "id": f"person-{p.pk}",
                "name": p.name,
                **({"honorific_prefix": p.honorific} if p.honorific else {}),
            },
        )
        membership = {
            "id": f"membership-{m.pk}",
            "person_id": f"person-{p.pk}",
            "organization_id": f"body-{m.seat.body_id}",
            "role": m.seat.get_role_display(),
            "label": m.seat.title,
            "start_date": _iso(m.start_date),
        }
        if m.end_date:
            membership["end_date"] = _iso(m.end_date)
        out_memberships.append(membership)
    organizations = [
        {
            "id": f"body-{b.pk}",
            "name": b.name,
            "classification": b.get_kind_display(),
            **({"parent_id": f"trust-{b.delivery_body.slug}"} if b.delivery_body_id else {}),
        }
        for b in bodies.select_related("delivery_body").order_by("name")
    ]
    organizations.append({"id": f"trust-{delivery_body.slug}", "name": delivery_body.name, "classification": "trust"})
    return {"persons": list(persons.values()), "organizations": organizations, "memberships": out_memberships}


# --- Bulk export per trust ---------------------------------------------------------------------------------


def _bulk_rows(user, delivery_body, resource: str) -> tuple[list[str], list[dict]]:
    spec = bulk_resources()[resource]
    fields = list(spec.fields)
    qs = visible(spec.model, user).filter(**spec.for_trust(delivery_body))
    rows = []
    for row in qs.order_by("pk").values(*fields):
        rows.append({k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()})
    return fields, rows


class OpenDataView(ApiConventionsMixin, APIView):
    """One trust's non-exempt records for re-use (no personal contact details), scoped like every read."""

    permission_classes = [permissions.IsAuthenticated]

    def trust(self, slug: str) -> DeliveryBody:
        return get_visible_or_404(DeliveryBody, self.request.user, slug=slug)


class TrustBulkJsonView(OpenDataView):
    @extend_schema(
        operation_id="open_data_trust_json",
        tags=["open-data"],
        summary="All non-exempt records of one trust, as JSON",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="One list per resource.")},
    )
    def get(self, request, slug: str):
        body = self.trust(slug)
        data = {"trust": {"slug": body.slug, "name": body.name}, "generated_at": moment(timezone.now())}
        for resource in bulk_resources():
            data[resource] = _bulk_rows(request.user, body, resource)[1]
        return Response(data)


class TrustBulkCsvView(OpenDataView):
    @extend_schema(
        operation_id="open_data_trust_csv",
        tags=["open-data"],
        summary="One resource of one trust's non-exempt records, as CSV",
        parameters=[
            OpenApiParameter(
                "resource", str, OpenApiParameter.PATH, enum=list(bulk_resources()), description="Which records."
            )
        ],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV with a header row.")},
    )
    def get(self, request, slug: str, resource: str):
        body = self.trust(slug)
        if resource not in bulk_resources():
            raise Http404
        fields, rows = _bulk_rows(request.user, body, resource)
        return csv_response(
            ([row[f] for f in fields] for row in rows), filename=f"{body.slug}-{resource}.csv", header=fields
        )


class TrustOcdsView(OpenDataView):
    def contracts(self, body):
        return (
            visible(Contract, self.request.user)
            .filter(delivery_body=body)
            .select_related("council", "delivery_body")
            .order_by("pk")
        )

    def uri(self) -> str:
        return settings.SITE_URL + self.request.path

    @extend_schema(
        operation_id="open_data_trust_ocds",
        tags=["open-data"],
        summary="The trust's contracts as an OCDS 1.1 release package: every release, one per change",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="An OCDS release package.")},
    )
    def get(self, request, slug: str):
        body = self.trust(slug)
        releases = [r for c in self.contracts(body) for r in contract_releases(c, request.user)]
        return Response(release_package(releases, self.uri()))


class TrustOcdsRecordView(TrustOcdsView):
    @extend_schema(
        operation_id="open_data_trust_ocds_records",
        tags=["open-data"],
        summary="The trust's contracts as an OCDS 1.1 record package: each contract's releases and compiled release",
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="An OCDS record package.")},
    )
    def get(self, request, slug: str):
        body = self.trust(slug)
        histories = [contract_releases(c, request.user) for c in self.contracts(body)]
        return Response(record_package(histories, self.uri()))


class TrustPopoloView(OpenDataView):
    @extend_schema(
        operation_id="open_data_trust_popolo",
        tags=["open-data"],
        summary="People, governance bodies and memberships of the trust's council, in Popolo shape",
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="Popolo persons, organizations, memberships.")
        },
    )
    def get(self, request, slug: str):
        return Response(popolo_for(request.user, self.trust(slug)))


urlpatterns = [
    path("open-data/trusts/<slug:slug>/records.json", TrustBulkJsonView.as_view(), name="open-data-json"),
    path("open-data/trusts/<slug:slug>/<str:resource>.csv", TrustBulkCsvView.as_view(), name="open-data-csv"),
    path("open-data/trusts/<slug:slug>/ocds.json", TrustOcdsView.as_view(), name="open-data-ocds"),
    path(
        "open-data/trusts/<slug:slug>/ocds-records.json", TrustOcdsRecordView.as_view(), name="open-data-ocds-records"
    ),
    path("open-data/trusts/<slug:slug>/popolo.json", TrustPopoloView.as_view(), name="open-data-popolo"),
]
