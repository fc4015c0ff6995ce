from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from trustgov.core import history
from trustgov.core.form_views import render_form_page, run_service
from trustgov.core.forms import apply_validation_error

from . import services, two_factor
from .forms import (
    ApiTokenForm,
    InviteForm,
    RecoveryCodeForm,
    SetPasswordForm,
    TwoFactorAdminResetForm,
    TwoFactorResetOwnForm,
    TwoFactorSetupForm,
    TwoFactorVerifyForm,
    UserEditForm,
)
from .models import User
from .roles import Role, role_of
from .selectors import api_tokens_visible_to, users_administered_by


class RefusedFormIs400:
    """A form page that refuses what was sent answers 400 (as render_form_page does), not Django's 200."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class LoginView(RefusedFormIs400, auth_views.LoginView):
    redirect_authenticated_user = True


class PasswordChangeView(RefusedFormIs400, auth_views.PasswordChangeView):
    pass


class PasswordResetView(RefusedFormIs400, auth_views.PasswordResetView):
    pass


class PasswordResetConfirmView(RefusedFormIs400, auth_views.PasswordResetConfirmView):
    pass


@login_required
@require_GET
def api_token_list(request):
    """The user's own tokens; a council officer also sees (not revokes) the tokens held in their organisation."""
    tokens = list(api_tokens_visible_to(request.user).select_related("user__council", "user__delivery_body"))
    own = [t for t in tokens if t.user_id == request.user.id]
    others = [t for t in tokens if t.user_id != request.user.id]
    return render(
        request,
        "accounts/api_token_list.html",
        {
            "tokens": tokens,
            "own_tokens": own,
            "other_tokens": others,
            "sees_organisation": role_of(request.user) == Role.COUNCIL_OFFICER,
        },
    )


@login_required
def api_token_create(request):
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.api_token_issue(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return render(request, "accounts/api_token_created.html", {"issued": issued})
    return render(request, "accounts/api_token_form.html", {"form": form})


@login_required
@require_POST
def api_token_revoke_view(request, pk: int):
    # Users revoke their own tokens only; officers can see (not revoke) colleagues'.
    token = get_object_or_404(request.user.api_tokens, pk=pk)
    services.api_token_revoke(token=token)
    messages.success(request, f"Token '{token.name}' has been revoked.")
    return redirect("api-token-list")


# --- administration -----------------------------------------------------------------------------


def _administrator(request):
    from django.core.exceptions import PermissionDenied

    from .roles import ADMINISTER_USERS

    if not request.user.has_perm(ADMINISTER_USERS):
        raise PermissionDenied("Only an administrator manages users.")


def _managed_user(request, pk: int):
    return get_object_or_404(users_administered_by(request.user), pk=pk)


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


@login_required
@require_GET
def user_list(request):
    """The users of the administrator's organisation(s), with their role and last sign-in."""
    _administrator(request)
    people = list(users_administered_by(request.user).prefetch_related("groups").order_by("last_name", "username"))
    return render(request, "accounts/user_list.html", {"people": people})


@login_required
@require_GET
def user_detail(request, pk: int):
    _administrator(request)
    person = _managed_user(request, pk)
    records = list(person.history.select_related("history_user").order_by("-history_date", "-history_id")[:100])
    rows = history.rows(User, records)
    return render(
        request,
        "accounts/user_detail.html",
        {
            "person": person,
            "rows": rows,
            "invited_pending": not person.has_usable_password(),
            "manageable": not services.role_rank_exceeds(person, request.user),
            "is_self": person.pk == request.user.pk,
            "two_factor_set_up": two_factor.is_set_up(person),
        },
    )


@login_required
def user_invite(request):
    _administrator(request)
    form = InviteForm(request.POST or None, admin=request.user)
    if request.method == "POST" and form.is_valid():
        invitation = run_service(
            form, lambda: services.user_invite(admin=request.user, base_url=_base_url(request), **form.placement())
        )
        if invitation:
            days = settings.INVITATION_TIMEOUT // 86400
            messages.success(
                request, f"Invitation sent to {invitation.user.email}. The link works once, for {days} days."
            )
            return redirect("user-detail", pk=invitation.user.pk)
    return render_form_page(
        request,
        form,
        title="Invite a user",
        intro="They get an email with a link to set their password. The link works once and expires.",
        cancel_url=reverse("user-list"),
    )


@login_required
def user_edit(request, pk: int):
    _administrator(request)
    person = _managed_user(request, pk)
    form = UserEditForm(request.POST or None, admin=request.user, user=person)
    if request.method == "POST" and form.is_valid():
        data = form.placement()
        if run_service(form, lambda: services.user_update(admin=request.user, user=person, **data)):
            messages.success(request, f"{person.get_full_name() or person.username}'s account was updated.")
            return redirect("user-detail", pk=person.pk)
    return render_form_page(
        request,
        form,
        title=f"Change {person.get_full_name() or person.username}'s account",
        caption=person.email,
        cancel_url=reverse("user-detail", kwargs={"pk": person.pk}),
    )


def _account_action(request, pk: int, service, done: str):
    _administrator(request)
    person = _managed_user(request, pk)
    try:
        service(admin=request.user, user=person)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"{person.get_full_name() or person.username} {done}.")
    return redirect("user-detail", pk=person.pk)


