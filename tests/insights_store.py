"""Small hand-made stores for the insight tests: postings with chosen pay,
times and sightings, written straight into the app's database."""

from __future__ import annotations

import json
import sqlite3
from typing import Any, Iterable

from server.db.jobs import BOARD_BITS
from server.scrape.normalize import annualise, normalise_company

DAY = 86_400
T0 = 1_790_000_000  # Monday 2026-09-21 14:13:20 UTC, fixed for every store


def write(client, fn, *args) -> Any:
    """Run ``fn(conn, *args)`` as one transaction on the app's writer."""
    db = client.app.state.database
    return client.blocking_portal.call(db.run_write, fn, *args)




def _run_at(conn: sqlite3.Connection, at: int) -> int:
    row = conn.execute("SELECT id FROM search_runs WHERE created_at = ?", (at,)).fetchone()
    if row:
        return row[0]
    return conn.execute("INSERT INTO search_runs (params, state, created_at) VALUES ('{}', 'done', ?)",
                        (at,)).lastrowid


def posting(conn: sqlite3.Connection, *, title: str, site: str = "indeed", cluster: int | None = None,
            company: str | None = "Acme Inc.", location: str | None = "Austin, TX", city: str | None = None,
            interval: str | None = None, low: float | None = None, high: float | None = None,
            currency: str | None = None, source: str | None = None, remote: bool = False,
            description: str = "", skills: list[str] | None = None, posted: str | None = "2026-10-05",
            first_seen: int = T0, last_seen: int | None = None, seen: Iterable[int] = (),
            **extra: Any) -> tuple[int, int]:
    """One board posting (a new job unless ``cluster`` is given); returns (cluster id, posting id)."""
    last_seen = first_seen if last_seen is None else last_seen
    seen = list(seen)
    if seen:
        first_seen, last_seen = min(seen), max(seen)
    pay = low is not None or high is not None
    annual_min, annual_max = annualise(low, interval), annualise(high if high is not None else low, interval)
    if cluster is None:
        cluster = conn.execute(
            "INSERT INTO clusters (first_seen, last_seen, updated_at, title, company, company_key, location, "
            "is_remote, date_posted, boards, postings, currency, annual_min, annual_max) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)",
            (first_seen, last_seen, last_seen, title, company, normalise_company(company), location, int(remote),
             posted or "", site, currency, annual_min, annual_max)).lastrowid
    number = conn.execute("SELECT count(*) FROM jobs").fetchone()[0] + 1
    job_id = conn.execute(
        "INSERT INTO jobs (cluster_id, site, board_id, title, company, location, city, date_posted, salary_source, "
        "salary_interval, min_amount, max_amount, currency, annual_min, annual_max, is_remote, description, "
        "skills, first_seen, last_seen, updated_at, " + "".join(f"{k}, " for k in extra) + "job_url) "
        "VALUES (" + ", ".join("?" * (22 + len(extra))) + ")",
        (cluster, site, f"{site}-{number}", title, company, location, city or (location or "").split(",")[0] or None,
         posted, (source or "direct_data") if pay else None, interval, low, high, currency, annual_min, annual_max,
         int(remote), description, json.dumps(skills) if skills else None, first_seen, last_seen, last_seen,
         *extra.values(), None)).lastrowid
    conn.execute("INSERT INTO jobs_fts (rowid, title, company, location, description, skills) "
                 "SELECT id, title, company, location, description, skills FROM jobs WHERE id = ?", (job_id,))
    conn.execute("UPDATE clusters SET board_mask = board_mask | ? WHERE id = ?", (BOARD_BITS.get(site, 0), cluster))
    conn.execute("UPDATE clusters SET job_id = ?, postings = postings + 1, first_seen = min(first_seen, ?), "
                 "last_seen = max(last_seen, ?), boards = CASE WHEN instr(',' || boards || ',', ',' || ? || ',') "
                 "THEN boards ELSE boards || ',' || ? END WHERE id = ?",
                 (job_id, first_seen, last_seen, site, site, cluster))
    for at in seen:
        conn.execute("INSERT OR IGNORE INTO sightings (job_id, run_id, seen_at) VALUES (?, ?, ?)",
                     (job_id, _run_at(conn, at), at))
    return cluster, job_id
