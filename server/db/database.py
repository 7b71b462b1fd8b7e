"""The Database object: one writer connection, a few readers, migrations.

SQLite allows one writer at a time; funnelling every write through one
connection behind an asyncio lock (and ``BEGIN IMMEDIATE``, which also takes
SQLite's own lock against other processes such as the CLI) means writers
queue instead of failing with "database is locked". Readers are separate
connections in WAL mode, so reading never waits for a write.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, AsyncIterator, Callable, Iterable, TypeVar

import aiosqlite

from .migrations import MIGRATIONS, Migration, migrate, refuse_newer

__all__ = ["Database", "DatabaseError", "DatabaseCorrupt", "DatabaseTooNew", "DatabaseLocked"]

T = TypeVar("T")
SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5_000


class DatabaseError(RuntimeError):
    """A database problem a person can act on; the message says how."""


class DatabaseCorrupt(DatabaseError):
    pass


class DatabaseTooNew(DatabaseError):
    pass


class DatabaseLocked(DatabaseError):
    pass


def check_is_sqlite(path: Path) -> None:
    """Refuse a file that is not SQLite, before SQLite touches it."""
    if not path.exists() or path.stat().st_size == 0:
        return
    with path.open("rb") as handle:
        if handle.read(16) != SQLITE_MAGIC:
            raise DatabaseCorrupt(
                f"{path} is not a JobDeck database (not an SQLite file). "
                "It was left untouched; move it away or choose another --home.")


def recorded_version(path: Path) -> int:
    """The schema version an existing file records, read without writing to it (0 if none)."""
    if not path.exists() or path.stat().st_size == 0:
        return 0
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                           timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                              "AND name = 'schema_migrations'").fetchone()
        if exists is None:
            return 0
        return conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]
    finally:
        conn.close()


def _configure(conn: sqlite3.Connection, *, readonly: bool) -> None:
    conn.row_factory = sqlite3.Row
    pragmas = [
        f"busy_timeout = {BUSY_TIMEOUT_MS}",
        "foreign_keys = ON",
        "synchronous = NORMAL",  # safe in WAL: a crash loses no committed transaction
        "temp_store = MEMORY",
        "cache_size = -32000",  # 32 MB
        "query_only = ON" if readonly else "journal_mode = WAL",
    ]
    for pragma in pragmas:
        conn.execute(f"PRAGMA {pragma}").fetchall()  # drain: an open cursor blocks COMMIT


def _shrink_memory(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA shrink_memory").fetchall()


def _explain(path: Path, exc: sqlite3.Error) -> DatabaseError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return DatabaseLocked(
            f"{path} is locked by another program. Close it (or the other JobDeck) and try again.")
    if isinstance(exc, sqlite3.DatabaseError) and ("malformed" in text or "not a database" in text):
        return DatabaseCorrupt(
            f"{path} is damaged ({text}). It was left untouched; restore a backup "
            "or move it away to start afresh.")
    return DatabaseError(f"{path}: {text}")


class Database:
    """Owns the SQLite connections of one database file."""

    def __init__(self, path: Path, *, readers: int = 2,
                 migrations: Iterable[Migration] | None = None) -> None:
        self.path = Path(path)
        self.schema_version = 0
        self._reader_count = readers
        self._migrations = tuple(MIGRATIONS if migrations is None else migrations)
        self._writer: aiosqlite.Connection | None = None
        self._readers: list[aiosqlite.Connection] = []
        self._idle: asyncio.Queue[aiosqlite.Connection] | None = None
        self._write_lock = asyncio.Lock()

    async def open(self) -> None:
        """Connect, apply pending migrations, then open the readers. Does nothing if open."""
        if self._writer is not None:
            return
        check_is_sqlite(self.path)
        try:
            # Refuse a newer database before the writer touches it (even
            # switching it to WAL rewrites its header).
            refuse_newer(recorded_version(self.path), self._migrations, self.path)
        except sqlite3.Error as exc:
            raise _explain(self.path, exc) from None
        if not self.path.exists():
            # SQLite gives its -wal and -shm files the database's own mode.
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600))
        try:
            self._writer = await self._connect(readonly=False)
            self.schema_version = await self._writer._execute(migrate, self._writer._conn,
                                                              self._migrations, self.path)
            self._idle = asyncio.Queue()
            for _ in range(self._reader_count):
                reader = await self._connect(readonly=True)
                self._readers.append(reader)
                self._idle.put_nowait(reader)
        except sqlite3.Error as exc:
            await self.close()
            raise _explain(self.path, exc) from None
        except BaseException:
            await self.close()
            raise

    async def _connect(self, *, readonly: bool) -> aiosqlite.Connection:
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        # aiosqlite runs each connection in its own thread; configure it there.
        try:
            await conn._execute(_configure, conn._conn, readonly=readonly)
        except BaseException:
            await conn.close()  # not yet ours to close later: without this its thread lives on
            raise
        return conn

    async def close(self) -> None:
        """Close every connection. Safe to call twice, or after a failed open."""
        connections = [c for c in (self._writer, *self._readers) if c is not None]
        self._writer, self._readers, self._idle = None, [], None
        for conn in connections:
            try:
                await conn.close()
            except (sqlite3.Error, ValueError):
                pass

    @property
    def is_open(self) -> bool:
        return self._writer is not None

    # -- writing -----------------------------------------------------------

    @asynccontextmanager
    async def write(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction on the one writer; commits, or rolls back on error."""
        writer = self._require_writer()
        async with self._write_lock:
            await writer.execute("BEGIN IMMEDIATE")
            try:
                yield writer
            except BaseException:
                await writer.execute("ROLLBACK")
                raise
            else:
                await writer.execute("COMMIT")

    async def run_write(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn(sqlite3_connection, *args, **kwargs)`` as one transaction on the writer thread.

        For bulk work (ingesting a board's rows): one thread hop for the whole
        batch instead of one per statement.
        """
        writer = self._require_writer()

        def transaction(conn: sqlite3.Connection) -> T:
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = fn(conn, *args, **kwargs)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            return result

        async with self._write_lock:
            return await writer._execute(transaction, writer._conn)

    # -- memory ------------------------------------------------------------

    async def release_memory(self) -> None:
        """Empty every connection's page cache (after a burst of writes, such
        as a search run): each keeps up to ``cache_size`` of pages it read or
        wrote, and the next queries read them back from the OS's file cache."""
        if self._writer is None or self._idle is None:
            return
        idle = self._idle
        async with self._write_lock:
            await self._writer._execute(_shrink_memory, self._writer._conn)
        readers = [await idle.get() for _ in self._readers]  # each waits for its query to end
        try:
            for reader in readers:
                await reader._execute(_shrink_memory, reader._conn)
        finally:
            for reader in readers:
                idle.put_nowait(reader)

    # -- reading -----------------------------------------------------------

    @asynccontextmanager
    async def read(self) -> AsyncIterator[aiosqlite.Connection]:
        """Borrow a read-only connection; it sees the last committed state."""
        if self._idle is None:
            raise DatabaseError("the database is closed")
        idle = self._idle
        conn = await idle.get()
        try:
            yield conn
        finally:
            idle.put_nowait(conn)

    async def fetch_all(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        async with self.read() as conn:
            return list(await conn.execute_fetchall(sql, params))

    async def fetch_one(self, sql: str, params: Any = ()) -> sqlite3.Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def run_read(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``fn(sqlite3_connection, *args, **kwargs)`` on a reader's thread."""
        async with self.read() as conn:
            return await conn._execute(fn, conn._conn, *args, **kwargs)

    def _require_writer(self) -> aiosqlite.Connection:
        if self._writer is None:
            raise DatabaseError("the database is closed")
        return self._writer
