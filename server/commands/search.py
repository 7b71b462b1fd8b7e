"""``jobdeck search TERM``: a scrape run from the terminal, with live progress.

It runs in this process through the same Runner the server uses, writing to
the same database (SQLite serialises the two writers), so the results show
up in the app at once.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

import msgspec

from ..db import Database
from ..db.preferences import DEFAULTS, read_preferences
from ..events import EventBroker
from ..scrape.params import BOARDS, SearchParams
from ..scrape.runner import Runner
from ..settings import Settings

__all__ = ["add_parser", "search"]


def add_parser(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("search", help="search the job boards now, with live progress")
    parser.add_argument("term", help='what to search for, e.g. "python developer"')
    parser.add_argument("--location", default="")
    parser.add_argument("--boards", help=f"comma-separated, from: {', '.join(BOARDS)} "
                                         "(default: the Settings' default boards)")
    parser.add_argument("--results", type=int, help="results wanted per board (default: from Settings, else 30)")
    parser.add_argument("--hours-old", type=int)
    parser.add_argument("--remote", action="store_true")
    parser.add_argument("--job-type", choices=["fulltime", "parttime", "contract", "temporary", "internship"])
    parser.add_argument("--country", help="for Indeed and Glassdoor, e.g. taiwan, hong kong, uk")
    parser.add_argument("--distance", type=int, help="miles around the location (default 50)")
    parser.add_argument("--fetch-descriptions", action="store_true")


def _params(args: argparse.Namespace, settings: Settings, saved: dict) -> SearchParams:
    """The flags, else the defaults chosen in Settings (``saved``), else the built-in ones."""
    boards = ([b.strip() for b in args.boards.split(",") if b.strip()] if args.boards
              else saved.get("default_boards") or DEFAULTS["default_boards"])
    country = args.country or saved.get("default_country") or settings.default_country
    raw = {"term": args.term, "location": args.location, "boards": boards,
           "results": args.results or saved.get("default_results") or DEFAULTS["default_results"],
           "hoursOld": args.hours_old, "remote": args.remote, "jobType": args.job_type,
           "country": country.lower(), "distance": args.distance,
           "fetchDescriptions": args.fetch_descriptions}
    return msgspec.convert({k: v for k, v in raw.items() if v is not None}, SearchParams)


def _line(event: str, data: dict) -> str | None:
    site = data.get("site", "")
    if event == "board.started":
        return f"  {site:<14} searching…" + (f" (attempt {data['attempt']})" if data.get("attempt", 1) > 1 else "")
    if event == "board.finished" and data["state"] == "done":
        return f"  {site:<14} {data['found']} found, {data['new']} new, {data['updated']} updated"
    if event == "board.finished":
        return f"  {site:<14} {data['state'].upper()}: {data.get('error')}"
    return None


async def search(settings: Settings, args: argparse.Namespace) -> int:
    db = Database(settings.database_path)
    await db.open()
    try:
        params = _params(args, settings, await db.run_read(read_preferences))
    except msgspec.ValidationError as exc:
        await db.close()
        print(f"jobdeck: {exc}", file=sys.stderr)
        return 2
    broker = EventBroker()
    runner = Runner(db, broker, max_concurrent=1, deadline_seconds=settings.board_deadline_seconds,
                    proxies=list(settings.proxies), log_dir=settings.home_path / "logs",
                    retries=settings.board_retries, backoff_seconds=settings.retry_backoff_seconds)
    subscription = broker.subscribe()
    try:
        run_id = await runner.start(params)
        print(f"Searching {', '.join(params.boards)} for “{params.term}”"
              + (f" in {params.location}" if params.location else "") + f" (run {run_id})")
        found = new = 0
        async for event, data in subscription:
            if (line := _line(event, data)) is not None:
                print(line, flush=True)
            if event == "board.finished" and data["state"] == "done":
                found, new = found + data["found"], new + data["new"]
            if event == "run.finished" and data["runId"] == run_id:
                print(f"Done: {found} postings, {new} new. Run state: {data['state']}.")
                return 1 if data["state"] == "failed" else 0
        return 1
    except (KeyboardInterrupt, asyncio.CancelledError):
        await runner.cancel(run_id)
        print("Cancelled; the postings already found are kept.")
        return 130
    finally:
        subscription.close()
        await runner.shutdown()
        await db.close()
