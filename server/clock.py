"""Time: epoch seconds in SQLite (they sort fast), UTC ISO 8601 in the API."""

from __future__ import annotations

import time
from datetime import datetime, timezone

__all__ = ["now", "now_ms", "iso"]


def now() -> int:
    return int(time.time())


def now_ms() -> int:
    """Epoch milliseconds: the times offline edits carry (last writer wins per field)."""
    return int(time.time() * 1000)


def iso(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
