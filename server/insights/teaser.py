"""What the free teaser shows: the user's own counts, the raw material of each insight."""

from __future__ import annotations

import sqlite3

import msgspec

from ..clock import iso

__all__ = ["Teaser", "teaser", "WEEK", "week_index"]

WEEK = 7 * 86400
# Epoch day 0 was a Thursday: shifting by three days makes weeks start on Monday.
_MONDAY_SHIFT = 3 * 86400


def week_index(epoch: int) -> int:
    return (epoch + _MONDAY_SHIFT) // WEEK


class Teaser(msgspec.Struct, rename="camel"):
    postings: int                 # stored board postings
    jobs: int                     # distinct jobs (clusters)
    postings_with_salary: int
    salary_currencies: int
    companies: int                # distinct companies (normalised names)
    weeks_of_sightings: int       # Monday-based weeks in which a search run saw postings
    first_sighting: str | None    # ISO 8601, UTC
    last_sighting: str | None
    resumes: int
    applications: int


def _table_exists(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None


def teaser(conn: sqlite3.Connection) -> Teaser:
    postings, paid, currencies = conn.execute(
        "SELECT count(*), count(annual_max), count(DISTINCT CASE WHEN annual_max IS NOT NULL THEN currency END) "
        "FROM jobs").fetchone()
    jobs, companies = conn.execute("SELECT count(*), count(DISTINCT company_key) FROM clusters").fetchone()
    # Runs that saw something: one row per run, found through the sightings index.
    runs = conn.execute("SELECT r.created_at FROM search_runs r WHERE EXISTS "
                        "(SELECT 1 FROM sightings s WHERE s.run_id = r.id)").fetchall()
    stamps = [r[0] for r in runs]
    resumes = conn.execute("SELECT count(*) FROM resumes").fetchone()[0] if _table_exists(conn, "resumes") else 0
    applications = conn.execute("SELECT count(*) FROM applications").fetchone()[0]
    return Teaser(postings=postings, jobs=jobs, postings_with_salary=paid, salary_currencies=currencies,
                  companies=companies, weeks_of_sightings=len({week_index(s) for s in stamps}),
                  first_sighting=iso(min(stamps)) if stamps else None,
                  last_sighting=iso(max(stamps)) if stamps else None,
                  resumes=resumes, applications=applications)
