"""Imported applications: their checked shape, and storing a whole file at once.

Every item is checked (stages known, times in range, time zones real) before
the first row is written, and the caller's transaction holds the writes, so
a bad file stores nothing. An application whose ``clientId`` this home
already has is skipped, so importing the same export twice adds nothing.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta, Struct

from ..errors import ApiError
from ..scrape.params import BOARDS
from .models import ApplicationFields, Aware, ClientId, Long, Names, Short, Stage, StageKey, Title, Url
from .stages import first_open_stage, load_stages
from .store import EDITABLE, ActiveLimit, active_count, mark_job_applied
from .times import clamp_past, epoch, local_to_epoch

__all__ = ["ImportedApplication", "TransferError", "store_items"]


class TransferError(ApiError):
    """A file that cannot be imported; the message names the line and the problem."""

    def __init__(self, message: str) -> None:
        super().__init__(400, "bad_file", f"Nothing was imported. {message}.")


class ImportedEvent(Struct, rename="camel", kw_only=True):
    kind: Literal["stage", "note"] = "stage"
    stage: StageKey | None = None
    note: Annotated[str, Meta(max_length=20_000)] | None = None
    at: Aware
    client_id: ClientId | None = None


class ImportedContact(Struct, rename="camel", kw_only=True):
    name: Annotated[str, Meta(min_length=1, max_length=200)]
    role: Short | None = None
    email: Short | None = None
    phone: Annotated[str, Meta(max_length=60)] | None = None
    link: Url | None = None
    notes: Long | None = None
    client_id: ClientId | None = None
    created_at: Aware | None = None
    updated_at: Aware | None = None


class ImportedInterview(Struct, rename="camel", kw_only=True):
    starts_at: Aware
    time_zone: Annotated[str, Meta(min_length=1, max_length=64)] = "UTC"
    duration_minutes: Annotated[int, Meta(ge=1, le=1440)] = 60
    kind: Annotated[str, Meta(max_length=60)] | None = None
    location: Short | None = None
    meeting_url: Url | None = None
    participants: Names = []
    notes: Long | None = None
    client_id: ClientId | None = None
    created_at: Aware | None = None
    updated_at: Aware | None = None


class ImportedApplication(ApplicationFields, rename="camel", kw_only=True):
    """One application in a file; fields the API adds on the way out (id, active, ...) are ignored."""

    title: Title
    client_id: ClientId | None = None
    job_id: Annotated[int, Meta(ge=1, le=2**63 - 1)] | None = None
    stage: StageKey | None = None  # used only when events hold no stage
    board: Annotated[str, Meta(max_length=60)] | None = None  # the posting's board (jobspy site)
    created_at: Aware | None = None
    updated_at: Aware | None = None
    events: Annotated[list[ImportedEvent], Meta(max_length=10_000)] = []
    contacts: Annotated[list[ImportedContact], Meta(max_length=1_000)] = []
    interviews: Annotated[list[ImportedInterview], Meta(max_length=1_000)] = []


def _add_stages(conn: sqlite3.Connection, stages: dict[str, Stage], extra: list[dict[str, Any]]) -> None:
    """Stages a JobDeck export names that this home lacks are added after the stage
    they follow in the file, so the board keeps the order it had."""
    order = list(stages)
    previous = None
    for entry in extra:
        try:
            stage = msgspec.convert(entry, Stage)
        except msgspec.ValidationError as exc:
            raise TransferError(f"stages: {exc}") from None
        if stage.key not in stages:
            order.insert(order.index(previous) + 1 if previous in order else len(order), stage.key)
            stages[stage.key] = stage
            conn.execute("INSERT INTO tracking_stages (key, label, position, submitted, response, terminal) "
                         "VALUES (?, ?, 0, ?, ?, ?)", (stage.key, stage.label, stage.submitted, stage.response,
                                                       stage.terminal))
        previous = stage.key
    if len(order) != len(stages) or list(stages) != order:
        conn.executemany("UPDATE tracking_stages SET position = ? WHERE key = ?",
                         [(i, key) for i, key in enumerate(order, start=1)])
        reordered = {key: stages[key] for key in order}
        stages.clear()
        stages.update(reordered)


def _board(value: str | None) -> str | None:
    """A board as the app names it ("LinkedIn" -> "linkedin"); one JobDeck does not scrape, as written."""
    text = (value or "").strip()
    return text.lower() if text.lower() in BOARDS else (text or None)


def _free_id(conn: sqlite3.Connection, table: str, client_id: str | None, used: set[str]) -> str | None:
    if client_id is None or client_id in used:
        return None
    used.add(client_id)
    # table is one of three names from this module, never user text
    return None if conn.execute(f"SELECT 1 FROM {table} WHERE client_id = ?", (client_id,)).fetchone() else client_id


def _plan(conn: sqlite3.Connection, item: ImportedApplication, stages: dict[str, Stage], now: int,
          used: set[str]) -> dict[str, Any]:
    """Everything one application will write, checked; raises ApiError on a bad value."""
    events = []
    for e in item.events:
        if e.kind == "stage" and (e.stage is None or e.stage not in stages):
            raise ApiError(400, "invalid", f"unknown stage {e.stage!r} in its history")
        events.append((clamp_past(e.at, now, "events.at"), e.kind, e.stage if e.kind == "stage" else None,
                       json.dumps({"note": e.note}, ensure_ascii=False) if e.note else None,
                       _free_id(conn, "application_events", e.client_id, used)))
    created = clamp_past(item.created_at, now, "createdAt") if item.created_at else min(
        [at for at, *_ in events] or [now])
    if not any(kind == "stage" for _, kind, *_ in events):
        stage = item.stage or first_open_stage(stages)
        if stage not in stages:
            raise ApiError(400, "invalid", f"unknown stage {stage!r}")
        events.append((max([created, *(at for at, *_ in events)]), "stage", stage, None, None))
    updated = clamp_past(item.updated_at, now, "updatedAt") if item.updated_at else max(at for at, *_ in events)
    stage_events = [(at, i, s) for i, (at, kind, s, *_) in enumerate(events) if kind == "stage"]
    current = stages[max(stage_events)[2]]
    values = {f: getattr(item, f) for f in EDITABLE}
    values.update(tags=json.dumps(item.tags, ensure_ascii=False),
                  follow_up_at=epoch(item.follow_up_at, "followUpAt") if item.follow_up_at else None)
    contacts = [(_free_id(conn, "application_contacts", c.client_id, used), c.name, c.role, c.email, c.phone,
                 c.link, c.notes, clamp_past(c.created_at, now, "contacts.createdAt"),
                 clamp_past(c.updated_at, now, "contacts.updatedAt")) for c in item.contacts]
    interviews = [(_free_id(conn, "application_interviews", i.client_id, used),
                   local_to_epoch(i.starts_at, i.time_zone, "interviews.startsAt"), i.duration_minutes,
                   i.time_zone, i.kind, i.location, i.meeting_url, json.dumps(i.participants, ensure_ascii=False),
                   i.notes, clamp_past(i.created_at, now, "interviews.createdAt"),
                   clamp_past(i.updated_at, now, "interviews.updatedAt")) for i in item.interviews]
    job = None
    if item.job_id is not None:  # kept only where it names the same job in this home, not yet tracked
        row = conn.execute("SELECT title FROM clusters WHERE id = ? AND id NOT IN "
                           "(SELECT cluster_id FROM applications WHERE cluster_id IS NOT NULL)",
                           (item.job_id,)).fetchone()
        job = item.job_id if row is not None and row[0] == item.title and f"job:{item.job_id}" not in used else None
        used.add(f"job:{item.job_id}")
    return {"values": values, "client_id": item.client_id, "job": job, "board": _board(item.board),
            "created": created, "updated": updated,
            "events": events, "contacts": contacts, "interviews": interviews, "current": current}


def _write(conn: sqlite3.Connection, plan: dict[str, Any], now: int) -> None:
    values = plan["values"]
    cursor = conn.execute(
        f"INSERT INTO applications (cluster_id, client_id, board, created_at, updated_at, {', '.join(values)}) "
        f"VALUES (:job, :client_id, :board, :created, :updated, {', '.join(':' + c for c in values)})",
        {**values, "job": plan["job"], "client_id": plan["client_id"], "board": plan["board"],
         "created": plan["created"], "updated": plan["updated"]})
    app_id = cursor.lastrowid
    conn.executemany("INSERT INTO application_events (application_id, at, kind, stage, data, client_id) "
                     "VALUES (?, ?, ?, ?, ?, ?)", [(app_id, *event) for event in plan["events"]])
    conn.executemany("INSERT INTO application_contacts (application_id, client_id, name, role, email, phone, link, "
                     "notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     [(app_id, *contact) for contact in plan["contacts"]])
    conn.executemany("INSERT INTO application_interviews (application_id, client_id, starts_at, duration_minutes, "
                     "time_zone, kind, location, meeting_url, participants, notes, created_at, updated_at) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     [(app_id, *interview) for interview in plan["interviews"]])
    # Contacts and interviews touch updated_at through their triggers: put the file's value back.
    conn.execute("UPDATE applications SET updated_at = ? WHERE id = ?", (plan["updated"], app_id))
    if plan["job"] is not None and plan["submitted"]:
        mark_job_applied(conn, plan["job"], now)


def _fit(plans: list[dict[str, Any]], room: int, skip_over: bool, limit: int) -> tuple[list[dict[str, Any]], int]:
    """The plans Free's limit lets in, and how many active ones it leaves out.

    Every closed application fits (it does not count), and so do the first
    ``room`` active ones in the file's order. Without ``skip_over`` a file
    that does not fit whole is refused, saying how much of it would."""
    active = [p for p in plans if not p["current"].terminal]
    if len(active) <= room:
        return plans, 0
    if not skip_over:
        raise ActiveLimit(
            f"This file has {len(active)} active applications and Free has room for {room} more "
            f"(it tracks up to {limit} active). Import the first {room} with every closed one, "
            "or upgrade to JobDeck Pro.",
            room=room, fileActive=len(active), fileClosed=len(plans) - len(active),
            # Those left out carry client ids: importing the same file again later adds only them.
            resumable=all(p["client_id"] for p in active[room:]))
    left_out = {id(p) for p in active[room:]}
    return [p for p in plans if id(p) not in left_out], len(left_out)


def store_items(conn: sqlite3.Connection, items: list[ImportedApplication], lines: list[int] | None,
                extra_stages: list[dict[str, Any]], now: int, limit: int | None,
                skip_over: bool = False) -> tuple[int, int, int, int]:
    """(imported, skipped as already here, active among the imported, active left out for the limit).
    Raises TransferError naming the item, and ActiveLimit when the file does not fit."""
    stages = load_stages(conn)
    _add_stages(conn, stages, extra_stages)
    plans, skipped, used = [], 0, set()
    for index, item in enumerate(items):
        where = f"line {lines[index]}" if lines else f"application {index + 1}"
        if item.client_id and (item.client_id in used or conn.execute(
                "SELECT 1 FROM applications WHERE client_id = ?", (item.client_id,)).fetchone()):
            skipped += 1
            continue
        if item.client_id:
            used.add(item.client_id)
        try:
            plan = _plan(conn, item, stages, now, used)
        except ApiError as exc:
            raise TransferError(f"{where}: {exc.detail.rstrip('.')}") from None
        plan["submitted"] = any(kind == "stage" and stages[s].submitted for _, kind, s, *_ in plan["events"])
        plans.append(plan)
    over = 0
    if limit is not None:
        plans, over = _fit(plans, max(0, limit - active_count(conn)), skip_over, limit)
    for plan in plans:
        _write(conn, plan, now)
    return len(plans), skipped, sum(not p["current"].terminal for p in plans), over
