"""Time: epoch seconds in SQLite (they sort fast), UTC ISO 8601 in the API."""

from __future__ import annotations

import time
from datetime import datetime, timezone

__all__ = ["now", "iso"]


def now() -> int:
    return int(time.time())


def iso(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
