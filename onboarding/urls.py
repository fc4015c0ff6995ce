from django.urls import path

from . import views

app_name = "onboarding"

urlpatterns = [
    path("", views.start, name="start"),
    path("template.xlsx", views.template, name="template"),
    path("export.xlsx", views.export, name="export"),
    path("<uuid:pk>/", views.preview, name="preview"),
    path("<uuid:pk>/confirm/", views.confirm, name="confirm"),
    path("<uuid:pk>/done/", views.done, name="done"),
]
