"""``jobdeck import FILE``, ``jobdeck export``, ``jobdeck demo``."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from ..clock import now
from ..db import Database
from ..settings import Settings
from ..transfer import TransferError, export_to, parse, store_import

__all__ = ["add_parsers", "import_file", "export_file", "demo"]


def add_parsers(commands: argparse._SubParsersAction) -> None:
    imp = commands.add_parser("import", help="import jobs from a CSV (jobspy's columns) or JSON file")
    imp.add_argument("file", type=Path)
    imp.add_argument("--format", choices=["csv", "json"], help="default: from the file name")
    exp = commands.add_parser("export", help="export every stored job as CSV or JSON")
    exp.add_argument("--format", choices=["csv", "json"], default="csv")
    exp.add_argument("--output", "-o", type=Path, help="file to write (default: standard output)")
    commands.add_parser("demo", help="load the sample postings, to try JobDeck before a search")


async def _import_items(settings: Settings, items: list) -> dict[str, int]:
    db = Database(settings.database_path)
    await db.open()
    try:
        return await db.run_write(store_import, items, now())
    finally:
        await db.close()


def import_file(settings: Settings, args: argparse.Namespace) -> int:
    fmt = args.format or ("json" if args.file.suffix.lower() == ".json" else "csv")
    try:
        items = parse(args.file.read_text(encoding="utf-8-sig"), fmt)
    except OSError as exc:
        print(f"jobdeck: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    except UnicodeDecodeError:
        print(f"jobdeck: {args.file} is not UTF-8 text", file=sys.stderr)
        return 2
    except TransferError as exc:
        print(f"jobdeck: nothing was imported from {args.file}: {exc}", file=sys.stderr)
        return 2
    result = asyncio.run(_import_items(settings, items))
    print(f"Imported {result['found']} postings from {args.file}: {result['new']} new, "
          f"{result['updated']} updated.")
    return 0


def export_file(settings: Settings, args: argparse.Namespace) -> int:
    async def run() -> int:
        db = Database(settings.database_path)
        await db.open()
        try:
            if args.output is None:
                return await db.run_read(export_to, args.format, sys.stdout)
            with args.output.open("w", encoding="utf-8", newline="") as handle:
                return await db.run_read(export_to, args.format, handle)
        finally:
            await db.close()

    count = asyncio.run(run())
    if args.output is not None:
        print(f"Exported {count} postings to {args.output}.")
    return 0


def demo(settings: Settings) -> int:
    from ..sample import load_sample_rows
    from ..transfer import parse_rows

    items = parse_rows(load_sample_rows())
    result = asyncio.run(_import_items(settings, items))
    print(f"Loaded {result['found']} sample postings ({result['new']} new). Open JobDeck to browse them.")
    return 0
