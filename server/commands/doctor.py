"""``jobdeck doctor``: where everything is and whether it works."""

from __future__ import annotations

import asyncio
import importlib.metadata
import platform
import shutil
import sqlite3
import webbrowser

from .. import __version__
from ..db import Database, DatabaseError
from ..home import running_instance
from ..settings import Settings

__all__ = ["doctor", "fts5_available"]


def fts5_available() -> bool:
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE probe USING fts5 (body)")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _size(num: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if num < 1024 or unit == "GB":
            return f"{num:.0f} {unit}" if unit == "B" else f"{num:.1f} {unit}"
        num /= 1024
    return ""


def _browser() -> str:
    try:
        return type(webbrowser.get()).__name__
    except webbrowser.Error:
        return "none found (use --no-browser and open the printed link yourself)"


def doctor(settings: Settings) -> int:
    problems = 0
    db_path = settings.database_path
    try:
        async def schema() -> int:
            db = Database(db_path)
            await db.open()
            await db.close()
            return db.schema_version
        schema_text = str(asyncio.run(schema()))
    except DatabaseError as exc:
        schema_text, problems = f"PROBLEM: {exc}", problems + 1
    sizes = sum(p.stat().st_size for p in db_path.parent.glob(db_path.name + "*") if p.is_file())
    running = running_instance(settings.home_path)
    fts5 = fts5_available()
    problems += not fts5
    rows = [
        ("JobDeck", __version__),
        ("Python", platform.python_version()),
        ("Home", str(settings.home_path)),
        ("Database", str(db_path)),
        ("Schema version", schema_text),
        ("Database size", _size(sizes)),
        ("SQLite", sqlite3.sqlite_version),
        ("FTS5 full-text search", "yes" if fts5 else "PROBLEM: missing; search will not work"),
        ("python-jobspy", _version("python-jobspy")),
        ("Litestar", _version("litestar")),
        ("Browser", _browser()),
        ("Chromium for tests", shutil.which("chromium") or "not found"),
        ("Server", f"running at {running.url} (pid {running.pid})" if running else "not running"),
    ]
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"{name:<{width}}  {value}")
    return 1 if problems else 0
