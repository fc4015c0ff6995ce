"""Read API for meetings, agenda items, non-exempt documents, minutes, resolutions and actions.

Exempt ("not for publication") items and papers never appear here, whoever asks: the API is a
publication channel. Writes to actions go through the same service as the web pages.
"""

from django.db.models import Q
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action as drf_action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from trustgov.core.api import RejectUnknownFieldsMixin, ScopedReadOnlyViewSet
from trustgov.core.schema import choice_field

from . import services
from .models import (
    Action,
    ActionUpdate,
    AgendaItem,
    Attendance,
    Declaration,
    Document,
    ForwardPlanEntry,
    Meeting,
    Minutes,
    Resolution,
)
from .selectors import (
    actions_visible_to,
    agenda_items_visible_to,
    forward_plan_visible_to,
    meetings_visible_to,
    minutes_visible_to,
    public_documents,
    resolutions_visible_to,
)


class MeetingSerializer(serializers.ModelSerializer):
    council = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    delivery_body = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    papers_deadline = serializers.DateField(read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "council",
            "delivery_body",
            "body_kind",
            "title",
            "date",
            "start_time",
            "place",
            "status",
            "quorum",
            "papers_published_on",
            "papers_deadline",
            "obligation",
            "occurrence",
            "updated_at",
        ]


class AgendaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["id", "meeting", "order", "minute_number", "title", "report", "report_author", "updated_at"]