@login_required
@require_POST
def user_deactivate(request, pk: int):
    return _account_action(request, pk, services.user_deactivate, "has been deactivated and can no longer sign in")


@login_required
@require_POST
def user_reactivate(request, pk: int):
    return _account_action(request, pk, services.user_reactivate, "has been reactivated and can sign in again")


@login_required
@require_POST
def user_resend_invitation(request, pk: int):
    _administrator(request)
    person = _managed_user(request, pk)
    try:
        services.invitation_resend(admin=request.user, user=person, base_url=_base_url(request))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"A new invitation was sent to {person.email}.")
    return redirect("user-detail", pk=person.pk)


def invitation_accept(request, uidb64: str, token: str):
    """The invited person sets a password. A used, expired or broken link says which, and saves nothing."""
    from .invitations import LINK_MESSAGES, LinkState, invitation_tokens, user_from_uidb64

    person = user_from_uidb64(uidb64)
    state = invitation_tokens.state(person, token)
    if state != LinkState.VALID:
        return render(
            request,
            "accounts/invitation_invalid.html",
            {"message": LINK_MESSAGES[state], "state": state},
            status=200 if request.method == "GET" else 400,
        )
    form = SetPasswordForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data["new_password1"]
        if run_service(form, lambda: services.invitation_accept(uidb64=uidb64, token=token, password=password)):
            messages.success(request, f"Your password is set. Sign in with your username, {person.username}.")
            return redirect("login")
    return render_form_page(
        request,
        form,
        title="Set your password",
        caption=f"Welcome to TrustGov, {person.get_full_name() or person.username}",
        intro=f"Your username is {person.username}. Choose a password of at least 12 characters.",
    )


# --- two-factor sign-in (ADR 0012) --------------------------------------------------------------

SETUP_KEY_SESSION = "trustgov_2fa_setup_key"
RECOVERY_CODES_SESSION = "trustgov_2fa_recovery_codes"
NEXT_SESSION = "trustgov_2fa_next"


