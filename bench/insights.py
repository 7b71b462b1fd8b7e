"""Pro insights over a store of 100,000 postings with 12 months of sightings.

Each insight is requested through the API (the whole ASGI stack in-process,
with Pro attached: a subprocess server would need a license) and, as the
floor, computed by the same insight function on its own SQLite connection
in the same run. Target (issue 7): every insight under 300 ms p95; resume
match over 10,000 jobs under 1 s.

Sightings: 52 weekly runs over the store's year. Each posting is first seen
at the run after its place in the year, stays 1-8 weeks, and one in eight
comes back after a gap of 3-6 weeks (a repost).
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from litestar.testing import TestClient

from license.entitlements import PRO
from license.state import State, Status
from server.app import create_app
from server.db.database import _configure
from server.home import prepare_home
from server.insights.companies import company_insights, list_companies
from server.insights.match import match_job, match_jobs
from server.insights.query import InsightFilter
from server.insights.salary import compare_job, salary_insights
from server.insights.trends import TrendOptions, trends
from server.settings import load_settings

from .store import build_store

JOBS = 100_000
ROUNDS = 40
WEEK = 7 * 86400
RESUME = ("Senior software engineer. Python, Go, TypeScript and React; PostgreSQL and SQL; AWS, Docker and "
          "Kubernetes; Terraform; CI/CD with GitHub Actions; mentoring and system design.")


def _sightings(db_path: Path) -> int:
    conn = sqlite3.connect(db_path, isolation_level=None)
    rng = random.Random(7)
    jobs = [r[0] for r in conn.execute("SELECT id FROM jobs ORDER BY id")]
    start = int(time.time()) - 52 * WEEK
    runs = [start + w * WEEK for w in range(52)]
    conn.execute("BEGIN")
    run_ids = [conn.execute("INSERT INTO search_runs (params, state, created_at) VALUES ('{}', 'done', ?)",
                            (at,)).lastrowid for at in runs]
    rows = []
    for i, job_id in enumerate(jobs):
        first = min(51, i * 52 // len(jobs))
        weeks = list(range(first, min(52, first + rng.randint(1, 8))))
        if rng.random() < 0.125:  # back after a gap
            back = weeks[-1] + rng.randint(3, 6)
            weeks += list(range(back, min(52, back + rng.randint(1, 4))))
        rows += [(job_id, run_ids[w], runs[w]) for w in weeks if w < 52]
    conn.executemany("INSERT OR IGNORE INTO sightings (job_id, run_id, seen_at) VALUES (?, ?, ?)", rows)
    conn.execute("UPDATE jobs SET first_seen = (SELECT min(seen_at) FROM sightings WHERE job_id = jobs.id), "
                 "last_seen = (SELECT max(seen_at) FROM sightings WHERE job_id = jobs.id)")
    conn.execute("UPDATE clusters SET first_seen = (SELECT min(first_seen) FROM jobs WHERE cluster_id = clusters.id), "
                 "last_seen = (SELECT max(last_seen) FROM jobs WHERE cluster_id = clusters.id)")
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    return len(rows)


def _p(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000  # noqa: E731
    return {"p50_ms": round(pick(0.5), 1), "p95_ms": round(pick(0.95), 1)}


def run() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        started = time.perf_counter()
        db_path = build_store(home, JOBS)
        sightings = _sightings(db_path)
        built = time.perf_counter() - started
        conn = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
        _configure(conn, readonly=True)
        job = conn.execute("SELECT c.id FROM clusters c WHERE c.annual_max IS NOT NULL AND c.title LIKE "
                           "'%Software Engineer%' ORDER BY c.id LIMIT 1").fetchone()[0]
        company = conn.execute("SELECT company_key FROM clusters GROUP BY company_key "
                               "ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        settings = load_settings({"home": str(home), "port": 8765, "open_browser": False}, environ={},
                                 config_file=home / "absent.toml")
        prepare_home(settings.home_path)
        app = create_app(settings)
        far = int(time.time()) + 365 * 86400
        results = {}
        with TestClient(app, base_url="http://127.0.0.1:8765") as client:
            # After start-up: the license client attaches its own status as the app starts.
            app.state.entitlements.attach(lambda: Status(state=State.ACTIVE, reason="active", plan="pro",
                                                         entitlements=frozenset(PRO), valid_until=far))
            client.headers["Authorization"] = f"Bearer {app.state.internal_secret}"
            resume = client.post("/api/v1/resumes", json={"name": "bench", "text": RESUME}).json()["id"]
            cases = [
                ("salary, q=software engineer", "/api/v1/insights/salary", {"q": "software engineer"},
                 lambda: salary_insights(conn, InsightFilter(q="software engineer"))),
                ("salary, whole store", "/api/v1/insights/salary", {},
                 lambda: salary_insights(conn, InsightFilter())),
                ("salary compare", f"/api/v1/insights/salary/compare/{job}", {}, lambda: compare_job(conn, job)),
                ("companies list", "/api/v1/insights/companies", {}, lambda: list_companies(conn, "", 50, 0)),
                ("company detail (largest)", f"/api/v1/insights/companies/{company}", {},
                 lambda: company_insights(conn, company)),
                ("trends, q=software engineer", "/api/v1/insights/trends", {"q": "software engineer"},
                 lambda: trends(conn, InsightFilter(q="software engineer"), TrendOptions())),
                ("trends, whole store", "/api/v1/insights/trends", {},
                 lambda: trends(conn, InsightFilter(), TrendOptions())),
                ("resume match, one job", f"/api/v1/resumes/{resume}/match/{job}", {},
                 lambda: match_job(conn, RESUME, resume, job)),
                ("resume matches, 10,000 jobs", f"/api/v1/resumes/{resume}/matches", {},
                 lambda: match_jobs(conn, RESUME, resume, InsightFilter(), "match", 50, 0)),
            ]
            for name, path, params, floor in cases:
                cold_started = time.perf_counter()
                response = client.get(path, params=params)
                cold = time.perf_counter() - cold_started
                if response.status_code != 200:
                    raise RuntimeError(f"{path} answered {response.status_code}: {response.text[:300]}")
                api, sql = [], []
                for _ in range(ROUNDS):  # interleaved: machine noise hits both sides
                    t = time.perf_counter()
                    client.get(path, params=params)
                    api.append(time.perf_counter() - t)
                    t = time.perf_counter()
                    floor()
                    sql.append(time.perf_counter() - t)
                target = 1000 if "10,000" in name else 300
                results[name] = {"first_request_ms": round(cold * 1000, 1), "api": _p(api),
                                 "in_process_floor": _p(sql), "target_p95_ms": target,
                                 "meets_target": _p(api)["p95_ms"] < target,
                                 "mean_overhead_ms": round((statistics.mean(api) - statistics.mean(sql)) * 1000, 1)}
        conn.close()
    return {"jobs": JOBS, "sightings": sightings, "store_built_seconds": round(built, 1),
            "rounds": ROUNDS, "queries": results}


if __name__ == "__main__":
    import json
    print(json.dumps(run(), indent=2))
