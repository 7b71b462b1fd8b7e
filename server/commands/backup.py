"""``jobdeck backup``: back up the database now, list backups, or restore one."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from ..backup import BackupError, list_backups, make_backup, restore
from ..db import Database
from ..db.migrations import LATEST_VERSION
from ..home import read_server_info, running_instance
from ..settings import Settings

__all__ = ["add_parser", "backup"]


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "backup", help="back up the database now (a consistent copy, also while the server runs)")
    parser.add_argument("--list", action="store_true", help="list the backups, newest first")
    parser.add_argument("--restore", metavar="FILE", type=Path,
                        help="replace the database with FILE (the server must be stopped; "
                             "the current database is backed up first)")


def _size(num: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if num < 1024 or unit == "GB":
            return f"{num:.0f} {unit}" if unit == "B" else f"{num:.1f} {unit}"
        num /= 1024
    return ""


def _server_running(settings: Settings) -> bool:
    if running_instance(settings.home_path) is not None:
        return True
    info = read_server_info(settings.home_path)  # recorded, but not answering: starting or hung
    if info is None or info.pid == os.getpid():
        return False
    try:
        os.kill(info.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


async def _backup_now(settings: Settings):
    db = Database(settings.database_path)
    await db.open()  # applies pending migrations, like any other command
    try:
        return await db.run_read(make_backup, settings.home_path)
    finally:
        await db.close()


def backup(settings: Settings, args: argparse.Namespace) -> int:
    if args.list:
        found = list_backups(settings.home_path)
        for item in found:
            print(f"{item.name}  {_size(item.size):>9}  {item.created}")
        if not found:
            print(f"No backups yet in {settings.home_path / 'backups'}.")
        return 0
    if args.restore is not None:
        return _restore(settings, args.restore)
    made = asyncio.run(_backup_now(settings))
    print(f"Backed up to {settings.home_path / 'backups' / made.name} ({_size(made.size)}).")
    return 0


def _restore(settings: Settings, file: Path) -> int:
    if _server_running(settings):
        print("jobdeck: a JobDeck server is running on this home; stop it first, then restore.",
              file=sys.stderr)
        return 2
    if not file.is_file():
        print(f"jobdeck: {file} is not a file.", file=sys.stderr)
        return 2
    try:
        kept = restore(settings.database_path, settings.home_path, file, LATEST_VERSION)
    except BackupError as exc:
        print(f"jobdeck: nothing was restored: {exc}", file=sys.stderr)
        return 2
    if kept is not None:
        print(f"The database as it was is kept in {settings.home_path / 'backups' / kept.name}.")
    print(f"Restored {file} into {settings.database_path}.")
    return 0
