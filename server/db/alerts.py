"""Saved-search alert schedules and the alerts their runs raised (tables of 0009)."""

from __future__ import annotations

import sqlite3
from typing import Any, Iterable

from .job_search import SHOWN_JOB, blocked_param

__all__ = ["FREQUENCIES", "ALERT_JOBS_KEPT", "get_schedule", "set_schedule", "due_schedules",
           "next_due_at", "spread_overdue", "mark_started", "mark_skipped", "resume_skipped", "record_success", "record_failure",
           "search_busy", "create_alert", "list_alerts", "get_alert", "alert_jobs",
           "unread_count", "mark_read", "mark_all_read"]

# Hours between alert runs. Six at the least: every run scrapes real job boards.
FREQUENCIES = (6, 12, 24, 168)
ALERT_JOBS_KEPT = 500  # an alert names at most this many new jobs
_OPEN_RUN_STATES = ("queued", "running")


def get_schedule(conn: sqlite3.Connection, search_id: int) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM search_alerts WHERE search_id = ?", (search_id,)).fetchone()
    return dict(row) if row else None


def set_schedule(conn: sqlite3.Connection, search_id: int, every_hours: int, enabled: bool,
                 now: int) -> None:
    """Turn an alert on (due at once: the user expects a first check now) or off.

    Changing only the frequency of an enabled alert keeps its last run and
    moves its next one to a period after that run.
    """
    current = get_schedule(conn, search_id)
    if current is None:
        conn.execute("INSERT INTO search_alerts (search_id, every_hours, enabled, next_due_at, created_at, "
                     "updated_at) VALUES (?, ?, ?, ?, ?, ?)", (search_id, every_hours, int(enabled), now, now, now))
        return
    next_due = now
    if enabled and current["enabled"] and current["last_checked_at"] is not None:
        next_due = current["last_checked_at"] + every_hours * 3600
    conn.execute("UPDATE search_alerts SET every_hours = ?, enabled = ?, next_due_at = ?, failures = "
                 "CASE WHEN ? THEN failures ELSE 0 END, skipped_reason = NULL, updated_at = ? "
                 "WHERE search_id = ?",
                 (every_hours, int(enabled), next_due, int(enabled and bool(current["enabled"])), now, search_id))


def due_schedules(conn: sqlite3.Connection, now: int) -> list[dict[str, Any]]:
    """Enabled schedules due by ``now``, most overdue first, with their search."""
    rows = conn.execute(
        "SELECT a.*, s.name, s.params FROM search_alerts a JOIN searches s ON s.id = a.search_id "
        "WHERE a.enabled = 1 AND a.next_due_at <= ? ORDER BY a.next_due_at, a.search_id", (now,)).fetchall()
    return [dict(row) for row in rows]


def next_due_at(conn: sqlite3.Connection) -> int | None:
    return conn.execute("SELECT min(next_due_at) FROM search_alerts WHERE enabled = 1").fetchone()[0]


def spread_overdue(conn: sqlite3.Connection, start: int, spacing: int) -> int:
    """At start-up: everything overdue runs once, one every ``spacing`` seconds
    from ``start``, instead of all at once (a laptop back from a week away)."""
    overdue = conn.execute("SELECT search_id FROM search_alerts WHERE enabled = 1 AND next_due_at < ? "
                           "ORDER BY next_due_at, search_id", (start,)).fetchall()
    conn.executemany("UPDATE search_alerts SET next_due_at = ? WHERE search_id = ?",
                     [(start + i * spacing, row["search_id"]) for i, row in enumerate(overdue)])
    return len(overdue)


def search_busy(conn: sqlite3.Connection, search_id: int) -> bool:
    """A run of this saved search (by the user or an alert) has not ended yet."""
    return conn.execute(f"SELECT 1 FROM search_runs WHERE search_id = ? AND state IN {_OPEN_RUN_STATES}",
                        (search_id,)).fetchone() is not None


def mark_started(conn: sqlite3.Connection, search_id: int, run_id: int, now: int) -> None:
    conn.execute("UPDATE search_alerts SET last_run_id = ?, last_checked_at = ?, skipped_reason = NULL, "
                 "next_due_at = ? + every_hours * 3600 WHERE search_id = ?", (run_id, now, now, search_id))


def mark_skipped(conn: sqlite3.Connection, search_id: int, reason: str, now: int) -> None:
    """The license does not allow alerts now: try again a period later."""
    conn.execute("UPDATE search_alerts SET skipped_reason = ?, last_checked_at = ?, "
                 "next_due_at = ? + every_hours * 3600 WHERE search_id = ?", (reason, now, now, search_id))


