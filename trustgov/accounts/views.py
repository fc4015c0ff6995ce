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

from . import services
from .forms import ApiTokenForm, InviteForm, SetPasswordForm, UserEditForm
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
