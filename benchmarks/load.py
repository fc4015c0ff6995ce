"""Load run at national scale: 50 concurrent users of mixed roles on 2 gunicorn workers for 60 seconds.

Run with ``make bench-load`` (PostgreSQL). Builds the national dataset as ``make bench-national`` does,
serves it with gunicorn on 127.0.0.1 (local traffic only), and keeps ``--users`` threads each requesting
its role's pages back to back for ``--seconds``. One user in ten requests only the signed-in floor page,
so the floor is measured under the same load. Prints errors, requests per second, p50/p95 per page and
for all pages against the floor's p95, and each worker's peak RSS; writes ``benchmarks/results/load.json``.
Bounded: it stops after ``--seconds`` and at most ``--max-requests``.
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trustgov.settings.test")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/trustgov_load")

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from benchmarks.national import END, NATIONAL, RESULTS, build  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else 0.0


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def role_pages(tenant, kpi_pk: int, kpi_code: str) -> dict[str, list[str]]:
    try:
        grid = [reverse("performance:national-grid") + f"?period={END:%Y-%m}"]
    except NoReverseMatch:
        grid = []
    return {
        "officer": ["/", reverse("performance:dashboard"), reverse("performance:kpi-detail", kwargs={"pk": kpi_pk})],
        "trust": ["/", reverse("performance:return-list")],
        "scrutiny": ["/", reverse("performance:dashboard")],
        "dfe": [
            "/",
            reverse("performance:comparison") + f"?kpi={kpi_code}",
            f"/api/v1/performance/kpis/rag/?period={END:%Y-%m}&page_size=200",
            *grid,
        ],
        "floor": ["/bench/floor/"],
    }


def worker_rss(master_pid: int) -> list[int]:
    """Peak RSS (VmHWM, MB) of each gunicorn worker: the master's children."""
    out = []
    for child in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        for line in Path(f"/proc/{child}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                out.append(int(line.split()[1]) // 1024)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--trusts", type=int, default=NATIONAL[0])
    parser.add_argument("--years", type=int, default=NATIONAL[1])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--max-requests", type=int, default=200_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("make bench-load measures PostgreSQL: set DATABASE_URL to a PostgreSQL server", file=sys.stderr)
        return 2
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    server = None
    try:
        from performance.models import Kpi
        from tests.factories import make_user
        from trustgov.accounts.roles import Role

        built: list = []
        build(args.trusts, args.years, built)
        dfe = make_user(Role.DFE_LIAISON, username="load-dfe")
        tenant = built[0]
        kpi = Kpi.objects.filter(delivery_body=tenant.body).order_by("display_order").first()
        pages = role_pages(tenant, kpi.pk, kpi.code)
        cookies = {
            "officer": session_cookie(tenant.officer),
            "trust": session_cookie(tenant.trust_exec),
            "scrutiny": session_cookie(tenant.scrutiny),
            "dfe": session_cookie(dfe),
        }
        cookies["floor"] = cookies["officer"]
        import redis

        # The server's shared cache (benchmarks/settings.py) starts empty: nothing carried over from a last run.
        redis.Redis.from_url(os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/9")).flushdb()
        database = connection.settings_dict["NAME"]
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        }
        server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "trustgov.wsgi:application",
                "--workers",
                str(args.workers),
                "--bind",
                f"127.0.0.1:{args.port}",
                "--log-level",
                "warning",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env,
        )
        base = f"http://127.0.0.1:{args.port}"
        for _ in range(120):
            try:
                if requests.get(f"{base}/healthz", timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        else:
            print("gunicorn did not answer /healthz within a minute", file=sys.stderr)
            return 1
        floors = max(1, args.users // 10)  # one user in ten (at least one) requests the floor page only
        roles = [("officer", "trust", "scrutiny", "dfe")[i % 4] for i in range(args.users - floors)] + [
            "floor"
        ] * floors
        samples: list[tuple[str, str, float, int]] = []
        lock, stop = threading.Lock(), time.monotonic() + args.seconds

        def user(role: str, index: int) -> None:
            session = requests.Session()
            session.cookies.set(settings.SESSION_COOKIE_NAME, cookies[role])
            n = index
            while time.monotonic() < stop:
                path = pages[role][n % len(pages[role])]
                n += 1
                start = time.perf_counter()
                try:
                    status = session.get(base + path, timeout=120, allow_redirects=False).status_code
                except requests.RequestException:
                    status = 0
                elapsed = (time.perf_counter() - start) * 1000
                with lock:
                    samples.append((role, path, elapsed, status))
                    if len(samples) >= args.max_requests:
                        return

        threads = [threading.Thread(target=user, args=(r, i)) for i, r in enumerate(roles)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        rss = worker_rss(server.pid)
        errors = [s for s in samples if s[3] != 200]
        floor = [s[2] for s in samples if s[0] == "floor"]
        pages_ms = [s[2] for s in samples if s[0] != "floor"]
        floor_p95, pages_p95 = percentile(floor, 95), percentile(pages_ms, 95)
        by_path: dict[str, list[float]] = {}
        for _, path, ms, _ in samples:
            by_path.setdefault(path, []).append(ms)
        print(f"Load: {args.users} users, {args.workers} gunicorn workers, {args.seconds} s, {args.trusts} trusts")
        print(f"{len(samples)} requests ({len(samples) / args.seconds:.1f}/s), {len(errors)} errors")
        print(f"{'page':<64} {'n':>6} {'p50 ms':>8} {'p95 ms':>8}")
        for path, values in sorted(by_path.items()):
            print(f"{path[:64]:<64} {len(values):>6} {statistics.median(values):>8.0f} {percentile(values, 95):>8.0f}")
        ratio = pages_p95 / floor_p95 if floor_p95 else float("inf")
        print(f"All pages p95 {pages_p95:.0f} ms; floor p95 under the same load {floor_p95:.0f} ms: x{ratio:.1f}")
        print(f"Worker peak RSS (MB): {rss}")
        targets = {
            "0 errors": not errors,
            "p95 <= 10x the floor under the same load": ratio <= 10,
            "worker peak RSS <= 250 MB": bool(rss) and max(rss) <= 250,
        }
        for what, met in targets.items():
            print(f"  {'met    ' if met else 'NOT MET'}  {what}")
        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "load.json").write_text(
            json.dumps(
                {
                    "users": args.users,
                    "workers": args.workers,
                    "seconds": args.seconds,
                    "requests": len(samples),
                    "errors": len(errors),
                    "error_statuses": sorted({s[3] for s in errors}),
                    "p95_ms": pages_p95,
                    "floor_p95_ms": floor_p95,
                    "worker_peak_rss_mb": rss,
                    "pages": {
                        p: {"n": len(v), "p50": statistics.median(v), "p95": percentile(v, 95)}
                        for p, v in by_path.items()
                    },
                    "targets": targets,
                },
                indent=2,
            )
        )
        return 0
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
