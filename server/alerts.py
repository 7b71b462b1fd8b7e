"""Saved-search alerts: due saved searches re-run while the server runs.

One loop wakes when the next alert is due (or when a schedule changes) and
starts due searches through the one Runner, so alert runs share its
runs-at-once limit, worker process and events. It is polite to the boards
and to the machine:

- never two runs of one saved search at once (the user's own included);
- at most one alert run every ``spacing`` seconds, and at start-up whatever
  is overdue runs once, spread out after ``start_delay`` — never a burst
  after a long sleep; the next run is a period after a run *starts*, so
  missed periods are not made up;
- a license that does not allow alerts skips the run and records why;
  once it allows them again (``license.changed``) what was skipped is due;
- a failed run (offline, every board failed) is recorded and the next try
  waits a period, longer after repeated failures.

A run that finds postings new to the store raises an alert (``alert.created``
on the event stream). The clock is injectable: tests drive ``tick()``.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Callable, Iterable

import msgspec

from .clock import iso, now
from .db import Database
from .db import alerts as alert_rows
from .db.preferences import blocked_company_keys
from .db.runs import new_jobs, run_summary
from .entitlements import Entitlements
from .events import EventBroker
from .scrape.params import SearchParams
from .scrape.runner import Runner

__all__ = ["Alert", "AlertScheduler", "to_alert", "ENTITLEMENT"]

log = logging.getLogger("jobdeck.alerts")
ENTITLEMENT = "alerts"
SPACING_SECONDS = 120      # between two alert runs
START_DELAY_SECONDS = 60   # after start-up, before the first overdue one
_IDLE_WAIT = 300           # look again at least this often (a clock that jumped, a missed wake-up)
_BLOCKED_WAIT = 30         # something is due but its search is busy


class Alert(msgspec.Struct, rename="camel"):
    id: int
    search_id: int | None
    search_name: str
    run_id: int | None
    new_postings: int   # as the saved search counts "new in the last run"
    jobs: int           # of them, jobs first seen in that run and still stored
    created_at: str
    read: bool


def to_alert(row: dict[str, Any]) -> Alert:
    return Alert(id=row["id"], search_id=row["search_id"], search_name=row["search_name"], run_id=row["run_id"],
                 new_postings=row["new_postings"], jobs=row["jobs"], created_at=iso(row["created_at"]),
                 read=row["read_at"] is not None)


class AlertScheduler:
    def __init__(self, db: Database, runner: Runner, broker: EventBroker, entitlements: Entitlements, *,
                 blocklist: Iterable[str] = (), clock: Callable[[], float] = now, spacing: int = SPACING_SECONDS,
                 start_delay: int = START_DELAY_SECONDS) -> None:
        self._db, self._runner, self._broker = db, runner, broker
        self._entitlements = entitlements
        self._blocklist = tuple(blocklist)  # the config file's; the one set in the app is read at each run
        self._clock = clock
        self._spacing, self._start_delay = spacing, start_delay
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self._following: dict[int, asyncio.Task[None]] = {}  # search id -> its alert run, followed
        self._quiet_until = 0
        self._task: asyncio.Task[None] | None = None
        self._license_task: asyncio.Task[None] | None = None

    def now(self) -> int:
        return int(self._clock())

    async def start(self) -> None:
        await self._db.run_write(alert_rows.spread_overdue, self.now() + self._start_delay, self._spacing)
        self._task = asyncio.create_task(self._loop(), name="alert-scheduler")
        self._license_task = asyncio.create_task(self._watch_license(self._broker.subscribe()),
                                                 name="alert-license-watch")

    async def stop(self) -> None:
        tasks = [task for task in (self._task, self._license_task, *self._following.values()) if task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._task = None

    async def wait_idle(self) -> None:
        """Until no alert run is in progress and concluded (tests wait on this)."""
        while self._following:
            await asyncio.wait(list(self._following.values()))

    def poke(self) -> None:
        """A schedule changed: look again now."""
        self._wake.set()

    async def tick(self) -> list[int]:
        """Start what is due now, at most one run; returns the run ids started."""
        async with self._lock:
            stamp = self.now()
            if stamp < self._quiet_until:
                return []
            for row in await self._db.run_read(alert_rows.due_schedules, stamp):
                search_id = row["search_id"]
                if search_id in self._following or await self._db.run_read(alert_rows.search_busy, search_id):
                    continue  # looked at again once that run has ended
                decision = self._entitlements.check(ENTITLEMENT)
                if not decision.on:
                    await self._db.run_write(alert_rows.mark_skipped, search_id, decision.reason, stamp)
                    self._broker.publish("alert.skipped", {"searchId": search_id, "reason": decision.reason})
                    continue
                run_id = await self._start(row, stamp)
                if run_id is not None:
                    self._quiet_until = stamp + self._spacing
                    return [run_id]
            return []

    async def _start(self, row: dict[str, Any], stamp: int) -> int | None:
        search_id = row["search_id"]
        try:
            params = msgspec.convert(json.loads(row["params"]), SearchParams)
        except (msgspec.ValidationError, ValueError) as exc:
            # Saved by an older JobDeck with something this one no longer runs.
            await self._db.run_write(alert_rows.record_failure, search_id,
                                     f"This saved search cannot run as stored: {exc}", stamp)
            return None
        run_id = await self._runner.start(params, search_id=search_id)
        await self._db.run_write(alert_rows.mark_started, search_id, run_id, stamp)
        self._following[search_id] = asyncio.create_task(self._follow(search_id, run_id, stamp))
        return run_id

    async def _follow(self, search_id: int, run_id: int, started: int) -> None:
        try:
            await self._runner.wait(run_id)
            summary = await self._db.run_read(run_summary, run_id)
            if summary is not None:
                await self._conclude(search_id, run_id, started, summary)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("alert run %s of search %s could not be concluded", run_id, search_id)
        finally:
            self._following.pop(search_id, None)
            self.poke()

    async def _conclude(self, search_id: int, run_id: int, started: int, summary: dict[str, Any]) -> None:
        run, boards = summary["run"], summary["boards"]
        if run["state"] == "cancelled":
            return  # the user stopped it: neither news nor a failure
        if run["state"] not in ("done", "partial"):
            error = run["error"] or next((b["error"] for b in boards if b["error"]), None) \
                or "No job board answered."
            failures = await self._db.run_write(alert_rows.record_failure, search_id, error, started)
            self._broker.publish("alert.failed", {"searchId": search_id, "runId": run_id, "error": error,
                                                  "failures": failures})
            return
        new = sum(board["new"] for board in boards)

        def record(conn) -> int | None:
            alert_rows.record_success(conn, search_id)
            schedule = alert_rows.get_schedule(conn, search_id)
            search = conn.execute("SELECT name FROM searches WHERE id = ?", (search_id,)).fetchone()
            if not new or schedule is None or not schedule["enabled"] or search is None:
                return None  # nothing new, or the alert was turned off meanwhile
            blocked = blocked_company_keys(conn, self._blocklist)
            clusters = new_jobs(conn, run_id, blocked, alert_rows.ALERT_JOBS_KEPT)
            if not clusters:
                return None  # new postings of jobs already known, or of blocked companies only
            return alert_rows.create_alert(conn, search_id, search["name"], run_id, new, clusters, self.now())

        alert_id = await self._db.run_write(record)
        if alert_id is None:
            return
        row = await self._db.run_read(alert_rows.get_alert, alert_id)  # its jobs left the blocked out just now
        unread = await self._db.run_read(alert_rows.unread_count)
        self._broker.publish("alert.created", {**msgspec.to_builtins(to_alert(row)), "unread": unread})

    async def _watch_license(self, subscription) -> None:
        try:
            async for name, _ in subscription:
                if name == "license.changed" and self._entitlements.check(ENTITLEMENT).on:
                    if await self._db.run_write(alert_rows.resume_skipped, self.now()):
                        self.poke()
        finally:
            subscription.close()

    async def _loop(self) -> None:
        while True:
            self._wake.clear()
            try:
                await self.tick()
                wait = await self._seconds_to_next()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("checking saved-search alerts failed")
                wait = _IDLE_WAIT
            try:
                async with asyncio.timeout(wait):
                    await self._wake.wait()
            except TimeoutError:
                pass

    async def _seconds_to_next(self) -> float:
        due = await self._db.run_read(alert_rows.next_due_at)
        if due is None:
            return _IDLE_WAIT
        stamp = self.now()
        target = max(due, self._quiet_until)
        if target <= stamp:
            return _BLOCKED_WAIT
        return min(target - stamp, _IDLE_WAIT)
