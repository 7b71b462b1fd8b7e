"""Backups of the database: consistent copies made with SQLite's online backup API.

A backup is ``<home>/backups/jobdeck-YYYYMMDD-HHMMSS.sqlite3`` (UTC, so names
sort in time order), private to the user (0600), a plain SQLite file in
rollback-journal mode that opens on its own. It is copied from one read
transaction, so writes that happen meanwhile are either wholly in it or not
at all. The newest ``KEEP`` are kept; older ones are removed after each new
backup.

``restore`` puts a backup in the database's place while no server runs,
after backing up the current database.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from .clock import iso

__all__ = ["KEEP", "NAME_PATTERN", "BackupError", "BackupFile", "backups_dir", "backup_name_ok", "find_backup",
           "list_backups", "make_backup", "copy_database", "check_backup", "restore", "database_bytes"]

KEEP = 10
NAME_PATTERN = r"^jobdeck-\d{8}-\d{6}(?:-\d{1,3})?\.sqlite3$"
_NAME = re.compile(NAME_PATTERN)
_MAGIC = b"SQLite format 3\x00"


class BackupError(RuntimeError):
    """A backup or restore that cannot be done; the message says why."""


@dataclass(frozen=True)
class BackupFile:
    name: str
    size: int
    created: str  # UTC ISO 8601

    @classmethod
    def of(cls, path: Path) -> "BackupFile":
        info = path.stat()
        return cls(name=path.name, size=info.st_size, created=iso(info.st_mtime) or "")


def backups_dir(home: Path) -> Path:
    return home / "backups"


def backup_name_ok(name: str) -> bool:
    return _NAME.fullmatch(name) is not None


def find_backup(home: Path, name: str) -> Path | None:
    """The backup called ``name``, or None. Only names of the backup pattern are looked up."""
    if not backup_name_ok(name):
        return None
    path = backups_dir(home) / name
    return path if path.is_file() and not path.is_symlink() else None


def list_backups(home: Path) -> list[BackupFile]:
    """Backups, newest first."""
    folder = backups_dir(home)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        if backup_name_ok(path.name) and path.is_file() and not path.is_symlink():
            try:
                found.append(BackupFile.of(path))
            except FileNotFoundError:  # pruned meanwhile
                continue
    return sorted(found, key=_order, reverse=True)


def _order(backup: BackupFile) -> tuple[str, int]:
    parts = backup.name.removesuffix(".sqlite3").split("-")  # jobdeck, date, time[, n]
    return parts[1] + parts[2], int(parts[3]) if len(parts) > 3 else 1


def database_bytes(path: Path) -> int:
    """The database's size on disk, its write-ahead log included."""
    total = 0
    for candidate in (path, path.with_name(path.name + "-wal")):
        try:
            total += candidate.stat().st_size
        except FileNotFoundError:
            pass
    return total


def copy_database(source: sqlite3.Connection, target: Path) -> None:
    """Copy the database behind ``source`` into a new file ``target`` (0600).

    One ``backup()`` step copies every page inside one read transaction: a
    consistent snapshot, while other connections go on writing (WAL).
    """
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    try:
        dest = sqlite3.connect(target, isolation_level=None)
        try:
            source.backup(dest)
            # The copy inherits WAL mode; a backup is one self-contained file.
            dest.execute("PRAGMA journal_mode = DELETE").fetchall()
        finally:
            dest.close()
        with open(target, "rb+") as handle:
            os.fsync(handle.fileno())
    except BaseException:
        target.unlink(missing_ok=True)
        raise


def make_backup(source: sqlite3.Connection, home: Path, *, keep: int = KEEP,
                clock: float | None = None) -> BackupFile:
    """Back up the database behind ``source`` into the home's backups folder; prune old ones."""
    folder = backups_dir(home)
    folder.mkdir(mode=0o700, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(time.time() if clock is None else clock))
    name = f"jobdeck-{stamp}.sqlite3"
    for extra in range(2, 1000):  # two backups within one second
        if not (folder / name).exists():
            break
        name = f"jobdeck-{stamp}-{extra}.sqlite3"
    partial = folder / f".{name}.partial"
    partial.unlink(missing_ok=True)
    copy_database(source, partial)
    final = folder / name
    os.replace(partial, final)
    for old in list_backups(home)[keep:]:
        (folder / old.name).unlink(missing_ok=True)
    return BackupFile.of(final)


def check_backup(path: Path, latest_version: int) -> int:
    """Refuse a file that is not a sound JobDeck database; returns its schema version."""
    try:
        with path.open("rb") as handle:
            if handle.read(16) != _MAGIC:
                raise BackupError(f"{path} is not an SQLite database.")
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc.strerror or exc}") from None
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{path} is damaged (its integrity check failed).")
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'schema_migrations'").fetchone():
            raise BackupError(f"{path} is not a JobDeck database.")
        version = conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} cannot be read as a database ({exc}).") from None
    finally:
        conn.close()
    if version > latest_version:
        raise BackupError(f"{path} was written by a newer JobDeck (schema {version}; this one "
                          f"knows {latest_version}). Upgrade JobDeck first.")
    return version


def restore(database: Path, home: Path, backup: Path, latest_version: int) -> BackupFile | None:
    """Put ``backup`` in the database's place. No server may be running.

    The current database is backed up first (returned; None when there was
    none). The restored copy is written beside the database and moved into
    place in one rename, so a crash leaves the old or the new one, whole.
    """
    check_backup(backup, latest_version)
    incoming = database.with_name(f".{database.name}.restoring")
    incoming.unlink(missing_ok=True)
    # Copied before the safety backup below, which may prune the very file being restored.
    source = sqlite3.connect(f"{backup.resolve().as_uri()}?mode=ro", uri=True)
    try:
        copy_database(source, incoming)
    finally:
        source.close()
    kept = None
    try:
        if database.exists() and database.stat().st_size:
            current = sqlite3.connect(database, isolation_level=None)
            try:
                kept = make_backup(current, home)
                # Fold the write-ahead log into the file: nothing of it may outlive the swap.
                current.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            finally:
                current.close()
        for leftover in ("-wal", "-shm"):
            database.with_name(database.name + leftover).unlink(missing_ok=True)
        os.replace(incoming, database)
    finally:
        incoming.unlink(missing_ok=True)
    return kept
