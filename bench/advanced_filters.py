"""The advanced (Pro) filters over a store of 100,000 postings, in-process on
SQLite: each query with one advanced filter added, against the same query
without it as the baseline, rounds interleaved in the same run.

The ratio says what testing each board's posting (rather than the cluster
summary) costs. One page of 50 plus the facet counts, as the list asks.
Aim: every advanced query within 2 × its baseline's median (p95 is reported;
on a shared machine its absolute value drifts with the load).
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from server.db.job_search import JobQuery, facet_counts, filter_options, search_jobs

from .store import build_store

JOBS = 100_000
ROUNDS = 40
AIM_RATIO = 2.0


def _cases(conn: sqlite3.Connection) -> list[tuple[str, JobQuery, JobQuery]]:
    level = filter_options(conn)["levels"][0]["value"]
    text = JobQuery(q="software engineer")
    listed = JobQuery(sort="newest")
    return [
        ("title only", text, replace(text, title_only=True)),
        ("exclude two words", text, replace(text, exclude=["senior", "clearance"])),
        ("exclude, no text", listed, replace(listed, exclude=["senior"])),
        ("seniority", text, replace(text, levels=[level])),
        ("seniority, no text", listed, replace(listed, levels=[level])),
        ("direct apply", text, replace(text, direct_apply=True)),
        ("rating 4+", listed, replace(listed, min_rating=4.0)),
    ]


def _time(conn: sqlite3.Connection, query: JobQuery) -> float:
    started = time.perf_counter()
    search_jobs(conn, query)
    facet_counts(conn, query)
    return (time.perf_counter() - started) * 1000


def _p(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 1)


def run() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        db_path = build_store(Path(tmp) / "home", JOBS)
        conn = sqlite3.connect(db_path)
        conn.row_factory = sqlite3.Row
        cases = _cases(conn)
        times: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name, _, _ in cases}
        for name, base, advanced in cases:  # warm the page cache alike
            _time(conn, base), _time(conn, advanced)
        for _ in range(ROUNDS):
            for name, base, advanced in cases:
                times[name][0].append(_time(conn, base))
                times[name][1].append(_time(conn, advanced))
        conn.close()
    rows = []
    for name, (base, advanced) in times.items():
        ratio = statistics.median(advanced) / statistics.median(base)
        rows.append({"query": name, "baseline_p50_ms": _p(base, .5), "p50_ms": _p(advanced, .5),
                     "p95_ms": _p(advanced, .95), "ratio_p50": round(ratio, 2)})
    return {
        "jobs": JOBS, "rounds": ROUNDS, "queries": rows,
        "meets_aim": all(r["ratio_p50"] <= AIM_RATIO for r in rows),
    }
