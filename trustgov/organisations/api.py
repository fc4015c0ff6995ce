from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from trustgov.core.api import RejectUnknownFieldsMixin, ScopedReadOnlyViewSet
from trustgov.core.permissions import WORKFLOW
from trustgov.core.schema import choice_field
from trustgov.core.scoping import visible

from . import services
from .models import Council, DeliveryBody, Direction, MemorandumOfUnderstanding, OfficeHolding, Ownership


class CouncilSerializer(serializers.ModelSerializer):
    class Meta:
        model = Council
        fields = ["slug", "name", "council_type", "website", "updated_at"]


class DeliveryBodySerializer(serializers.ModelSerializer):
    council = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text="The lead owning council.")
    owners = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True, help_text="Every owning council (a trust may be jointly owned)."
    )

    class Meta:
        model = DeliveryBody
        fields = [
            "slug",
            "name",
            "kind",
            "council",
            "owners",
            "lead_authority",
            "company_number",
            "wholly_owned",
            "shadow_from",
            "operational_from",
            "updated_at",
        ]


class DirectionSerializer(serializers.ModelSerializer):
    council = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Direction
        fields = [
            "id",
            "council",
            "title",
            "issued_on",
            "legal_basis",
            "commissioner",
            "summary",
            "status",
            "revoked_on",
            "updated_at",
        ]


class CouncilViewSet(ScopedReadOnlyViewSet):
    model = Council
    serializer_class = CouncilSerializer
    lookup_field = "slug"
    filterset_fields = ["council_type"]
    ordering_fields = ["name", "updated_at"]


class DeliveryBodyViewSet(ScopedReadOnlyViewSet):
    model = DeliveryBody
    serializer_class = DeliveryBodySerializer
    lookup_field = "slug"
    filterset_fields = ["kind"]
    ordering_fields = ["name", "updated_at"]


class DirectionViewSet(ScopedReadOnlyViewSet):
    model = Direction
    serializer_class = DirectionSerializer
    filterset_fields = ["status"]
    ordering_fields = ["issued_on", "updated_at"]


router = DefaultRouter()
router.register("councils", CouncilViewSet, basename="council")
router.register("delivery-bodies", DeliveryBodyViewSet, basename="delivery-body")
router.register("directions", DirectionViewSet, basename="direction")


class MemorandumSerializer(serializers.ModelSerializer):
    council = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    delivery_body = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    status = choice_field(MemorandumOfUnderstanding.Status.choices)

    class Meta:
        model = MemorandumOfUnderstanding
        fields = ["id", "council", "delivery_body", "status", "signed_on", "principal_provisions", "updated_at"]


class MemorandumViewSet(ScopedReadOnlyViewSet):
    """The DfE memorandum of understanding for each delivery body."""

    model = MemorandumOfUnderstanding
    serializer_class = MemorandumSerializer
    ordering_fields = ["signed_on", "updated_at"]
    period_field = "signed_on"


router.register("memoranda", MemorandumViewSet, basename="memorandum")


class OfficeHoldingSerializer(serializers.ModelSerializer):
    council = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    delivery_body = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    office = choice_field(OfficeHolding.Office.choices)

    class Meta:
        model = OfficeHolding
        fields = [
            "id",
            "council",
            "delivery_body",
            "office",
            "holder_name",
            "title_held",
            "start_date",
            "end_date",
            "source",
            "updated_at",
        ]


class OfficeHoldingViewSet(ScopedReadOnlyViewSet):
    """Who holds each named office of the council and its trust, now and before."""

    model = OfficeHolding
    serializer_class = OfficeHoldingSerializer
    filterset_fields = ["office"]
    ordering_fields = ["start_date", "updated_at"]


router.register("office-holdings", OfficeHoldingViewSet, basename="office-holding")


class OwnershipSerializer(serializers.ModelSerializer):
    council = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    delivery_body = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    lead = serializers.SerializerMethodField(help_text="The lead owning council's ownership (it never ends).")

    class Meta:
        model = Ownership
        fields = ["id", "delivery_body", "council", "lead", "since", "until", "updated_at"]

    def get_lead(self, obj) -> bool:
        return obj.council_id == obj.delivery_body.council_id


class OwnershipAddInput(RejectUnknownFieldsMixin, serializers.Serializer):
    delivery_body = serializers.CharField(help_text="The delivery body's short name (slug).")
    council = serializers.CharField(help_text="The short name (slug) of the council that becomes an owner.")
    since = serializers.DateField(help_text="The day the council becomes an owner.")
    reason = serializers.CharField(max_length=1000, help_text="Why: kept as the history's change reason.")


class OwnershipEndInput(RejectUnknownFieldsMixin, serializers.Serializer):
    until = serializers.DateField(help_text="The council's last day as an owner.")
    reason = serializers.CharField(max_length=1000, help_text="Why: kept as the history's change reason.")


def _valid(input_class, request) -> dict:
    serializer = input_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class OwnershipViewSet(ScopedReadOnlyViewSet):
    """Which councils own each delivery body the user sees (a jointly owned trust has several).

    An administrator of the lead council POSTs a co-owning council and PATCHes an ownership with ``until`` to end it
    (the lead council's never ends); anyone else gets 403, a delivery body the user cannot see 404."""

    model = Ownership
    serializer_class = OwnershipSerializer
    ordering_fields = ["updated_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    # Who may add or end an owner is the service's rule (the lead council's administrator): a 403 for anyone else.
    action_permissions = {"create": WORKFLOW, "partial_update": WORKFLOW}

    @extend_schema(request=OwnershipAddInput, responses={201: OwnershipSerializer})
    def create(self, request, *args, **kwargs):
        data = _valid(OwnershipAddInput, request)
        body = get_object_or_404(visible(DeliveryBody, request.user), slug=data["delivery_body"])
        council = Council.objects.filter(slug=data["council"]).first()
        if council is None and services.may_change_owners(request.user, body):  # else the service's 403
            unknown = f"There is no council with the short name '{data['council']}'."
            raise serializers.ValidationError({"council": [unknown]})
        ownership = services.ownership_add(
            user=request.user, delivery_body=body, council=council, since=data["since"], reason=data["reason"]
        )
        return Response(OwnershipSerializer(ownership).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OwnershipEndInput, responses={200: OwnershipSerializer})
    def partial_update(self, request, *args, **kwargs):
        ownership = self.get_object()
        data = _valid(OwnershipEndInput, request)
        ownership = services.ownership_end(
            user=request.user, ownership=ownership, until=data["until"], reason=data["reason"]
        )
        return Response(OwnershipSerializer(ownership).data)


router.register("ownerships", OwnershipViewSet, basename="ownership")

urlpatterns = router.urls
