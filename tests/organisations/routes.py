from ..matrix import DFE, OFFICER, SCRUTINY, TRUST, Route, everyone_but


def _sandwell_direction() -> dict:
    from trustgov.organisations.models import Direction

    return {"pk": Direction.objects.filter(council__slug="sandwell", status="in_force").order_by("pk").first().pk}


def _sandwell_memorandum() -> dict:
    from trustgov.organisations.models import MemorandumOfUnderstanding

    return {"pk": MemorandumOfUnderstanding.objects.filter(council__slug="sandwell", status="signed").first().pk}


def _draft_memorandum() -> dict:
    """A draft memorandum of Sandwell's (the demo's are signed): made for the page that records signing."""
    from trustgov.organisations.models import DeliveryBody, MemorandumOfUnderstanding

    body = DeliveryBody.objects.get(slug="sandwell-trust")
    memo, _ = MemorandumOfUnderstanding.objects.get_or_create(
        council=body.council, delivery_body=body, status="draft", defaults={"principal_provisions": "A draft"}
    )
    return {"pk": memo.pk}


# Only the council's administrator sets up its records (sandwell-officer administers Sandwell).
ADMIN_ONLY = everyone_but(**{TRUST: 403, SCRUTINY: 403, DFE: 403})


def _co_ownership() -> dict:
    from trustgov.organisations.models import Ownership

    joint = Ownership.objects.get(delivery_body__slug="northamptonshire-trust", council__slug="north-northamptonshire")
    return {"slug": "northamptonshire-trust", "pk": joint.pk}


ROUTES = [
    Route("organisations:council-list", everyone_but(), browser_role=DFE),
    Route("organisations:council-detail", everyone_but(), kwargs=lambda: {"slug": "sandwell"}),
    Route("organisations:delivery-body-detail", everyone_but(), kwargs=lambda: {"slug": "sandwell-trust"}),
    # Only the lead council's administrator adds or ends an owner (sandwell-officer administers Sandwell).
    Route(
        "organisations:ownership-add",
        everyone_but(**{TRUST: 403, SCRUTINY: 403, DFE: 403}),
        kwargs=lambda: {"slug": "sandwell-trust"},
        browser_role=OFFICER,
    ),
    # Sandwell's users do not see Northamptonshire's trust (404); the DfE sees it but changes no owner (403).
    # The page itself is walked with axe as West Northamptonshire's administrator (tests/organisations/test_browser.py).
    Route(
        "organisations:ownership-end",
        {OFFICER: 404, TRUST: 404, SCRUTINY: 404, DFE: 403},
        kwargs=_co_ownership,
        browser_role=None,
    ),
    # Registering a council is the service's administrators' (a superuser's): every role is refused.
    Route("organisations:council-create", {OFFICER: 403, TRUST: 403, SCRUTINY: 403, DFE: 403}, browser_role=None),
    Route("organisations:council-edit", ADMIN_ONLY, kwargs=lambda: {"slug": "sandwell"}),
    Route("organisations:delivery-body-create", {OFFICER: 200, TRUST: 404, SCRUTINY: 403, DFE: 404}),
    Route("organisations:delivery-body-edit", ADMIN_ONLY, kwargs=lambda: {"slug": "sandwell-trust"}),
    Route("organisations:direction-create", ADMIN_ONLY, kwargs=lambda: {"slug": "sandwell"}),
    Route("organisations:direction-edit", ADMIN_ONLY, kwargs=_sandwell_direction),
    Route("organisations:direction-revoke", ADMIN_ONLY, kwargs=_sandwell_direction),
    Route(
        "organisations:memorandum-create",
        {OFFICER: 200, TRUST: 404, SCRUTINY: 403, DFE: 404},
        kwargs=lambda: {"slug": "sandwell-trust"},
    ),
    Route("organisations:memorandum-edit", ADMIN_ONLY, kwargs=_sandwell_memorandum),
    Route("organisations:memorandum-sign", ADMIN_ONLY, kwargs=_draft_memorandum),
    Route("organisations:office-list", everyone_but(), browser_role=OFFICER),
    Route("organisations:office-create", everyone_but(**{TRUST: 403, SCRUTINY: 403, DFE: 403}), browser_role=OFFICER),
]
