"""A lost update refused: a return form saved against figures that changed since the page was opened saves
nothing, says so, keeps what was typed, and goes through once saved again; of many saves of the same page at
once, exactly one wins (PostgreSQL)."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
import time_machine
from django.db import connection, connections
from django.test import Client

from performance import services
from performance.models import MonthlyReturn

from .factories import small_catalogue
from .test_form import GOOD, URL


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(date(2025, 7, 10), tick=False):
        yield


def token(page: str) -> str:
    return re.search(r'name="based_on" value="([^"]*)"', page).group(1)


def cin(tenant) -> str:
    ret = MonthlyReturn.objects.get(delivery_body=tenant.body)
    return str(ret.versions.get().values.get(kpi__code="CIN").value)


@pytest.mark.django_db
def test_a_stale_form_saves_nothing_keeps_the_figures_and_saves_once_checked(client, tenant_a):
    small_catalogue(tenant_a.body)
    client.force_login(tenant_a.trust_exec)
    assert client.post(URL, {**GOOD, "based_on": token(client.get(URL).content.decode())}).status_code == 302
    mine = token(client.get(URL).content.decode())  # I open the form...
    colleague = Client()
    colleague.force_login(tenant_a.trust_exec)  # ...and a colleague saves first
    theirs = token(colleague.get(URL).content.decode())
    assert colleague.post(URL, {**GOOD, "CIN-value": "1700", "based_on": theirs}).status_code == 302

    refused = client.post(URL, {**GOOD, "CIN-value": "1660", "based_on": mine})
    page = refused.content.decode()
    assert refused.status_code == 400
    assert "was changed by someone else since you opened this page. Nothing was saved." in page
    assert 'value="1660"' in page  # what I typed is still there
    assert cin(tenant_a) == "1700.00"  # the colleague's figures stand, not merged with mine
    current = token(page)
    assert current != mine and current == services.return_state(MonthlyReturn.objects.get(delivery_body=tenant_a.body))
    again = client.post(URL, {**GOOD, "CIN-value": "1660", "based_on": current})
    assert again.status_code == 302, re.findall(r"govuk-error-summary__list.*?</ul>", again.content.decode(), re.S)
    assert cin(tenant_a) == "1660.00"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_ten_saves_of_the_same_page_at_once_one_saves_and_nine_are_told(tenant_a):
    small_catalogue(tenant_a.body)
    opener = Client()
    opener.force_login(tenant_a.trust_exec)
    assert opener.post(URL, GOOD).status_code == 302
    state = token(opener.get(URL).content.decode())
    start = threading.Barrier(10)

    def save(n):
        try:
            c = Client()
            c.force_login(tenant_a.trust_exec)
            start.wait()
            return c.post(URL, {**GOOD, "CIN-value": str(1600 + n), "based_on": state}).status_code, n
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(save, range(10)))
    saved = [n for status, n in results if status == 302]
    assert len(saved) == 1 and sorted(status for status, _ in results) == [302] + [400] * 9
    assert cin(tenant_a) == f"{1600 + saved[0]}.00"  # one client's figures, whole
