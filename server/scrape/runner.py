"""Drives scrape workers: queue, start, stream results into the store, cancel.

Each run is one worker process. Its messages are read line by line; a board's
rows are normalised and stored in one transaction as soon as they arrive, and
progress is published on the event stream. Cancelling or a deadline kills the
process; the rows already stored stay.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import sys
from pathlib import Path
from typing import Any

import msgspec

from ..clock import now
from ..db import Database, DatabaseError
from ..db import runs as run_rows
from ..db.jobs import ingest
from ..db.preferences import effective_proxies
from ..events import EventBroker
from ..memory import trim
from .messages import BoardFailed, BoardResult, BoardStarted, decoder
from .normalize import NormaliseError, normalise
from .params import SearchParams, WorkerRequest

__all__ = ["Runner"]

log = logging.getLogger("jobdeck.runs")
_LINE_LIMIT = 256 * 1024 * 1024  # one board's whole result arrives as one line
_FAILED_STATE = {"blocked": "blocked", "timeout": "timeout"}
_WORKER_STOPPED = "The worker stopped before this board answered."


class Runner:
    def __init__(self, db: Database, broker: EventBroker, *, max_concurrent: int,
                 deadline_seconds: float, proxies: list[str], log_dir: Path,
                 retries: int = 2, backoff_seconds: float = 5.0) -> None:
        self.db = db
        self.broker = broker
        self.deadline_seconds = deadline_seconds
        self.proxies = proxies
        self.log_dir = log_dir
        self.retries = retries
        self.backoff_seconds = backoff_seconds
        self._slots = asyncio.Semaphore(max_concurrent)
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._processes: dict[int, asyncio.subprocess.Process] = {}
        self._cancelled: set[int] = set()

    async def start(self, params: SearchParams, search_id: int | None = None) -> int:
        """Record a queued run and schedule it; returns the run id at once."""
        data = msgspec.to_builtins(params)
        run_id = await self.db.run_write(run_rows.create_run, data, list(params.boards), now(), search_id)
        self.broker.publish("run.queued", {"runId": run_id, "boards": list(params.boards)})
        self._tasks[run_id] = asyncio.create_task(self._run(run_id, params))
        return run_id

    def is_active(self, run_id: int) -> bool:
        return run_id in self._tasks

    async def wait(self, run_id: int) -> None:
        """Return once the run has ended, however it ended (at once if it has)."""
        task = self._tasks.get(run_id)
        if task is not None:
            await asyncio.wait({task})

    async def cancel(self, run_id: int) -> bool:
        task = self._tasks.get(run_id)
        if task is None:
            return False
        self._cancelled.add(run_id)
        process = self._processes.get(run_id)
        if process is not None and process.returncode is None:
            process.kill()
        else:
            task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        await self._release_memory()
        return True

    async def shutdown(self) -> None:
        """Stop every run: killed workers, runs marked interrupted."""
        for run_id in list(self._tasks):
            process = self._processes.get(run_id)
            if process is not None and process.returncode is None:
                process.kill()
            self._tasks[run_id].cancel()
        await asyncio.gather(*self._tasks.values(), return_exceptions=True)
        await self.db.run_write(run_rows.interrupt_unfinished, now())

    async def _run(self, run_id: int, params: SearchParams) -> None:
        outcomes: dict[str, str] = {}
        try:
            async with self._slots:
                await self.db.run_write(run_rows.set_run_state, run_id, "running", now())
                self.broker.publish("run.started", {"runId": run_id})
                await self._drive(run_id, params, outcomes)
            await self._finish(run_id, params, outcomes)
        except asyncio.CancelledError:
            if run_id in self._cancelled and not self._processes.get(run_id):
                await asyncio.shield(self._finish(run_id, params, outcomes))
            raise
        except Exception:
            log.exception("run %s failed", run_id)
            await self._finish(run_id, params, outcomes, error="JobDeck failed while running this search.")
        finally:
            self._tasks.pop(run_id, None)
            self._processes.pop(run_id, None)
            self._cancelled.discard(run_id)
        await self._release_memory()  # not reached when cancelled: cancel() releases, shutdown need not

    async def _release_memory(self) -> None:
        """Once no run is going, give back what the runs' rows took: the
        server's size returns to about its idle size after each run."""
        if self._tasks or not self.db.is_open:
            return
        try:
            await self.db.release_memory()
        except (DatabaseError, sqlite3.Error, ValueError):  # closed meanwhile: the server is stopping
            log.debug("page caches not emptied", exc_info=True)
            return
        trim()

    async def _drive(self, run_id: int, params: SearchParams, outcomes: dict[str, str]) -> None:
        # Read per run: proxies changed in Settings apply to the next run.
        proxies = await self.db.run_read(effective_proxies, self.proxies)
        request = WorkerRequest(params=params, proxies=proxies, deadline_seconds=self.deadline_seconds,
                                retries=self.retries, backoff_seconds=self.backoff_seconds)
        self.log_dir.mkdir(mode=0o700, exist_ok=True)
        with open(self.log_dir / "worker.log", "ab") as stderr:
            process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "server.scrape.worker", stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE, stderr=stderr, limit=_LINE_LIMIT)
        self._processes[run_id] = process
        process.stdin.write(msgspec.json.encode(request))
        process.stdin.close()
        # The worker enforces each board's deadline; this one catches a worker that hangs itself.
        hard_deadline = self.deadline_seconds * (self.retries + 1) + 30
        try:
            async with asyncio.timeout(hard_deadline):
                while line := await process.stdout.readline():
                    await self._handle(run_id, decoder.decode(line), outcomes)
        except TimeoutError:
            process.kill()
        finally:
            if process.returncode is None:
                process.kill()
            await process.wait()

    async def _handle(self, run_id: int, message: Any, outcomes: dict[str, str]) -> None:
        site = message.site
        if isinstance(message, BoardStarted):
            await self.db.run_write(run_rows.set_board, run_id, site, "running", now())
            self.broker.publish("board.started", {"runId": run_id, "site": site, "attempt": message.attempt})
            return
        if isinstance(message, BoardResult):
            records, warnings = [], list(message.warnings)
            for index, row in enumerate(message.rows):
                try:
                    records.append(normalise(row))
                except NormaliseError as exc:
                    warnings.append(f"row {index + 1} skipped: {exc}")
            stamp = now()

            def store(conn):
                result = ingest(conn, records, stamp, run_id)
                run_rows.set_board(conn, run_id, site, "done", stamp, found=result.found,
                                   new=result.new, updated=result.updated, warnings=warnings)
                return result

            result = await self.db.run_write(store)
            outcomes[site] = "done"
            self.broker.publish("board.finished", {"runId": run_id, "site": site, "state": "done",
                                                   "found": result.found, "new": result.new,
                                                   "updated": result.updated, "warnings": warnings})
            if result.new or result.updated:
                self.broker.publish("job.changed", {"runId": run_id, "new": result.new,
                                                    "updated": result.updated})
            return
        assert isinstance(message, BoardFailed)
        state = _FAILED_STATE.get(message.kind, "failed")
        await self.db.run_write(run_rows.set_board, run_id, site, state, now(),
                                error=message.error, warnings=message.warnings)
        outcomes[site] = state
        self.broker.publish("board.finished", {"runId": run_id, "site": site, "state": state,
                                               "kind": message.kind, "error": message.error})

    async def _finish(self, run_id: int, params: SearchParams, outcomes: dict[str, str],
                      error: str | None = None) -> None:
        cancelled = run_id in self._cancelled
        missing = [site for site in params.boards if site not in outcomes]
        missing_state, missing_error = ("cancelled", None) if cancelled else ("failed", _WORKER_STOPPED)
        stamp = now()

        def close(conn):
            for site in missing:
                run_rows.set_board(conn, run_id, site, missing_state, stamp, error=missing_error)
            done = sum(1 for state in outcomes.values() if state == "done")
            if cancelled:
                state = "cancelled"
            elif error or done == 0:
                state = "failed"
            else:
                state = "done" if done == len(params.boards) else "partial"
            run_rows.set_run_state(conn, run_id, state, stamp, error)
            return state

        state = await self.db.run_write(close)
        for site in missing:  # every board of the run ends with an event, as stored
            self.broker.publish("board.finished", {"runId": run_id, "site": site, "state": missing_state,
                                                   "error": missing_error})
        self.broker.publish("run.finished", {"runId": run_id, "state": state})
