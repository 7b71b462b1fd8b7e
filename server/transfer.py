"""Import and export of jobs: CSV with jobspy's column names, and JSON.

A jobspy user's own CSV files import as they are. JobDeck's exports add a few
``jobdeck_*`` columns (the user's status and note, when each posting was
first and last seen, which postings are one job) so that export then import
into an empty home loses nothing. An import is checked whole before anything
is written: a bad line is named and nothing is stored.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from typing import Any, Iterable, Iterator

from .db.jobs import ingest, refresh_clusters
from .scrape.normalize import JOBSPY_COLUMNS, NormaliseError, normalise

__all__ = ["TransferError", "parse", "parse_rows", "export_rows", "export_to", "store_import"]

EXTRA_COLUMNS = ("jobdeck_cluster", "jobdeck_status", "jobdeck_note", "jobdeck_first_seen",
                 "jobdeck_last_seen")
STATUSES = ("new", "seen", "saved", "hidden", "applied")
MAX_ROWS = 500_000


class TransferError(ValueError):
    """A file that cannot be imported; the message names the line and the problem."""


def _seconds(value: Any, where: str, column: str) -> int | None:
    """A jobdeck_*_seen time: whole seconds since 1970, as SQLite can store them."""
    if value in (None, ""):
        return None
    try:
        if isinstance(value, bool):
            raise TypeError
        seconds = int(float(value))
    except (TypeError, ValueError, OverflowError):  # OverflowError: "inf"
        raise TransferError(f"{where}: {column} must be a number of seconds, got {value!r}") from None
    if not 0 <= seconds < 2**63:
        raise TransferError(f"{where}: {column} is out of range, got {value!r}")
    return seconds


def _text(value: Any, where: str, column: str) -> str | None:
    """A jobdeck_* text column: a JSON file may hold anything there."""
    if isinstance(value, (dict, list)):
        raise TransferError(f"{where}: {column} must be text, got {type(value).__name__}")
    return None if value in (None, "") else str(value)


def _rows_from_csv(text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or not {"site", "title"} <= {f.strip() for f in reader.fieldnames}:
        raise TransferError("line 1: the header must name at least the columns site, id and title "
                            "(jobspy's column names)")
    for row in reader:
        if None in row:
            raise TransferError(f"line {reader.line_num}: more values than columns in the header")
        yield reader.line_num, {k.strip(): (v if v != "" else None) for k, v in row.items()}


def _rows_from_json(text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise TransferError(f"line {exc.lineno}: not valid JSON ({exc.msg})") from None
    if isinstance(data, dict):
        data = data.get("jobs")
    if not isinstance(data, list):
        raise TransferError("line 1: expected a list of jobs (or an object with a \"jobs\" list)")
    for index, row in enumerate(data, start=1):
        if not isinstance(row, dict):
            raise TransferError(f"job {index}: expected an object")
        yield index, row


def parse(text: str, fmt: str) -> list[dict[str, Any]]:
    """Check a whole file; returns import items or raises TransferError naming the line."""
    rows = _rows_from_csv(text) if fmt == "csv" else _rows_from_json(text)
    return parse_rows(rows, fmt)


def parse_rows(rows: Iterable[tuple[int, dict[str, Any]]] | Iterable[dict[str, Any]],
               fmt: str = "json") -> list[dict[str, Any]]:
    """Check rows (numbered, or plain dicts numbered here) and turn them into import items."""
    items: list[dict[str, Any]] = []
    rows = (r if isinstance(r, tuple) else (i, r) for i, r in enumerate(rows, start=1))
    for line, row in rows:
        where = f"{'line' if fmt == 'csv' else 'job'} {line}"
        if len(items) >= MAX_ROWS:
            raise TransferError(f"{where}: more than {MAX_ROWS} jobs in one file")
        jobspy_row = {k: v for k, v in row.items() if k not in EXTRA_COLUMNS}
        try:
            record = normalise(jobspy_row)
        except NormaliseError as exc:
            raise TransferError(f"{where}: {exc}") from None
        status = _text(row.get("jobdeck_status"), where, "jobdeck_status")
        if status is not None and status not in STATUSES:
            raise TransferError(f"{where}: jobdeck_status must be one of {', '.join(STATUSES)}")
        items.append({"record": record, "cluster": _text(row.get("jobdeck_cluster"), where, "jobdeck_cluster"),
                      "status": status, "note": _text(row.get("jobdeck_note"), where, "jobdeck_note"),
                      "first_seen": _seconds(row.get("jobdeck_first_seen"), where, "jobdeck_first_seen"),
                      "last_seen": _seconds(row.get("jobdeck_last_seen"), where, "jobdeck_last_seen")})
    return items


def store_import(conn: sqlite3.Connection, items: list[dict[str, Any]], now: int) -> dict[str, int]:
    """Write checked items in the caller's transaction; postings of one exported cluster stay one."""
    result = ingest(conn, (item["record"] for item in items), now)
    clusters: dict[str, int] = {}
    regrouped: set[int] = set()
    for item in items:
        record = item["record"]
        job_id, cluster_id = conn.execute("SELECT id, cluster_id FROM jobs WHERE site = ? AND board_id = ?",
                                          (record.site, record.board_id)).fetchone()
        key = item["cluster"]
        if key is not None:
            if key in clusters and clusters[key] != cluster_id:
                conn.execute("UPDATE jobs SET cluster_id = ? WHERE id = ?", (clusters[key], job_id))
                regrouped.update((cluster_id, clusters[key]))
                cluster_id = clusters[key]
            clusters.setdefault(key, cluster_id)
        if item["first_seen"] is not None:
            conn.execute("UPDATE jobs SET first_seen = ?, last_seen = coalesce(?, last_seen) WHERE id = ?",
                         (item["first_seen"], item["last_seen"], job_id))
        if item["status"] or item["note"]:
            conn.execute("UPDATE clusters SET status = coalesce(?, status), note = coalesce(?, note) "
                         "WHERE id = ?", (item["status"], item["note"], cluster_id))
    # Clusters emptied by regrouping are removed; their times follow their jobs.
    conn.execute("DELETE FROM clusters WHERE id NOT IN (SELECT cluster_id FROM jobs) "
                 "AND id NOT IN (SELECT cluster_id FROM applications WHERE cluster_id IS NOT NULL)")
    conn.execute("UPDATE clusters SET first_seen = (SELECT min(first_seen) FROM jobs WHERE cluster_id = clusters.id), "
                 "last_seen = (SELECT max(last_seen) FROM jobs WHERE cluster_id = clusters.id) "
                 "WHERE id IN (SELECT cluster_id FROM jobs)")
    refresh_clusters(conn, regrouped)
    return {"found": result.found, "new": result.new, "updated": result.updated}


