"""Import and export of jobs (CSV with jobspy's columns, or JSON)."""

import os
import tempfile
from typing import Literal

import msgspec
from litestar import Controller, Request, get, post
from litestar.background_tasks import BackgroundTask
from litestar.params import FromQuery
from litestar.response import File

from ..clock import now
from ..deps import Db
from ..errors import ApiError
from ..transfer import TransferError, export_to, parse, parse_rows, store_import

Format = Literal["csv", "json"]


class ImportResult(msgspec.Struct, rename="camel"):
    found: int
    new: int
    updated: int


class TransferController(Controller):
    tags = ["import and export"]

    @post("/api/v1/import", status_code=200,
          summary="Import jobs from a CSV (jobspy's columns) or JSON file sent as the body")
    async def import_jobs(self, request: Request, db: Db, format: FromQuery[Format] = "csv") -> ImportResult:
        body = await request.body()
        try:
            items = parse(body.decode("utf-8-sig"), format)
        except UnicodeDecodeError:
            raise ApiError(400, "bad_file", "The file is not UTF-8 text.") from None
        except TransferError as exc:
            raise ApiError(400, "bad_file", f"Nothing was imported. {exc}.") from None
        stamp = now()
        return ImportResult(**await db.run_write(store_import, items, stamp))

    @post("/api/v1/demo", status_code=200, summary="Load the sample postings shipped with JobDeck")
    async def load_demo(self, db: Db) -> ImportResult:
        from ..sample import load_sample_rows

        items = parse_rows(load_sample_rows())
        return ImportResult(**await db.run_write(store_import, items, now()))

    @get("/api/v1/export", summary="Export every stored job as CSV or JSON")
    async def export_jobs(self, db: Db, format: FromQuery[Format] = "csv") -> File:
        # Written to a private temporary file first: the store may be large.
        handle = tempfile.NamedTemporaryFile("w", suffix=f".{format}", delete=False, encoding="utf-8", newline="")
        with handle:
            await db.run_read(export_to, format, handle)
        return File(handle.name, filename=f"jobdeck-jobs.{format}", background=BackgroundTask(os.unlink, handle.name),
                    media_type="text/csv" if format == "csv" else "application/json")
