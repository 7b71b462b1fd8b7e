"""Storing postings: upsert by board id, cluster across boards, record sightings.

``ingest`` runs inside one write transaction on the writer's thread (see
``Database.run_write``): a board's whole result lands, or none of it.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Iterable

import msgspec

from ..scrape.normalize import JobRecord

__all__ = ["IngestResult", "ingest", "JOB_COLUMNS", "set_cluster_status"]

# Record fields stored as they are; lists and the extra dict go in as JSON.
JOB_COLUMNS = tuple(f for f in JobRecord.__struct_fields__)
_JSON_FIELDS = frozenset({"job_types", "emails", "skills", "extra"})
_COMPARED = tuple(f for f in JOB_COLUMNS if f not in ("site", "board_id"))

_INSERT = (f"INSERT INTO jobs (cluster_id, {', '.join(JOB_COLUMNS)}, first_seen, last_seen, updated_at) "
           f"VALUES (:cluster_id, {', '.join(':' + c for c in JOB_COLUMNS)}, :now, :now, :now)")
_UPDATE = (f"UPDATE jobs SET {', '.join(f'{c} = :{c}' for c in _COMPARED)}, last_seen = :now, "
           "updated_at = :now WHERE id = :id")


@dataclass
class IngestResult:
    found: int = 0
    new: int = 0
    updated: int = 0


def _row_values(record: JobRecord) -> dict:
    values = msgspec.structs.asdict(record)
    for field in _JSON_FIELDS:
        if values[field] is not None:
            values[field] = json.dumps(values[field], ensure_ascii=False)
    if values["is_remote"] is not None:
        values["is_remote"] = int(values["is_remote"])
    return values


def _find_cluster(conn: sqlite3.Connection, record: JobRecord) -> int | None:
    """Another board's posting of the same job: same direct URL, else same title+company+city."""
    if record.dedup_url:
        row = conn.execute("SELECT cluster_id FROM jobs WHERE dedup_url = ? LIMIT 1",
                           (record.dedup_url,)).fetchone()
        if row:
            return row[0]
    if record.dedup_key:
        row = conn.execute("SELECT cluster_id FROM jobs WHERE dedup_key = ? LIMIT 1",
                           (record.dedup_key,)).fetchone()
        if row:
            return row[0]
    return None


def ingest(conn: sqlite3.Connection, records: Iterable[JobRecord], now: int,
           run_id: int | None = None) -> IngestResult:
    """Store records; call inside a transaction. Returns counts found/new/updated."""
    result = IngestResult()
    touched: set[int] = set()
    for record in records:
        result.found += 1
        values = _row_values(record)
        values["now"] = now
        existing = conn.execute(
            f"SELECT id, cluster_id, {', '.join(_COMPARED)} FROM jobs WHERE site = ? AND board_id = ?",
            (record.site, record.board_id)).fetchone()
        if existing is None:
            cluster_id = _find_cluster(conn, record)
            if cluster_id is None:
                cluster_id = conn.execute(
                    "INSERT INTO clusters (first_seen, last_seen, updated_at) VALUES (?, ?, ?)",
                    (now, now, now)).lastrowid
            values["cluster_id"] = cluster_id
            job_id = conn.execute(_INSERT, values).lastrowid
            result.new += 1
        else:
            job_id, cluster_id = existing[0], existing[1]
            changed = any(existing[i + 2] != values[c] for i, c in enumerate(_COMPARED))
            if changed:
                values["id"] = job_id
                conn.execute(_UPDATE, values)
                result.updated += 1
            else:
                conn.execute("UPDATE jobs SET last_seen = ? WHERE id = ?", (now, job_id))
        touched.add(cluster_id)
        if run_id is not None:
            conn.execute("INSERT OR IGNORE INTO sightings (job_id, run_id, seen_at) VALUES (?, ?, ?)",
                         (job_id, run_id, now))
    conn.executemany("UPDATE clusters SET last_seen = ?, updated_at = ? WHERE id = ?",
                     [(now, now, cid) for cid in touched])
    return result


def set_cluster_status(conn: sqlite3.Connection, cluster_id: int, status: str, now: int) -> bool:
    cursor = conn.execute("UPDATE clusters SET status = ?, updated_at = ? WHERE id = ?",
                          (status, now, cluster_id))
    return cursor.rowcount == 1
