"""The configurable stages, and the rules that read them.

Keys are stable because the append-only history refers to them; labels,
order and flags can change. A stage that any event names cannot be removed,
so the history always reads back.
"""

from __future__ import annotations

import sqlite3

from ..errors import ApiError
from .models import Stage

__all__ = ["ActiveLimit", "active_count", "load_stages", "replace_stages", "first_open_stage", "require_stage"]


class ActiveLimit(Exception):
    """The change would take the active applications past the caller's limit.

    ``message`` and ``facts`` word the refusal where the default does not fit
    (an import says how many would fit)."""

    def __init__(self, message: str | None = None, **facts: object) -> None:
        super().__init__(message)
        self.message = message
        self.facts = facts


def load_stages(conn: sqlite3.Connection) -> dict[str, Stage]:
    """Every stage by key, in board order."""
    rows = conn.execute("SELECT key, label, submitted, response, terminal FROM tracking_stages "
                        "ORDER BY position, key").fetchall()
    return {r[0]: Stage(key=r[0], label=r[1], submitted=bool(r[2]), response=bool(r[3]),
                        terminal=bool(r[4])) for r in rows}


def first_open_stage(stages: dict[str, Stage]) -> str:
    return next(s.key for s in stages.values() if not s.terminal)


def require_stage(stages: dict[str, Stage], key: str, where: str = "stage") -> Stage:
    stage = stages.get(key)
    if stage is None:
        raise ApiError(400, "invalid", f"{where}: unknown stage {key!r}; the stages are "
                                       f"{', '.join(stages)}.")
    return stage


def active_count(conn: sqlite3.Connection) -> int:
    """Applications in a stage that is not terminal: what Free's limit counts."""
    return conn.execute("SELECT count(*) FROM applications a JOIN tracking_stages s ON s.key = a.stage "
                        "WHERE s.terminal = 0").fetchone()[0]


def replace_stages(conn: sqlite3.Connection, stages: list[Stage], limit: int | None = None) -> None:
    """Replace the whole list, in the order given.

    A stage that stops being terminal reopens the applications in it, so under
    ``limit`` (Free's) a change that adds active applications past it raises
    ``ActiveLimit``; one that adds none (a rename, a new stage) always passes."""
    keys = [s.key for s in stages]
    if len(set(keys)) != len(keys):
        raise ApiError(400, "invalid", "stages: each key may appear only once.")
    if all(s.terminal for s in stages) or not any(s.terminal for s in stages):
        raise ApiError(400, "invalid", "stages: keep at least one open and one terminal stage.")
    used = {r[0] for r in conn.execute("SELECT DISTINCT stage FROM application_events WHERE stage IS NOT NULL")}
    missing = sorted(used - set(keys))
    if missing:
        raise ApiError(409, "stage_in_use", f"stages: {', '.join(missing)} is in the history of an "
                                            "application and cannot be removed; rename it instead.")
    before = active_count(conn)
    conn.execute("DELETE FROM tracking_stages")
    conn.executemany(
        "INSERT INTO tracking_stages (key, label, position, submitted, response, terminal) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [(s.key, s.label.strip() or s.key, i, s.submitted, s.response, s.terminal)
         for i, s in enumerate(stages, start=1)])
    if limit is not None:
        after = active_count(conn)
        if after > before and after > limit:
            raise ActiveLimit()
