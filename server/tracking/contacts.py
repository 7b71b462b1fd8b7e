"""The people at a company an application involves: recruiters, hiring managers, referrers."""

from __future__ import annotations

import sqlite3
import uuid
from typing import Any

import msgspec

from ..clock import iso
from ..errors import NotFound
from .field_times import edit_time, forget, stale_fields, stamp
from .models import Contact, ContactUpdate, NewContact

__all__ = ["contact_row", "list_contacts", "add_contact", "update_contact", "delete_contact", "CONTACT_FIELDS"]

CONTACT_FIELDS = ("name", "role", "email", "phone", "link", "notes")


def contact_row(row: Any) -> Contact:
    return Contact(id=row["id"], client_id=row["client_id"], name=row["name"], role=row["role"],
                   email=row["email"], phone=row["phone"], link=row["link"], notes=row["notes"],
                   created_at=iso(row["created_at"]), updated_at=iso(row["updated_at"]))


def list_contacts(conn: sqlite3.Connection, app_id: int) -> list[Contact]:
    rows = conn.execute("SELECT * FROM application_contacts WHERE application_id = ? ORDER BY id", (app_id,))
    return [contact_row(r) for r in rows.fetchall()]


def _owned(conn: sqlite3.Connection, app_id: int, contact_id: int, client_id: str | None = None) -> Any:
    """The contact; with ``client_id``, only if the id still names the contact an offline edit was
    made to (ids of removed rows are reused)."""
    row = conn.execute("SELECT * FROM application_contacts WHERE id = ? AND application_id = ?",
                       (contact_id, app_id)).fetchone()
    if row is None or (client_id and row["client_id"] and row["client_id"] != client_id):
        raise NotFound(f"Application {app_id} has no contact with id {contact_id}.")
    return row


def add_contact(conn: sqlite3.Connection, app_id: int, data: NewContact, now: int) -> tuple[Contact, bool]:
    """(the contact, created?). A known clientId returns the contact it made."""
    if data.client_id:
        row = conn.execute("SELECT * FROM application_contacts WHERE client_id = ?", (data.client_id,)).fetchone()
        if row is not None:
            return contact_row(row), False
    if conn.execute("SELECT 1 FROM applications WHERE id = ?", (app_id,)).fetchone() is None:
        raise NotFound(f"No application with id {app_id}.")
    values = {f: getattr(data, f) for f in CONTACT_FIELDS}
    values["name"] = values["name"].strip() or values["name"]
    cursor = conn.execute(
        "INSERT INTO application_contacts (application_id, client_id, name, role, email, phone, link, notes, "
        "created_at, updated_at) VALUES (:app, :client_id, :name, :role, :email, :phone, :link, :notes, :now, :now)",
        # Every contact gets a client id, so an edit queued offline can tell it from a later one.
        {**values, "app": app_id, "client_id": data.client_id or uuid.uuid4().hex, "now": now})
    return contact_row(_owned(conn, app_id, cursor.lastrowid)), True


def update_contact(conn: sqlite3.Connection, app_id: int, contact_id: int, data: ContactUpdate,
                   now_ms: int) -> Contact:
    """Write the fields sent, except those a newer write (by ``editedAt``) already set."""
    _owned(conn, app_id, contact_id, data.client_id)
    at_ms = edit_time(data.edited_at, now_ms)
    key = f"contact:{contact_id}:"
    sent = [f for f in CONTACT_FIELDS if getattr(data, f) is not msgspec.UNSET]
    newer = stale_fields(conn, app_id, (key + f for f in sent), at_ms)
    fields = {f: getattr(data, f) for f in sent if key + f not in newer}
    if fields:
        sets = ", ".join(f"{f} = :{f}" for f in fields)  # names from CONTACT_FIELDS, never user text
        conn.execute(f"UPDATE application_contacts SET {sets}, updated_at = :now WHERE id = :id",
                     {**fields, "now": now_ms // 1000, "id": contact_id})
        stamp(conn, app_id, (key + f for f in fields), at_ms)
    return contact_row(_owned(conn, app_id, contact_id))


def delete_contact(conn: sqlite3.Connection, app_id: int, contact_id: int, client_id: str | None = None) -> None:
    _owned(conn, app_id, contact_id, client_id)
    conn.execute("DELETE FROM application_contacts WHERE id = ?", (contact_id,))
    forget(conn, app_id, f"contact:{contact_id}:")
