"""Times at the API's edge: aware datetimes in, epoch seconds stored, ISO out.

Stored times stay between 1970 and 2200, so every stored value reads back as
a valid ISO date (a year-1 timestamp would break every later read).
"""

from __future__ import annotations

from datetime import datetime, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import ApiError

__all__ = ["epoch", "clamp_past", "zone", "local_to_epoch"]

_LOW, _HIGH = 0, 7_258_118_400  # 1970-01-01 .. 2200-01-01 UTC


def epoch(value: datetime, where: str) -> int:
    """Seconds since the epoch of an aware datetime, refused outside 1970–2199."""
    try:
        seconds = value.timestamp()
    except (OverflowError, ValueError, OSError):
        seconds = -1.0
    if not _LOW <= seconds < _HIGH:
        raise ApiError(400, "invalid", f"{where}: the time must be between 1970 and 2199.")
    return int(seconds)


def clamp_past(value: datetime | None, now: int, where: str) -> int:
    """When something happened: default now, and a clock running ahead counts as now."""
    return now if value is None else min(epoch(value, where), now)


def zone(name: str, where: str = "timeZone") -> tzinfo:
    if name in ("UTC", "Etc/UTC", "Z"):
        return timezone.utc
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError, TypeError):
        raise ApiError(400, "invalid", f"{where}: {name[:64]!r} is not a known IANA time zone "
                                       "(such as Europe/London or America/New_York).") from None


def local_to_epoch(value: datetime, zone_name: str, where: str) -> int:
    """A datetime with an offset as it is; a naive one as wall-clock time in ``zone_name``."""
    tz = zone(zone_name)
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz)
    return epoch(value, where)
