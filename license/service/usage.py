"""The API usage log and the audit log: hashes and ids, never secrets.

Usage rows are not written in the request's transaction: :class:`UsageLog`
keeps them in memory and writes them with one multi-row INSERT every
``FLUSH_SECONDS`` or every ``FLUSH_ROWS`` rows, whichever comes first, and
once more when the app shuts down. A validation therefore needs no write
of its own, and a flood of refused requests (429, 400) costs no commits.
The price: a crash (not an orderly shutdown) loses at most the last
second's rows. On PostgreSQL the rows go by ``COPY`` (half the database's
work of a multi-row INSERT, a third of ours). Usage is statistics, never license state; the audit log is
written in the transaction of the change it records.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.util import greenlet_spawn

from .context import log
from .models import ApiUsage, AuditEntry

__all__ = ["UsageLog", "audit", "FLUSH_SECONDS", "FLUSH_ROWS", "MAX_PENDING"]

FLUSH_SECONDS = 1.0
FLUSH_ROWS = 500
MAX_PENDING = 50_000  # rows kept while the database refuses them; older ones are dropped
COLUMNS = ("at", "route", "key_hash", "license_id", "client_hash", "code", "http_status", "latency_us")


class UsageLog:
    """Buffered ``api_usage`` rows. ``start`` runs the periodic flush (the
    app's lifespan calls it), ``close`` stops it and flushes the rest."""

    def __init__(self, engine: AsyncEngine, *, interval: float = FLUSH_SECONDS,
                 max_rows: int = FLUSH_ROWS):
        self._engine, self._interval, self._max_rows = engine, interval, max_rows
        self._rows: list[tuple] = []  # in COLUMNS order
        self._lock = asyncio.Lock()
        self._stopping = asyncio.Event()
        self._ticker: asyncio.Task | None = None
        self._flushes: set[asyncio.Task] = set()
        self.dropped = 0

    def __len__(self) -> int:
        return len(self._rows)

    def record(self, *, at: int, route: str, code: str, http_status: int, latency_us: int,
               key_hash: str | None = None, license_id: str | None = None,
               client_hash: str | None = None) -> None:
        self._rows.append((at, route, key_hash, license_id, client_hash, code, http_status, latency_us))
        if len(self._rows) >= self._max_rows and not self._flushes:
            task = asyncio.get_running_loop().create_task(self.flush())
            self._flushes.add(task)
            task.add_done_callback(self._flushes.discard)

    async def flush(self) -> int:
        """Write every pending row in one transaction; the number written.
        On a database error the rows stay pending (up to MAX_PENDING)."""
        async with self._lock:
            rows, self._rows = self._rows, []
            if not rows:
                return 0
            try:
                await self._write(rows)
            except asyncio.CancelledError:
                self._rows[:0] = rows
                raise
            except Exception:  # noqa: BLE001 - the log must not take requests down with it
                log.exception("could not write %d usage rows; keeping them for the next flush", len(rows))
                self._rows[:0] = rows
                if len(self._rows) > MAX_PENDING:
                    excess = len(self._rows) - MAX_PENDING
                    del self._rows[:excess]
                    self.dropped += excess
                    log.error("dropped the %d oldest usage rows (the database refuses them)", excess)
                return 0
            return len(rows)

    async def _write(self, rows: list[tuple]) -> None:
        if self._engine.dialect.name != "postgresql":
            async with self._engine.begin() as connection:
                await connection.execute(insert(ApiUsage), [dict(zip(COLUMNS, row)) for row in rows])
            return
        connection = await self._engine.raw_connection()
        try:  # one COPY is one statement: all the rows or none
            await connection.driver_connection.copy_records_to_table(
                ApiUsage.__tablename__, records=rows, columns=COLUMNS)
        except BaseException:
            await greenlet_spawn(connection.invalidate)  # in an unknown state: never reused
            raise
        await greenlet_spawn(connection.close)  # back to the pool

    async def _tick(self) -> None:
        while not self._stopping.is_set():
            try:
                await asyncio.wait_for(self._stopping.wait(), self._interval)
            except asyncio.TimeoutError:
                pass
            await self.flush()

    def start(self) -> None:
        if self._ticker is None:
            self._stopping.clear()
            self._ticker = asyncio.get_running_loop().create_task(self._tick())

    async def close(self) -> None:
        """Stop the ticker (letting a flush in progress finish) and write
        what is left. Safe to call twice."""
        ticker, self._ticker = self._ticker, None
        if ticker is not None:
            self._stopping.set()
            await ticker
        if self._flushes:
            await asyncio.gather(*self._flushes, return_exceptions=True)
        await self.flush()


def audit(session: AsyncSession, *, at: int, org_id: str | None, actor: str, action: str,
          target: str | None = None, **detail: Any) -> None:
    """One admin action. ``detail`` must hold no secret (keys, tokens):
    callers pass ids, counts and prefixes only."""
    session.add(AuditEntry(at=at, org_id=org_id, actor=actor, action=action, target=target,
                           detail=json.dumps(detail, sort_keys=True, separators=(",", ":"))))
