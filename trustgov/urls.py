from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from trustgov.core import views as core_views
from trustgov.core.api_docs import api_docs

api_v1 = [
    path("", include("trustgov.organisations.api")),
    path("", include("trustgov.accounts.api")),
    path("", include("opendata.api")),
    path("", include("contracts.api")),
    path("", include("boards.api")),
    path("", include("performance.api")),
    path("", include("meetings.api")),
    path("", include("reports.api")),
]

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("accessibility/", core_views.accessibility_statement, name="accessibility"),
    path("privacy/", core_views.privacy_notice, name="privacy"),
    path("cookies/", core_views.cookies, name="cookies"),
    path("history/<str:app_label>/<str:model_name>/<int:pk>/", core_views.record_history, name="history"),
    path("accounts/", include("trustgov.accounts.urls")),
    path("organisations/", include("trustgov.organisations.urls")),
    path("contracts/", include("contracts.urls")),
    path("boards/", include("boards.urls")),
    path("performance/", include("performance.urls")),
    path("meetings/", include("meetings.urls")),
    path("reports/", include("reports.urls")),
    path("onboarding/", include("onboarding.urls")),
    # A live council's public pages: no sign-in (ADR 0603).
    path("public/", include("public.urls")),
    path("", include("search.urls")),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", api_docs, name="api-docs"),
    path("admin/", admin.site.urls),
]

handler400 = "trustgov.core.views.error_400"
handler403 = "trustgov.core.views.error_403"
handler404 = "trustgov.core.views.error_404"
handler500 = "trustgov.core.views.error_500"