def resume_skipped(conn: sqlite3.Connection, now: int) -> int:
    """The license allows alerts again: what was skipped is due now (spread by the scheduler)."""
    return conn.execute("UPDATE search_alerts SET next_due_at = min(next_due_at, ?), skipped_reason = NULL "
                        "WHERE enabled = 1 AND skipped_reason IS NOT NULL", (now,)).rowcount


def record_success(conn: sqlite3.Connection, search_id: int) -> None:
    conn.execute("UPDATE search_alerts SET failures = 0, last_error = NULL WHERE search_id = ?", (search_id,))


def record_failure(conn: sqlite3.Connection, search_id: int, error: str, started: int) -> int:
    """A failed alert run (offline, every board failed): the next try waits one
    period, then two, then four after repeated failures. Returns the count."""
    row = conn.execute("SELECT failures, every_hours FROM search_alerts WHERE search_id = ?",
                       (search_id,)).fetchone()
    if row is None:
        return 0
    failures = row["failures"] + 1
    periods = min(2 ** (failures - 1), 4)
    conn.execute("UPDATE search_alerts SET failures = ?, last_error = ?, next_due_at = ? WHERE search_id = ?",
                 (failures, error, started + periods * row["every_hours"] * 3600, search_id))
    return failures


def create_alert(conn: sqlite3.Connection, search_id: int, search_name: str, run_id: int,
                 new_postings: int, cluster_ids: list[int], now: int) -> int:
    alert_id = conn.execute(
        "INSERT INTO alerts (search_id, search_name, run_id, new_postings, created_at) VALUES (?, ?, ?, ?, ?)",
        (search_id, search_name, run_id, new_postings, now)).lastrowid
    conn.executemany("INSERT INTO alert_jobs (alert_id, cluster_id) VALUES (?, ?)",
                     [(alert_id, cluster_id) for cluster_id in cluster_ids])
    return alert_id


_ALERT = ("SELECT a.*, (SELECT count(*) FROM alert_jobs j JOIN clusters c ON c.id = j.cluster_id "
          f"WHERE j.alert_id = a.id AND {SHOWN_JOB}) AS jobs FROM alerts a")


def list_alerts(conn: sqlite3.Connection, limit: int, before: int | None = None,
                unread_only: bool = False, blocked: Iterable[str] = ()) -> list[dict[str, Any]]:
    clauses = []
    if before is not None:
        clauses.append("a.id < :before")
    if unread_only:
        clauses.append("a.read_at IS NULL")
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    rows = conn.execute(f"{_ALERT}{where} ORDER BY a.id DESC LIMIT :limit",
                        {"blocked": blocked_param(blocked), "before": before, "limit": limit}).fetchall()
    return [dict(row) for row in rows]


def get_alert(conn: sqlite3.Connection, alert_id: int, blocked: Iterable[str] = ()) -> dict[str, Any] | None:
    row = conn.execute(f"{_ALERT} WHERE a.id = :id", {"blocked": blocked_param(blocked), "id": alert_id}).fetchone()
    return dict(row) if row else None


def alert_jobs(conn: sqlite3.Connection, alert_id: int, blocked: Iterable[str] = ()) -> list[dict[str, Any]]:
    """The alert's new jobs still in the store and shown, as the job list summarises them
    (``blocked``: company keys)."""
    rows = conn.execute(f"SELECT c.* FROM alert_jobs j JOIN clusters c ON c.id = j.cluster_id "
                        f"WHERE j.alert_id = :id AND {SHOWN_JOB} ORDER BY c.date_posted DESC, c.id DESC",
                        {"id": alert_id, "blocked": blocked_param(blocked)}).fetchall()
    return [dict(row) for row in rows]


def unread_count(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM alerts WHERE read_at IS NULL").fetchone()[0]


def mark_read(conn: sqlite3.Connection, alert_id: int, now: int) -> bool:
    """False when there is no such alert; reading one twice keeps the first time."""
    if conn.execute("SELECT 1 FROM alerts WHERE id = ?", (alert_id,)).fetchone() is None:
        return False
    conn.execute("UPDATE alerts SET read_at = coalesce(read_at, ?) WHERE id = ?", (now, alert_id))
    return True


def mark_all_read(conn: sqlite3.Connection, now: int) -> int:
    return conn.execute("UPDATE alerts SET read_at = ? WHERE read_at IS NULL", (now,)).rowcount
