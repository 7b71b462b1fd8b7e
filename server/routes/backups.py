"""Where the data lives, and backups of it: list, make one now, download one."""

import asyncio
from typing import Annotated

import msgspec
from litestar import Controller, Request, get, post
from litestar.params import Parameter
from litestar.response import File

from ..backup import NAME_PATTERN, BackupFile, backup_name_ok, backups_dir, database_bytes, find_backup, list_backups, make_backup
from ..deps import AppSettings, Db
from ..errors import ApiError, NotFound

__all__ = ["BackupController"]


class Backup(msgspec.Struct, rename="camel"):
    name: str
    size: int  # bytes
    created: str


class Storage(msgspec.Struct, rename="camel"):
    home: str  # the app home: database, secrets, logs, backups
    database: str
    database_bytes: int  # the write-ahead log included
    backups: str  # the folder backups are written to


def _backup(found: BackupFile) -> Backup:
    return Backup(name=found.name, size=found.size, created=found.created)


class BackupController(Controller):
    tags = ["backups"]

    @get("/api/v1/storage", summary="Where the data lives: the home folder, the database and its size")
    async def storage(self, settings: AppSettings) -> Storage:
        size = await asyncio.to_thread(database_bytes, settings.database_path)
        return Storage(home=str(settings.home_path), database=str(settings.database_path),
                       database_bytes=size, backups=str(backups_dir(settings.home_path)))

    @get("/api/v1/backups", summary="Backups of the database, newest first")
    async def list_backups(self, settings: AppSettings) -> list[Backup]:
        return [_backup(b) for b in await asyncio.to_thread(list_backups, settings.home_path)]

    @post("/api/v1/backups", summary="Back up the database now (a consistent copy; the newest 10 are kept)")
    async def create_backup(self, db: Db, settings: AppSettings) -> Backup:
        # Copied from a reader: writes go on meanwhile, the copy is one snapshot.
        return _backup(await db.run_read(make_backup, settings.home_path))

    @get("/api/v1/backups/{name:str}", summary="Download one backup (an SQLite file)",
         media_type="application/vnd.sqlite3")
    async def download_backup(self, request: Request, settings: AppSettings,
                              name: Annotated[str, Parameter(pattern=NAME_PATTERN)]) -> File:
        # A backup holds everything, the license key and credential hashes too: not for read-only tokens.
        principal = request.scope.get("state", {}).get("principal")
        if principal is None or "write" not in principal.scopes:
            raise ApiError(403, "forbidden", "Downloading a backup needs a sign-in or a token that may also "
                                             "write: a backup holds every secret JobDeck keeps.")
        if not backup_name_ok(name):
            raise ApiError(400, "invalid", "That is not the name of a backup (jobdeck-YYYYMMDD-HHMMSS.sqlite3).")
        path = find_backup(settings.home_path, name)
        if path is None:
            raise NotFound(f"No backup called {name}.")
        return File(path, filename=name, media_type="application/vnd.sqlite3")
