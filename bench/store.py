"""Large synthetic stores for the benchmarks, built through the real ingest code."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path

from server.db import Database
from server.db.jobs import ingest
from server.sample.generate import generate
from server.scrape.normalize import normalise

__all__ = ["build_store", "normalised_rows"]


def normalised_rows(n: int, seed: int = 7):
    return [normalise(row) for row in generate(n, seed, distinct=True)]


def build_store(home: Path, n: int, batch: int = 5_000) -> Path:
    """A home whose database holds ``n`` generated postings (12 months of them)."""
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    records = normalised_rows(n)

    async def fill() -> None:
        db = Database(home / "jobdeck.sqlite3")
        await db.open()
        try:
            base = int(time.time()) - 365 * 86400
            for start in range(0, n, batch):
                chunk = records[start:start + batch]
                stamp = base + start * 365 * 86400 // n  # spread first-seen over the year
                await db.run_write(ingest, chunk, stamp)
        finally:
            await db.close()

    asyncio.run(fill())
    conn = sqlite3.connect(home / "jobdeck.sqlite3")
    conn.execute("PRAGMA optimize")
    conn.close()
    return home / "jobdeck.sqlite3"
