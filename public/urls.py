from django.urls import path

from trustgov.core.publishing import public_paths

from . import views

app_name = "public"

urlpatterns = [
    path("<slug:slug>/", views.council_index, name="council-index"),
    path("<slug:slug>/meetings/", views.meeting_calendar, name="meeting-calendar"),
    path("<slug:slug>/meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("<slug:slug>/papers/<int:pk>/", views.paper_download, name="paper-download"),
    path("<slug:slug>/feeds/meetings.ics", views.meetings_ical, name="meetings-ical"),
    path("<slug:slug>/feeds/publications.atom", views.publications_atom, name="publications-atom"),
    path("<slug:slug>/subscribe/", views.subscribe, name="subscribe"),
    path("<slug:slug>/subscribe/check-your-email/", views.subscribe_check_email, name="subscribe-check-email"),
    path("<slug:slug>/subscribe/confirm/<str:token>/", views.subscribe_confirm, name="subscribe-confirm"),
    path("<slug:slug>/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<slug:slug>/board/", views.board, name="board"),
    path("<slug:slug>/performance/", views.scorecard, name="scorecard"),
    path("<slug:slug>/data/", views.data, name="data"),
    path("<slug:slug>/data/<slug:dataset>.csv", views.dataset_csv, name="data-csv"),
    path("<slug:slug>/data/<slug:dataset>.json", views.dataset_json, name="data-json"),
    path("<slug:slug>/decisions/", views.decisions, name="decisions"),
    path("<slug:slug>/forward-plan/", views.forward_plan, name="forward-plan"),
]
# Pages other consumers serve among the public pages (the agenda pack, ADR 0605).
urlpatterns += [path(p.route, p.view, name=p.name) for p in public_paths()]
