"""Incremental sync for the PWA's offline replica, and replay of its outbox.

``GET /api/v1/sync?since=<cursor>`` returns the clusters changed after the
cursor (in the job list's item shape, plus what offline detail needs) and the
ids deleted since, in ``change_seq`` order, a page at a time.

``POST /api/v1/sync/mutations`` applies edits made offline: idempotent by the
mutation's id, last writer wins per field by the mutation's own time.
"""

import json
import os
import sqlite3
from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, get, post
from litestar.params import FromQuery, JSONBody

from ..clock import iso, now_ms
from ..db.cursors import parse_cursor
from ..db.job_search import STATUSES
from ..db.preferences import blocked_company_keys
from ..deps import AppSettings, Db
from ..errors import ApiError
from .jobs import JobSummary, job_summary

__all__ = ["SyncController"]

NOTE_MAX = 20_000
MAX_PAGE = 2_000
KEEP_MUTATIONS_SECONDS = 90 * 86_400  # how long a replayed id is still recognised
Outcome = Literal["applied", "stale", "duplicate", "missing"]


class OtherPosting(msgspec.Struct, rename="camel", omit_defaults=True):
    """The text of a posting besides the representative one, for "words to
    hide": its title when it differs, and its description as the characters
    it shares with the representative's at the start plus the rest (boards
    often repost one text with a line added). Identical texts are not sent."""
    title: str | None = None
    shared: int = 0
    rest: str | None = None


class SyncJob(JobSummary, rename="camel", omit_defaults=True):
    change_seq: int
    company_key: str | None  # the normalised company: what the blocklist matches
    first_seen: str | None
    site: str | None  # the representative posting's board, url and text
    job_url: str | None
    job_url_direct: str | None
    description: str | None
    # What the advanced filters test, over every posting of the job, so the
    # replica answers them as the server does (db.job_search._advanced_where);
    # left out when empty (omit_defaults), as they are for most jobs.
    levels: list[str] = msgspec.field(default_factory=list)
    industries: list[str] = msgspec.field(default_factory=list)
    company_rating: float | None = None  # the best of its postings'
    direct_apply: bool = False  # any posting links straight to the employer
    other_postings: list[OtherPosting] = msgspec.field(default_factory=list)


class SyncPage(msgspec.Struct, rename="camel"):
    changes: list[SyncJob]
    deleted: list[int]
    cursor: str
    more: bool
    reset: bool  # true: drop the replica first (first sync, or a cursor from another database)
    # The blocklist as company keys, whole on every page: the replica hides
    # those companies' jobs (and shows them again when one is unblocked).
    blocked_companies: list[str] = msgspec.field(default_factory=list)


