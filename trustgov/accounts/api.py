from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from trustgov.core.api import ApiConventionsMixin
from trustgov.core.permissions import WriteScopeRequired

from .models import ApiToken
from .selectors import api_tokens_visible_to
from .services import api_token_revoke


class ApiTokenSerializer(serializers.ModelSerializer):
    user = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ApiToken
        fields = [
            "id",
            "name",
            "user",
            "prefix",
            "scope",
            "created_at",
            "expires_at",
            "revoked_at",
            "last_used_at",
            "status",
        ]


class ApiTokenViewSet(ApiConventionsMixin, viewsets.ReadOnlyModelViewSet):
    """Tokens the caller can see: their own (officers: their organisation's). Keys are never returned."""

    serializer_class = ApiTokenSerializer
    permission_classes = [permissions.IsAuthenticated, WriteScopeRequired]

    def get_queryset(self):
        return api_tokens_visible_to(self.request.user)

    @extend_schema(request=None, responses={200: ApiTokenSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        token = self.get_object()
        if token.user_id != request.user.id:
            raise exceptions.PermissionDenied("You can only revoke your own tokens.")
        return Response(ApiTokenSerializer(api_token_revoke(token=token)).data)


router = DefaultRouter()
router.register("api-tokens", ApiTokenViewSet, basename="api-token")
urlpatterns = router.urls
