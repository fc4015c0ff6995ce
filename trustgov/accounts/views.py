from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from trustgov.core.forms import apply_validation_error

from . import services
from .forms import ApiTokenForm
from .roles import Role, role_of
from .selectors import api_tokens_visible_to


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True


@login_required
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
