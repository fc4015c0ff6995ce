from django.urls import path

from . import pack_views, views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("drafts/new/", views.draft_create, name="draft-create"),
    path("drafts/<int:pk>/", views.draft_detail, name="draft-detail"),
    path("drafts/<int:pk>/edit/", views.draft_edit, name="draft-edit"),
    path("drafts/<int:pk>/preview/", views.draft_preview, name="draft-preview"),
    path("drafts/<int:pk>/generate/", views.draft_generate, name="draft-generate"),
    path("documents/<int:pk>/", views.generated_detail, name="generated-detail"),
    path("documents/<int:pk>/download/", views.generated_download, name="generated-download"),
    path("documents/<int:pk>/approve/", views.generated_approve, name="generated-approve"),
    path("documents/<int:pk>/publish/", views.generated_publish, name="generated-publish"),
    path("documents/<int:pk>/retry/", views.generated_retry, name="generated-retry"),
    path("meetings/<int:pk>/agenda-pack.pdf", pack_views.agenda_pack_download, name="agenda-pack"),
]
