"""Two systems posting the same new month at once: one return, no server error (PostgreSQL)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from performance.models import MonthlyReturn, ReturnVersion

from .test_returns import JUNE, cat, frozen, record  # noqa: F401  (fixtures)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_simultaneous_first_submissions_share_one_return(tenant_a, cat):  # noqa: F811
    start = threading.Barrier(4)

    def post(_):
        try:
            start.wait()
            return record(tenant_a).pk
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(post, range(4)))

    returns = MonthlyReturn.objects.filter(delivery_body=tenant_a.body, period=JUNE)
    assert returns.count() == 1
    assert set(ids) == {returns.get().pk}
    # All four wrote into the one draft: still version 1, nothing submitted.
    assert list(ReturnVersion.objects.filter(monthly_return=returns.get()).values_list("number", flat=True)) == [1]
