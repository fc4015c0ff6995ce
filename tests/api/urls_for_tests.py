"""A test-only write endpoint built on the API base classes, to prove the conventions they give every app.

Mounted with ``@pytest.mark.urls("tests.api.urls_for_tests")``: POST /api/v1/test-directions/ creates a
direction (superuser with a write token), through a strict serializer and ``transaction.atomic``.
"""

from django.db import transaction
from django.urls import include, path
from rest_framework import mixins, serializers
from rest_framework.routers import DefaultRouter

from trustgov.core.api import RejectUnknownFieldsMixin, ScopedViewSet
from trustgov.organisations.models import Council, Direction


class DirectionWriteSerializer(RejectUnknownFieldsMixin, serializers.ModelSerializer):
    council = serializers.SlugRelatedField(slug_field="slug", queryset=Council.objects.all())

    class Meta:
        model = Direction
        fields = ["id", "council", "title", "issued_on", "legal_basis", "updated_at"]
        read_only_fields = ["id", "updated_at"]


class TestDirectionViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, ScopedViewSet):
    model = Direction
    serializer_class = DirectionWriteSerializer

    @transaction.atomic
    def perform_create(self, serializer):
        serializer.save()


router = DefaultRouter()
router.register("test-directions", TestDirectionViewSet, basename="test-direction")

urlpatterns = [path("api/v1/", include((router.urls, "api"), namespace="api"))]
