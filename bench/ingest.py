"""Ingest speed: normalised rows into the store (FTS and de-duplication included),
against plain ``executemany`` of the same rows into the same table as the ceiling.
Also reported: the same ingest as a search run does it, each posting sighted.

Target (issue 3): at least 10,000 jobs per second.
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from server.db.database import _configure
from server.db.jobs import _INSERT, _row_values, ingest, insert_row
from server.db.migrations import MIGRATIONS, migrate

from .store import normalised_rows

ROWS = 20_000
ROUNDS = 5


def _fresh(folder: Path, name: str) -> sqlite3.Connection:
    conn = sqlite3.connect(folder / name, isolation_level=None)
    _configure(conn, readonly=False)
    migrate(conn, MIGRATIONS, folder / name)
    return conn


def _ceiling(conn: sqlite3.Connection, records: list) -> float:
    values = [insert_row(_row_values(record), i, 1, 0) for i, record in enumerate(records, start=1)]
    conn.execute("INSERT INTO clusters (id, first_seen, last_seen, updated_at) VALUES (1, 0, 0, 0)")
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(_INSERT, values)
    conn.execute("COMMIT")
    return time.perf_counter() - started


def _ours(conn: sqlite3.Connection, records: list, run_id: int | None = None) -> float:
    if run_id is not None:
        conn.execute("INSERT INTO search_runs (id, params, created_at) VALUES (?, '{}', 0)", (run_id,))
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    ingest(conn, records, 0, run_id)
    conn.execute("COMMIT")
    return time.perf_counter() - started


def run() -> dict:
    records = normalised_rows(ROWS)
    ours, ceiling, sighted = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for round_ in range(ROUNDS):  # interleaved, so drift hits both sides alike
            ceiling.append(_ceiling(_fresh(folder, f"c{round_}.db"), records))
            ours.append(_ours(_fresh(folder, f"o{round_}.db"), records))
            # As a search run stores them: each posting also gets its sighting (and their triggers).
            sighted.append(_ours(_fresh(folder, f"s{round_}.db"), records, run_id=1))
    ours_rate = ROWS / statistics.median(ours)
    ceiling_rate = ROWS / statistics.median(ceiling)
    return {
        "rows": ROWS, "rounds": ROUNDS,
        "ingest_jobs_per_second": round(ours_rate),
        "executemany_jobs_per_second": round(ceiling_rate),
        "ratio_to_ceiling": round(ours_rate / ceiling_rate, 2),
        "with_sightings_jobs_per_second": round(ROWS / statistics.median(sighted)),
        "target": ">= 10000 jobs/s",
        "meets_target": ours_rate >= 10_000,
    }


if __name__ == "__main__":
    print(run())
