from rest_framework import serializers
from rest_framework.routers import DefaultRouter

from trustgov.core.api import ScopedReadOnlyViewSet
from trustgov.core.schema import choice_field

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

    class Meta:
        model = Ownership
        fields = ["id", "delivery_body", "council", "since", "updated_at"]


class OwnershipViewSet(ScopedReadOnlyViewSet):
    """Which councils own each delivery body the user sees (a jointly owned trust has several)."""

    model = Ownership
    serializer_class = OwnershipSerializer
    ordering_fields = ["updated_at"]


router.register("ownerships", OwnershipViewSet, basename="ownership")

urlpatterns = router.urls
