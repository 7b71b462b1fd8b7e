"""Interviews: when (a UTC instant plus the zone it was agreed in), how, where, with whom."""

from __future__ import annotations

import json
import sqlite3
import uuid
from datetime import datetime, timezone
from typing import Any

import msgspec

from ..clock import iso
from ..errors import NotFound
from .field_times import edit_time, forget, stale_fields, stamp
from .models import Interview, InterviewUpdate, NewInterview
from .times import local_to_epoch, zone

__all__ = ["interview_row", "list_interviews", "add_interview", "update_interview", "delete_interview",
           "load_interview"]

_PLAIN = ("duration_minutes", "kind", "location", "meeting_url", "notes")


def _local(starts_at: int, zone_name: str) -> str:
    try:
        tz = zone(zone_name)
    except Exception:  # a zone this machine no longer knows: show UTC rather than fail the read
        tz = timezone.utc
    return datetime.fromtimestamp(starts_at, tz).replace(tzinfo=None).isoformat(timespec="seconds")


def interview_row(row: Any) -> Interview:
    return Interview(
        id=row["id"], application_id=row["application_id"], client_id=row["client_id"],
        starts_at=iso(row["starts_at"]), ends_at=iso(row["starts_at"] + 60 * row["duration_minutes"]),
        time_zone=row["time_zone"], local_start=_local(row["starts_at"], row["time_zone"]),
        duration_minutes=row["duration_minutes"], kind=row["kind"], location=row["location"],
        meeting_url=row["meeting_url"], participants=json.loads(row["participants"] or "[]"),
        notes=row["notes"], created_at=iso(row["created_at"]), updated_at=iso(row["updated_at"]))


def list_interviews(conn: sqlite3.Connection, app_id: int) -> list[Interview]:
    rows = conn.execute("SELECT * FROM application_interviews WHERE application_id = ? ORDER BY starts_at, id",
                        (app_id,))
    return [interview_row(r) for r in rows.fetchall()]


def load_interview(conn: sqlite3.Connection, app_id: int, interview_id: int, client_id: str | None = None) -> Any:
    """The interview; with ``client_id``, only if the id still names the interview an offline edit
    was made to (ids of removed rows are reused)."""
    row = conn.execute("SELECT * FROM application_interviews WHERE id = ? AND application_id = ?",
                       (interview_id, app_id)).fetchone()
    if row is None or (client_id and row["client_id"] and row["client_id"] != client_id):
        raise NotFound(f"Application {app_id} has no interview with id {interview_id}.")
    return row


def add_interview(conn: sqlite3.Connection, app_id: int, data: NewInterview, now: int) -> tuple[Interview, bool]:
    """(the interview, created?). A known clientId returns the interview it made."""
    if data.client_id:
        row = conn.execute("SELECT * FROM application_interviews WHERE client_id = ?", (data.client_id,)).fetchone()
        if row is not None:
            return interview_row(row), False
    if conn.execute("SELECT 1 FROM applications WHERE id = ?", (app_id,)).fetchone() is None:
        raise NotFound(f"No application with id {app_id}.")
    starts = local_to_epoch(data.starts_at, data.time_zone, "startsAt")
    cursor = conn.execute(
        "INSERT INTO application_interviews (application_id, client_id, starts_at, duration_minutes, time_zone, "
        "kind, location, meeting_url, participants, notes, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        # Every interview gets a client id, so an edit queued offline can tell it from a later one.
        (app_id, data.client_id or uuid.uuid4().hex, starts, data.duration_minutes, data.time_zone, data.kind, data.location,
         data.meeting_url, json.dumps(data.participants, ensure_ascii=False), data.notes, now, now))
    return interview_row(load_interview(conn, app_id, cursor.lastrowid)), True


_EDITABLE = (*_PLAIN, "participants", "time_zone", "starts_at")


def update_interview(conn: sqlite3.Connection, app_id: int, interview_id: int, data: InterviewUpdate,
                     now_ms: int) -> Interview:
    """Write the fields sent, except those a newer write (by ``editedAt``) already set."""
    row = load_interview(conn, app_id, interview_id, data.client_id)
    at_ms = edit_time(data.edited_at, now_ms)
    key = f"interview:{interview_id}:"
    sent = [f for f in _EDITABLE if getattr(data, f) is not msgspec.UNSET]
    newer = stale_fields(conn, app_id, (key + f for f in sent), at_ms)
    stale = {f: msgspec.UNSET for f in sent if key + f in newer}
    data = msgspec.structs.replace(data, **stale)
    fields: dict[str, Any] = {f: getattr(data, f) for f in _PLAIN if getattr(data, f) is not msgspec.UNSET}
    if data.participants is not msgspec.UNSET:
        fields["participants"] = json.dumps(data.participants, ensure_ascii=False)
    zone_name = row["time_zone"] if data.time_zone is msgspec.UNSET else data.time_zone
    if data.time_zone is not msgspec.UNSET:
        fields["time_zone"] = zone_name
    if data.starts_at is not msgspec.UNSET:
        fields["starts_at"] = local_to_epoch(data.starts_at, zone_name, "startsAt")
    elif "time_zone" in fields:  # same wall-clock time, in the new zone
        wall = datetime.fromisoformat(_local(row["starts_at"], row["time_zone"]))
        fields["starts_at"] = local_to_epoch(wall, zone_name, "timeZone")
    if fields:
        sets = ", ".join(f"{f} = :{f}" for f in fields)  # names from this module, never user text
        conn.execute(f"UPDATE application_interviews SET {sets}, updated_at = :now WHERE id = :id",
                     {**fields, "now": now_ms // 1000, "id": interview_id})
        # The fields the edit named, not the ones it implied (a new zone moves starts_at too).
        stamp(conn, app_id, (key + f for f in sent if f not in stale), at_ms)
    return interview_row(load_interview(conn, app_id, interview_id))


def delete_interview(conn: sqlite3.Connection, app_id: int, interview_id: int,
                     client_id: str | None = None) -> None:
    load_interview(conn, app_id, interview_id, client_id)
    conn.execute("DELETE FROM application_interviews WHERE id = ?", (interview_id,))
    forget(conn, app_id, f"interview:{interview_id}:")
