"""Searching stored jobs: full text, filters, sort, cursor pages and facets.

One row per cluster: a job seen on three boards is one result carrying three
sources. The representative posting of a cluster is its most recently seen
job (SQLite fills bare columns from the row that gave ``max()``).
"""

from __future__ import annotations

import base64
import json
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

__all__ = ["JobQuery", "QueryError", "search_jobs", "facet_counts", "fts_expression"]

STATUSES = ("new", "seen", "saved", "hidden", "applied")
SORTS = ("relevance", "newest", "salary")


class QueryError(ValueError):
    """Search input that cannot run (bad full-text syntax, bad cursor)."""


@dataclass
class JobQuery:
    q: str = ""
    boards: list[str] = field(default_factory=list)
    remote: bool | None = None
    job_types: list[str] = field(default_factory=list)
    salary_min: float | None = None
    salary_max: float | None = None
    currency: str | None = None
    has_salary: bool | None = None
    posted_since: str | None = None
    location: str = ""
    companies: list[str] = field(default_factory=list)
    exclude_companies: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    sort: str = "relevance"
    limit: int = 50
    cursor: str | None = None
    blocklist: list[str] = field(default_factory=list)


_BAREWORD = re.compile(r'^[\w\-\.+#]+\*?$', re.UNICODE)


def fts_expression(text: str) -> str:
    """Turn what a person types into an FTS5 query.

    Plain words become prefix-free terms ANDed together; "quoted phrases",
    trailing-* prefixes, OR/NOT/AND and parentheses pass through as FTS5
    syntax. Words with punctuation (c++, node.js) are quoted so they do not
    break the parser.
    """
    tokens = re.findall(r'"[^"]*"|\(|\)|[^\s()"]+|"', text)
    out = []
    for token in tokens:
        if token in ("OR", "AND", "NOT", "(", ")") or (token.startswith('"') and token.endswith('"') and len(token) > 1):
            out.append(token)
        elif token == '"':
            raise QueryError('A quotation mark is not closed. Close the phrase with another ".')
        elif token.endswith("*") and re.fullmatch(r"\w+\*", token):
            out.append(token)
        else:
            out.append('"' + token.replace('"', "") + '"')
    return " ".join(out)


def _encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> list[Any]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or len(values) != 2 or not isinstance(values[1], int):
            raise ValueError
        return values
    except ValueError:
        raise QueryError("That page cursor is not valid; start again from the first page.") from None


def _where(query: JobQuery) -> tuple[list[str], dict[str, Any]]:
    clauses: list[str] = []
    params: dict[str, Any] = {}

    def in_list(column: str, name: str, values: list[str], *, negate: bool = False) -> None:
        keys = []
        for i, value in enumerate(values):
            params[f"{name}{i}"] = value
            keys.append(f":{name}{i}")
        clauses.append(f"{column} {'NOT IN' if negate else 'IN'} ({', '.join(keys)})")

    if query.boards:
        in_list("j.site", "board", query.boards)
    if query.remote is not None:
        clauses.append("coalesce(j.is_remote, 0) = :remote")
        params["remote"] = int(query.remote)
    for i, job_type in enumerate(query.job_types):
        params[f"jt{i}"] = f'%"{job_type}"%'
    if query.job_types:
        clauses.append("(" + " OR ".join(f"j.job_types LIKE :jt{i}" for i in range(len(query.job_types))) + ")")
    if query.currency:
        clauses.append("j.currency = :currency")
        params["currency"] = query.currency.upper()
    if query.salary_min is not None:
        clauses.append("coalesce(j.annual_max, j.annual_min) >= :salary_min")
        params["salary_min"] = query.salary_min
    if query.salary_max is not None:
        clauses.append("coalesce(j.annual_min, j.annual_max) <= :salary_max")
        params["salary_max"] = query.salary_max
    if query.has_salary is not None:
        clauses.append("j.annual_max IS NOT NULL" if query.has_salary else "j.annual_max IS NULL")
    if query.posted_since:
        clauses.append("j.date_posted >= :posted_since")
        params["posted_since"] = query.posted_since
    if query.location:
        clauses.append("j.location LIKE :location ESCAPE '\\'")
        escaped = query.location.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["location"] = f"%{escaped}%"
    if query.companies:
        in_list("lower(j.company)", "co", [c.lower() for c in query.companies])
    blocked = [c.lower() for c in (*query.exclude_companies, *query.blocklist)]
    if blocked:
        in_list("lower(coalesce(j.company, ''))", "xco", blocked, negate=True)
    if query.statuses:
        in_list("c.status", "st", query.statuses)
    else:
        clauses.append("c.status != 'hidden'")  # hidden jobs show only when asked for
    return clauses, params


