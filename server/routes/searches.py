"""Saved searches: kept, edited, re-run, each with its last run's summary and its alert."""

import json
from typing import Annotated

import msgspec
from litestar import Controller, delete, get, patch, post, put
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody

from ..alerts import ENTITLEMENT as ALERTS
from ..alerts import AlertScheduler
from ..clock import iso, now
from ..db import alerts as alert_rows
from ..db.runs import count_new_jobs
from ..deps import Blocked, Db, Gate
from ..errors import ApiError, NotFound
from ..scrape.params import SearchParams
from .runs import Run, load_run

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]


class NewSearch(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    name: Name
    params: SearchParams


class SearchUpdate(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    name: Name | None = None
    params: SearchParams | None = None


class AlertChoice(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    every_hours: int
    enabled: bool = True


class AlertSchedule(msgspec.Struct, rename="camel"):
    every_hours: int
    enabled: bool
    next_due_at: str | None       # None while off
    last_checked_at: str | None
    last_run_id: int | None
    failures: int                 # alert runs failed in a row
    last_error: str | None
    skipped_reason: str | None    # the license's reason code when a due run was skipped


class SavedSearch(msgspec.Struct, rename="camel"):
    id: int
    name: str
    params: SearchParams
    created_at: str
    updated_at: str
    last_run: Run | None
    new_in_last_run: int  # jobs the last run found that JobDeck had never seen (and the list shows)
    runs: int
    alert: AlertSchedule | None = None


def _name(given: str) -> str:
    """A saved search's name as stored: trimmed, and never blank (the list shows it)."""
    name = given.strip()
    if not name:
        raise ApiError(400, "invalid", "name must not be blank.", details={"field": "name"})
    return name


def _schedule(row) -> AlertSchedule | None:
    if row is None:
        return None
    return AlertSchedule(every_hours=row["every_hours"], enabled=bool(row["enabled"]),
                         next_due_at=iso(row["next_due_at"]) if row["enabled"] else None,
                         last_checked_at=iso(row["last_checked_at"]), last_run_id=row["last_run_id"],
                         failures=row["failures"], last_error=row["last_error"],
                         skipped_reason=row["skipped_reason"])


async def _row(db, search_id: int):
    """The saved search's own row, or a 404."""
    row = await db.fetch_one("SELECT * FROM searches WHERE id = ?", (search_id,))
    if row is None:
        raise NotFound(f"No saved search with id {search_id}.")
    return row


def _params(row) -> SearchParams:
    return msgspec.convert(json.loads(row["params"]), SearchParams)


async def _load(db, search_id: int, blocked: tuple[str, ...] = ()) -> SavedSearch:
    """The saved search as the API shows it: with its last run and what that found new."""
    row = await _row(db, search_id)

    def summary(conn) -> tuple[list[int], dict | None, int]:
        """(its runs, newest first; its alert; how many jobs its last run found new), in one read."""
        runs = [r[0] for r in conn.execute("SELECT id FROM search_runs WHERE search_id = ? ORDER BY id DESC",
                                           (search_id,))]
        new = count_new_jobs(conn, runs[0], blocked) if runs else 0
        return runs, alert_rows.get_schedule(conn, search_id), new

    runs, alert, new = await db.run_read(summary)
    last = await load_run(db, runs[0]) if runs else None
    return SavedSearch(id=row["id"], name=row["name"],
                       params=_params(row),
                       created_at=iso(row["created_at"]), updated_at=iso(row["updated_at"]),
                       last_run=last, new_in_last_run=new, runs=len(runs),
                       alert=_schedule(alert))


class SearchController(Controller):
    path = "/api/v1/searches"
    tags = ["searches"]

    @get(summary="Saved searches with their last run")
    async def list_searches(self, db: Db, blocked: Blocked) -> list[SavedSearch]:
        rows = await db.fetch_all("SELECT id FROM searches ORDER BY updated_at DESC, id DESC")
        return [await _load(db, row["id"], blocked) for row in rows]

    @post(summary="Save a search")
    async def create_search(self, db: Db, data: JSONBody[NewSearch]) -> SavedSearch:
        stamp = now()
        async with db.write() as conn:
            cursor = await conn.execute(
                "INSERT INTO searches (name, params, created_at, updated_at) VALUES (?, ?, ?, ?)",
                (_name(data.name), msgspec.json.encode(data.params).decode(), stamp, stamp))
            search_id = cursor.lastrowid
        return await _load(db, search_id)

    @get("/{search_id:int}", summary="One saved search")
    async def get_search(self, db: Db, blocked: Blocked, search_id: FromPath[int]) -> SavedSearch:
        return await _load(db, search_id, blocked)

    @patch("/{search_id:int}", summary="Rename a saved search or change what it asks for")
    async def update_search(self, db: Db, blocked: Blocked, search_id: FromPath[int],
                            data: JSONBody[SearchUpdate]) -> SavedSearch:
        current = await _row(db, search_id)
        name = _name(data.name) if data.name is not None else current["name"]
        params = data.params or _params(current)
        async with db.write() as conn:
            await conn.execute("UPDATE searches SET name = ?, params = ?, updated_at = ? WHERE id = ?",
                               (name, msgspec.json.encode(params).decode(), now(), search_id))
        return await _load(db, search_id, blocked)

    @delete("/{search_id:int}", summary="Delete a saved search (its runs and jobs stay)")
    async def delete_search(self, db: Db, search_id: FromPath[int]) -> None:
        async with db.write() as conn:
            cursor = await conn.execute("DELETE FROM searches WHERE id = ?", (search_id,))
            if cursor.rowcount == 0:
                raise NotFound(f"No saved search with id {search_id}.")

    @post("/{search_id:int}/run", summary="Run a saved search again (409 while a run of it is going)")
    async def run_search(self, db: Db, state: State, search_id: FromPath[int]) -> Run:
        search = await _row(db, search_id)
        if await db.run_read(alert_rows.search_busy, search_id):
            # Its alert may have started it: one run of a search at a time.
            raise ApiError(409, "search_running", f"“{search['name']}” is already running; "
                                                  "its results arrive as that run goes.")
        run_id = await state.runner.start(_params(search), search_id=search_id)
        return await load_run(db, run_id)

    @put("/{search_id:int}/alert", summary="Turn this search's alert on (Pro) with a frequency, or off")
    async def set_alert(self, db: Db, blocked: Blocked, state: State, entitlements: Gate, search_id: FromPath[int],
                        data: JSONBody[AlertChoice]) -> SavedSearch:
        await _row(db, search_id)
        if data.every_hours not in alert_rows.FREQUENCIES:
            choices = ", ".join(str(hours) for hours in alert_rows.FREQUENCIES)
            raise ApiError(400, "invalid", f"everyHours must be one of {choices} (hours between checks); "
                                           f"got {data.every_hours}.", details={"field": "everyHours"})
        if data.enabled:  # turning an alert off is always allowed
            entitlements.require(ALERTS, "Saved-search alerts need JobDeck Pro.")
        scheduler: AlertScheduler = state.alerts
        await db.run_write(alert_rows.set_schedule, search_id, data.every_hours, data.enabled, scheduler.now())
        scheduler.poke()
        return await _load(db, search_id, blocked)
