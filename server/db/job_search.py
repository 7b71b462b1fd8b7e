"""Searching stored jobs: full text, filters, sort, cursor pages and facets.

One row per cluster: a job seen on three boards is one result carrying three
sources. Filters and sorts run on the clusters table's summary columns (see
``db.jobs.refresh_clusters``); full text runs on every posting and maps its
hits to their clusters.
"""

from __future__ import annotations

import base64
import json
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from .cjk import fts_phrase, has_cjk

__all__ = ["JobQuery", "QueryError", "search_jobs", "facet_counts", "fts_expression", "filter_options",
           "SHOWN_JOB", "blocked_param"]

# A job (clusters ``c``) as the lists show it: not hidden, nor of a blocked
# company (``:blocked``: the blocked companies' keys as a JSON list).
SHOWN_JOB = ("c.status != 'hidden' AND (c.company_key IS NULL OR "
             "c.company_key NOT IN (SELECT value FROM json_each(:blocked)))")



def blocked_param(keys) -> str:
    """The ``:blocked`` parameter: the blocked companies' keys as a JSON list."""
    return json.dumps(sorted(keys))


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
    # Advanced filters (Pro, ``filters.advanced``): they test each board's
    # posting, not the cluster summary, so a cluster matches when any of its
    # postings does (and is excluded when any mentions an excluded word).
    title_only: bool = False
    exclude: list[str] = field(default_factory=list)
    levels: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    min_rating: float | None = None
    direct_apply: bool = False

    def advanced(self) -> list[str]:
        """The advanced filters this query uses, by their API names."""
        used = {"title_only": self.title_only, "exclude": self.exclude, "level": self.levels,
                "industry": self.industries, "min_rating": self.min_rating is not None,
                "direct_apply": self.direct_apply}
        return [name for name, on in used.items() if on]


_BAREWORD = re.compile(r'^[\w\-\.+#]+\*?$', re.UNICODE)


def fts_expression(text: str) -> str:
    """Turn what a person types into an FTS5 query.

    Plain words become prefix-free terms ANDed together; "quoted phrases",
    trailing-* prefixes, OR/NOT/AND and parentheses pass through as FTS5
    syntax. Words with punctuation (c++, node.js) are quoted so they do not
    break the parser. CJK words are found inside longer runs (see ``cjk``),
    so a trailing * adds nothing to them.
    """
    tokens = re.findall(r'"[^"]*"|\(|\)|[^\s()"]+|"', text)
    out = []
    for token in tokens:
        if token in ("OR", "AND", "NOT", "(", ")"):
            out.append(token)
        elif token.startswith('"') and token.endswith('"') and len(token) > 1:
            out.append(fts_phrase(token[1:-1]))
        elif token == '"':
            raise QueryError('A quotation mark is not closed. Close the phrase with another ".')
        elif token.endswith("*") and re.fullmatch(r"\w+\*", token) and not has_cjk(token):
            out.append(token)
        else:
            out.append(fts_phrase(token.rstrip("*") if has_cjk(token) else token))
    return " ".join(out)


def exclusion_expression(phrases: list[str]) -> str:
    """Postings whose title or description mention any of ``phrases``."""
    quoted = [fts_phrase(p) for p in phrases if p.replace('"', "").strip()]
    if not quoted:
        raise QueryError("Give at least one word or phrase to exclude.")
    return "{title description} : (" + " OR ".join(quoted) + ")"