def _next_url(request, default: str = "") -> str:
    """Where to go after a two-factor step: ?next= (or the one kept during set-up), if it is this site's."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or request.session.get(NEXT_SESSION) or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return default or reverse("home")


def _setup_page(request, form, *, key: str, status: int | None = None):
    uri = two_factor.provisioning_uri(key_hex=key, username=request.user.get_username())
    response = render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": two_factor.qr_code_svg(uri),
            "secret": two_factor.secret_for_people(key),
            "required": two_factor.required_for(request.user),
            "next": _next_url(request),
        },
    )
    response.status_code = status or (400 if form.is_bound and form.errors else 200)
    return response


@login_required
def two_factor_setup(request):
    """Scan the QR code (or type the key), then confirm with a code. Nothing is saved until the code matches."""
    from django_otp import login as otp_login

    if two_factor.is_set_up(request.user):
        if not request.user.is_verified():
            return redirect("two-factor-verify")
        messages.info(request, "Two-factor authentication is already set up. Reset it here to use a new phone or app.")
        return redirect("account")
    if request.method == "GET" and request.GET.get("next"):
        request.session[NEXT_SESSION] = _next_url(request)
    key = request.session.get(SETUP_KEY_SESSION)
    form = TwoFactorSetupForm(request.POST or None)
    if request.method == "POST":
        if not key:
            # The set-up step was lost (a new session, or it was finished elsewhere): start again.
            key = request.session[SETUP_KEY_SESSION] = two_factor.new_secret()
            form.is_valid()
            form.add_error("code", "Your set-up expired: scan the new QR code, then enter the code your app shows")
            return _setup_page(request, form, key=key, status=400)
        if form.is_valid():
            codes = run_service(
                form, lambda: services.two_factor_enrol(user=request.user, key=key, code=form.cleaned_data["code"])
            )
            if codes:
                otp_login(request, two_factor.totp_device(request.user))
                del request.session[SETUP_KEY_SESSION]
                request.session[RECOVERY_CODES_SESSION] = codes
                return redirect("two-factor-recovery-codes")
        return _setup_page(request, form, key=key)
    if not key:
        key = request.session[SETUP_KEY_SESSION] = two_factor.new_secret()
    return _setup_page(request, form, key=key)


@login_required
@require_GET
def two_factor_recovery_codes(request):
    """The ten recovery codes, shown once, straight after set-up."""
    codes = request.session.pop(RECOVERY_CODES_SESSION, None)
    if not codes:
        messages.info(
            request,
            "Recovery codes are shown once, when you set up two-factor authentication. "
            "To get new ones, reset two-factor authentication and set it up again.",
        )
        return redirect("account")
    next_url = _next_url(request)
    request.session.pop(NEXT_SESSION, None)
    return render(request, "accounts/two_factor_recovery_codes.html", {"codes": codes, "next": next_url})


def _verify_page(request, form_class, check, *, title: str, intro: str, other_link: tuple[str, str]):
    from django_otp import login as otp_login

    if not two_factor.is_set_up(request.user):
        return redirect("two-factor-setup")
    if request.user.is_verified():
        return redirect(_next_url(request))
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Checked outside any rolled-back block: a wrong code counts towards django-otp's throttle.
        result = check(request.user, form.cleaned_data["code"])
        if result.device is not None:
            otp_login(request, result.device)
            request.session.pop(NEXT_SESSION, None)
            if check is two_factor.check_recovery_code:
                left = two_factor.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    f"You used a recovery code. You have {left} left: when you run low, reset two-factor "
                    "authentication from your account page to get new ones.",
                )
            return redirect(_next_url(request))
        form.add_error("code", result.error)
    return render_form_page(
        request,
        form,
        title=title,
        intro=intro,
        template="accounts/two_factor_verify.html",
        other_link=other_link,
    )


@login_required
def two_factor_verify(request):
    return _verify_page(
        request,
        TwoFactorVerifyForm,
        two_factor.check_app_code,
        title="Enter the code from your authenticator app",
        intro="Open the authenticator app on your phone and enter the code it shows for TrustGov.",
        other_link=(reverse("two-factor-verify-recovery"), "Use a recovery code instead"),
    )


@login_required
def two_factor_verify_recovery(request):
    return _verify_page(
        request,
        RecoveryCodeForm,
        two_factor.check_recovery_code,
        title="Enter a recovery code",
        intro="Use one of the recovery codes you were given when you set up two-factor authentication. "
        "Each code works once.",
        other_link=(reverse("two-factor-verify"), "Use your authenticator app instead"),
    )


@login_required
@require_GET
def account(request):
    """The signed-in user's own account: who they are, password, API tokens and two-factor sign-in."""
    user = request.user
    return render(
        request,
        "accounts/account.html",
        {
            "two_factor_set_up": two_factor.is_set_up(user),
            "two_factor_required": two_factor.required_for(user),
            "recovery_codes_left": two_factor.recovery_codes_left(user),
        },
    )


@login_required
def two_factor_reset_own(request):
    """Remove your own authenticator app and recovery codes, after entering a code from one of them."""
    from django_otp import DEVICE_ID_SESSION_KEY

    if not two_factor.is_set_up(request.user):
        return redirect("account")
    form = TwoFactorResetOwnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = two_factor.normalise_code(form.cleaned_data["code"])
        check = two_factor.check_app_code if code.isdigit() else two_factor.check_recovery_code
        result = check(request.user, code)
        if result.device is None:
            form.add_error("code", result.error)
        elif run_service(form, lambda: services.two_factor_reset_own(user=request.user)):
            request.session.pop(DEVICE_ID_SESSION_KEY, None)
            if two_factor.required_for(request.user):
                messages.success(request, "Two-factor authentication was reset. Set it up again with your new app.")
                return redirect("two-factor-setup")
            messages.success(request, "Two-factor authentication was reset. You now sign in with your password alone.")
            return redirect("account")
    return render_form_page(
        request,
        form,
        title="Reset two-factor authentication",
        intro="This removes your authenticator app and recovery codes from your account. "
        "To confirm it is you, enter a code from your authenticator app or one of your recovery codes.",
        cancel_url=reverse("account"),
    )


@login_required
def user_two_factor_reset(request, pk: int):
    """An administrator resets a colleague's two-factor sign-in (for example, a lost phone)."""
    _administrator(request)
    person = _managed_user(request, pk)
    form = TwoFactorAdminResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        reason = form.cleaned_data["reason"]
        if run_service(form, lambda: services.two_factor_reset(admin=request.user, user=person, reason=reason)):
            messages.success(
                request,
                f"{person.get_full_name() or person.username}'s two-factor authentication was reset. "
                "They set it up again when they next sign in.",
            )
            return redirect("user-detail", pk=person.pk)
    return render_form_page(
        request,
        form,
        title=f"Reset {person.get_full_name() or person.username}'s two-factor authentication",
        caption=person.email,
        intro="Their authenticator app and recovery codes stop working. When they next sign in they set up "
        "two-factor authentication again.",
        cancel_url=reverse("user-detail", kwargs={"pk": person.pk}),
    )
