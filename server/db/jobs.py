"""Storing postings: upsert by board id, cluster across boards, record sightings.

``ingest`` runs inside one write transaction on the writer's thread (see
``Database.run_write``): a board's whole result lands, or none of it.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from operator import itemgetter
from typing import Iterable

import msgspec

from ..scrape.normalize import JobRecord, normalise_company
from ..scrape.params import BOARDS
from .cjk import cjk_grams, has_cjk

# Bits for the cluster summary's masks: "any of these boards/types" is one AND.
BOARD_BITS = {board: 1 << i for i, board in enumerate(BOARDS)}
TYPE_BITS = {t: 1 << i for i, t in enumerate(
    ("fulltime", "parttime", "contract", "temporary", "internship", "perdiem", "other", "volunteer"))}
_SALARY = ("salary_interval", "min_amount", "max_amount", "currency", "annual_min", "annual_max")

__all__ = ["IngestResult", "ingest", "refresh_clusters", "JOB_COLUMNS", "BOARD_BITS", "TYPE_BITS",
           "set_cluster_status"]

# Record fields stored as they are; lists and the extra dict go in as JSON.
JOB_COLUMNS = tuple(f for f in JobRecord.__struct_fields__)
_JSON_FIELDS = frozenset({"job_types", "emails", "skills", "extra"})
_COMPARED = tuple(f for f in JOB_COLUMNS if f not in ("site", "board_id"))

# Positional parameters: binding ~45 by name, a dict lookup each, cost about
# 12 µs a row, several per cent of ingest.
_INSERT = (f"INSERT INTO jobs (id, cluster_id, {', '.join(JOB_COLUMNS)}, first_seen, last_seen, updated_at) "
           f"VALUES ({', '.join('?' * (len(JOB_COLUMNS) + 5))})")
_JOB_VALUES = itemgetter(*JOB_COLUMNS)
_UPDATE = (f"UPDATE jobs SET {', '.join(f'{c} = :{c}' for c in _COMPARED)}, last_seen = :now, "
           "updated_at = :now WHERE id = :id")

# Full text (0001_core.sql): postings with CJK are indexed with their runs as
# pairs, kept in jobs_fts_cjk for the triggers to delete (0013_cjk_search.sql).
_FTS_COLUMNS = ("title", "company", "location", "description", "skills")
_FTS_LIST = ", ".join(_FTS_COLUMNS)
_KEEP_CJK = f"INSERT INTO jobs_fts_cjk (id, {_FTS_LIST}) VALUES ({', '.join('?' * (len(_FTS_COLUMNS) + 1))})"
_INDEX_AS_STORED = f"INSERT INTO jobs_fts (rowid, {_FTS_LIST}) SELECT id, {_FTS_LIST} FROM jobs WHERE id "
_INDEX_WITH_CJK = (f"INSERT INTO jobs_fts (rowid, {_FTS_LIST}) SELECT j.id, "
                   + ", ".join(f"coalesce(x.{c}, j.{c})" for c in _FTS_COLUMNS)
                   + " FROM jobs j LEFT JOIN jobs_fts_cjk x ON x.id = j.id WHERE j.id ")
_UNINDEX_AS_STORED = (f"INSERT INTO jobs_fts (jobs_fts, rowid, {_FTS_LIST}) "
                      f"SELECT 'delete', id, {_FTS_LIST} FROM jobs WHERE id = ?")
_FTS_TEXTS = itemgetter(*_FTS_COLUMNS)


def _cjk_texts(postings: dict[int, dict]) -> list[tuple]:
    """(id, each full-text column as indexed, or None if as stored) of the postings with CJK."""
    found = []
    for job_id, values in postings.items():
        texts = _FTS_TEXTS(values)
        if any(t and has_cjk(t) for t in texts):  # about 2 µs a posting, most of it for non-ASCII text
            found.append((job_id, *map(cjk_grams, texts)))
    return found


@dataclass
class IngestResult:
    found: int = 0
    new: int = 0
    updated: int = 0


def insert_row(values: dict, job_id: int, cluster_id: int, now: int) -> tuple:
    """``_row_values`` output as ``_INSERT``'s parameters."""
    return (job_id, cluster_id, *_JOB_VALUES(values), now, now, now)


# What json.dumps(value, ensure_ascii=False) writes, without building an encoder per call.
_to_json = json.JSONEncoder(ensure_ascii=False).encode


def _row_values(record: JobRecord) -> dict:
    values = msgspec.structs.asdict(record)
    for field in _JSON_FIELDS:
        if values[field] is not None:
            values[field] = _to_json(values[field])
    if values["is_remote"] is not None:
        values["is_remote"] = int(values["is_remote"])
    return values