def _encode_cursor(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> list[Any]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(values, list) or len(values) != 2 or not isinstance(values[1], int) \
                or not isinstance(values[0], (str, int, float, type(None))):  # a sort key is a column's value
            raise ValueError
        return values
    except ValueError:
        raise QueryError("That page cursor is not valid; start again from the first page.") from None


def _bind(params: dict[str, Any], name: str, values: list[str]) -> str:
    """Add ``values`` to ``params`` as :name0, :name1, …; the placeholders, for an IN list."""
    params.update({f"{name}{i}": value for i, value in enumerate(values)})
    return ", ".join(f":{name}{i}" for i in range(len(values)))


def _where(query: JobQuery) -> tuple[list[str], dict[str, Any]]:
    """Filters over the clusters table (c): each is a column test or a mask AND."""
    from .jobs import BOARD_BITS, TYPE_BITS
    from ..scrape.normalize import normalise_company

    clauses: list[str] = []
    params: dict[str, Any] = {}

    def in_list(column: str, name: str, values: list[str], *, negate: bool = False) -> None:
        clauses.append(f"coalesce({column}, '') {'NOT IN' if negate else 'IN'} ({_bind(params, name, values)})")

    if query.boards:
        known = sum(BOARD_BITS.get(b, 0) for b in query.boards)
        others = [b for b in query.boards if b not in BOARD_BITS]
        tests = [f"c.board_mask & {known}"] if known else []
        for i, board in enumerate(others):  # boards JobDeck does not scrape (imported files)
            params[f"ob{i}"] = f"%,{board},%"
            tests.append(f"(',' || c.boards || ',') LIKE :ob{i}")
        clauses.append("(" + " OR ".join(tests) + ")")
    if query.remote is not None:
        clauses.append("c.is_remote = :remote")
        params["remote"] = int(query.remote)
    if query.job_types:
        clauses.append(f"c.type_mask & {sum(TYPE_BITS.get(t, 0) for t in query.job_types)}")
    if query.currency:
        clauses.append("c.currency = :currency")
        params["currency"] = query.currency.upper()
    if query.salary_min is not None:
        clauses.append("coalesce(c.annual_max, c.annual_min) >= :salary_min")
        params["salary_min"] = query.salary_min
    if query.salary_max is not None:
        clauses.append("coalesce(c.annual_min, c.annual_max) <= :salary_max")
        params["salary_max"] = query.salary_max
    if query.has_salary is not None:
        clauses.append("c.annual_max IS NOT NULL" if query.has_salary else "c.annual_max IS NULL")
    if query.posted_since:
        clauses.append("c.date_posted >= :posted_since")
        params["posted_since"] = query.posted_since
    if query.location:
        clauses.append("c.location LIKE :location ESCAPE '\\'")
        escaped = query.location.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["location"] = f"%{escaped}%"
    if query.companies:
        in_list("c.company_key", "co", [normalise_company(c) or "" for c in query.companies])
    blocked = [normalise_company(c) or "" for c in (*query.exclude_companies, *query.blocklist)]
    if blocked:
        in_list("c.company_key", "xco", blocked, negate=True)
    _advanced_where(query, clauses, params)
    if query.statuses:
        in_list("c.status", "st", query.statuses)
    else:
        clauses.append("c.status != 'hidden'")  # hidden jobs show only when asked for
    return clauses, params


# Each reads one indexed column of the postings (0010_advanced_filters.sql).
_POSTINGS_WHERE = "c.id IN (SELECT j.cluster_id FROM jobs j WHERE {test})"


def _advanced_where(query: JobQuery, clauses: list[str], params: dict[str, Any]) -> None:
    if query.exclude:
        params["exclude"] = exclusion_expression(query.exclude)
        clauses.append("c.id NOT IN (SELECT j.cluster_id FROM jobs j WHERE j.id IN "
                       "(SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH :exclude))")
    for column, name, values in (("job_level", "lv", query.levels), ("company_industry", "ind", query.industries)):
        if values:
            clauses.append(_POSTINGS_WHERE.format(test=f"j.{column} IN ({_bind(params, name, values)})"))
    if query.min_rating is not None:
        params["min_rating"] = query.min_rating
        clauses.append(_POSTINGS_WHERE.format(test="j.company_rating >= :min_rating"))
    if query.direct_apply:
        clauses.append(_POSTINGS_WHERE.format(test="j.job_url_direct IS NOT NULL"))


# (sort expression, direction); ties broken by id ascending for stable cursors.
_SORT_KEY = {
    "relevance": ("h.rank", "ASC"),
    "newest": ("c.date_posted", "DESC"),
    "salary": ("coalesce(c.annual_max, -1)", "DESC"),
}
# Ranked hits mapped to clusters. Reading each hit's posting row is the costly
# part, so a first attempt takes only the best-ranked RANKED_FIRST hits.
RANKED_FIRST = 2_000
_HITS = ("(SELECT j.cluster_id AS cid, min(f.rank) AS rank FROM ({fts}) f JOIN jobs j ON j.id = f.rowid "
         "GROUP BY j.cluster_id) h")
_FTS_ALL = "SELECT rowid, rank FROM jobs_fts WHERE jobs_fts MATCH :match"
_HIT_IDS = ("c.id IN (SELECT j.cluster_id FROM jobs j WHERE j.id IN "
            "(SELECT rowid FROM jobs_fts WHERE jobs_fts MATCH :match))")


def _source(query: JobQuery, clauses: list[str], params: dict[str, Any], sort: str,
            best_only: bool = False) -> str:
    """FROM … WHERE …; full text joins ranked hits only when sorting by relevance."""
    if query.q.strip():
        match = fts_expression(query.q.strip())
        params["match"] = f"title : ({match})" if query.title_only else match
        if sort == "relevance":
            best = f"{_FTS_ALL} ORDER BY rank LIMIT {int(RANKED_FIRST)}"
            hits = _HITS.format(fts=best if best_only else _FTS_ALL)
            source = f"{hits} JOIN clusters c ON c.id = h.cid"
        else:
            source, clauses = "clusters c", [_HIT_IDS, *clauses]
    else:
        source = "clusters c"
    return f"FROM {source}" + (" WHERE " + " AND ".join(clauses) if clauses else "")


def _run(conn: sqlite3.Connection, sql: str, params: dict[str, Any]) -> list[sqlite3.Row]:
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc) or "syntax" in str(exc) or "no such column" in str(exc):
            raise QueryError(f"The search text could not be understood ({exc}). "
                             'Use words, "exact phrases", prefix*, OR and NOT.') from None
        raise


