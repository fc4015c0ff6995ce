"""Every page but sign-in, two-factor, the public statements and a council's public pages is refused until the code
is entered."""

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse

from . import two_factor

# Named pages a signed-in user who has not yet entered a code may still open.
OPEN_BEFORE_VERIFYING = frozenset(
    {
        "login",
        "logout",
        "two-factor-setup",
        "two-factor-recovery-codes",
        "two-factor-verify",
        "two-factor-verify-recovery",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "invitation-accept",
        "accessibility",
        "privacy",
        "cookies",
        "healthz",
        "readyz",
        # A council's public search reads only what its public pages show (ADR 0606).
        "search:public-search",
    }
)

# URL namespaces open to anyone, signed in or not: a council's public pages show only what is published (ADR 0603).
OPEN_NAMESPACES = frozenset({"public"})


class TwoFactorMiddleware:
    """After password sign-in, a user who must use two-factor sign-in is sent to set it up (no
    device yet) or to enter a code; until then every other page redirects there, and the API
    (signed in by session) answers 403. API tokens are not sessions: they are unaffected (ADR 0004)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not self._open(request) and two_factor.must_verify(user):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "type": "about:blank",
                        "title": "Two-factor authentication needed",
                        "status": 403,
                        "detail": "Enter a code from your authenticator app in the browser first.",
                    },
                    status=403,
                    content_type="application/problem+json",
                )
            step = "two-factor-verify" if two_factor.is_set_up(user) else "two-factor-setup"
            target = reverse(step)
            if request.method == "GET" and request.path != "/":
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        return self.get_response(request)

    @staticmethod
    def _open(request) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True  # a 404 page gives nothing away
        return match.view_name in OPEN_BEFORE_VERIFYING or match.namespace in OPEN_NAMESPACES
