from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("", views.council_list, name="council-list"),
    path("councils/new/", views.council_create, name="council-create"),
    path("councils/<slug:slug>/", views.council_detail, name="council-detail"),
    path("councils/<slug:slug>/edit/", views.council_edit, name="council-edit"),
    path("councils/<slug:slug>/directions/new/", views.direction_create, name="direction-create"),
    path("directions/<int:pk>/edit/", views.direction_edit, name="direction-edit"),
    path("directions/<int:pk>/revoke/", views.direction_revoke, name="direction-revoke"),
    path("delivery-bodies/new/", views.delivery_body_create, name="delivery-body-create"),
    path("offices/", views.office_list, name="office-list"),
    path("offices/new/", views.office_create, name="office-create"),
    path("delivery-bodies/<slug:slug>/", views.delivery_body_detail, name="delivery-body-detail"),
    path("delivery-bodies/<slug:slug>/edit/", views.delivery_body_edit, name="delivery-body-edit"),
    path("delivery-bodies/<slug:slug>/memoranda/new/", views.memorandum_create, name="memorandum-create"),
    path("memoranda/<int:pk>/edit/", views.memorandum_edit, name="memorandum-edit"),
    path("memoranda/<int:pk>/sign/", views.memorandum_sign, name="memorandum-sign"),
    path("delivery-bodies/<slug:slug>/owners/new/", views.ownership_add, name="ownership-add"),
    path("delivery-bodies/<slug:slug>/owners/<int:pk>/end/", views.ownership_end, name="ownership-end"),
]
