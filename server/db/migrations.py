"""Numbered, append-only ``.sql`` migrations, applied at start.

Each file ``NNNN_name.sql`` runs in its own transaction with its record in
``schema_migrations``; ``BEGIN IMMEDIATE`` takes SQLite's write lock, so two
processes starting at once cannot apply the same migration twice.
"""

from __future__ import annotations

import re
import sqlite3
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .cjk import register as register_cjk

__all__ = ["MIGRATIONS", "Migration", "load_migrations", "migrate", "refuse_newer", "LATEST_VERSION"]

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations() -> tuple[Migration, ...]:
    found = []
    for entry in resources.files(__package__).joinpath("migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 1, 2, 3… without gaps; found {versions}")
    return tuple(found)


MIGRATIONS = load_migrations()
LATEST_VERSION = MIGRATIONS[-1].version if MIGRATIONS else 0


def _applied_version(conn: sqlite3.Connection) -> int:
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)")
    return conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchall()[0][0]


def migrate(conn: sqlite3.Connection, migrations: tuple[Migration, ...], path: Path) -> int:
    """Apply what is pending; return the schema version. Refuses a newer database."""
    latest = migrations[-1].version if migrations else 0
    register_cjk(conn)  # 0013 re-indexes stored CJK text through it, on whatever connection migrates
    for migration in migrations:
        conn.execute("BEGIN IMMEDIATE")
        try:
            current = _applied_version(conn)
            _refuse_newer(current, latest, path)
            if migration.version <= current:
                conn.execute("COMMIT")
                continue
            for statement in split_statements(migration.sql):
                conn.execute(statement)
            conn.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                         (migration.version, migration.name, int(time.time())))
            conn.execute(f"PRAGMA user_version = {migration.version}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    conn.execute("BEGIN")
    try:
        current = _applied_version(conn)
    finally:
        conn.execute("COMMIT")
    _refuse_newer(current, latest, path)
    return current


def refuse_newer(current: int, migrations: tuple[Migration, ...], path: Path) -> None:
    """Raise DatabaseTooNew if ``current`` is past the last of ``migrations``."""
    _refuse_newer(current, migrations[-1].version if migrations else 0, path)


def _refuse_newer(current: int, latest: int, path: Path) -> None:
    from .database import DatabaseTooNew  # the error type lives with the Database

    if current > latest:
        raise DatabaseTooNew(
            f"{path} was written by a newer JobDeck (schema {current}; this one knows "
            f"{latest}). Upgrade JobDeck; the database was left untouched.")


def split_statements(sql: str) -> list[str]:
    """Split a script into statements, keeping trigger bodies whole."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(
            part.strip().startswith("--") or not part.strip() for part in buffer.splitlines()):
        raise ValueError(f"incomplete SQL statement at the end of a migration: {buffer.strip()[:80]}")
    return statements
