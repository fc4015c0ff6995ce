from trustgov.accounts.models import ApiToken
from trustgov.organisations.models import Council

from ..matrix import DFE, OFFICER, SCRUTINY, TRUST, Route, everyone_but

ROUTES = [
    Route("home", everyone_but(), browser_role=OFFICER),
    Route("healthz", everyone_but(), browser_role=None, anon=200),
    Route("readyz", everyone_but(), browser_role=None, anon=200),
    Route(
        "history",
        everyone_but(),
        kwargs=lambda: {
            "app_label": "organisations",
            "model_name": "council",
            "pk": Council.objects.get(slug="sandwell").pk,
        },
    ),
    Route("login", everyone_but(**{OFFICER: 302, TRUST: 302, SCRUTINY: 302, DFE: 302}), browser_role="anon", anon=200),
    Route("logout", everyone_but(**{OFFICER: 405, TRUST: 405, SCRUTINY: 405, DFE: 405}), browser_role=None, anon=405),
    Route("password_change", everyone_but()),
    Route("password_change_done", everyone_but()),
    Route("password_reset", everyone_but(), browser_role="anon", anon=200),
    Route("password_reset_done", everyone_but(), browser_role="anon", anon=200),
    Route(
        "password_reset_confirm",
        everyone_but(),
        kwargs=lambda: {"uidb64": "MQ", "token": "bad-token"},
        browser_role="anon",
        anon=200,
        shared=True,  # a reset link, not a tenant's record
    ),
    Route("password_reset_complete", everyone_but(), browser_role="anon", anon=200),
    Route("api-token-list", everyone_but()),
    Route("api-token-create", everyone_but()),
    Route(
        "api-token-revoke",
        everyone_but(**{OFFICER: 405, TRUST: 405, SCRUTINY: 405, DFE: 405}),
        kwargs=lambda: {"pk": ApiToken.objects.order_by("pk").values_list("pk", flat=True).first() or 1},
        browser_role=None,
    ),
    Route("api-schema", everyone_but(), browser_role=None, anon=200),
    Route("api-docs", everyone_but(), browser_role=DFE, anon=200),
    # The footer's statements: public, read before signing in as well as after.
    Route("accessibility", everyone_but(), browser_role="anon", anon=200, shared=True),
    Route("privacy", everyone_but(), browser_role="anon", anon=200, shared=True),
    Route("cookies", everyone_but(), browser_role="anon", anon=200, shared=True),
]

# Administration (an administrator's pages; the demo's officer, trust executive and DfE liaison are
# administrators, scrutiny members are not). The user page names the Sandwell trust executive.
ADMIN_PAGE = everyone_but(**{SCRUTINY: 403})
POST_ONLY = everyone_but(**{OFFICER: 405, TRUST: 405, SCRUTINY: 405, DFE: 405})


def _sandwell_exec():
    from trustgov.accounts.models import User

    return {"pk": User.objects.get(username="sandwell-trust-exec").pk}


ROUTES += [
    Route("user-list", ADMIN_PAGE),
    Route("user-invite", ADMIN_PAGE),
    Route("user-detail", everyone_but(**{SCRUTINY: 403, DFE: 404}), kwargs=_sandwell_exec),
    Route("user-edit", everyone_but(**{TRUST: 200, SCRUTINY: 403, DFE: 404}), kwargs=_sandwell_exec),
    Route("user-deactivate", POST_ONLY, kwargs=_sandwell_exec, browser_role=None),
    Route("user-reactivate", POST_ONLY, kwargs=_sandwell_exec, browser_role=None),
    Route("user-resend-invitation", POST_ONLY, kwargs=_sandwell_exec, browser_role=None),
    Route(
        "invitation-accept",
        everyone_but(),
        kwargs=lambda: {"uidb64": "MQ", "token": "bad-token"},
        browser_role="anon",
        anon=200,
        shared=True,  # an invitation link, not a tenant's record
    ),
]

# Your account and two-factor sign-in (ADR 0012). With two-factor sign-in not required (the tests'
# default) and no device set up, the steps that need one send the user on (302).
REDIRECTS = everyone_but(**{OFFICER: 302, TRUST: 302, SCRUTINY: 302, DFE: 302})
ROUTES += [
    Route("account", everyone_but()),
    Route("two-factor-setup", everyone_but()),
    Route("two-factor-recovery-codes", REDIRECTS, browser_role=None),
    Route("two-factor-verify", REDIRECTS, browser_role=None),
    Route("two-factor-verify-recovery", REDIRECTS, browser_role=None),
    Route("two-factor-reset", REDIRECTS, browser_role=None),
    Route("user-two-factor-reset", everyone_but(**{TRUST: 200, SCRUTINY: 403, DFE: 404}), kwargs=_sandwell_exec),
]