class DocumentSerializer(serializers.ModelSerializer):
    meeting = serializers.IntegerField(source="agenda_item.meeting_id", read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = [
            "id",
            "meeting",
            "agenda_item",
            "title",
            "file_type",
            "size",
            "publication",
            "published_at",
            "download_url",
            "updated_at",
        ]

    def get_download_url(self, obj) -> str:
        return reverse("meetings:document-download", kwargs={"pk": obj.pk})


class MinutesSerializer(serializers.ModelSerializer):
    class Meta:
        model = Minutes
        fields = ["id", "meeting", "text", "status", "approved_at", "approved_on", "updated_at"]


class ResolutionSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = Resolution
        fields = ["id", "meeting", "agenda_item", "number", "label", "text", "future_report_month", "updated_at"]


class ForwardPlanEntrySerializer(serializers.ModelSerializer):
    notice_clear_days = serializers.IntegerField(read_only=True, help_text="Clear days' notice given (ADR 0604).")

    class Meta:
        model = ForwardPlanEntry
        fields = [
            "id",
            "council",
            "delivery_body",
            "title",
            "decision_maker",
            "planned_on",
            "notice_published_on",
            "notice_clear_days",
            "is_key_decision",
            "route",
            "route_reason",
            "is_private",
            "exempt_category",
            "meeting",
            "status",
            "updated_at",
        ]


class ActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Action
        fields = [
            "id",
            "meeting",
            "resolution",
            "description",
            "owner",
            "due_date",
            "status",
            "completed_on",
            "updated_at",
        ]


class ActionUpdateInput(RejectUnknownFieldsMixin, serializers.Serializer):
    text = serializers.CharField()
    status = serializers.ChoiceField(choices=Action.Status.choices)


class MeetingViewSet(ScopedReadOnlyViewSet):
    model = Meeting
    serializer_class = MeetingSerializer
    filterset_fields = ["body_kind", "status", "council__slug"]
    ordering_fields = ["date", "updated_at"]

    def get_queryset(self):
        return meetings_visible_to(self.request.user)


class AgendaItemViewSet(ScopedReadOnlyViewSet):
    model = AgendaItem
    serializer_class = AgendaItemSerializer
    filterset_fields = ["meeting"]

    def get_queryset(self):
        return agenda_items_visible_to(self.request.user).filter(is_exempt=False)


class DocumentViewSet(ScopedReadOnlyViewSet):
    model = Document
    serializer_class = DocumentSerializer
    filterset_fields = ["agenda_item"]

    def get_queryset(self):
        return public_documents(self.request.user)


class MinutesViewSet(ScopedReadOnlyViewSet):
    model = Minutes
    serializer_class = MinutesSerializer
    filterset_fields = ["meeting", "status"]

    def get_queryset(self):
        return minutes_visible_to(self.request.user)


class ResolutionViewSet(ScopedReadOnlyViewSet):
    model = Resolution
    serializer_class = ResolutionSerializer
    filterset_fields = ["meeting"]

    def get_queryset(self):
        return resolutions_visible_to(self.request.user).filter(agenda_item__is_exempt=False)


class ForwardPlanEntryViewSet(ScopedReadOnlyViewSet):
    """The forward plan of the user's councils: key decisions with their notice (ADR 0604)."""

    model = ForwardPlanEntry
    serializer_class = ForwardPlanEntrySerializer
    filterset_fields = ["council", "status"]
    ordering_fields = ["planned_on", "updated_at"]

    def get_queryset(self):
        return forward_plan_visible_to(self.request.user).order_by("planned_on", "pk")


class ActionViewSet(ScopedReadOnlyViewSet):
    model = Action
    serializer_class = ActionSerializer
    filterset_fields = ["meeting", "status"]
    ordering_fields = ["due_date", "updated_at"]
    # Logging an update changes the action: officers, and trust executives on their own (the service says which).
    action_permissions = {"add_update": "meetings.change_action"}

    def get_queryset(self):
        return actions_visible_to(self.request.user).filter(
            Q(resolution__isnull=True) | Q(resolution__agenda_item__is_exempt=False)
        )

    @extend_schema(request=ActionUpdateInput, responses={201: ActionSerializer})
    @drf_action(
        detail=True,
        methods=["post"],
        url_path="updates",
        serializer_class=ActionUpdateInput,
    )
    def add_update(self, request, pk=None):
        """Log an update on an action (its owner or a council officer), optionally changing its status."""
        action = self.get_object()
        data = ActionUpdateInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.action_update(action=action, user=request.user, **data.validated_data)
        action.refresh_from_db()
        return Response(ActionSerializer(action).data, status=201)


# --- who attended, what they declared, and each action's update log (read-only) ---------------------


class AttendanceSerializer(serializers.ModelSerializer):
    status = choice_field(Attendance.Status.choices)

    class Meta:
        model = Attendance
        fields = ["id", "meeting", "name", "capacity", "status", "updated_at"]


class DeclarationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Declaration
        fields = ["id", "meeting", "agenda_item", "person", "person_name", "text", "updated_at"]


class ActionUpdateSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    status = choice_field(Action.Status.choices)

    class Meta:
        model = ActionUpdate
        fields = ["id", "action", "author", "text", "status", "created_at", "updated_at"]


class AttendanceViewSet(ScopedReadOnlyViewSet):
    model = Attendance
    serializer_class = AttendanceSerializer
    filterset_fields = ["meeting"]
    period_field = "meeting__date"


class DeclarationViewSet(ScopedReadOnlyViewSet):
    """Declarations of interest made at meetings (those on exempt items only for roles that see them)."""

    model = Declaration
    serializer_class = DeclarationSerializer
    filterset_fields = ["meeting"]
    period_field = "meeting__date"


class ActionUpdateViewSet(ScopedReadOnlyViewSet):
    model = ActionUpdate
    serializer_class = ActionUpdateSerializer
    filterset_fields = ["action"]
    period_field = "created_at"


router = DefaultRouter()
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("agenda-items", AgendaItemViewSet, basename="agenda-item")
router.register("meeting-documents", DocumentViewSet, basename="meeting-document")
router.register("minutes", MinutesViewSet, basename="minutes")
router.register("resolutions", ResolutionViewSet, basename="resolution")
router.register("forward-plan", ForwardPlanEntryViewSet, basename="forward-plan-entry")
router.register("meeting-actions", ActionViewSet, basename="meeting-action")
router.register("meeting-attendances", AttendanceViewSet, basename="meeting-attendance")
router.register("meeting-declarations", DeclarationViewSet, basename="meeting-declaration")
router.register("meeting-action-updates", ActionUpdateViewSet, basename="meeting-action-update")
urlpatterns = router.urls
