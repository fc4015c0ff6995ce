"""API: list and download generated reports that are published (ready and not exempt).

Exempt ("not for publication") documents never appear here, whoever asks: the API is used by
systems outside the council (the DfE, the trust) and keeps no exempt material.
"""

from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.routers import DefaultRouter

from trustgov.core.api import ScopedReadOnlyViewSet
from trustgov.core.exports import content_disposition

from .models import GeneratedReport
from .selectors import published_reports


class GeneratedReportSerializer(serializers.ModelSerializer):
    council = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    delivery_body = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    report_type_label = serializers.CharField(source="get_report_type_display", read_only=True)
    meeting_name = serializers.CharField(source="draft.meeting_name", read_only=True)
    meeting_date = serializers.DateField(source="draft.meeting_date", read_only=True)
    period_start = serializers.DateField(source="draft.period_start", read_only=True)
    period_end = serializers.DateField(source="draft.period_end", read_only=True)
    download_url = serializers.HyperlinkedIdentityField(view_name="api:generated-report-download")

    class Meta:
        model = GeneratedReport
        fields = [
            "id",
            "council",
            "delivery_body",
            "report_type",
            "report_type_label",
            "title",
            "version",
            "protective_marking",
            "meeting_name",
            "meeting_date",
            "period_start",
            "period_end",
            "sha256",
            "size",
            "page_count",
            "data_snapshot_at",
            "created_at",
            "download_url",
        ]


class GeneratedReportViewSet(ScopedReadOnlyViewSet):
    """Published reports of the caller's tenancy: list, read, and download the PDF."""

    model = GeneratedReport
    serializer_class = GeneratedReportSerializer
    filterset_fields = ["report_type", "delivery_body__slug", "council__slug"]
    ordering_fields = ["created_at", "version"]

    def get_queryset(self):
        return published_reports(self.request.user).order_by("-created_at", "-pk")

    @extend_schema(
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF document.")}
    )
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        report = self.get_object()
        try:
            handle = report.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        response = FileResponse(handle, content_type="application/pdf")
        response["Content-Disposition"] = content_disposition(report.filename)
        response["Digest"] = f"sha-256={report.sha256}"
        return response


router = DefaultRouter()
router.register("reports", GeneratedReportViewSet, basename="generated-report")
urlpatterns = router.urls
