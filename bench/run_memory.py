"""Server memory after search runs: resident memory back within 20 MB of idle.

Target (issue 3): a run's scraping happens in a worker process that exits
when the run ends, so the server itself should not grow with each run.

The real server is started as a subprocess; runs scrape replayed boards
(the hand-written responses the tests use, through jobspy's real parsers,
so nothing leaves the machine). Five small runs ask all five boards; then
large runs ask Indeed for 1,000 postings, answered by generated pages of
100 (each posting with a description of about 2 KB), so that one board's
whole result crosses from the worker and into the store as it would in a
big real search. Figures are the server's VmRSS from /proc (Linux), idle
after a warm-up, at its peak while runs were in flight, and after each
run once the worker has exited. The worker's own peak is reported too:
that memory is returned when it exits. Memory is not time, so the figures
are absolute; the baseline is the server's idle RSS in the same run.
"""

from __future__ import annotations

import copy
import json
import os
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5
LARGE_RUNS, LARGE_RESULTS, PAGE = 3, 1_000, 100
TARGET_MB = 20.0
FIVE = ["indeed", "linkedin", "zip_recruiter", "glassdoor", "google"]


def _indeed_pages(total: int) -> list[dict]:
    """Replay routes for Indeed: ``total`` distinct postings in pages of PAGE,
    made from the hand-written first page's first posting."""
    from tests.replay import BOARDS_DIR
    from tests.replay.scenarios import route

    template = json.loads((BOARDS_DIR / "indeed_search_page1.json").read_text())
    first = template["data"]["jobSearch"]["results"][0]
    prose = "<p>" + " ".join(["Build and run data services in Python, with PostgreSQL and Kafka."] * 30) + "</p>"
    routes = []
    for page in range(total // PAGE):
        results = []
        for n in range(page * PAGE, (page + 1) * PAGE):
            result = copy.deepcopy(first)
            job = result["job"]
            job["key"], job["title"] = f"{n:016x}", f"Python Engineer {n}"
            job["description"] = {"html": f"<p>Posting {n}.</p>{prose}"}
            job["recruit"] = {"viewJobUrl": f"https://careers.example.com/jobs/{n}"}
            results.append(result)
        cursor = f"page{page + 1}" if (page + 1) * PAGE < total else None
        body = {"data": {"jobSearch": {"pageInfo": {"nextCursor": cursor}, "results": results}}}
        match = {"contains": f'cursor: "page{page}"'} if page else {}
        routes.append(route("POST", "indeed", "/graphql", body=body, match=match))
    return routes[1:] + routes[:1]  # the first page answers only the query without a cursor: last


def _rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def _token(home: Path) -> str:
    import asyncio

    from server.db import Database
    from server.db.credentials import create_api_token

    async def make() -> str:
        db = Database(home / "jobdeck.sqlite3")
        await db.open()
        try:
            return (await create_api_token(db, "bench", ["read", "write"]))[1]
        finally:
            await db.close()

    return asyncio.run(make())


def run() -> dict:
    if not Path("/proc/self/status").exists():
        return {"skipped": "needs Linux /proc to read resident memory"}
    sys.path.insert(0, str(ROOT))
    from tests.replay.scenarios import with_boards, write_scenario
    from tests.server_process import ServerProcess

    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch) / "home"
        home.mkdir()
        replay = write_scenario(with_boards(indeed=_indeed_pages(LARGE_RESULTS)), Path(scratch) / "replay.json")
        hooks = str(ROOT / "tests" / "hooks")
        env = {"PYTHONPATH": os.pathsep.join(p for p in (hooks, os.environ.get("PYTHONPATH")) if p),
               "JOBDECK_TEST_HOOKS": str(ROOT), "JOBDECK_TEST_REPLAY": str(replay)}
        server = ServerProcess(home, env=env).start()
        try:
            token = _token(home)
            pid = server.process.pid

            def call(method: str, path: str, body: dict | None = None) -> dict:
                request = urllib.request.Request(
                    f"{server.url}{path}", method=method,
                    data=json.dumps(body).encode() if body is not None else None,
                    headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
                with urllib.request.urlopen(request, timeout=30) as response:
                    return json.loads(response.read() or b"null")

            # Warm-up: every code path a run touches, once, before "idle" is read.
            for path in ("/api/v1/health", "/api/v1/jobs?q=python", "/api/v1/runs"):
                call("GET", path)
            time.sleep(1)
            idle = _rss_mb(pid)
            peak, worker_peak, after, found = idle, 0.0, {"small": [], "large": []}, {"small": 0, "large": 0}
            runs = [("small", FIVE, 10)] * RUNS + [("large", ["indeed"], LARGE_RESULTS)] * LARGE_RUNS
            for size, boards, results in runs:
                started = call("POST", "/api/v1/runs", {"term": "python developer", "boards": boards,
                                                        "results": results})
                while True:
                    state = call("GET", f"/api/v1/runs/{started['id']}")
                    peak = max(peak, _rss_mb(pid) or 0)
                    for child in _children(pid):
                        worker_peak = max(worker_peak, _rss_mb(child) or 0)
                    if state["state"] not in ("queued", "running"):
                        break
                    time.sleep(0.05)
                if state["state"] != "done":
                    raise RuntimeError(f"a {size} run ended {state['state']}: {state['boards']}")
                found[size] += sum(board.get("found") or 0 for board in state["boards"])
                deadline = time.monotonic() + 10
                while _children(pid) and time.monotonic() < deadline:
                    time.sleep(0.05)
                time.sleep(0.5)
                after[size].append(round(_rss_mb(pid), 1))
            workers_left = len(_children(pid))
        finally:
            server.stop()

    growth = max(after["small"] + after["large"]) - idle
    return {
        "runs": {"small": f"{RUNS} x five boards, 10 each", "large": f"{LARGE_RUNS} x Indeed, {LARGE_RESULTS}"},
        "jobs_found_per_run": {"small": found["small"] // RUNS, "large": found["large"] // LARGE_RUNS},
        "workers_left": workers_left,
        "server_idle_mb": round(idle, 1), "server_peak_mb": round(peak, 1),
        "server_after_each_small_run_mb": after["small"], "server_after_each_large_run_mb": after["large"],
        "worker_peak_mb": round(worker_peak, 1),
        "growth_mb": round(growth, 1),
        "verdict": f"after-run RSS within {TARGET_MB:g} MB of idle: "
                   + ("met" if growth <= TARGET_MB and workers_left == 0 else "MISSED"),
    }
