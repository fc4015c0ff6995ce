from django.urls import path

from . import views

app_name = "contracts"
urlpatterns = [
    path("", views.contract_list, name="contract-list"),
    path("new/", views.contract_create, name="contract-create"),
    path("register.csv", views.register_csv, name="register-csv"),
    path("register.xlsx", views.register_xlsx, name="register-xlsx"),
    path("<int:pk>/", views.contract_detail, name="contract-detail"),
    path("<int:pk>/edit/", views.contract_edit, name="contract-edit"),
    path("<int:pk>/status/", views.contract_status, name="contract-status"),
    path("<int:pk>/end-of-term/", views.contract_end_of_term, name="contract-end-of-term"),
    path("<int:pk>/annual-review/", views.contract_annual_review, name="contract-annual-review"),
    path("<int:pk>/termination-consent/", views.contract_termination_consent, name="contract-termination-consent"),
    path("<int:pk>/obligations/new/", views.obligation_create, name="obligation-create"),
    path("obligations/<int:pk>/edit/", views.obligation_edit, name="obligation-edit"),
    path("<int:pk>/finance/new/", views.finance_create, name="finance-create"),
    path("<int:pk>/budget/new/", views.budget_month_create, name="budget-month-create"),
    path("<int:pk>/support-services/new/", views.support_service_create, name="support-service-create"),
    path("<int:pk>/variations/new/", views.variation_create, name="variation-create"),
    path("variations/<int:pk>/status/", views.variation_status, name="variation-status"),
    path("variations/<int:pk>/consent/", views.variation_consent, name="variation-consent"),
    path("<int:pk>/escalation/new/", views.escalation_create, name="escalation-create"),
    path("escalation/<int:pk>/evidence/", views.escalation_evidence, name="escalation-evidence"),
    path("<int:pk>/risks/new/", views.risk_create, name="risk-create"),
    path("risks/<int:pk>/edit/", views.risk_edit, name="risk-edit"),
    path("reserved-matters/", views.reserved_matter_list, name="reserved-matter-list"),
    path("reserved-matters/new/", views.reserved_matter_create, name="reserved-matter-create"),
    path("requests/", views.request_list, name="request-list"),
    path("requests/new/", views.request_create, name="request-create"),
    path("requests/<int:pk>/", views.request_detail, name="request-detail"),
    path("requests/<int:pk>/decide/", views.request_decide, name="request-decide"),
    path("requests/<int:pk>/consent/", views.request_consent, name="request-consent"),
    path("requests/<int:pk>/withdraw/", views.request_withdraw, name="request-withdraw"),
]
