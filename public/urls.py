from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("<slug:slug>/", views.council_index, name="council-index"),
    path("<slug:slug>/meetings/", views.meeting_calendar, name="meeting-calendar"),
    path("<slug:slug>/meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("<slug:slug>/papers/<int:pk>/", views.paper_download, name="paper-download"),
    path("<slug:slug>/board/", views.board, name="board"),
    path("<slug:slug>/performance/", views.scorecard, name="scorecard"),
    path("<slug:slug>/decisions/", views.decisions, name="decisions"),
    path("<slug:slug>/forward-plan/", views.forward_plan, name="forward-plan"),
]