def _base(query: JobQuery, join: str = "") -> tuple[str, dict[str, Any], bool]:
    clauses, params = _where(query)
    text = query.q.strip()
    if text:
        params["match"] = fts_expression(text)
        source = "jobs_fts f JOIN jobs j ON j.id = f.rowid"
        clauses.insert(0, "jobs_fts MATCH :match")
    else:
        source = "jobs j"
    sql = f"FROM {source} JOIN clusters c ON c.id = j.cluster_id {join}"
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    return sql, params, bool(text)


_SORT_KEY = {
    "relevance": ("min(f.rank)", "ASC"),
    "newest": ("max(coalesce(j.date_posted, '')) || printf('%012d', max(j.first_seen))", "DESC"),
    "salary": ("coalesce(max(j.annual_max), -1)", "DESC"),
}


def search_jobs(conn: sqlite3.Connection, query: JobQuery) -> tuple[list[sqlite3.Row], str | None]:
    """One page of clusters and the cursor of the next page (None at the end)."""
    from_sql, params, has_text = _base(query)
    sort = query.sort if (query.sort != "relevance" or has_text) else "newest"
    key, direction = _SORT_KEY[sort]
    having = ""
    if query.cursor:
        last_key, last_id = _decode_cursor(query.cursor)
        op = ">" if direction == "ASC" else "<"
        having = f"HAVING ({key} {op} :ck OR ({key} = :ck AND c.id > :cid))"
        params.update(ck=last_key, cid=last_id)
    params["limit"] = query.limit + 1
    sql = (f"SELECT c.id AS cluster_id, c.status, c.note, {key} AS sort_key, max(j.last_seen) AS seen, "
           f"j.id AS job_id, j.title, j.company, j.location, j.is_remote, j.date_posted, j.job_types, "
           f"j.salary_interval, j.min_amount, j.max_amount, j.currency, j.annual_min, j.annual_max, "
           f"j.company_logo, group_concat(DISTINCT j.site) AS sites, count(*) AS postings "
           f"{from_sql} GROUP BY c.id {having} ORDER BY sort_key {direction}, c.id ASC LIMIT :limit")
    try:
        rows = conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc) or "syntax" in str(exc) or "no such column" in str(exc):
            raise QueryError(f"The search text could not be understood ({exc}). "
                             'Use words, "exact phrases", prefix*, OR and NOT.') from None
        raise
    next_cursor = None
    if len(rows) > query.limit:
        rows = rows[: query.limit]
        next_cursor = _encode_cursor([rows[-1]["sort_key"], rows[-1]["cluster_id"]])
    return rows, next_cursor


def facet_counts(conn: sqlite3.Connection, query: JobQuery) -> dict[str, dict[str, int]]:
    """Clusters per board, job type and remote, under the current filters."""
    from_sql, params, _ = _base(query)
    boards = conn.execute(f"SELECT j.site, count(DISTINCT c.id) {from_sql} GROUP BY j.site", params).fetchall()
    remote = conn.execute(f"SELECT coalesce(j.is_remote, 0), count(DISTINCT c.id) {from_sql} "
                          f"GROUP BY coalesce(j.is_remote, 0)", params).fetchall()
    types_sql, _, _ = _base(query, join="JOIN json_each(j.job_types) t")
    types = conn.execute(f"SELECT t.value, count(DISTINCT c.id) {types_sql} GROUP BY t.value",
                         params).fetchall()
    return {
        "boards": {row[0]: row[1] for row in boards},
        "jobTypes": {row[0]: row[1] for row in types},
        "remote": {("remote" if row[0] else "onsite"): row[1] for row in remote},
    }
