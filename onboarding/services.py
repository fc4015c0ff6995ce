"""The onboarding import in two calls: ``preview`` (read, plan, try and roll back) and ``run_import`` (the same,
kept when the whole file is valid). The page and the ``import_onboarding`` command both call these."""

import hashlib
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from trustgov.accounts.roles import Role, may_administer, role_of
from trustgov.organisations.models import Council

from .models import OnboardingUpload
from .plan import Outcome, Plan, apply_plan, build_plan
from .workbook import parse_workbook


@dataclass
class Result:
    plan: Plan
    outcome: Outcome

    @property
    def ok(self) -> bool:
        return not self.outcome.problems

    @property
    def problems(self):
        return self.outcome.problems


def may_onboard(user, council: Council) -> bool:
    """A council's administrator (a council officer with the administrator permission) onboards it."""
    if getattr(user, "is_superuser", False):
        return True
    return may_administer(user) and role_of(user) == Role.COUNCIL_OFFICER and user.council_id == council.pk


def _check(user, council: Council) -> None:
    if not may_onboard(user, council):
        raise PermissionDenied("Only an administrator of the council imports its onboarding workbook.")


def preview(*, council: Council, user, name: str, data: bytes) -> Result:
    """What the file would create and change, with every error; nothing is saved."""
    _check(user, council)
    parsed = parse_workbook(name=name, data=data)
    plan = build_plan(council=council, user=user, parsed=parsed)
    return Result(plan, apply_plan(plan, user=user, dry_run=True))


def run_import(*, council: Council, user, name: str, data: bytes) -> Result:
    """Import the file: everything, or nothing when any row is refused."""
    _check(user, council)
    parsed = parse_workbook(name=name, data=data)
    plan = build_plan(council=council, user=user, parsed=parsed)
    return Result(plan, apply_plan(plan, user=user, dry_run=False))


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def upload_keep(*, council: Council, user, name: str, data: bytes) -> OnboardingUpload:
    _check(user, council)
    return OnboardingUpload.objects.create(
        council=council, uploaded_by=user, file_name=name[:200], content=data, sha256=digest(data)
    )


@transaction.atomic
def upload_confirm(*, upload: OnboardingUpload, user) -> Result:
    """Import a kept upload (once): re-read and re-planned now, so a change since the preview is seen."""
    upload = OnboardingUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.applied_at is not None:
        raise ValidationError({"upload": "This file has been imported already: upload it again to check it"})
    data = bytes(upload.content)
    if digest(data) != upload.sha256:
        raise ValidationError({"upload": "The kept file does not match what was previewed: upload it again"})
    result = run_import(council=upload.council, user=user, name=upload.file_name, data=data)
    if result.ok:
        upload.applied_at = timezone.now()
        upload.save(update_fields=["applied_at"])
    return result
