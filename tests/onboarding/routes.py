"""The onboarding pages in the permission matrix: a council's administrator only (the demo's officers are
administrators); every other role is refused (403). Another council's upload is a 404 (test_cross_tenant)."""

from tests.matrix import DFE, OFFICER, SCRUTINY, TRUST, Route, everyone_but

ADMINISTRATOR_ONLY = everyone_but(**{TRUST: 403, SCRUTINY: 403, DFE: 403})
POST_ONLY = everyone_but(**{OFFICER: 405, TRUST: 405, SCRUTINY: 405, DFE: 405})


def _upload(*, applied: bool):
    def kwargs():
        from django.utils import timezone

        from onboarding.export import template_bytes
        from onboarding.models import OnboardingUpload
        from onboarding.services import digest
        from trustgov.accounts.models import User

        officer = User.objects.get(username="sandwell-officer")
        data = template_bytes()
        upload = OnboardingUpload.objects.create(
            council=officer.council,
            uploaded_by=officer,
            file_name="sandwell-onboarding.xlsx",
            content=data,
            sha256=digest(data),
            applied_at=timezone.now() if applied else None,
        )
        return {"pk": upload.pk}

    return kwargs


ROUTES = [
    Route("onboarding:start", ADMINISTRATOR_ONLY),
    Route("onboarding:template", ADMINISTRATOR_ONLY, browser_role=None),
    Route("onboarding:export", ADMINISTRATOR_ONLY, browser_role=None),
    Route("onboarding:preview", ADMINISTRATOR_ONLY, kwargs=_upload(applied=False)),
    Route("onboarding:confirm", POST_ONLY, kwargs=_upload(applied=False), browser_role=None),
    Route("onboarding:done", ADMINISTRATOR_ONLY, kwargs=_upload(applied=True)),
]
