"""Search runs: start one, watch it (or the event stream), cancel it."""

import json
from typing import Any

import msgspec
from litestar import Controller, get, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery, JSONBody

from ..clock import iso
from ..db.runs import run_summary
from ..deps import Db
from ..errors import ApiError, NotFound
from ..scrape.params import SearchParams
from ..scrape.runner import Runner


class BoardOutcome(msgspec.Struct, rename="camel"):
    site: str
    state: str
    found: int
    new: int
    updated: int
    error: str | None
    warnings: list[str]
    started_at: str | None
    finished_at: str | None


class Run(msgspec.Struct, rename="camel"):
    id: int
    search_id: int | None
    state: str
    params: dict[str, Any]
    created_at: str
    started_at: str | None
    finished_at: str | None
    error: str | None
    boards: list[BoardOutcome]
    found: int
    new: int


def to_run(summary: dict[str, Any]) -> Run:
    run = summary["run"]
    boards = [BoardOutcome(site=b["site"], state=b["state"], found=b["found"], new=b["new"],
                           updated=b["updated"], error=b["error"],
                           warnings=json.loads(b["warnings"]) if b["warnings"] else [],
                           started_at=iso(b["started_at"]), finished_at=iso(b["finished_at"]))
              for b in summary["boards"]]
    return Run(id=run["id"], search_id=run["search_id"], state=run["state"],
               params=json.loads(run["params"]), created_at=iso(run["created_at"]),
               started_at=iso(run["started_at"]), finished_at=iso(run["finished_at"]),
               error=run["error"], boards=boards, found=sum(b.found for b in boards),
               new=sum(b.new for b in boards))


async def load_run(db, run_id: int) -> Run:
    summary = await db.run_read(run_summary, run_id)
    if summary is None:
        raise NotFound(f"No run with id {run_id}.")
    return to_run(summary)


class RunController(Controller):
    path = "/api/v1/runs"
    tags = ["runs"]

    @post(summary="Start a search run on the boards; progress arrives on /api/v1/events")
    async def start_run(self, db: Db, state: State, data: JSONBody[SearchParams]) -> Run:
        runner: Runner = state.runner
        run_id = await runner.start(data)
        return await load_run(db, run_id)

    @get(summary="Recent runs, newest first")
    async def list_runs(self, db: Db, limit: FromQuery[int] = 20) -> list[Run]:
        limit = max(1, min(limit, 200))
        ids = await db.fetch_all("SELECT id FROM search_runs ORDER BY id DESC LIMIT ?", (limit,))
        return [await load_run(db, row["id"]) for row in ids]

    @get("/{run_id:int}", summary="One run with each board's outcome")
    async def get_run(self, db: Db, run_id: FromPath[int]) -> Run:
        return await load_run(db, run_id)

    @post("/{run_id:int}/cancel", status_code=200, summary="Cancel a run; rows already stored stay")
    async def cancel_run(self, db: Db, state: State, run_id: FromPath[int]) -> Run:
        run = await load_run(db, run_id)
        runner: Runner = state.runner
        if not await runner.cancel(run_id):
            raise ApiError(409, "run_finished", f"Run {run_id} has already ended ({run.state}).")
        return await load_run(db, run_id)
