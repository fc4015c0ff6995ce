from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("", views.council_list, name="council-list"),
    path("councils/<slug:slug>/", views.council_detail, name="council-detail"),
    path("offices/", views.office_list, name="office-list"),
    path("offices/new/", views.office_create, name="office-create"),
    path("delivery-bodies/<slug:slug>/", views.delivery_body_detail, name="delivery-body-detail"),
    path("delivery-bodies/<slug:slug>/owners/new/", views.ownership_add, name="ownership-add"),
    path("delivery-bodies/<slug:slug>/owners/<int:pk>/end/", views.ownership_end, name="ownership-end"),
]