def _lookup(conn: sqlite3.Connection, sql: str, keys: list, *first: object,
            width: int = 500) -> list[sqlite3.Row]:
    """Run an ``IN (…)`` query over many keys, a chunk at a time (``first``: leading parameters)."""
    rows: list[sqlite3.Row] = []
    for start in range(0, len(keys), width):
        chunk = keys[start:start + width]
        rows += conn.execute(sql.format(marks=", ".join("?" * len(chunk))), [*first, *chunk]).fetchall()
    return rows


class _Index:
    """What the store already holds for a batch, read in a few queries instead of per row."""

    def __init__(self, conn: sqlite3.Connection, records: list[JobRecord]) -> None:
        self.existing: dict[tuple[str, str], sqlite3.Row] = {}
        for site in {r.site for r in records}:
            ids = [r.board_id for r in records if r.site == site]
            sql = (f"SELECT id, cluster_id, board_id, {', '.join(_COMPARED)} FROM jobs "
                   f"WHERE site = ? AND board_id IN ({{marks}})")
            for row in _lookup(conn, sql, ids, site):
                self.existing[(site, row["board_id"])] = row
        urls = list({r.dedup_url for r in records if r.dedup_url})
        keys = list({r.dedup_key for r in records if r.dedup_key})
        self.by_url = {row[0]: row[1] for row in _lookup(
            conn, "SELECT dedup_url, min(cluster_id) FROM jobs WHERE dedup_url IN ({marks}) GROUP BY dedup_url", urls)}
        self.by_key = {row[0]: row[1] for row in _lookup(
            conn, "SELECT dedup_key, min(cluster_id) FROM jobs WHERE dedup_key IN ({marks}) GROUP BY dedup_key", keys)}

    def cluster_for(self, record: JobRecord) -> int | None:
        """Another board's posting of the same job: same direct URL, else same title+company+city."""
        return (self.by_url.get(record.dedup_url) if record.dedup_url else None) or (
            self.by_key.get(record.dedup_key) if record.dedup_key else None)

    def remember(self, record: JobRecord, cluster_id: int) -> None:
        if record.dedup_url:
            self.by_url.setdefault(record.dedup_url, cluster_id)
        if record.dedup_key:
            self.by_key.setdefault(record.dedup_key, cluster_id)


def ingest(conn: sqlite3.Connection, records: Iterable[JobRecord], now: int,
           run_id: int | None = None) -> IngestResult:
    """Store records; call inside a write transaction. Returns counts found/new/updated.

    Decisions are made in memory, then written with a few ``executemany``
    calls. Ids are assigned here: safe because the transaction holds SQLite's
    write lock, and far faster than a round trip per row.
    """
    records = list(records)
    index = _Index(conn, records)
    first_job = next_job = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM jobs").fetchone()[0]
    next_cluster = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM clusters").fetchone()[0]
    result = IngestResult(found=len(records))
    inserts: dict[int, dict] = {}
    updates: dict[int, dict] = {}
    unchanged: set[int] = set()
    born: dict[int, dict[int, dict]] = {}  # new cluster id -> its postings
    touched: set[int] = set()  # clusters that existed before this batch
    for record in records:
        values = _row_values(record)
        key = (record.site, record.board_id)
        existing = index.existing.get(key)
        if existing is None:
            cluster_id = index.cluster_for(record)
            if cluster_id is None:
                cluster_id, next_cluster = next_cluster, next_cluster + 1
                born[cluster_id] = {}
            job_id, next_job = next_job, next_job + 1
            inserts[job_id] = values
            index.remember(record, cluster_id)
            result.new += 1
        else:
            job_id, cluster_id = existing["id"], existing["cluster_id"]
            if any(existing[c] != values[c] for c in _COMPARED):
                if job_id in inserts:  # listed twice in one batch: the later listing wins
                    inserts[job_id] = values
                else:
                    result.updated += job_id not in updates
                    updates[job_id] = values
                    unchanged.discard(job_id)
            elif job_id not in inserts and job_id not in updates:
                unchanged.add(job_id)
        values.update(id=job_id, cluster_id=cluster_id, now=now, last_seen=now)
        index.existing[key] = values
        if cluster_id in born:
            born[cluster_id][job_id] = values
        else:
            touched.add(cluster_id)

    conn.executemany(_INSERT_CLUSTER, [(now, now, now, *_SUMMARY_VALUES(_summary(cid, list(jobs.values()))))
                                       for cid, jobs in born.items()])
    conn.executemany(_INSERT, [insert_row(values, job_id, values["cluster_id"], now)
                               for job_id, values in inserts.items()])
    if inserts:  # ids were assigned upwards from first_job, so the new postings are id >= it
        new_cjk = _cjk_texts(inserts)
        if new_cjk:
            conn.executemany(_KEEP_CJK, new_cjk)
        conn.execute((_INDEX_WITH_CJK if new_cjk else _INDEX_AS_STORED) + ">= ?", (first_job,))
    conn.executemany(_UPDATE, updates.values())
    changed_cjk = _cjk_texts(updates)
    if changed_cjk:  # the update trigger indexed their new text as stored: index it as pairs
        changed = [(row[0],) for row in changed_cjk]
        conn.executemany(_UNINDEX_AS_STORED, changed)
        conn.executemany(_KEEP_CJK, changed_cjk)
        conn.executemany(_INDEX_WITH_CJK + "= ?", changed)
    conn.executemany("UPDATE jobs SET last_seen = ? WHERE id = ?", [(now, i) for i in unchanged])
    conn.executemany("UPDATE clusters SET last_seen = ?, updated_at = ? WHERE id = ?",
                     [(now, now, cid) for cid in touched])
    refresh_clusters(conn, touched)
    if run_id is not None:
        job_ids = {*inserts, *updates, *unchanged}
        conn.executemany("INSERT OR IGNORE INTO sightings (job_id, run_id, seen_at) VALUES (?, ?, ?)",
                         [(job_id, run_id, now) for job_id in job_ids])
    return result


