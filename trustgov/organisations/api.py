from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
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
        fields = ["slug", "name", "council_type", "website", "la_code", "gss_code", "updated_at"]


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


def _valid(input_class, request, *, partial: bool = False) -> dict:
    serializer = input_class(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _check_set_up_administrator(user) -> None:
    """The role before the input: only a council's administrator (or a superuser) sets up its records."""
    if not services.is_set_up_administrator(user):
        raise PermissionDenied("Only a council administrator sets up the council's records.")


class CouncilInput(RejectUnknownFieldsMixin, serializers.Serializer):
    name = serializers.CharField(max_length=200)
    council_type = serializers.ChoiceField(choices=Council._meta.get_field("council_type").choices)
    la_code = serializers.CharField(max_length=3, help_text="The DfE's three-digit LA number, e.g. 333.")
    gss_code = serializers.CharField(max_length=9, help_text="The ONS area code, e.g. E08000028.")
    website = serializers.URLField(max_length=200, required=False, allow_blank=True)


class CouncilCreateInput(CouncilInput):
    slug = serializers.SlugField(max_length=50, required=False, help_text="Short name; from the name if left out.")


class CouncilViewSet(ScopedReadOnlyViewSet):
    """Councils. A superuser POSTs a council (a co-owner, or one adopting TrustGov); the council's administrator
    PATCHes its details (name, type, website, LA and GSS codes); anyone else gets 403."""

    model = Council
    serializer_class = CouncilSerializer
    lookup_field = "slug"
    filterset_fields = ["council_type"]
    ordering_fields = ["name", "updated_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {"create": WORKFLOW, "partial_update": WORKFLOW}  # the services say who

    @extend_schema(request=CouncilCreateInput, responses={201: CouncilSerializer})
    def create(self, request, *args, **kwargs):
        if not request.user.is_superuser:  # the role before the input
            raise PermissionDenied("Only the service's administrators register a council.")
        council = services.council_create(by=request.user, **_valid(CouncilCreateInput, request))
        return Response(CouncilSerializer(council).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CouncilInput, responses={200: CouncilSerializer})
    def partial_update(self, request, *args, **kwargs):
        council = self.get_object()
        data = _valid(CouncilInput, request, partial=True)
        return Response(CouncilSerializer(services.council_update(user=request.user, council=council, **data)).data)


class DeliveryBodyInput(RejectUnknownFieldsMixin, serializers.Serializer):
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=DeliveryBody.Kind.choices)
    lead_authority = serializers.CharField(max_length=200, required=False, allow_blank=True)
    company_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    wholly_owned = serializers.BooleanField(required=False)
    shadow_from = serializers.DateField(required=False, allow_null=True)
    operational_from = serializers.DateField(required=False, allow_null=True, help_text="Go-live.")


class DeliveryBodyCreateInput(DeliveryBodyInput):
    slug = serializers.SlugField(max_length=50, help_text="Short name in addresses; it cannot change later.")


class DeliveryBodyViewSet(ScopedReadOnlyViewSet):
    """Delivery bodies. A council's administrator POSTs one (the council is its lead owner; add co-owners through
    ``ownerships/``) and PATCHes its details; anyone else gets 403."""

    model = DeliveryBody
    serializer_class = DeliveryBodySerializer
    lookup_field = "slug"
    filterset_fields = ["kind"]
    ordering_fields = ["name", "updated_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {"create": WORKFLOW, "partial_update": WORKFLOW}

    @extend_schema(request=DeliveryBodyCreateInput, responses={201: DeliveryBodySerializer})
    def create(self, request, *args, **kwargs):
        council = request.user.council
        if council is None or not services.is_set_up_administrator(request.user):  # the role before the input
            raise PermissionDenied("Only a council administrator sets up the council's delivery bodies.")
        data = _valid(DeliveryBodyCreateInput, request)
        body = services.delivery_body_create(user=request.user, council=council, **data)
        return Response(DeliveryBodySerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DeliveryBodyInput, responses={200: DeliveryBodySerializer})
    def partial_update(self, request, *args, **kwargs):
        body = self.get_object()
        data = _valid(DeliveryBodyInput, request, partial=True)
        body = services.delivery_body_update(user=request.user, delivery_body=body, **data)
        return Response(DeliveryBodySerializer(body).data)


class DirectionInput(RejectUnknownFieldsMixin, serializers.Serializer):
    council = serializers.SlugField(help_text="The council's short name (slug).")
    title = serializers.CharField(max_length=200)
    issued_on = serializers.DateField()
    legal_basis = serializers.CharField(max_length=200, help_text="For example s497A(4B) Education Act 1996.")
    commissioner = serializers.CharField(max_length=200, required=False, allow_blank=True)
    summary = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class DirectionChangeInput(RejectUnknownFieldsMixin, serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    issued_on = serializers.DateField(required=False)
    legal_basis = serializers.CharField(max_length=200, required=False)
    commissioner = serializers.CharField(max_length=200, required=False, allow_blank=True)
    summary = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=1000, help_text="Why: kept as the history's change reason.")


class DirectionRevokeInput(RejectUnknownFieldsMixin, serializers.Serializer):
    revoked_on = serializers.DateField()
    reason = serializers.CharField(max_length=1000, help_text="How it was revoked: kept in the history.")


class DirectionViewSet(ScopedReadOnlyViewSet):
    """Statutory directions. The council's administrator POSTs one, PATCHes it (with a reason) and records its
    revocation (``revoke``)."""

    model = Direction
    serializer_class = DirectionSerializer
    filterset_fields = ["status"]
    ordering_fields = ["issued_on", "updated_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {"create": WORKFLOW, "partial_update": WORKFLOW, "revoke": WORKFLOW}

    @extend_schema(request=DirectionInput, responses={201: DirectionSerializer})
    def create(self, request, *args, **kwargs):
        _check_set_up_administrator(request.user)
        data = _valid(DirectionInput, request)
        council = get_object_or_404(visible(Council, request.user), slug=data.pop("council"))
        direction = services.direction_record(user=request.user, council=council, **data)
        return Response(DirectionSerializer(direction).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DirectionChangeInput, responses={200: DirectionSerializer})
    def partial_update(self, request, *args, **kwargs):
        direction = self.get_object()
        data = _valid(DirectionChangeInput, request)
        direction = services.direction_update(user=request.user, direction=direction, **data)
        return Response(DirectionSerializer(direction).data)

    @extend_schema(request=DirectionRevokeInput, responses={200: DirectionSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Record that the Secretary of State revoked the direction."""
        direction = self.get_object()
        data = _valid(DirectionRevokeInput, request)
        return Response(
            DirectionSerializer(services.direction_revoke(user=request.user, direction=direction, **data)).data
        )


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


class MemorandumInput(RejectUnknownFieldsMixin, serializers.Serializer):
    delivery_body = serializers.SlugField(help_text="The delivery body's short name (slug).")
    principal_provisions = serializers.CharField(max_length=5000)
    signed_on = serializers.DateField(required=False, allow_null=True, help_text="Left out: a draft.")


class MemorandumChangeInput(RejectUnknownFieldsMixin, serializers.Serializer):
    principal_provisions = serializers.CharField(max_length=5000)
    reason = serializers.CharField(max_length=1000, help_text="Why: kept as the history's change reason.")


class MemorandumSignInput(RejectUnknownFieldsMixin, serializers.Serializer):
    signed_on = serializers.DateField()


class MemorandumViewSet(ScopedReadOnlyViewSet):
    """The DfE memorandum of understanding for each delivery body. An owning council's administrator POSTs its
    memorandum, PATCHes its provisions (with a reason) and records its signing (``sign``)."""

    model = MemorandumOfUnderstanding
    serializer_class = MemorandumSerializer
    ordering_fields = ["signed_on", "updated_at"]
    period_field = "signed_on"
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {"create": WORKFLOW, "partial_update": WORKFLOW, "sign": WORKFLOW}

    @extend_schema(request=MemorandumInput, responses={201: MemorandumSerializer})
    def create(self, request, *args, **kwargs):
        _check_set_up_administrator(request.user)
        data = _valid(MemorandumInput, request)
        body = get_object_or_404(visible(DeliveryBody, request.user), slug=data.pop("delivery_body"))
        memo = services.memorandum_record(user=request.user, delivery_body=body, **data)
        return Response(MemorandumSerializer(memo).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=MemorandumChangeInput, responses={200: MemorandumSerializer})
    def partial_update(self, request, *args, **kwargs):
        memo = self.get_object()
        data = _valid(MemorandumChangeInput, request)
        return Response(
            MemorandumSerializer(services.memorandum_update(user=request.user, memorandum=memo, **data)).data
        )

    @extend_schema(request=MemorandumSignInput, responses={200: MemorandumSerializer})
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Record that the council and the DfE signed the draft memorandum."""
        memo = self.get_object()
        data = _valid(MemorandumSignInput, request)
        return Response(MemorandumSerializer(services.memorandum_sign(user=request.user, memorandum=memo, **data)).data)


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
