"""Web latency: p95 of the queue and case pages with many signals and concurrent reviewers.

A store is filled with ``--signals`` signals (``--per-case`` per case; synthetic cases,
pseudonyms from the store's own key), ``--users`` reviewer accounts are created, and
``fairwitness serve`` runs in its own process on loopback. Each reviewer signs in, then
pages through the queue (random page, filter and sort) and opens random cases, one
request after another with ``--think`` seconds between them on average (0: back to
back, the saturating worst case; 2: a reviewer clicking every two seconds, still far
busier than anyone reading a case). Every request is timed at the client; the p50/p95/max of each page are
printed and written to ``benchmarks/results/web.json``. Run on SQLite and, when the
PostgreSQL server binaries are present, on a throwaway PostgreSQL cluster.

    python -m benchmarks.web [--signals 100000] [--users 20] [--requests 40] [--think 0,2]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import glob
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results" / "web.json"
PASSWORD = "benchmark-password-1"
ROUTES = ("wellbeing", "advice", "misconduct_assessment", "gross_misconduct_assessment", "criminal_referral")
DETECTORS = ("absence_pattern", "excess_hours", "overtime_no_presence", "office_attendance", "peer_anomaly",
             "lookups_without_case_ref", "victim_contact", "undeclared_interest")  # fmt: skip


def fill(url: str, *, signals: int, per_case: int, users: int) -> int:
    """Create the store at ``url`` with the cases, signals and accounts; returns the number of cases."""
    from sqlalchemy import insert

    from fairwitness.governance import pseudonyms, workforce
    from fairwitness.governance import users as accounts
    from fairwitness.governance.db import create_store
    from fairwitness.governance.models import Case, Signal

    rng = random.Random(16)
    store = create_store(url)
    n_cases = signals // per_case
    now = dt.datetime.now(dt.UTC)
    with store.session() as s:
        # the store's workforce (conflict checks need it): every subject, and one officer per reviewer, all
        # reporting to a chief nobody reviews, so no reviewer is conflicted out of any case
        people: dict[str, str | None] = {f"B{i:07d}": "CHIEF" for i in range(1, n_cases + 1)}
        people |= {f"R{i:07d}": "CHIEF" for i in range(users)} | {"CHIEF": None}
        workforce.refresh(session=s, actor="bench", people=people)
        admin = accounts.create_user(session=s, actor=None, username="admin", password=PASSWORD, role="admin")
        for i in range(users):
            accounts.create_user(session=s, actor=admin, username=f"rev{i:02d}", password=PASSWORD, role="reviewer",
                                 staff_id=f"R{i:07d}")  # fmt: skip
        case_rows, signal_rows = [], []
        for i in range(1, n_cases + 1):
            staff = f"B{i:07d}"
            dets = rng.sample(DETECTORS, per_case)
            route = rng.choices(ROUTES, weights=(50, 25, 12, 8, 5))[0]
            case_rows.append({
                "id": i, "candidate_id": f"c{i}", "run_id": "bench", "staff_id": staff,
                "pseudonym": pseudonyms.pseudonym(session=s, staff_id=staff),
                "period_start": dt.date(2025, 1, 1), "period_end": dt.date(2025, 6, 30), "route": route,
                "score": round(rng.random(), 4), "detectors": dets,
                "explanation": f"Synthetic benchmark case {i}: {', '.join(dets)}.", "state": "new",
                "created_at": now - dt.timedelta(minutes=i), "updated_at": now, "version": 1,
            })  # fmt: skip
            for d in dets:
                value = round(rng.uniform(1, 100), 2)
                signal_rows.append({
                    "case_id": i, "signal_id": f"s{i}-{d}", "detector": d, "detector_version": "1", "route": route,
                    "score": round(rng.random(), 4), "severity": "medium",
                    "explanation": f"{d} flagged {value} against a peer median of {value / 2:.2f}.",
                    "evidence": {"peer_comparison": {"value": value, "peer_median": value / 2,
                                                     "peer_percentile": round(rng.uniform(90, 100), 1),
                                                     "peer_group": "unit type=response × rank band=constable, n=90"},
                                 "explanations_checked": ["unit demand"], "explanations_found": [],
                                 "source_rows": {"table": "shifts", "keys": [f"SH{i}"]}, "detail": "benchmark"},
                })  # fmt: skip
        for start in range(0, len(case_rows), 5000):
            s.execute(insert(Case.__table__), case_rows[start : start + 5000])
        for start in range(0, len(signal_rows), 5000):
            s.execute(insert(Signal.__table__), signal_rows[start : start + 5000])
    store.dispose()
    return n_cases


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(workspace: Path, url: str) -> Iterator[str]:
    import httpx

    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    cmd = [sys.executable, "-m", "fairwitness", "serve", "--workspace", str(workspace), "--db", url, "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/login", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


async def reviewer(base: str, name: str, n_cases: int, requests: int, think: float, seed: int) -> dict[str, list[float]]:
    import httpx

    rng = random.Random(seed)
    times: dict[str, list[float]] = {"queue": [], "case": []}
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        answer = await client.post("/api/session", json={"username": name, "password": PASSWORD})
        answer.raise_for_status()
        for i in range(requests):
            if i % 2 == 0:
                params: dict[str, Any] = {"page": rng.randint(1, 50), "sort": rng.choice(["score", "oldest", "newest"])}
                if rng.random() < 0.5:
                    params["route"] = rng.choice(ROUTES)
                if rng.random() < 0.3:
                    params["detector"] = rng.choice(DETECTORS)
                kind, path = "queue", "/queue"
            else:
                kind, path, params = "case", f"/cases/{rng.randint(1, n_cases)}", {}
            t0 = time.perf_counter()
            r = await client.get(path, params=params)
            times[kind].append(time.perf_counter() - t0)
            if r.status_code != 200:
                raise RuntimeError(f"{path} {params}: {r.status_code} {r.text[:200]}")
            if think:
                await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))
    return times


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] * 1000


async def load(base: str, users: int, n_cases: int, requests: int, think: float) -> dict[str, Any]:
    t0 = time.perf_counter()
    runs = await asyncio.gather(
        *(reviewer(base, f"rev{i:02d}", n_cases, requests, think, seed=i) for i in range(users))
    )
    wall = time.perf_counter() - t0
    out: dict[str, Any] = {"seconds": round(wall, 1)}
    for kind in ("queue", "case"):
        values = [v for r in runs for v in r[kind]]
        out[kind] = {"requests": len(values), "p50_ms": round(p(values, 50), 1), "p95_ms": round(p(values, 95), 1),
                     "max_ms": round(max(values) * 1000, 1)}  # fmt: skip
    return out


@contextmanager
def postgres() -> Iterator[str | None]:
    """A throwaway PostgreSQL cluster (stack-notes recipe), or ``None`` without the server binaries."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not found:
        yield None
        return
    bindir = Path(found[-1]).parent
    root = Path(tempfile.mkdtemp(prefix="fw-bench-pg-"))
    as_pg = os.geteuid() == 0
    run = (lambda *a: subprocess.run(["runuser", "-u", "postgres", "--", *a], check=True, capture_output=True)) if as_pg \
        else (lambda *a: subprocess.run(list(a), check=True, capture_output=True))  # fmt: skip
    if as_pg:
        shutil.chown(root, "postgres", "postgres")
    port = _free_port()
    run(str(bindir / "initdb"), "-D", str(root / "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
    run(str(bindir / "pg_ctl"), "-D", str(root / "data"), "-l", str(root / "log"),
        "-o", f"-c listen_addresses=127.0.0.1 -p {port} -k {root}", "-w", "-t", "30", "start")  # fmt: skip
    try:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres", autocommit=True) as c:
            c.execute("CREATE ROLE app LOGIN PASSWORD 'app'")
            c.execute("CREATE DATABASE bench OWNER app")
        yield f"postgresql+psycopg://app:app@127.0.0.1:{port}/bench"
    finally:
        run(str(bindir / "pg_ctl"), "-D", str(root / "data"), "-m", "fast", "-w", "stop")
        shutil.rmtree(root, ignore_errors=True)


def measure(backend: str, url: str, workspace: Path, args: argparse.Namespace) -> dict[str, Any]:
    t0 = time.perf_counter()
    n_cases = fill(url, signals=args.signals, per_case=args.per_case, users=args.users)
    print(f"{backend}: {n_cases:,} cases, {args.signals:,} signals stored in {time.perf_counter() - t0:.1f} s", flush=True)
    out = []
    with serving(workspace, url) as base:
        asyncio.run(load(base, args.users, n_cases, 4, 0))  # warm up every account and code path
        for think in (float(t) for t in args.think.split(",")):
            result = asyncio.run(load(base, args.users, n_cases, args.requests, think))
            out.append({"backend": backend, "cases": n_cases, "think_s": think, **result})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--signals", type=int, default=100_000)
    ap.add_argument("--per-case", type=int, default=2)
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--requests", type=int, default=40, help="Requests per reviewer (half queue, half case pages).")
    ap.add_argument("--think", default="0,2", help="Mean seconds between a reviewer's requests (comma-separated: one load each).")
    ap.add_argument("--backends", default="sqlite,postgresql")
    args = ap.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="fw-bench-web-") as tmp:
        workspace = Path(tmp) / "ws"
        workspace.mkdir()
        if "sqlite" in args.backends:
            results += measure("sqlite", f"sqlite:///{workspace / 'governance.sqlite'}", workspace, args)
        if "postgresql" in args.backends:
            with postgres() as url:
                if url is None:
                    print("postgresql: no server binaries, skipped")
                else:
                    results += measure("postgresql", url, workspace, args)
    print(f"\n{args.signals:,} signals, {args.users} concurrent reviewers, {args.requests} requests each")
    print(f"{'backend':<11} {'think s':>7} {'page':<6} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for r in results:
        for kind in ("queue", "case"):
            k = r[kind]
            print(f"{r['backend']:<11} {r['think_s']:>7} {kind:<6} {k['requests']:>8} {k['p50_ms']:>8} {k['p95_ms']:>8} {k['max_ms']:>8}")
    RESULTS.parent.mkdir(exist_ok=True)
    record = {"measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "args": vars(args), "results": results}
    RESULTS.write_text(json.dumps(record, indent=2) + "\n")
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