class Mutation(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    id: Annotated[str, msgspec.Meta(min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]
    job_id: int
    field: Literal["status", "note"]
    value: Annotated[str, msgspec.Meta(max_length=NOTE_MAX)] | None
    at: Annotated[datetime, msgspec.Meta(tz=True)]


class MutationBatch(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    mutations: Annotated[list[Mutation], msgspec.Meta(min_length=1, max_length=500)]


class MutationResult(msgspec.Struct, rename="camel"):
    id: str
    outcome: Outcome


class JobState(msgspec.Struct, rename="camel"):
    id: int
    status: str
    note: str | None
    change_seq: int


class MutationReport(msgspec.Struct, rename="camel"):
    results: list[MutationResult]
    jobs: list[JobState]  # the server's values after the batch, for the replica


# Every posting of the page's jobs, for the advanced filters' facts; the
# representative's text is in the change row already.
_POSTINGS = ("SELECT j.cluster_id, j.job_level, j.company_industry, j.company_rating, "
             "j.job_url_direct IS NOT NULL AS direct, j.id = c.job_id AS representative, "
             "CASE WHEN j.id != c.job_id THEN j.title END AS title, "
             "CASE WHEN j.id != c.job_id THEN j.description END AS description "
             "FROM jobs j JOIN clusters c ON c.id = j.cluster_id "
             "WHERE j.cluster_id IN (SELECT value FROM json_each(?)) ORDER BY j.cluster_id, j.id")
_CHANGES = ("SELECT c.*, j.site, j.job_url, j.job_url_direct, j.description FROM clusters c "
            "LEFT JOIN jobs j ON j.id = c.job_id WHERE c.change_seq > ? ORDER BY c.change_seq LIMIT ?")
# A deleted id that exists again (ids can be reused) is a change, not a deletion.
_DELETED = ("SELECT t.change_seq, t.id FROM tombstones t WHERE t.change_seq > ? AND t.kind = 'job' "
            "AND t.id NOT IN (SELECT id FROM clusters) ORDER BY t.change_seq LIMIT ?")


def read_page(conn: sqlite3.Connection, cursor: str | None, limit: int,
              configured: list[str] | None = None) -> SyncPage:
    conn.execute("BEGIN")  # one snapshot: the rows and the counter agree
    try:
        seq, db_id = conn.execute("SELECT seq, db_id FROM sync_state WHERE id = 1").fetchone()
        since, reset = parse_cursor(cursor, db_id)
        rows = conn.execute(_CHANGES, (since, limit + 1)).fetchall()
        gone = conn.execute(_DELETED, (since, limit + 1)).fetchall()
        postings = _postings_of(conn, rows[:limit])
    finally:
        conn.execute("COMMIT")
    # Merge both streams by sequence and cut the page at `limit` entries.
    merged = sorted([(r["change_seq"], "c", r) for r in rows] + [(g[0], "d", g[1]) for g in gone],
                    key=lambda e: e[0])
    more = len(merged) > limit
    taken = merged[:limit]
    upper = taken[-1][0] if more else max(seq, since)
    changes = [_sync_job(e[2], postings.get(e[2]["id"], [])) for e in taken if e[1] == "c"]
    deleted = [e[2] for e in taken if e[1] == "d"]
    return SyncPage(changes=changes, deleted=deleted, cursor=f"{db_id}.{upper}", more=more, reset=reset,
                    blocked_companies=blocked_company_keys(conn, configured))


def _postings_of(conn: sqlite3.Connection, rows: list[Any]) -> dict[int, list[Any]]:
    by_job: dict[int, list[Any]] = {}
    if rows:
        for posting in conn.execute(_POSTINGS, (json.dumps([r["id"] for r in rows]),)):
            by_job.setdefault(posting["cluster_id"], []).append(posting)
    return by_job


def _distinct(values: Any) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


def _other_posting(posting: Any, title: str | None, description: str | None) -> OtherPosting | None:
    text, base = posting["description"] or "", description or ""
    same_title = posting["title"] == title
    if same_title and text == base:
        return None
    shared = len(os.path.commonprefix([text, base]))
    return OtherPosting(title=None if same_title else posting["title"], shared=shared, rest=text[shared:] or None)


def _sync_job(row: Any, postings: list[Any]) -> SyncJob:
    summary = msgspec.structs.asdict(job_summary(row))
    ratings = [p["company_rating"] for p in postings if p["company_rating"] is not None]
    others = [_other_posting(p, row["title"], row["description"]) for p in postings if not p["representative"]]
    return SyncJob(**summary, change_seq=row["change_seq"], company_key=row["company_key"],
                   first_seen=iso(row["first_seen"]),
                   site=row["site"], job_url=row["job_url"], job_url_direct=row["job_url_direct"],
                   description=row["description"],
                   levels=_distinct(p["job_level"] for p in postings),
                   industries=_distinct(p["company_industry"] for p in postings),
                   company_rating=max(ratings) if ratings else None,
                   direct_apply=any(p["direct"] for p in postings),
                   other_postings=[o for o in others if o is not None])


def _check(mutations: list[Mutation]) -> None:
    for i, m in enumerate(mutations):
        if m.field == "status" and m.value not in STATUSES:
            raise ApiError(400, "invalid", f"mutations[{i}]: status must be one of {', '.join(STATUSES)}.")


def apply_mutations(conn: sqlite3.Connection, mutations: list[Mutation], received_ms: int) -> MutationReport:
    now_s = received_ms // 1000
    conn.execute("DELETE FROM mutations WHERE received_at < ?", (now_s - KEEP_MUTATIONS_SECONDS,))
    results, touched = [], []
    for m in mutations:
        touched.append(m.job_id)
        if conn.execute("SELECT 1 FROM mutations WHERE id = ?", (m.id,)).fetchone():
            results.append(MutationResult(m.id, "duplicate"))
            continue
        # A clock running ahead must not win every later edit: never trust a future time.
        at_ms = min(int(m.at.timestamp() * 1000), received_ms)
        outcome: Outcome
        if not conn.execute("SELECT 1 FROM clusters WHERE id = ?", (m.job_id,)).fetchone():
            outcome = "missing"
        else:
            last = conn.execute("SELECT at_ms FROM field_times WHERE cluster_id = ? AND field = ?",
                                (m.job_id, m.field)).fetchone()
            if last is not None and last[0] > at_ms:
                outcome = "stale"
            else:
                outcome = "applied"
                # The field name comes from a Literal: never user text in the SQL.
                conn.execute(f"UPDATE clusters SET {m.field} = ?, updated_at = ? WHERE id = ?",
                             (m.value, now_s, m.job_id))
                conn.execute("INSERT OR REPLACE INTO field_times (cluster_id, field, at_ms) VALUES (?, ?, ?)",
                             (m.job_id, m.field, at_ms))
        conn.execute("INSERT INTO mutations (id, cluster_id, field, at_ms, outcome, received_at) "
                     "VALUES (?, ?, ?, ?, ?, ?)", (m.id, m.job_id, m.field, at_ms, outcome, now_s))
        results.append(MutationResult(m.id, outcome))
    ids = sorted(set(touched))
    rows = conn.execute(f"SELECT id, status, note, change_seq FROM clusters WHERE id IN ({', '.join('?' * len(ids))})",
                        ids).fetchall()
    return MutationReport(results=results, jobs=[JobState(r[0], r[1], r[2], r[3]) for r in rows])


class SyncController(Controller):
    path = "/api/v1/sync"
    tags = ["sync"]

    @get(summary="Changes and deletions since a cursor, for an offline replica")
    async def changes(
        self, db: Db, settings: AppSettings,
        since: FromQuery[str | None] = None,
        limit: FromQuery[int] = 500,
    ) -> SyncPage:
        # Checked here: msgspec constraints inside FromQuery are not enforced by Litestar 2.25.
        if not 1 <= limit <= MAX_PAGE:
            raise ApiError(400, "invalid", f"limit must be between 1 and {MAX_PAGE}.")
        if since is not None and len(since) > 100:
            raise ApiError(400, "bad_cursor", "That sync cursor is not valid; sync again without one.")
        return await db.run_read(read_page, since, limit, list(settings.company_blocklist))

    @post("/mutations", status_code=200,
          summary="Apply edits made offline: idempotent by id, last writer wins per field")
    async def mutations(self, db: Db, data: JSONBody[MutationBatch]) -> MutationReport:
        _check(data.mutations)
        return await db.run_write(apply_mutations, data.mutations, now_ms())
