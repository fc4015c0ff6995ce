from ..matrix import DFE, OFFICER, SCRUTINY, TRUST, Route, everyone_but


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
    Route("organisations:office-list", everyone_but(), browser_role=OFFICER),
    Route("organisations:office-create", everyone_but(**{TRUST: 403, SCRUTINY: 403, DFE: 403}), browser_role=OFFICER),
]
