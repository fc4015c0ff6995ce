from contracts.models import Contract, Obligation, ReservedMatterRequest, Risk, Variation

from ..matrix import DFE, OFFICER, SCRUTINY, TRUST, Route, everyone_but

OFFICER_ONLY = everyone_but(**{TRUST: 403, SCRUTINY: 403, DFE: 403})
DFE_ONLY = everyone_but(**{OFFICER: 403, TRUST: 403, SCRUTINY: 403})
RAISERS = everyone_but(**{SCRUTINY: 403, DFE: 403})
SANDWELL = "SMBC-SCT-2018"


def contract():
    return {"pk": Contract.objects.get(reference=SANDWELL).pk}


def _first(model, **lookup):
    return {"pk": model.objects.filter(**lookup).order_by("pk").values_list("pk", flat=True).first()}


def obligation():
    return _first(Obligation, contract__reference=SANDWELL)


def variation():
    return _first(Variation, contract__reference=SANDWELL)


def risk():
    return _first(Risk, contract__reference=SANDWELL)


def request_in(status):
    return lambda: _first(ReservedMatterRequest, delivery_body__slug="sandwell-trust", status=status)


RAISED, AWAITING = ReservedMatterRequest.Status.RAISED, ReservedMatterRequest.Status.AWAITING_DFE

ROUTES = [
    Route("contracts:contract-list", everyone_but(), browser_role=OFFICER),
    Route("contracts:contract-create", OFFICER_ONLY),
    Route("contracts:register-csv", everyone_but(), browser_role=None),
    Route("contracts:register-xlsx", everyone_but(), browser_role=None),
    Route("contracts:contract-detail", everyone_but(), kwargs=contract, browser_role=TRUST),
    Route("contracts:contract-edit", OFFICER_ONLY, kwargs=contract),
    Route("contracts:contract-status", OFFICER_ONLY, kwargs=contract),
    Route("contracts:contract-end-of-term", OFFICER_ONLY, kwargs=contract),
    Route("contracts:contract-annual-review", OFFICER_ONLY, kwargs=contract),
    Route("contracts:contract-termination-consent", DFE_ONLY, kwargs=contract, browser_role=DFE),
    Route("contracts:obligation-create", OFFICER_ONLY, kwargs=contract),
    Route("contracts:obligation-edit", OFFICER_ONLY, kwargs=obligation),
    Route("contracts:finance-create", OFFICER_ONLY, kwargs=contract),
    Route("contracts:budget-month-create", OFFICER_ONLY, kwargs=contract),
    Route("contracts:support-service-create", OFFICER_ONLY, kwargs=contract),
    Route("contracts:variation-create", OFFICER_ONLY, kwargs=contract),
    Route("contracts:variation-status", OFFICER_ONLY, kwargs=variation),
    Route("contracts:variation-consent", DFE_ONLY, kwargs=variation, browser_role=DFE),
    Route("contracts:escalation-create", OFFICER_ONLY, kwargs=contract),
    Route(
        "contracts:escalation-evidence",
        everyone_but(**{OFFICER: 404, TRUST: 404, SCRUTINY: 404, DFE: 404}),
        kwargs=lambda: {"pk": 0},
        browser_role=None,
        notes="No demo escalation (the papers record none); tests/contracts/test_views.py covers a real file.",
    ),
    Route("contracts:risk-create", OFFICER_ONLY, kwargs=contract),
    Route("contracts:risk-edit", OFFICER_ONLY, kwargs=risk),
    Route("contracts:reserved-matter-list", everyone_but(), browser_role=SCRUTINY),
    Route("contracts:reserved-matter-create", OFFICER_ONLY),
    Route("contracts:request-list", everyone_but(), browser_role=TRUST),
    Route("contracts:request-create", RAISERS, browser_role=TRUST),
    Route("contracts:request-detail", everyone_but(), kwargs=request_in(AWAITING), browser_role=DFE),
    Route("contracts:request-decide", OFFICER_ONLY, kwargs=request_in(RAISED)),
    Route("contracts:request-consent", DFE_ONLY, kwargs=request_in(AWAITING), browser_role=DFE),
    Route("contracts:request-withdraw", RAISERS, kwargs=request_in(RAISED), browser_role=TRUST),
]
