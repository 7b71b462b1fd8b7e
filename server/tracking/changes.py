"""Incremental sync of applications for the PWA's offline replica.

Applications take their change numbers from the same counter as the jobs
feed (migration 0002), so the cursor has the same form, ``<db id>.<seq>``,
and a cursor from another database starts the replica over. Any change to an
application, its history, contacts or interviews renumbers the application
(triggers in 0004), and the page carries it whole. Applications are never
deleted, so there are no tombstones.
"""

from __future__ import annotations

import sqlite3

from ..db.cursors import parse_cursor
from .models import ChangesPage
from .stages import load_stages
from .store import load

__all__ = ["read_changes"]


def read_changes(conn: sqlite3.Connection, cursor: str | None, limit: int) -> ChangesPage:
    conn.execute("BEGIN")  # one snapshot: the rows and the counter agree
    try:
        seq, db_id = conn.execute("SELECT seq, db_id FROM sync_state WHERE id = 1").fetchone()
        since, reset = parse_cursor(cursor, db_id)
        rows = conn.execute("SELECT id, change_seq FROM applications WHERE change_seq > ? "
                            "ORDER BY change_seq LIMIT ?", (since, limit + 1)).fetchall()
        more = len(rows) > limit
        rows = rows[:limit]
        stages = load_stages(conn)
        changes = [load(conn, r[0], stages) for r in rows]
    finally:
        conn.execute("COMMIT")
    upper = rows[-1][1] if more else max(seq, since)
    return ChangesPage(changes=changes, cursor=f"{db_id}.{upper}", more=more, reset=reset)
