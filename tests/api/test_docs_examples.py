"""The curl examples in docs/api.md, run exactly as written (bash, curl, jq) against a served TrustGov.

The app is Django's live server over the demo data (as `make run` serves it); each ```sh block of
the guide is run verbatim with TG pointing at it and TOKEN / WRITE_TOKEN set to real tokens. Only
the placeholder `export` lines of the first block are left out, and the retry check fixes the
Idempotency-Key so the same submission can be sent twice.
"""

import json
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings

from contracts.models import ReservedMatterRequest
from performance.models import MonthlyReturn, ReturnVersion
from trustgov.accounts.models import User
from trustgov.accounts.services import api_token_issue
from trustgov.organisations.models import Council

from ..demo_months import last_full_financial_year, latest_month_with_returns, month_not_started, ym
from .helpers import awaiting_request

GUIDE = Path(settings.BASE_DIR) / "docs" / "api.md"

pytestmark = pytest.mark.skipif(
    not (shutil.which("curl") and shutil.which("jq")), reason="the guide's examples need curl and jq"
)


def guide_blocks() -> dict[str, list[str]]:
    """The ```sh blocks of the guide, under the heading they follow."""
    blocks: dict[str, list[str]] = {}
    heading = ""
    for match in re.finditer(r"^(#{2,3}) ([^\n]+)$|^```sh\n(.*?)^```", GUIDE.read_text(), re.M | re.S):
        if match[2]:
            heading = match[2].strip()
        else:
            blocks.setdefault(heading, []).append(match[3])
    return blocks


BLOCKS = guide_blocks()
SETUP = next(line for line in BLOCKS["Getting a token"][0].splitlines() if line.startswith("alias tg="))


