from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="meeting-list"),
    path("new/", views.meeting_create, name="meeting-create"),
    path("cycle/", views.cycle_generate, name="cycle-generate"),
    path("<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("<int:pk>/status/", views.meeting_status, name="meeting-status"),
    path("<int:pk>/items/new/", views.item_create, name="item-create"),
    path("<int:pk>/attendance/new/", views.attendance_create, name="attendance-create"),
    path("<int:pk>/declarations/new/", views.declaration_create, name="declaration-create"),
    path("<int:pk>/minutes/", views.minutes_edit, name="minutes-edit"),
    path("<int:pk>/minutes/approve/", views.minutes_approve, name="minutes-approve"),
    path("<int:pk>/actions/new/", views.action_create, name="action-create"),
    path("items/<int:pk>/edit/", views.item_edit, name="item-edit"),
    path("items/<int:pk>/documents/new/", views.document_upload, name="document-upload"),
    path("items/<int:pk>/resolutions/new/", views.resolution_create, name="resolution-create"),
    path("documents/<int:pk>/", views.document_download, name="document-download"),
    path("documents/<int:pk>/publication/", views.document_publication, name="document-publication"),
    path("actions/", views.action_list, name="action-list"),
    path("actions/<int:pk>/", views.action_detail, name="action-detail"),
    path("calendar/", views.feed_list, name="feed-list"),
    path("calendar/<int:pk>/revoke/", views.feed_revoke, name="feed-revoke"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
    path("forward-plan/", views.forward_plan_list, name="forward-plan"),
    path("forward-plan/new/", views.forward_plan_create, name="forward-plan-create"),
    path("forward-plan/<int:pk>/", views.forward_plan_edit, name="forward-plan-edit"),
    path("decisions/", views.decision_register, name="decision-register"),
    path("notifications/", views.notification_list, name="notification-list"),
]
