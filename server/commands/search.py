"""``jobdeck search TERM``: a scrape run from the terminal, with live progress.

When JobDeck is running it asks that server to run the search, so the run
counts against its limit on runs at once and the open app shows it live;
otherwise (or with --in-process) it runs here through the same Runner,
writing to the same database (SQLite serialises the two writers).
"""

from __future__ import annotations

import argparse
import asyncio
import sys

import msgspec

from ..db import Database
from ..db.preferences import DEFAULTS, read_preferences
from ..events import EventBroker
from ..home import ServerInfo, running_instance
from ..scrape.params import BOARDS, SearchParams
from ..scrape.runner import Runner
from ..settings import Settings
from .board_advice import board_failure, board_said
from .command_database import CommandDatabase
from .running_server import RunningServer, ServerError, api_token

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
    parser.add_argument("--in-process", action="store_true",
                        help="run here even when JobDeck is running (default: ask the running server)")


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


def _line(event: str, data: dict, details: bool = False) -> str | None:
    """``details``: a failed board's own message too (with --log-level debug), as the app
    keeps it under "What the board said"; otherwise only what happened and what to try."""
    site = data.get("site", "")
    if event == "board.started":
        return f"  {site:<14} searching…" + (f" (attempt {data['attempt']})" if data.get("attempt", 1) > 1 else "")
    if event == "board.finished" and data["state"] == "done":
        return f"  {site:<14} {data['found']} found, {data['new']} new, {data['updated']} updated"
    if event == "board.finished":
        lines = [f"  {site:<14} {board_failure(data['state'], data.get('kind'), data.get('error'))}"]
        if details and data.get("error"):
            lines.append(f"  {'':<14} {board_said(data['error'])}")
        return "\n".join(lines)
    return None


class _Progress:
    """Prints one run's events; its exit status once the run has finished."""

    def __init__(self, run_id: int, details: bool = False) -> None:
        self.run_id, self.details, self.found, self.new = run_id, details, 0, 0

    def show(self, event: str, data: dict) -> int | None:
        if data.get("runId") != self.run_id:  # a running server streams every run's events
            return None
        if (line := _line(event, data, self.details)) is not None:
            print(line, flush=True)
        if event == "board.finished" and data["state"] == "done":
            self.found, self.new = self.found + data["found"], self.new + data["new"]
        if event == "run.finished":
            print(f"Done: {self.found} postings, {self.new} new. Run state: {data['state']}.")
            return 1 if data["state"] == "failed" else 0
        return None


def _announce(params: SearchParams, run_id: int, where: str = "") -> None:
    print(f"Searching {', '.join(params.boards)} for “{params.term}”"
          + (f" in {params.location}" if params.location else "") + f" (run {run_id}{where})", flush=True)


def search(settings: Settings, args: argparse.Namespace) -> int:
    details = settings.log_level == "debug"
    with CommandDatabase(settings.database_path) as database:  # once, for the whole command
        try:
            params = _params(args, settings, database.run(database.db.run_read(read_preferences)))
        except msgspec.ValidationError as exc:
            print(f"jobdeck: {exc}", file=sys.stderr)
            return 2
        info = None if args.in_process else running_instance(settings.home_path)
        if info is not None:
            with api_token(database, "jobdeck search") as secret:
                return _follow(info, params, RunningServer(info.url, secret), details)
        return database.run(_in_process(settings, database.db, params, details))


def _follow(info: ServerInfo, params: SearchParams, server: RunningServer, details: bool = False) -> int:
    """Start the run in the server and show its progress until it ends."""
    run_id = None
    try:
        events = server.subscribe()  # before the run starts: none of its events is missed
        run_id = server.call("POST", "/api/v1/runs", msgspec.to_builtins(params))["id"]
        _announce(params, run_id, f", through JobDeck at {info.url}")
        progress = _Progress(run_id, details)
        for event, data in events:
            if (status := progress.show(event, data)) is not None:
                return status
        print("jobdeck: the server stopped before the run finished.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        if run_id is not None:
            try:
                server.call("POST", f"/api/v1/runs/{run_id}/cancel")
            except (OSError, ServerError):
                pass  # it ended meanwhile
        print("Cancelled; the postings already found are kept.")
        return 130
    except ServerError as exc:
        print(f"jobdeck: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"jobdeck: lost the connection to JobDeck at {info.url}: {exc}", file=sys.stderr)
        return 1
    finally:
        server.close()


async def _in_process(settings: Settings, db: Database, params: SearchParams, details: bool = False) -> int:
    broker = EventBroker()
    runner = Runner(db, broker, max_concurrent=1, deadline_seconds=settings.board_deadline_seconds,
                    proxies=list(settings.proxies), log_dir=settings.home_path / "logs",
                    retries=settings.board_retries, backoff_seconds=settings.retry_backoff_seconds)
    subscription = broker.subscribe()
    run_id = None
    try:
        run_id = await runner.start(params)
        _announce(params, run_id)
        progress = _Progress(run_id, details)
        async for event, data in subscription:
            if (status := progress.show(event, data)) is not None:
                return status
        return 1
    except (KeyboardInterrupt, asyncio.CancelledError):
        if run_id is not None:
            await runner.cancel(run_id)
        print("Cancelled; the postings already found are kept.")
        return 130
    finally:
        subscription.close()
        await runner.shutdown()
