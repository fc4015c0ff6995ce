"""Another tenant's record is a 404, on every page that shows one record.

Each matrix route whose URL names a record (by pk, slug or another id) is requested by the same
role from another council and trust (Bradford); where the Sandwell user got 200, they get 404.
"""

import pytest
from django.urls import reverse

from trustgov.accounts.models import User

from . import matrix
from .test_permission_matrix import ROUTES

# The same roles at another council and trust.
OTHER_TENANT = {
    matrix.OFFICER: "bradford-officer",
    matrix.TRUST: "bradford-trust-exec",
    matrix.SCRUTINY: "bradford-scrutiny",
}

# A route that names a record has a kwargs callable (the default, `dict`, names none); only the
# pages a tenant role may open at all are checked (the permission matrix covers the rest).
RECORD_ROUTES = [
    r
    for r in ROUTES
    if r.kwargs is not dict and not r.shared and any(r.expected.get(role) == 200 for role in OTHER_TENANT)
]


@pytest.mark.django_db
@pytest.mark.parametrize("route", RECORD_ROUTES, ids=lambda r: r.name)
def test_another_tenants_record_is_404(client, route):
    url = reverse(route.name, kwargs=route.kwargs()) + route.query
    for role, username in OTHER_TENANT.items():
        if route.expected.get(role) != 200:
            continue
        client.force_login(User.objects.get(username=username))
        response = client.get(url)
        assert response.status_code == 404, f"{username} GET {url} gave {response.status_code}"
        client.logout()
