"""Boards API: people, bodies, memberships, appointments and interests, always scoped.

Writes call the same services as the web pages: POST /people/, POST /appointments/ (propose),
POST /appointments/{id}/transition/ (any step the workflow allows the caller),
POST /appointments/{id}/dfe-approval/ (the DfE liaison) and POST /interests/.
"""

from django.utils import timezone
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from contracts.selectors import reserved_matter_requests_visible_to
from trustgov.core.api import RejectUnknownFieldsMixin, ScopedReadOnlyViewSet
from trustgov.core.permissions import WORKFLOW
from trustgov.organisations.selectors import councils_visible_to

from . import services
from .models import Appointment, AppointmentStep, Body, InterestDeclaration, Membership, Person, Seat
from .selectors import (
    appointments_visible_to,
    bodies_visible_to,
    body_composition,
    people_visible_to,
    seats_visible_to,
)


class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField):
    """A foreign key the caller may only point at records they can see."""

    def __init__(self, scope, **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.scope(self.context["request"].user)


class BoardPersonSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    council = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "council",
            "honorific",
            "name",
            "display_name",
            "professional_capacity",
            "organisation",
            "email",
            "phone",
            "is_elected_member",
            "updated_at",
        ]
        read_only_fields = ["id", "council", "display_name", "updated_at"]
        # Duplicates are refused by the service with a message naming the field.
        validators = []

    def get_fields(self):
        fields = super().get_fields()
        fields["name"].validators = []
        return fields


class BoardSeatSerializer(serializers.ModelSerializer):
    class Meta:
        model = Seat
        fields = ["id", "role", "title", "order", "board_role"]


class GovernanceBodySerializer(serializers.ModelSerializer):
    council = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    delivery_body = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    seats = BoardSeatSerializer(many=True, read_only=True)
    warnings = serializers.SerializerMethodField(help_text="Composition warnings today.")

    class Meta:
        model = Body
        fields = [
            *("id", "council", "delivery_body", "name", "kind"),
            *services.BODY_RULES,
            *("seats", "warnings", "updated_at"),
        ]

    def get_warnings(self, body) -> list[dict]:
        return [{"code": w.code, "message": w.message} for w in body_composition(body, timezone.localdate())]


class BoardMembershipSerializer(serializers.ModelSerializer):
    body = serializers.PrimaryKeyRelatedField(source="seat.body", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "person",
            "body",
            "seat",
            "start_date",
            "end_date",
            "ended_reason",
            "appointed_by",
            "decision_reference",
            "decision_url",
            "renewal_of",
            "updated_at",
        ]


class AppointmentStepSerializer(serializers.ModelSerializer):
    by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = AppointmentStep
        fields = ["from_status", "to_status", "decided_on", "by", "decision_reference", "decision_url", "note"]


class BoardAppointmentSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    body = ScopedPrimaryKeyField(bodies_visible_to)
    seat = ScopedPrimaryKeyField(seats_visible_to)
    person = ScopedPrimaryKeyField(people_visible_to)
    proposed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    steps = AppointmentStepSerializer(many=True, read_only=True)
    request = ScopedPrimaryKeyField(
        reserved_matter_requests_visible_to,
        required=False,
        allow_null=True,
        help_text="The reserved-matter request this appointment decides. Proposing to a trust's board raises one, "
        "or takes over the open request given here.",
    )

    class Meta:
        model = Appointment
        fields = [
            "id",
            "body",
            "seat",
            "person",
            "status",
            "needs_dfe_approval",
            "term_start",
            "term_end",
            "reason",
            "proposed_by",
            "membership",
            "request",
            "steps",
            "updated_at",
        ]
        read_only_fields = ["status", "needs_dfe_approval", "proposed_by", "membership", "steps", "updated_at"]
        validators = []


class AppointmentTransitionSerializer(RejectUnknownFieldsMixin, serializers.Serializer):
    target = serializers.ChoiceField(choices=Appointment.Status.choices)
    decided_on = serializers.DateField()
    decision_reference = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    decision_url = serializers.URLField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    ended_reason = serializers.ChoiceField(
        choices=Membership.EndReason.choices, required=False, allow_blank=True, default=""
    )


