from ..matrix import DFE, OFFICER, SCRUTINY, TRUST, Route, everyone_but

ROUTES = [
    Route("organisations:council-list", everyone_but(), browser_role=DFE),
    Route("organisations:council-detail", everyone_but(), kwargs=lambda: {"slug": "sandwell"}),
    Route("organisations:delivery-body-detail", everyone_but(), kwargs=lambda: {"slug": "sandwell-trust"}),
    Route("organisations:office-list", everyone_but(), browser_role=OFFICER),
    Route("organisations:office-create", everyone_but(**{TRUST: 403, SCRUTINY: 403, DFE: 403}), browser_role=OFFICER),
]
