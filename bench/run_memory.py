"""Server memory after search runs: resident memory back within 20 MB of idle.

Target (issue 3): a run's scraping happens in a worker process that exits
when the run ends, so the server itself should not grow with each run.

The real server is started as a subprocess; each run scrapes all five
replayed boards (the recorded responses the tests use, through jobspy's
real parsers, so nothing leaves the machine). Figures are the server's
VmRSS from /proc (Linux), idle after a warm-up, at its peak while runs
were in flight, and after each run once the worker has exited. The
worker's own peak is reported too: that memory is returned when it exits.
Memory is not time, so the figures are absolute; the baseline is the
server's idle RSS in the same run.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5
TARGET_MB = 20.0


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
    from tests.replay.scenarios import write_scenario
    from tests.server_process import ServerProcess

    with tempfile.TemporaryDirectory() as scratch:
        home = Path(scratch) / "home"
        home.mkdir()
        replay = write_scenario("ALL_BOARDS_OK", Path(scratch) / "replay.json")
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
            peak, worker_peak, after, found = idle, 0.0, [], 0
            for _ in range(RUNS):
                started = call("POST", "/api/v1/runs", {"term": "python developer",
                                                        "boards": ["indeed", "linkedin", "zip_recruiter",
                                                                   "glassdoor", "google"],
                                                        "results": 10})
                while True:
                    state = call("GET", f"/api/v1/runs/{started['id']}")
                    peak = max(peak, _rss_mb(pid) or 0)
                    for child in _children(pid):
                        worker_peak = max(worker_peak, _rss_mb(child) or 0)
                    if state["state"] not in ("queued", "running"):
                        break
                    time.sleep(0.05)
                found += sum(board.get("found") or 0 for board in state["boards"])
                deadline = time.monotonic() + 10
                while _children(pid) and time.monotonic() < deadline:
                    time.sleep(0.05)
                time.sleep(0.5)
                after.append(round(_rss_mb(pid), 1))
            workers_left = len(_children(pid))
        finally:
            server.stop()

    growth = max(after) - idle
    return {
        "runs": RUNS, "jobs_found_per_run": found // RUNS, "workers_left": workers_left,
        "server_idle_mb": round(idle, 1), "server_peak_mb": round(peak, 1),
        "server_after_each_run_mb": after, "worker_peak_mb": round(worker_peak, 1),
        "growth_mb": round(growth, 1),
        "verdict": f"after-run RSS within {TARGET_MB:g} MB of idle: "
                   + ("met" if growth <= TARGET_MB and workers_left == 0 else "MISSED"),
    }
