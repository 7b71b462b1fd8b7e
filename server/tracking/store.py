"""Applications and their append-only history.

The current stage is the stage of the latest stage event (by its time, then
its id); a trigger copies it into ``applications.stage`` so lists and the
Free limit read one indexed column. Nothing here rewrites history: a stage
change, back-dated or not, is one more event.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from typing import Any

import msgspec

from ..clock import iso
from ..errors import ApiError, NotFound
from .contacts import list_contacts
from .field_times import edit_time, stale_fields, stamp
from .interviews import list_interviews
from .models import Application, ApplicationDetail, ApplicationUpdate, Event, NewApplication, NewEvent
from .stages import ActiveLimit, active_count, first_open_stage, load_stages, require_stage
from .times import clamp_past, epoch

__all__ = ["ActiveLimit", "SELECT", "active_count", "add_event", "create", "list_applications", "load",
           "to_application", "update", "EDITABLE", "mark_job_applied"]

# The stored job's board, else the one an imported application brought along.
SELECT = ("SELECT a.*, coalesce(j.site, a.board) AS posting_board FROM applications a "
          "LEFT JOIN clusters c ON c.id = a.cluster_id LEFT JOIN jobs j ON j.id = c.job_id")
EDITABLE = ("title", "company", "location", "url", "description", "excitement", "salary_expectation",
            "salary_offer", "salary_currency", "salary_interval", "resume_version", "source", "tags",
            "notes", "follow_up_at")


def _is_terminal(conn: sqlite3.Connection, key: str | None) -> bool:
    row = conn.execute("SELECT terminal FROM tracking_stages WHERE key = ?", (key,)).fetchone()
    return bool(row and row[0])


def to_application(row: Any, stages: dict) -> Application:
    stage = row["stage"] or first_open_stage(stages)
    return Application(
        id=row["id"], client_id=row["client_id"], job_id=row["cluster_id"], title=row["title"],
        company=row["company"], location=row["location"], url=row["url"], board=row["posting_board"],
        stage=stage, stage_at=iso(row["stage_at"] or row["created_at"]),
        active=not (stages[stage].terminal if stage in stages else False),
        excitement=row["excitement"], salary_expectation=row["salary_expectation"],
        salary_offer=row["salary_offer"], salary_currency=row["salary_currency"],
        salary_interval=row["salary_interval"], resume_version=row["resume_version"], source=row["source"],
        tags=json.loads(row["tags"] or "[]"), notes=row["notes"], follow_up_at=iso(row["follow_up_at"]),
        created_at=iso(row["created_at"]), updated_at=iso(row["updated_at"]),
        last_activity_at=iso(max(row["updated_at"], row["last_event_at"] or 0)), change_seq=row["change_seq"])


def _events(conn: sqlite3.Connection, app_id: int) -> list[Event]:
    rows = conn.execute("SELECT * FROM application_events WHERE application_id = ? ORDER BY at, id", (app_id,))
    return [Event(id=r["id"], client_id=r["client_id"], kind=r["kind"], stage=r["stage"],
                  note=json.loads(r["data"]).get("note") if r["data"] else None, at=iso(r["at"]))
            for r in rows.fetchall()]


def load(conn: sqlite3.Connection, app_id: int, stages: dict | None = None) -> ApplicationDetail:
    row = conn.execute(f"{SELECT} WHERE a.id = ?", (app_id,)).fetchone()
    if row is None:
        raise NotFound(f"No application with id {app_id}.")
    summary = msgspec.structs.asdict(to_application(row, stages or load_stages(conn)))
    return ApplicationDetail(**summary, description=row["description"], events=_events(conn, app_id),
                             contacts=list_contacts(conn, app_id), interviews=list_interviews(conn, app_id))


def list_applications(conn: sqlite3.Connection, *, stages: list[str], active: bool | None, q: str,
                      tag: str | None) -> list[Application]:
    where, params = [], {}
    if stages:
        where.append(f"a.stage IN ({', '.join(f':s{i}' for i in range(len(stages)))})")
        params.update({f"s{i}": s for i, s in enumerate(stages)})
    if active is not None:
        where.append(f"a.stage {'NOT ' if active else ''}IN (SELECT key FROM tracking_stages WHERE terminal = 1)")
    if q:
        where.append("(a.title LIKE :q ESCAPE '\\' OR a.company LIKE :q ESCAPE '\\')")
        params["q"] = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    if tag:
        where.append("EXISTS (SELECT 1 FROM json_each(a.tags) WHERE value = :tag)")
        params["tag"] = tag
    sql = f"{SELECT}{' WHERE ' + ' AND '.join(where) if where else ''} ORDER BY a.updated_at DESC, a.id DESC"
    all_stages = load_stages(conn)
    return [to_application(r, all_stages) for r in conn.execute(sql, params).fetchall()]


def mark_job_applied(conn: sqlite3.Connection, cluster_id: int | None, now: int) -> None:
    """Keep the jobs list in step: a job applied to through tracking shows as applied."""
    if cluster_id is not None:
        conn.execute("UPDATE clusters SET status = 'applied', updated_at = ? WHERE id = ? AND status <> 'applied'",
                     (now, cluster_id))


def _from_job(conn: sqlite3.Connection, job_id: int) -> dict[str, Any]:
    row = conn.execute("SELECT c.title, c.company, c.location, coalesce(j.job_url_direct, j.job_url) AS url, "
                       "j.description FROM clusters c LEFT JOIN jobs j ON j.id = c.job_id WHERE c.id = ?",
                       (job_id,)).fetchone()
    if row is None:
        raise NotFound(f"No job with id {job_id}.")
    taken = conn.execute("SELECT id FROM applications WHERE cluster_id = ?", (job_id,)).fetchone()
    if taken is not None:
        raise ApiError(409, "already_tracked", f"Job {job_id} is already tracked as application {taken[0]}.",
                       details={"applicationId": taken[0]})
    return dict(row)


def create(conn: sqlite3.Connection, data: NewApplication, now: int, limit: int | None) -> tuple[int, bool]:
    """(application id, created?). A known clientId returns the application it made."""
    if data.client_id:
        row = conn.execute("SELECT id FROM applications WHERE client_id = ?", (data.client_id,)).fetchone()
        if row is not None:
            return row[0], False
    stages = load_stages(conn)
    stage = require_stage(stages, data.stage or first_open_stage(stages))
    job = _from_job(conn, data.job_id) if data.job_id is not None else {}
    title = (data.title or job.get("title") or "").strip()
    if not title:
        raise ApiError(400, "invalid", "title: give a title, or a jobId to take it from.")
    if not stage.terminal and limit is not None and active_count(conn) >= limit:
        raise ActiveLimit()
    at = clamp_past(data.at, now, "at")
    values = {f: getattr(data, f) for f in EDITABLE}
    for field in ("company", "location", "url", "description"):
        values[field] = values[field] if values[field] is not None else job.get(field)
    values.update(title=title, tags=json.dumps(data.tags, ensure_ascii=False),
                  follow_up_at=epoch(data.follow_up_at, "followUpAt") if data.follow_up_at else None)
    columns = ", ".join(values)
    cursor = conn.execute(
        f"INSERT INTO applications (cluster_id, client_id, created_at, updated_at, {columns}) "
        f"VALUES (:cluster_id, :client_id, :created, :now, {', '.join(':' + c for c in values)})",
        # Every application gets a client id, so a re-imported export is recognised too.
        {**values, "cluster_id": data.job_id, "client_id": data.client_id or uuid.uuid4().hex,
         "created": min(at, now), "now": now})
    app_id = cursor.lastrowid
    conn.execute("INSERT INTO application_events (application_id, kind, stage, at) VALUES (?, 'stage', ?, ?)",
                 (app_id, stage.key, at))
    if stage.submitted:
        mark_job_applied(conn, data.job_id, now)
    return app_id, True


def update(conn: sqlite3.Connection, app_id: int, data: ApplicationUpdate, now_ms: int) -> list[str]:
    """Apply the fields sent; returns those skipped because a newer write of them exists."""
    if conn.execute("SELECT 1 FROM applications WHERE id = ?", (app_id,)).fetchone() is None:
        raise NotFound(f"No application with id {app_id}.")
    at_ms = edit_time(data.edited_at, now_ms)
    sent = [name for name in EDITABLE if getattr(data, name) is not msgspec.UNSET]
    newer = stale_fields(conn, app_id, sent, at_ms)
    fields, stale = {}, [name for name in sent if name in newer]
    for name in sent:
        value = getattr(data, name)
        if name in newer:
            continue
        if name == "tags":
            value = json.dumps(value, ensure_ascii=False)
        elif name == "follow_up_at" and value is not None:
            value = epoch(value, "followUpAt")
        elif name == "title":
            value = value.strip() or value
        fields[name] = value
    if fields:
        sets = ", ".join(f"{f} = :{f}" for f in fields)  # names from EDITABLE, never user text
        conn.execute(f"UPDATE applications SET {sets}, updated_at = :now WHERE id = :id",
                     {**fields, "now": now_ms // 1000, "id": app_id})
        stamp(conn, app_id, fields, at_ms)
    return stale


def add_event(conn: sqlite3.Connection, app_id: int, data: NewEvent, now: int, limit: int | None) -> bool:
    """Append a stage change or a dated note; False when nothing new was recorded
    (a replayed clientId, or a move to the stage it is already in)."""
    if data.client_id and conn.execute("SELECT 1 FROM application_events WHERE client_id = ?",
                                       (data.client_id,)).fetchone():
        return False
    app = conn.execute("SELECT cluster_id, stage, stage_at FROM applications WHERE id = ?", (app_id,)).fetchone()
    if app is None:
        raise NotFound(f"No application with id {app_id}.")
    if data.stage is None and not (data.note or "").strip():
        raise ApiError(400, "invalid", "Send a stage, a note, or both.")
    at = clamp_past(data.at, now, "at")
    stages = load_stages(conn)
    stage = require_stage(stages, data.stage) if data.stage is not None else None
    becomes_current = stage is not None and at >= (app["stage_at"] or 0)
    if stage is not None and becomes_current and stage.key == app["stage"]:
        if not (data.note or "").strip():
            return False
        stage = None  # already there: keep the note as a note
    if (stage is not None and becomes_current and not stage.terminal and _is_terminal(conn, app["stage"])
            and limit is not None and active_count(conn) >= limit):
        raise ActiveLimit()
    conn.execute("INSERT INTO application_events (application_id, client_id, kind, stage, data, at) "
                 "VALUES (?, ?, ?, ?, ?, ?)",
                 (app_id, data.client_id, "stage" if stage else "note", stage.key if stage else None,
                  json.dumps({"note": data.note}, ensure_ascii=False) if data.note else None, at))
    if stage is not None and stage.submitted:
        mark_job_applied(conn, app["cluster_id"], now)
    return True
