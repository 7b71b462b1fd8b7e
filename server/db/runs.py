"""Search runs and each board's outcome within them."""

from __future__ import annotations

import json
import sqlite3
from typing import Any, Iterable

from .job_search import SHOWN_JOB, blocked_param

__all__ = ["create_run", "set_run_state", "set_board", "interrupt_unfinished", "run_summary", "new_jobs",
           "count_new_jobs",
           "FINAL_RUN_STATES"]

FINAL_RUN_STATES = frozenset({"done", "partial", "failed", "cancelled", "interrupted"})


# Jobs a run found that JobDeck had never seen before it started (their cluster
# was born in it, and no earlier run saw it: times are whole seconds) and that
# the lists show (:blocked: company keys).
_NEW_JOBS = (
    "SELECT DISTINCT c.id FROM sightings s JOIN jobs j ON j.id = s.job_id JOIN clusters c ON c.id = j.cluster_id "
    "WHERE s.run_id = :run AND c.first_seen >= (SELECT coalesce(started_at, created_at) FROM search_runs "
    "WHERE id = :run) AND NOT EXISTS (SELECT 1 FROM jobs p JOIN sightings e ON e.job_id = p.id "
    f"WHERE p.cluster_id = c.id AND e.run_id < :run) AND {SHOWN_JOB}")


def new_jobs(conn: sqlite3.Connection, run_id: int, blocked: Iterable[str] = (), limit: int = -1) -> list[int]:
    """The jobs new in a run (see ``_NEW_JOBS``), at most ``limit``."""
    rows = conn.execute(f"{_NEW_JOBS} ORDER BY c.id LIMIT :limit",
                        {"run": run_id, "blocked": blocked_param(blocked), "limit": limit}).fetchall()
    return [row[0] for row in rows]


def count_new_jobs(conn: sqlite3.Connection, run_id: int, blocked: Iterable[str] = ()) -> int:
    """How many jobs are new in a run, without listing them."""
    return conn.execute(f"SELECT count(*) FROM ({_NEW_JOBS})",
                        {"run": run_id, "blocked": blocked_param(blocked)}).fetchone()[0]


def create_run(conn: sqlite3.Connection, params: dict[str, Any], boards: list[str], now: int,
               search_id: int | None = None) -> int:
    run_id = conn.execute(
        "INSERT INTO search_runs (search_id, params, created_at) VALUES (?, ?, ?)",
        (search_id, json.dumps(params), now)).lastrowid
    conn.executemany("INSERT INTO run_boards (run_id, site) VALUES (?, ?)", [(run_id, b) for b in boards])
    return run_id


def set_run_state(conn: sqlite3.Connection, run_id: int, state: str, now: int,
                  error: str | None = None) -> None:
    if state == "running":
        conn.execute("UPDATE search_runs SET state = 'running', started_at = ? WHERE id = ?", (now, run_id))
    else:
        conn.execute("UPDATE search_runs SET state = ?, finished_at = ?, error = ? WHERE id = ?",
                     (state, now, error, run_id))


def set_board(conn: sqlite3.Connection, run_id: int, site: str, state: str, now: int, *,
              found: int = 0, new: int = 0, updated: int = 0, error: str | None = None,
              warnings: list[str] | None = None) -> None:
    if state == "running":
        conn.execute("UPDATE run_boards SET state = 'running', started_at = coalesce(started_at, ?) "
                     "WHERE run_id = ? AND site = ?", (now, run_id, site))
        return
    conn.execute(
        "UPDATE run_boards SET state = ?, found = ?, new = ?, updated = ?, error = ?, warnings = ?, "
        "finished_at = ? WHERE run_id = ? AND site = ?",
        (state, found, new, updated, error, json.dumps(warnings) if warnings else None, now, run_id, site))


def interrupt_unfinished(conn: sqlite3.Connection, now: int) -> int:
    """Runs cut short by a server stop or crash: marked at the next start."""
    conn.execute("UPDATE run_boards SET state = 'cancelled', finished_at = ? WHERE state IN "
                 "('queued', 'running') AND run_id IN (SELECT id FROM search_runs WHERE state IN "
                 "('queued', 'running'))", (now,))
    return conn.execute("UPDATE search_runs SET state = 'interrupted', finished_at = ?, "
                        "error = 'JobDeck stopped before this run finished.' "
                        "WHERE state IN ('queued', 'running')", (now,)).rowcount


def run_summary(conn: sqlite3.Connection, run_id: int) -> dict[str, Any] | None:
    run = conn.execute("SELECT * FROM search_runs WHERE id = ?", (run_id,)).fetchone()
    if run is None:
        return None
    boards = conn.execute("SELECT * FROM run_boards WHERE run_id = ? ORDER BY site", (run_id,)).fetchall()
    return {"run": dict(run), "boards": [dict(b) for b in boards]}
