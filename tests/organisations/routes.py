from ..matrix import DFE, Route, everyone_but

ROUTES = [
    Route("organisations:council-list", everyone_but(), browser_role=DFE),
    Route("organisations:council-detail", everyone_but(), kwargs=lambda: {"slug": "sandwell"}),
    Route("organisations:delivery-body-detail", everyone_but(), kwargs=lambda: {"slug": "sandwell-trust"}),
]
