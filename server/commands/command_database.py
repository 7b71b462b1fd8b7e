"""The database opened once for a whole command.

A command such as ``jobdeck search`` reads from the database, waits on the
running server (plain blocking code, so Ctrl-C arrives as usual), then writes
again. One event loop kept across those steps lets one open database serve
them all, instead of opening it (and checking its migrations) for each.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Awaitable, TypeVar

from ..db import Database

__all__ = ["CommandDatabase"]

T = TypeVar("T")


class CommandDatabase:
    """``with CommandDatabase(path) as database:`` then ``database.run(some_coroutine(database.db))``."""

    def __init__(self, path: Path) -> None:
        self.db = Database(path)
        self._loop = asyncio.Runner()

    def run(self, coroutine: Awaitable[T]) -> T:
        """Run ``coroutine`` to its end on the loop the database lives on."""
        return self._loop.run(coroutine)

    def __enter__(self) -> "CommandDatabase":
        try:
            self.run(self.db.open())
        except BaseException:
            self._loop.close()
            raise
        return self

    def __exit__(self, *exc_info: Any) -> None:
        try:
            self.run(self.db.close())
        finally:
            self._loop.close()
