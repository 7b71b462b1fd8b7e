"""Interviews as an iCalendar file (RFC 5545), for any calendar app.

Written by hand because the format is small and the server should not carry
a dependency for it; the tests parse the output back with the ``icalendar``
package. What RFC 5545 asks and this module does: CRLF line ends (3.1),
lines folded at 75 octets without splitting a UTF-8 character (3.1), TEXT
escaped (3.3.11), a stable UID and a DTSTAMP on every VEVENT (3.6.1). Times
are written in UTC (``DTSTART:…Z``), which needs no VTIMEZONE block; the zone
the interview was agreed in is named in the description, and calendar apps
show the time in their own zone anyway.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from typing import Any, Iterable

from .interviews import interview_row

__all__ = ["calendar", "origin", "upcoming_interviews", "one_interview", "fold", "escape"]

PRODID = "-//JobDeck//Application tracking//EN"


def escape(text: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma, and newlines as \\n."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """Fold one content line into CRLF-separated pieces of at most 75 octets."""
    out, current, size, limit = [], [], 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append("".join(current))
            current, size, limit = [" "], 1, 75  # a continuation line starts with one space
        current.append(char)
        size += width
    out.append("".join(current))
    return "\r\n".join(out)


def _stamp(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _event(row: Any, now: int, origin: str) -> list[str]:
    interview = interview_row(row)
    title = row["title"] + (f" at {row['company']}" if row["company"] else "")
    what = f"{interview.kind} interview" if interview.kind else "Interview"
    details = [f"{title}.", f"Time zone: {interview.time_zone} (local start {interview.local_start})."]
    if interview.participants:
        details.append("With: " + ", ".join(interview.participants) + ".")
    if interview.meeting_url:
        details.append(f"Join: {interview.meeting_url}")
    if interview.notes:
        details.append(interview.notes)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{origin}-interview-{interview.id}@jobdeck",
        f"DTSTAMP:{_stamp(now)}",
        f"DTSTART:{_stamp(row['starts_at'])}",
        f"DTEND:{_stamp(row['starts_at'] + 60 * row['duration_minutes'])}",
        f"LAST-MODIFIED:{_stamp(row['updated_at'])}",
        f"SUMMARY:{escape(f'{what}: {title}')}",
        f"DESCRIPTION:{escape(chr(10).join(details))}",
    ]
    place = interview.location or interview.meeting_url
    if place:
        lines.append(f"LOCATION:{escape(place)}")
    lines.append("END:VEVENT")
    return lines


def calendar(rows: Iterable[Any], now: int, origin: str, name: str = "JobDeck interviews") -> str:
    """The VCALENDAR text; ``origin`` (the database's sync id) keeps UIDs unique across homes."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{escape(name)}"]
    for row in rows:
        lines.extend(_event(row, now, origin))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


_QUERY = ("SELECT i.*, a.title, a.company FROM application_interviews i "
          "JOIN applications a ON a.id = i.application_id")


def origin(conn: sqlite3.Connection) -> str:
    return conn.execute("SELECT db_id FROM sync_state WHERE id = 1").fetchone()[0]


def upcoming_interviews(conn: sqlite3.Connection, now: int) -> list[Any]:
    """Interviews not yet over, soonest first."""
    return conn.execute(f"{_QUERY} WHERE i.starts_at + 60 * i.duration_minutes >= ? ORDER BY i.starts_at, i.id",
                        (now,)).fetchall()


def one_interview(conn: sqlite3.Connection, app_id: int, interview_id: int) -> list[Any]:
    return conn.execute(f"{_QUERY} WHERE i.id = ? AND i.application_id = ?", (interview_id, app_id)).fetchall()