class AppointmentDfeApprovalSerializer(AppointmentTransitionSerializer):
    target = None


class InterestDeclarationSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    person = ScopedPrimaryKeyField(people_visible_to)
    body = ScopedPrimaryKeyField(bodies_visible_to)

    class Meta:
        model = InterestDeclaration
        fields = [
            "id",
            "person",
            "body",
            "kind",
            "detail",
            "declared_on",
            "reviewed_on",
            "meeting_reference",
            "updated_at",
        ]
        read_only_fields = ["reviewed_on", "updated_at"]
        validators = []


class PersonViewSet(ScopedReadOnlyViewSet):
    model = Person
    serializer_class = BoardPersonSerializer
    filterset_fields = ["is_elected_member"]
    search_fields = ["name", "organisation"]

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        council = councils_visible_to(request.user).first()
        if council is None:
            raise PermissionDenied("Only council and trust users add people to a register.")
        person = services.person_create(user=request.user, council=council, **serializer.validated_data)
        return Response(self.get_serializer(person).data, status=status.HTTP_201_CREATED)


class BodyViewSet(ScopedReadOnlyViewSet):
    model = Body
    serializer_class = GovernanceBodySerializer
    filterset_fields = ["kind"]

    def get_queryset(self):
        return super().get_queryset().prefetch_related("seats")


class MembershipViewSet(ScopedReadOnlyViewSet):
    model = Membership
    serializer_class = BoardMembershipSerializer
    filterset_fields = ["seat__body", "person"]


class AppointmentViewSet(ScopedReadOnlyViewSet):
    model = Appointment
    serializer_class = BoardAppointmentSerializer
    filterset_fields = ["status", "body"]

    def get_queryset(self):
        return appointments_visible_to(self.request.user).prefetch_related("steps__by")

    # Who may take a step is the workflow's (a wrong role is a 403, a step not open a 400: ADR 0008).
    action_permissions = {"transition": WORKFLOW, "dfe_approval": "boards.record_dfe_approval"}

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        appointment = services.appointment_propose(user=request.user, **serializer.validated_data)
        return Response(self.get_serializer(appointment).data, status=status.HTTP_201_CREATED)

    def _advance(self, request, serializer_class, target=None):
        appointment = self.get_object()
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        target = target or data.pop("target")
        data.pop("target", None)
        appointment = services.appointment_advance(appointment=appointment, target=target, user=request.user, **data)
        appointment = self.get_queryset().get(pk=appointment.pk)
        return Response(BoardAppointmentSerializer(appointment, context=self.get_serializer_context()).data)

    @action(detail=True, methods=["post"], serializer_class=AppointmentTransitionSerializer)
    def transition(self, request, pk=None):
        return self._advance(request, AppointmentTransitionSerializer)

    @action(detail=True, methods=["post"], url_path="dfe-approval", serializer_class=AppointmentDfeApprovalSerializer)
    def dfe_approval(self, request, pk=None):
        return self._advance(request, AppointmentDfeApprovalSerializer, target=Appointment.Status.DFE_APPROVED)


class InterestViewSet(ScopedReadOnlyViewSet):
    model = InterestDeclaration
    serializer_class = InterestDeclarationSerializer
    filterset_fields = ["person", "body", "kind"]

    def create(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        declaration = services.interest_declare(user=request.user, **serializer.validated_data)
        return Response(self.get_serializer(declaration).data, status=status.HTTP_201_CREATED)


router = DefaultRouter()
router.register("people", PersonViewSet, basename="board-person")
router.register("bodies", BodyViewSet, basename="board-body")
router.register("memberships", MembershipViewSet, basename="board-membership")
router.register("appointments", AppointmentViewSet, basename="board-appointment")
router.register("interests", InterestViewSet, basename="board-interest")
urlpatterns = router.urls
