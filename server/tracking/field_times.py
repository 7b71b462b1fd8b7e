"""When each editable field was last written (epoch ms), so an offline edit
replayed after a newer one does not overwrite it: the newest write of a
field wins, wherever and in whatever order it arrives.

An application's own fields are keyed by name. A contact's or interview's
live in the same table under their application, keyed ``contact:<id>:<field>``
or ``interview:<id>:<field>``, and go when the contact or interview goes.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Iterable

from .times import epoch

__all__ = ["edit_time", "stale_fields", "stamp", "forget"]


def edit_time(edited_at: datetime | None, now_ms: int, where: str = "editedAt") -> int:
    """An edit's own time; now without one, and a clock running ahead counts as now."""
    return now_ms if edited_at is None else min(epoch(edited_at, where) * 1000, now_ms)


def stale_fields(conn: sqlite3.Connection, app_id: int, keys: Iterable[str], at_ms: int) -> set[str]:
    """Those of ``keys`` a newer write than ``at_ms`` already set."""
    keys = list(keys)
    if not keys:
        return set()
    marks = ", ".join("?" * len(keys))
    rows = conn.execute(f"SELECT field FROM application_field_times WHERE application_id = ? "
                        f"AND field IN ({marks}) AND at_ms > ?", (app_id, *keys, at_ms))
    return {row[0] for row in rows}


def stamp(conn: sqlite3.Connection, app_id: int, keys: Iterable[str], at_ms: int) -> None:
    conn.executemany("INSERT OR REPLACE INTO application_field_times (application_id, field, at_ms) "
                     "VALUES (?, ?, ?)", [(app_id, key, at_ms) for key in keys])


def forget(conn: sqlite3.Connection, app_id: int, prefix: str) -> None:
    """Drop the times of a removed contact or interview (prefix ``contact:<id>:``)."""
    pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    conn.execute("DELETE FROM application_field_times WHERE application_id = ? AND field LIKE ? ESCAPE '\\'",
                 (app_id, pattern))