def export_rows(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    """Every stored posting as a jobspy-shaped row plus the jobdeck_* columns."""
    query = ("SELECT j.*, c.status AS c_status, c.note AS c_note FROM jobs j "
             "JOIN clusters c ON c.id = j.cluster_id ORDER BY j.cluster_id, j.id")
    for row in conn.execute(query):
        out: dict[str, Any] = {}
        for column in JOBSPY_COLUMNS:
            source = {"id": "board_id", "job_type": "job_types", "interval": "salary_interval"}.get(column, column)
            value = row[source]
            if source in ("job_types", "emails", "skills") and value:
                value = ", ".join(json.loads(value))
            elif source == "is_remote" and value is not None:
                value = bool(value)
            out[column] = value
        for key, value in json.loads(row["extra"] or "{}").items():
            out.setdefault(key, value)
        out.update(jobdeck_cluster=str(row["cluster_id"]), jobdeck_status=row["c_status"],
                   jobdeck_note=row["c_note"], jobdeck_first_seen=row["first_seen"],
                   jobdeck_last_seen=row["last_seen"])
        yield out


def to_csv(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[*JOBSPY_COLUMNS, *EXTRA_COLUMNS], extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def to_json(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    yield '{"format": "jobdeck-jobs", "version": 1, "jobs": ['
    for index, row in enumerate(rows):
        yield ("," if index else "") + "\n" + json.dumps(row, ensure_ascii=False)
    yield "\n]}\n"


def export_to(conn: sqlite3.Connection, fmt: str, handle: io.TextIOBase) -> int:
    """Write every posting to an open text file; returns how many."""
    count = 0

    def counted() -> Iterator[dict[str, Any]]:
        nonlocal count
        for row in export_rows(conn):
            count += 1
            yield row

    for chunk in (to_csv if fmt == "csv" else to_json)(counted()):
        handle.write(chunk)
    return count