def search_jobs(conn: sqlite3.Connection, query: JobQuery) -> tuple[list[sqlite3.Row], str | None]:
    """One page of clusters and the cursor of the next page (None at the end)."""
    sort = query.sort if (query.sort != "relevance" or query.q.strip()) else "newest"
    clauses, params = _where(query)
    key, direction = _SORT_KEY[sort]
    if query.cursor:
        last_key, last_id = _decode_cursor(query.cursor)
        op = ">" if direction == "ASC" else "<"
        clauses.append(f"({key} {op} :ck OR ({key} = :ck AND c.id > :cid))")
        params.update(ck=last_key, cid=last_id)
    params["limit"] = query.limit + 1

    def page(best_only: bool) -> list[sqlite3.Row]:
        sql = (f"SELECT c.*, {key} AS sort_key {_source(query, list(clauses), params, sort, best_only)} "
               f"ORDER BY {key} {direction}, c.id ASC LIMIT :limit")
        return _run(conn, sql, params)

    ranked = sort == "relevance"
    rows = page(best_only=ranked)
    # A short page from the best hits alone is only the answer if there were no more hits.
    if ranked and len(rows) <= query.limit and _run(
            conn, "SELECT count(*) FROM jobs_fts WHERE jobs_fts MATCH :match", params)[0][0] > RANKED_FIRST:
        rows = page(best_only=False)
    next_cursor = None
    if len(rows) > query.limit:
        rows = rows[: query.limit]
        next_cursor = _encode_cursor([rows[-1]["sort_key"], rows[-1]["id"]])
    return rows, next_cursor


def facet_counts(conn: sqlite3.Connection, query: JobQuery) -> dict[str, dict[str, int]]:
    """Clusters per board, job type and remote under the current filters, in one pass."""
    from .jobs import BOARD_BITS, TYPE_BITS

    clauses, params = _where(query)
    columns = [f"sum(c.board_mask & {bit} != 0)" for bit in BOARD_BITS.values()]
    columns += [f"sum(c.type_mask & {bit} != 0)" for bit in TYPE_BITS.values()]
    columns += ["sum(c.is_remote)", "count(*)"]
    row = _run(conn, f"SELECT {', '.join(columns)} {_source(query, clauses, params, 'newest')}", params)[0]
    values = [v or 0 for v in row]
    boards, types = values[:len(BOARD_BITS)], values[len(BOARD_BITS):len(BOARD_BITS) + len(TYPE_BITS)]
    remote, total = values[-2], values[-1]
    return {
        "boards": {b: n for b, n in zip(BOARD_BITS, boards) if n},
        "jobTypes": {t: n for t, n in zip(TYPE_BITS, types) if n},
        "remote": {k: n for k, n in (("remote", remote), ("onsite", total - remote)) if n},
    }


def filter_options(conn: sqlite3.Connection, top: int = 40) -> dict[str, Any]:
    """What the advanced filters can choose from in this store: seniority
    levels and industries with the jobs (clusters) carrying each, most first,
    and how many jobs have a company rating or a direct apply link."""
    def values(column: str) -> list[dict[str, Any]]:
        rows = conn.execute(
            f"SELECT {column} AS value, count(DISTINCT cluster_id) AS jobs FROM jobs "
            f"WHERE {column} IS NOT NULL AND {column} != '' GROUP BY {column} ORDER BY jobs DESC, value LIMIT ?",
            (top,)).fetchall()
        return [{"value": r["value"], "jobs": r["jobs"]} for r in rows]

    rated, direct = conn.execute(
        "SELECT (SELECT count(DISTINCT cluster_id) FROM jobs WHERE company_rating IS NOT NULL),"
        " (SELECT count(DISTINCT cluster_id) FROM jobs WHERE job_url_direct IS NOT NULL)").fetchone()
    return {"levels": values("job_level"), "industries": values("company_industry"),
            "rated": rated, "directApply": direct}
