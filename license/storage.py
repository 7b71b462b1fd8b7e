"""Where the client keeps its :class:`~license.state.Record`.

:class:`LicenseStore` is the whole interface: load and save one record. The
server implements it over its own database by running :func:`load_record`
and :func:`save_record` on its connections (``db.run_read(load_record)``,
``db.run_write(save_record, record)``); the table comes from the migration
``server/db/migrations/0003_license.sql``. :class:`SqliteStore` does the same
over one plain ``sqlite3`` connection, :class:`MemoryStore` serves tests.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Protocol

import msgspec

from .state import Record

__all__ = ["LicenseStore", "MemoryStore", "SqliteStore", "load_record", "save_record"]

# Record field -> column; the key's column name says what it holds.
_COLUMNS = {name: ("license_key" if name == "key" else name) for name in Record.__struct_fields__}


class LicenseStore(Protocol):
    async def load(self) -> Record | None: ...

    async def save(self, record: Record) -> None: ...


class MemoryStore:
    """Keeps an encoded copy, so a caller mutating its record after a save
    cannot change what was "persisted" (as with a real database)."""

    def __init__(self, record: Record | None = None):
        self.saved: bytes | None = msgspec.json.encode(record) if record else None
        self.saves = 0

    async def load(self) -> Record | None:
        return msgspec.json.decode(self.saved, type=Record) if self.saved else None

    async def save(self, record: Record) -> None:
        self.saved = msgspec.json.encode(record)
        self.saves += 1


def load_record(conn: sqlite3.Connection) -> Record | None:
    columns = ", ".join(_COLUMNS.values())
    row = conn.execute(f"SELECT {columns} FROM license_state WHERE id = 1").fetchone()
    if row is None:
        return None
    return Record(**{name: row[i] for i, name in enumerate(_COLUMNS)})


def save_record(conn: sqlite3.Connection, record: Record) -> None:
    """One upsert: atomic on its own, or part of the caller's transaction."""
    values = {column: getattr(record, name) for name, column in _COLUMNS.items()}
    values["updated_at"] = int(time.time())
    columns = ", ".join(values)
    placeholders = ", ".join(f":{column}" for column in values)
    updates = ", ".join(f"{column} = excluded.{column}" for column in values)
    conn.execute(f"INSERT INTO license_state (id, {columns}) VALUES (1, {placeholders}) "
                 f"ON CONFLICT (id) DO UPDATE SET {updates}", values)


class SqliteStore:
    """A store over one ``sqlite3`` connection that has the migration applied.
    It commits each save; give it a connection of its own."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    async def load(self) -> Record | None:
        return load_record(self.conn)

    async def save(self, record: Record) -> None:
        with self.conn:  # commits, or rolls back on error
            save_record(self.conn, record)
