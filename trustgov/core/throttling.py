"""Throttling per API token: each token has its own budget (settings: DEFAULT_THROTTLE_RATES["token"])."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class TokenRateThrottle(SimpleRateThrottle):
    """Counts requests per API token; a signed-in browser session counts per user, anonymous per address.

    The rate is read at request time (not import time), so an environment or test can change it.
    """

    scope = "token"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        token = getattr(request, "auth", None)  # the API token, or None for a browser session
        if token is not None:
            ident = f"token-{token.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"anon-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
