"""Scoped reads of reports.

- drafts are working papers: only the council's officers (and superusers) see them;
- generated reports are documents: draft -> approved -> published. Everyone in the tenancy
  (council users, the trust, the DfE) sees the public ones once published; drafts, approved but
  unpublished documents and the "not for publication" documents only the council's officers.
"""

from django.db.models import QuerySet

from trustgov.accounts.roles import Role, role_of
from trustgov.core.scoping import scope_for
from trustgov.organisations.selectors import scope_by_council, scope_by_delivery_body

from .models import GeneratedReport, ReportDraft


def is_council_officer(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or role_of(user) == Role.COUNCIL_OFFICER))


@scope_for(ReportDraft)
def drafts_visible_to(user) -> QuerySet[ReportDraft]:
    qs = ReportDraft.objects.select_related("council", "delivery_body", "created_by")
    if not is_council_officer(user):
        return qs.none()
    return scope_by_council(qs, user)


@scope_for(GeneratedReport)
def generated_reports_visible_to(user) -> QuerySet[GeneratedReport]:
    # The council's reports on a delivery body it owns (an owner of a jointly owned trust sees its own reports).
    qs = scope_by_council(
        scope_by_delivery_body(GeneratedReport.objects.select_related("council", "delivery_body", "draft"), user), user
    )
    if not is_council_officer(user):
        # Until an officer publishes it, a generated document is the council's working paper.
        qs = qs.filter(is_exempt=False, publication=GeneratedReport.Publication.PUBLISHED)
    return qs


def published_reports(user) -> QuerySet[GeneratedReport]:
    """Published, public documents: what scrutiny, the trust, the DfE and the API may list and download."""
    return generated_reports_visible_to(user).filter(
        is_exempt=False, status=GeneratedReport.Status.READY, publication=GeneratedReport.Publication.PUBLISHED
    )


def versions_of(draft: ReportDraft, user) -> QuerySet[GeneratedReport]:
    return generated_reports_visible_to(user).filter(draft=draft).order_by("-version", "is_exempt")
