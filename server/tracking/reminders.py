"""What needs the user's attention: follow-ups due or coming, interviews coming,
and applications gone quiet.

A quiet application is only *suggested* as ghosted: the user decides, and
nothing here moves a stage. Quiet means sent (a submitted stage), still open,
and no event or edit for ``ghost_after_days``.
"""

from __future__ import annotations

import sqlite3

from msgspec import Struct

from ..clock import iso
from .interviews import interview_row
from .models import Interview

__all__ = ["Reminders", "reminders"]

DAY = 86_400


class FollowUp(Struct, rename="camel"):
    application_id: int
    title: str
    company: str | None
    stage: str
    follow_up_at: str


class GhostSuggestion(Struct, rename="camel"):
    application_id: int
    title: str
    company: str | None
    stage: str
    last_activity_at: str
    idle_days: int
    suggested_stage: str


class Reminders(Struct, rename="camel"):
    due: list[FollowUp]  # follow-up date reached, soonest first
    upcoming: list[FollowUp]  # follow-up date within the next ``days``
    interviews: list[Interview]  # starting within the next ``days``
    ghosted: list[GhostSuggestion]  # quiet for ghost_after_days: a suggestion, never a move
    ghost_after_days: int
    days: int


_OPEN = "a.stage IN (SELECT key FROM tracking_stages WHERE terminal = 0)"


def reminders(conn: sqlite3.Connection, now: int, days: int, ghost_after_days: int) -> Reminders:
    horizon = now + days * DAY
    follow = conn.execute(f"SELECT id, title, company, stage, follow_up_at FROM applications a "
                          f"WHERE follow_up_at IS NOT NULL AND follow_up_at <= ? AND {_OPEN} "
                          "ORDER BY follow_up_at, id", (horizon,)).fetchall()
    items = [(r["follow_up_at"], FollowUp(r["id"], r["title"], r["company"], r["stage"], iso(r["follow_up_at"])))
             for r in follow]
    interviews = conn.execute("SELECT * FROM application_interviews WHERE starts_at + 60 * duration_minutes >= ? "
                              "AND starts_at <= ? ORDER BY starts_at, id", (now, horizon)).fetchall()
    ghosted: list[GhostSuggestion] = []
    if conn.execute("SELECT 1 FROM tracking_stages WHERE key = 'ghosted'").fetchone():
        quiet = conn.execute(
            "SELECT a.id, a.title, a.company, a.stage, max(a.updated_at, coalesce(a.last_event_at, 0)) AS last "
            "FROM applications a JOIN tracking_stages s ON s.key = a.stage "
            "WHERE s.submitted = 1 AND s.terminal = 0 AND max(a.updated_at, coalesce(a.last_event_at, 0)) <= ? "
            "ORDER BY last, a.id", (now - ghost_after_days * DAY,)).fetchall()
        ghosted = [GhostSuggestion(r["id"], r["title"], r["company"], r["stage"], iso(r["last"]),
                                   (now - r["last"]) // DAY, "ghosted") for r in quiet]
    return Reminders(due=[f for at, f in items if at <= now], upcoming=[f for at, f in items if at > now],
                     interviews=[interview_row(r) for r in interviews], ghosted=ghosted,
                     ghost_after_days=ghost_after_days, days=days)
