"""The filters every insight shares, as SQL over the jobs table (alias ``j``).

Insights count board postings (rows of ``jobs``), not clusters, unless a
module says otherwise; hidden jobs count too (hiding a job is the user's
choice about a list, not a fact about the market). Blocked companies' jobs
count nowhere: the blocklist applies everywhere.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from ..db.job_search import QueryError, blocked_param, fts_expression

__all__ = ["InsightFilter", "QueryError", "where", "narrowing", "not_blocked", "run", "posted_day"]

# The day a posting counts on: the board's date, else the day JobDeck first saw it.
posted_day = "coalesce(j.date_posted, date(j.first_seen, 'unixepoch'))"


@dataclass
class InsightFilter:
    q: str = ""                 # title words (full text over titles only)
    location: str = ""          # a substring of the posting's location
    boards: list[str] = field(default_factory=list)
    remote: bool | None = None
    since: str | None = None    # ISO date, inclusive (posted day)
    until: str | None = None    # ISO date, inclusive
    blocked: tuple[str, ...] = ()  # company keys whose jobs are left out (the blocklist)


def where(f: InsightFilter) -> tuple[list[str], dict[str, Any]]:
    """The clauses and parameters choosing the filter's postings (``j``), blocklist included."""
    clauses, params = narrowing(f)
    return clauses + not_blocked(f, "j.cluster_id", params), params


def narrowing(f: InsightFilter) -> tuple[list[str], dict[str, Any]]:
    """The clauses that narrow the postings, without the blocklist: none when
    the filter chooses whole jobs."""
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if f.q.strip():
        params["match"] = "title : (" + fts_expression(f.q.strip()) + ")"
        clauses.append("j.id IN (SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH :match)")
    if f.location.strip():
        escaped = f.location.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["location"] = f"%{escaped}%"
        clauses.append("j.location LIKE :location ESCAPE '\\'")
    if f.boards:
        marks = []
        for i, board in enumerate(f.boards):
            params[f"board{i}"] = board.lower()
            marks.append(f":board{i}")
        clauses.append(f"j.site IN ({', '.join(marks)})")
    if f.remote is not None:
        clauses.append("coalesce(j.is_remote, 0) = :remote")
        params["remote"] = int(f.remote)
    if f.since:
        clauses.append(f"{posted_day} >= :since")
        params["since"] = f.since
    if f.until:
        clauses.append(f"{posted_day} <= :until")
        params["until"] = f.until
    return clauses, params


def not_blocked(f: InsightFilter, job_id: str, params: dict[str, Any]) -> list[str]:
    """The clause leaving out blocked companies' jobs (``job_id``: the column holding a
    cluster id), its parameter added to ``params``."""
    if not f.blocked:
        return []
    params["blocked"] = blocked_param(f.blocked)
    return [f"{job_id} NOT IN (SELECT id FROM clusters WHERE company_key IN (SELECT value FROM json_each(:blocked)))"]


def run(conn: sqlite3.Connection, sql: str, params: Any = (), *, plain: bool = False) -> list[Any]:
    """Execute, turning full-text syntax errors into ``QueryError`` (a 400).

    ``plain``: rows as tuples, not the connection's row objects (cheaper for many rows)."""
    cursor = conn.cursor()
    if plain:
        cursor.row_factory = None
    try:
        return cursor.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc) or "syntax" in str(exc) or "no such column" in str(exc):
            raise QueryError(f"The search text could not be understood ({exc}). "
                             'Use words, "exact phrases", prefix*, OR and NOT.') from None
        raise
    finally:
        cursor.close()
