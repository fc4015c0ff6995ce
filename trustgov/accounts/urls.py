from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views
from .forms import GovukAuthenticationForm, GovukPasswordChangeForm, GovukPasswordResetForm, GovukSetPasswordForm

urlpatterns = [
    path("login/", views.LoginView.as_view(authentication_form=GovukAuthenticationForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-change/",
        views.PasswordChangeView.as_view(form_class=GovukPasswordChangeForm),
        name="password_change",
    ),
    path("password-change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "password-reset/",
        views.PasswordResetView.as_view(form_class=GovukPasswordResetForm),
        name="password_reset",
    ),
    path("password-reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(
            form_class=GovukSetPasswordForm, success_url=reverse_lazy("password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("account/", views.account, name="account"),
    path("two-factor/set-up/", views.two_factor_setup, name="two-factor-setup"),
    path("two-factor/recovery-codes/", views.two_factor_recovery_codes, name="two-factor-recovery-codes"),
    path("two-factor/verify/", views.two_factor_verify, name="two-factor-verify"),
    path("two-factor/recovery/", views.two_factor_verify_recovery, name="two-factor-verify-recovery"),
    path("two-factor/reset/", views.two_factor_reset_own, name="two-factor-reset"),
    path("api-tokens/", views.api_token_list, name="api-token-list"),
    path("api-tokens/new/", views.api_token_create, name="api-token-create"),
    path("api-tokens/<int:pk>/revoke/", views.api_token_revoke_view, name="api-token-revoke"),
    path("users/", views.user_list, name="user-list"),
    path("users/invite/", views.user_invite, name="user-invite"),
    path("users/<int:pk>/", views.user_detail, name="user-detail"),
    path("users/<int:pk>/edit/", views.user_edit, name="user-edit"),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user-deactivate"),
    path("users/<int:pk>/reactivate/", views.user_reactivate, name="user-reactivate"),
    path("users/<int:pk>/resend-invitation/", views.user_resend_invitation, name="user-resend-invitation"),
    path("users/<int:pk>/two-factor-reset/", views.user_two_factor_reset, name="user-two-factor-reset"),
    path("invitation/<uidb64>/<token>/", views.invitation_accept, name="invitation-accept"),
]
