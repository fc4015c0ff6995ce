from django.urls import path

from trustgov.core.replica import national_read

from . import grid_views, neighbour_views, views

app_name = "performance"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("kpis/<int:pk>/", views.kpi_detail, name="kpi-detail"),
    path("catalogue/", views.kpi_catalogue, name="kpi-catalogue"),
    path("catalogue/kpis/new/", views.kpi_create, name="kpi-create"),
    path("catalogue/kpis/<int:pk>/edit/", views.kpi_edit, name="kpi-edit"),
    path("catalogue/kpis/<int:pk>/retire/", views.kpi_retire, name="kpi-retire"),
    path("catalogue/kpis/<int:pk>/targets/new/", views.target_add, name="target-add"),
    path("catalogue/targets/<int:pk>/edit/", views.target_edit, name="target-edit"),
    path("catalogue/kpis/<int:pk>/benchmarks/new/", views.benchmark_add, name="benchmark-add"),
    path("catalogue/kpis/<int:pk>/benchmarks/import/", neighbour_views.benchmark_import, name="benchmark-import"),
    path("catalogue/benchmarks/<int:pk>/edit/", views.benchmark_edit, name="benchmark-edit"),
    path("catalogue/kpis/<int:pk>/baselines/new/", views.baseline_add, name="baseline-add"),
    path("neighbours/", neighbour_views.neighbour_lists, name="neighbour-lists"),
    path("neighbours/new/", neighbour_views.neighbour_list_add, name="neighbour-list-add"),
    path("neighbours/<int:pk>/edit/", neighbour_views.neighbour_list_edit, name="neighbour-list-edit"),
    path("kpis/<int:pk>/export/", views.kpi_export, name="kpi-export"),
    path("comparison/", national_read(views.comparison), name="comparison"),
    path("national-grid/", national_read(grid_views.national_grid), name="national-grid"),
    path("returns/", views.return_list, name="return-list"),
    path("returns/enter/", views.return_enter, name="return-enter"),
    path("returns/upload/", views.return_upload, name="return-upload"),
    path("returns/template/", views.return_template, name="return-template"),
    path("returns/<int:pk>/", views.return_detail, name="return-detail"),
    path("returns/<int:pk>/submit/", views.return_submit, name="return-submit"),
    path("returns/<int:pk>/query/", views.return_query, name="return-query"),
    path("returns/<int:pk>/accept/", views.return_accept, name="return-accept"),
    path("queries/<int:pk>/reply/", views.query_reply, name="query-reply"),
    path("improvement-plan/", views.improvement_plan, name="improvement-plan"),
    path("improvement-plan/actions/<int:pk>/", views.action_edit, name="action-edit"),
    path("improvement-plan/priorities/new/", views.priority_add, name="priority-add"),
    path("improvement-plan/priorities/<int:pk>/edit/", views.priority_edit, name="priority-edit"),
    path(
        "improvement-plan/priorities/<int:pk>/actions/new/", views.improvement_action_add, name="improvement-action-add"
    ),
    path(
        "improvement-plan/actions/<int:pk>/change/", views.improvement_action_change, name="improvement-action-change"
    ),
    path("ofsted/trajectory/new/", views.milestone_add, name="milestone-add"),
    path("ofsted/trajectory/<int:pk>/edit/", views.milestone_edit, name="milestone-edit"),
    path("ofsted/", views.ofsted, name="ofsted"),
    path("ofsted/add/", views.ofsted_add, name="ofsted-add"),
]
