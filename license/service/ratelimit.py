"""Fixed-window rate-limit counters: Redis when configured (shared by every
replica), this process's memory otherwise (LICENSING.md "Service endpoints").

A window is ``floor(now / window)``; the counter's key names it, so a counter
dies with its window (Redis: a TTL; memory: pruned as windows pass).
"""

from __future__ import annotations

from typing import Callable, NamedTuple, Protocol

__all__ = ["Limiter", "MemoryLimiter", "RedisLimiter", "Decision"]


class Decision(NamedTuple):
    allowed: bool
    retry_after: int = 0  # seconds until the window turns


class Limiter(Protocol):
    async def hit(self, bucket: str, limit: int, window: int) -> Decision: ...
    async def count(self, bucket: str, window: int) -> int: ...
    async def add(self, bucket: str, window: int) -> None: ...
    async def close(self) -> None: ...


def _slot(now: float, window: int) -> tuple[int, int]:
    index = int(now // window)
    return index, max(1, (index + 1) * window - int(now))


class MemoryLimiter:
    def __init__(self, clock: Callable[[], float]):
        self._clock = clock
        self._counts: dict[tuple[str, int, int], int] = {}

    def _prune(self, now: float) -> None:
        if len(self._counts) > 10_000:
            self._counts = {k: v for k, v in self._counts.items() if k[2] >= int(now // k[1])}

    async def hit(self, bucket: str, limit: int, window: int) -> Decision:
        now = self._clock()
        index, retry = _slot(now, window)
        self._prune(now)
        key = (bucket, window, index)
        if self._counts.get(key, 0) >= limit:
            return Decision(False, retry)
        self._counts[key] = self._counts.get(key, 0) + 1
        return Decision(True)

    async def count(self, bucket: str, window: int) -> int:
        return self._counts.get((bucket, window, _slot(self._clock(), window)[0]), 0)

    async def add(self, bucket: str, window: int) -> None:
        index = _slot(self._clock(), window)[0]
        self._counts[(bucket, window, index)] = self._counts.get((bucket, window, index), 0) + 1

    async def close(self) -> None:
        self._counts.clear()


# INCR, and the TTL when the counter is new: one atomic command per hit
# (half the client CPU of a MULTI/INCR/EXPIRE/EXEC pipeline).
_INCR = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


class RedisLimiter:
    """Counters in Redis: one INCR (+ EXPIRE when new) per hit, in a script."""

    def __init__(self, url: str, clock: Callable[[], float], *, prefix: str = "jdl:rl:"):
        import redis.asyncio as redis  # only when configured

        self._redis = redis.from_url(url)
        self._incr = self._redis.register_script(_INCR)
        self._clock, self._prefix = clock, prefix

    def _key(self, bucket: str, window: int, index: int) -> str:
        return f"{self._prefix}{bucket}:{window}:{index}"

    async def hit(self, bucket: str, limit: int, window: int) -> Decision:
        index, retry = _slot(self._clock(), window)
        count = await self._incr(keys=[self._key(bucket, window, index)], args=[window + 1])
        if count > limit:
            return Decision(False, retry)
        return Decision(True)

    async def count(self, bucket: str, window: int) -> int:
        value = await self._redis.get(self._key(bucket, window, _slot(self._clock(), window)[0]))
        return int(value or 0)

    async def add(self, bucket: str, window: int) -> None:
        key = self._key(bucket, window, _slot(self._clock(), window)[0])
        await self._incr(keys=[key], args=[window + 1])

    async def close(self) -> None:
        await self._redis.aclose()
