from django.urls import path

from . import views

app_name = "boards"
urlpatterns = [
    path("", views.body_list, name="body-list"),
    path("bodies/new/", views.body_create, name="body-create"),
    path("bodies/<int:pk>/", views.body_detail, name="body-detail"),
    path("bodies/<int:pk>/seats/new/", views.seat_create, name="seat-create"),
    path("bodies/<int:pk>/memberships/new/", views.membership_create, name="membership-create"),
    path("bodies/<int:pk>/appointments/new/", views.appointment_create, name="appointment-create"),
    path("bodies/<int:pk>/ratification/", views.ratification, name="ratification"),
    path("bodies/<int:pk>/ratification.csv", views.ratification_csv, name="ratification-csv"),
    path("memberships/<int:pk>/renew/", views.membership_renew, name="membership-renew"),
    path("memberships/<int:pk>/end/", views.membership_end, name="membership-end"),
    path("terms-ending/", views.terms_ending, name="terms-ending"),
    path("people/", views.person_list, name="person-list"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/interests/new/", views.interest_create, name="interest-create"),
    path("interests/<int:pk>/review/", views.interest_review, name="interest-review"),
    path("appointments/", views.appointment_list, name="appointment-list"),
    path("appointments/<int:pk>/", views.appointment_detail, name="appointment-detail"),
    path("appointments/<int:pk>/steps/<str:target>/", views.appointment_step, name="appointment-step"),
]