def _summary(cluster_id: int, jobs: list[sqlite3.Row]) -> dict:
    """The list's view of a cluster: its latest posting, plus what spans all of them."""
    if len(jobs) > 1:  # most clusters are one posting: nothing to order or merge
        jobs = sorted(jobs, key=lambda j: (j["last_seen"], j["id"]), reverse=True)
    latest = jobs[0]
    paid = latest if latest["annual_max"] is not None or len(jobs) == 1 else max(
        jobs, key=lambda j: -1 if j["annual_max"] is None else j["annual_max"])
    types: list[str] = []
    for job in jobs:
        for job_type in json.loads(job["job_types"]) if job["job_types"] else ():
            if job_type not in types:
                types.append(job_type)
    boards = [latest["site"]] if len(jobs) == 1 else sorted({job["site"] for job in jobs})
    return {
        "id": cluster_id, "job_id": latest["id"], "title": latest["title"], "company": latest["company"],
        "company_key": normalise_company(latest["company"]), "location": latest["location"],
        "is_remote": int(any(job["is_remote"] for job in jobs)),
        "date_posted": max(job["date_posted"] or "" for job in jobs),
        "job_types": latest["job_types"] if len(jobs) == 1 else (json.dumps(types) if types else None),
        "type_mask": sum(TYPE_BITS.get(t, 0) for t in types),
        "boards": ",".join(boards), "board_mask": sum(BOARD_BITS.get(b, 0) for b in boards),
        "postings": len(jobs), "company_logo": next((j["company_logo"] for j in jobs if j["company_logo"]), None),
        **{field: paid[field] for field in _SALARY},
    }


_SUMMARY_FIELDS = ("job_id", "title", "company", "company_key", "location", "is_remote", "date_posted",
                   "job_types", "type_mask", "boards", "board_mask", "postings", "company_logo", *_SALARY)
_SET_SUMMARY = f"UPDATE clusters SET {', '.join(f'{f} = :{f}' for f in _SUMMARY_FIELDS)} WHERE id = :id"
_INSERT_CLUSTER = (f"INSERT INTO clusters (first_seen, last_seen, updated_at, id, {', '.join(_SUMMARY_FIELDS)}) "
                   f"VALUES ({', '.join('?' * (len(_SUMMARY_FIELDS) + 4))})")
_SUMMARY_VALUES = itemgetter("id", *_SUMMARY_FIELDS)


def refresh_clusters(conn: sqlite3.Connection, cluster_ids: Iterable[int]) -> None:
    ids = list(cluster_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = conn.execute(
            f"SELECT id, cluster_id, last_seen, site, title, company, location, is_remote, date_posted, "
            f"job_types, company_logo, {', '.join(_SALARY)} FROM jobs "
            f"WHERE cluster_id IN ({', '.join('?' * len(chunk))})", chunk).fetchall()
        by_cluster: dict[int, list[sqlite3.Row]] = {}
        for row in rows:
            by_cluster.setdefault(row["cluster_id"], []).append(row)
        conn.executemany(_SET_SUMMARY, [_summary(cid, jobs) for cid, jobs in by_cluster.items()])


def set_cluster_status(conn: sqlite3.Connection, cluster_id: int, status: str, now: int) -> bool:
    cursor = conn.execute("UPDATE clusters SET status = ?, updated_at = ? WHERE id = ?",
                          (status, now, cluster_id))
    return cursor.rowcount == 1
