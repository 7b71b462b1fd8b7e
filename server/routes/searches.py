"""Saved searches: kept, edited, re-run, each with its last run's summary."""

import json
from typing import Annotated

import msgspec
from litestar import Controller, delete, get, patch, post
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody

from ..clock import iso, now
from ..deps import Db
from ..errors import NotFound
from ..scrape.params import SearchParams
from .runs import Run, load_run

Name = Annotated[str, msgspec.Meta(min_length=1, max_length=120)]


class NewSearch(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    name: Name
    params: SearchParams


class SearchUpdate(msgspec.Struct, rename="camel", forbid_unknown_fields=True):
    name: Name | None = None
    params: SearchParams | None = None


class SavedSearch(msgspec.Struct, rename="camel"):
    id: int
    name: str
    params: SearchParams
    created_at: str
    updated_at: str
    last_run: Run | None
    new_in_last_run: int  # postings the last run found that JobDeck had never seen
    runs: int


async def _load(db, search_id: int) -> SavedSearch:
    row = await db.fetch_one("SELECT * FROM searches WHERE id = ?", (search_id,))
    if row is None:
        raise NotFound(f"No saved search with id {search_id}.")
    runs = await db.fetch_all("SELECT id FROM search_runs WHERE search_id = ? ORDER BY id DESC", (search_id,))
    last = await load_run(db, runs[0]["id"]) if runs else None
    return SavedSearch(id=row["id"], name=row["name"],
                       params=msgspec.convert(json.loads(row["params"]), SearchParams),
                       created_at=iso(row["created_at"]), updated_at=iso(row["updated_at"]),
                       last_run=last, new_in_last_run=last.new if last else 0, runs=len(runs))


class SearchController(Controller):
    path = "/api/v1/searches"
    tags = ["searches"]

    @get(summary="Saved searches with their last run")
    async def list_searches(self, db: Db) -> list[SavedSearch]:
        rows = await db.fetch_all("SELECT id FROM searches ORDER BY updated_at DESC, id DESC")
        return [await _load(db, row["id"]) for row in rows]

    @post(summary="Save a search")
    async def create_search(self, db: Db, data: JSONBody[NewSearch]) -> SavedSearch:
        stamp = now()
        async with db.write() as conn:
            cursor = await conn.execute(
                "INSERT INTO searches (name, params, created_at, updated_at) VALUES (?, ?, ?, ?)",
                (data.name.strip(), msgspec.json.encode(data.params).decode(), stamp, stamp))
            search_id = cursor.lastrowid
        return await _load(db, search_id)

    @get("/{search_id:int}", summary="One saved search")
    async def get_search(self, db: Db, search_id: FromPath[int]) -> SavedSearch:
        return await _load(db, search_id)

    @patch("/{search_id:int}", summary="Rename a saved search or change what it asks for")
    async def update_search(self, db: Db, search_id: FromPath[int],
                            data: JSONBody[SearchUpdate]) -> SavedSearch:
        current = await _load(db, search_id)
        name = data.name.strip() if data.name else current.name
        params = data.params or current.params
        async with db.write() as conn:
            await conn.execute("UPDATE searches SET name = ?, params = ?, updated_at = ? WHERE id = ?",
                               (name, msgspec.json.encode(params).decode(), now(), search_id))
        return await _load(db, search_id)

    @delete("/{search_id:int}", summary="Delete a saved search (its runs and jobs stay)")
    async def delete_search(self, db: Db, search_id: FromPath[int]) -> None:
        async with db.write() as conn:
            cursor = await conn.execute("DELETE FROM searches WHERE id = ?", (search_id,))
            if cursor.rowcount == 0:
                raise NotFound(f"No saved search with id {search_id}.")

    @post("/{search_id:int}/run", summary="Run a saved search again")
    async def run_search(self, db: Db, state: State, search_id: FromPath[int]) -> Run:
        search = await _load(db, search_id)
        run_id = await state.runner.start(search.params, search_id=search.id)
        return await load_run(db, run_id)