def run(block: str, cwd, **env) -> str:
    script = f"set -eo pipefail\nshopt -s expand_aliases\n{SETUP}\n{block}"
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=cwd,
        env={"PATH": os.environ["PATH"], "HOME": str(cwd), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"{block}\n--- stderr:\n{done.stderr}\n--- stdout:\n{done.stdout}"
    assert done.stdout.strip(), f"no output from:\n{block}\n{done.stderr}"
    return done.stdout


def with_values(block: str, **values: str) -> str:
    """The block with its placeholder lines (``MONTH=2026-09``) set to months asked of the data.

    The guide shows real months; the demo data moves with the calendar, so the test sets the same
    variables to months the data has. Every placeholder named must be in the block.
    """
    for name, value in values.items():
        block, count = re.subn(rf"^{name}=\S*", f"{name}={value}", block, flags=re.M)
        assert count == 1, f"no {name}= line in:\n{block}"
    return block


def json_lines(out: str) -> list:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def key(username: str, scope: str = "read") -> str:
    return api_token_issue(user=User.objects.get(username=username), name="docs", scope=scope).key


def test_the_guide_has_every_example_the_issue_asks_for():
    assert len(BLOCKS["All trusts' RAG for a month"]) == 2
    assert len(BLOCKS["A KPI's series for one trust"]) == 1
    assert len(BLOCKS["Open reserved matters awaiting DfE consent"]) == 2
    assert BLOCKS["Writing: a trust posts its monthly return"] and BLOCKS["Writing: the DfE records its consent"]


def test_the_guides_curl_examples_work_against_the_served_app(seeded, live_server, tmp_path):
    dfe = {"TG": live_server.url, "TOKEN": key("dfe-liaison")}

    # Getting a token: the first call.
    first = BLOCKS["Getting a token"][0]
    out = run("\n".join(line for line in first.splitlines() if not line.startswith("export ")), tmp_path, **dfe)
    assert json.loads(out)["count"] == Council.objects.count() >= 7  # the DfE sees every council

    # All trusts' RAG for a month: one line per KPI of every trust, worst first; several trusts had figures.
    rag_block, returns_block = BLOCKS["All trusts' RAG for a month"]
    month = ym(latest_month_with_returns())
    ratings = json_lines(run(with_values(rag_block, MONTH=month), tmp_path, **dfe))
    assert len({r["trust"] for r in ratings if r["value"] is not None}) >= 2
    order = ["red", "amber", "green", "grey"]
    assert [order.index(r["rag"]) for r in ratings] == sorted(order.index(r["rag"]) for r in ratings)
    out = run(with_values(returns_block, MONTH=month), tmp_path, **dfe)
    returns = [json.loads(chunk) for chunk in re.findall(r"\{.*?\}", out, re.S)]
    assert len({r["delivery_body"] for r in returns}) >= 2
    assert {r["period"] for r in returns} == {month}

    # A KPI's series for one trust.
    start, end = map(ym, last_full_financial_year("sandwell-trust"))
    series_block = with_values(BLOCKS["A KPI's series for one trust"][0], FROM=start, TO=end)
    catalogue, *series = run(series_block, tmp_path, **dfe).strip().split("\n")
    points = [p for p in map(json.loads, series) if "period" in p]
    assert len(points) == 12 and all(start <= p["period"] <= end for p in points)
    assert all(p["rag"] in {"green", "amber", "red", "grey"} for p in points)

    # Open reserved matters awaiting DfE consent, and the incremental sync of them.
    awaiting_block, sync_block = BLOCKS["Open reserved matters awaiting DfE consent"]
    awaiting = json.loads(run(awaiting_block, tmp_path, **dfe))
    assert awaiting and {r["status"] for r in awaiting} == {"awaiting_dfe_consent"}
    assert json.loads(run(sync_block, tmp_path, **dfe))["count"] >= 0

    # Caching: the second request is a 304.
    assert run(BLOCKS["Caching a read"][0], tmp_path, **dfe).strip() == "304"

    # Open data: the trust's OCDS contracts, and a CSV file of its memberships.
    run(BLOCKS["Open data"][0], tmp_path, **dfe)
    header, *rows = (tmp_path / "sandwell-memberships.csv").read_text().splitlines()
    assert "," in header and rows

    # A trust posts its monthly return; a retry with the same key stores nothing twice.
    trust = {"TG": live_server.url, "WRITE_TOKEN": key("sandwell-trust-exec", "write")}
    period = ym(month_not_started("sandwell-trust"))
    post = with_values(BLOCKS["Writing: a trust posts its monthly return"][0], PERIOD=period)
    created = json.loads(run(post, tmp_path, **trust))
    assert created["period"] == period and created["status"] == "draft"
    fixed = re.sub(r"^KEY=.*$", "KEY=retry-of-the-same-submission", post, flags=re.M)
    first_try = run(fixed, tmp_path, **trust)
    versions = ReturnVersion.objects.filter(monthly_return_id=created["id"]).count()
    assert run(fixed, tmp_path, **trust) == first_try
    assert ReturnVersion.objects.filter(monthly_return_id=created["id"]).count() == versions
    assert MonthlyReturn.objects.get(pk=created["id"]).history.latest().history_user.username == "sandwell-trust-exec"

    # The DfE approves the oldest board appointment awaiting it: that is its reserved-matter request's consent.
    consent = {**dfe, "WRITE_TOKEN": key("dfe-liaison", "write")}
    appointment_block, request_block = BLOCKS["Writing: the DfE records its consent"]
    approved = json.loads(run(appointment_block, tmp_path, **consent))
    assert approved["status"] == "dfe_approved" and approved["request"]
    request = ReservedMatterRequest.objects.get(pk=approved["request"])
    assert (request.status, request.dfe_decision, request.dfe_decided_on) == (
        "approved",
        "approved",
        date(2026, 11, 20),
    )
    # Any other reserved matter awaiting consent is decided on the request itself.
    plain = awaiting_request()
    decided = json.loads(run(request_block, tmp_path, **consent))
    assert decided["id"] == plain.pk
    assert decided["dfe_decision"] == "approved" and decided["dfe_decided_on"] == "2026-11-20"
