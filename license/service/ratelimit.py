"""Fixed-window rate-limit counters: Redis when configured (shared by every
replica), this process's memory otherwise (LICENSING.md "Service endpoints").

A window is ``floor(now / window)``; the counter's key names it, so a counter
dies with its window (Redis: a TTL; memory: pruned as windows pass).
"""

from __future__ import annotations

import logging
import time
from typing import Callable, NamedTuple, Protocol, Sequence

from .batching import Batcher

log = logging.getLogger("jobdeck.license.ratelimit")

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


# INCR each key, and set its TTL when the counter is new: one atomic script
# call for every hit that arrived in the same turn of the event loop.
_INCR_MANY = """
local counts = {}
for i, key in ipairs(KEYS) do
  local count = redis.call('INCR', key)
  if count == 1 then redis.call('EXPIRE', key, ARGV[i]) end
  counts[i] = count
end
return counts
"""


class RedisLimiter:
    """Counters in Redis. Concurrent hits are sent together (one script call
    for all of them, :class:`~license.service.batching.Batcher`): under load
    a hit costs a share of one round trip, not a round trip of its own. Each
    counter is still incremented atomically, and each request is decided by
    the count its own increment returned.

    When Redis fails (down, unreachable, too slow) the limits are counted in
    this process's memory until it answers again, with a warning in the
    log: a license check must not fail because a counter store did, and the
    limits still hold per replica meanwhile."""

    TIMEOUT_SECONDS = 0.5
    RETRY_AFTER_SECONDS = 5  # after a failure, memory only for this long: no request waits on a dead Redis
    WARN_EVERY_SECONDS = 60

    def __init__(self, url: str, clock: Callable[[], float], *, prefix: str = "jdl:rl:"):
        import redis.asyncio as redis  # only when configured
        from redis.exceptions import RedisError

        self._redis = redis.from_url(url, socket_timeout=self.TIMEOUT_SECONDS,
                                     socket_connect_timeout=self.TIMEOUT_SECONDS)
        self._incr_many = self._redis.register_script(_INCR_MANY)
        self._increments = Batcher(self._increment_all, max_size=256)
        self._clock, self._prefix = clock, prefix
        self._fallback = MemoryLimiter(clock)
        self._errors: tuple[type[BaseException], ...] = (RedisError, OSError)
        self._warned_at = float("-inf")
        self._down_until = float("-inf")

    def _redis_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _falling_back(self, exc: BaseException) -> MemoryLimiter:
        self._down_until = time.monotonic() + self.RETRY_AFTER_SECONDS
        if time.monotonic() - self._warned_at >= self.WARN_EVERY_SECONDS:
            self._warned_at = time.monotonic()
            log.warning("Redis failed (%s): counting rate limits in this process's memory until it answers",
                        type(exc).__name__)
        return self._fallback

    def _key(self, bucket: str, window: int, index: int) -> str:
        return f"{self._prefix}{bucket}:{window}:{index}"

    async def _increment_all(self, items: Sequence[tuple[str, int]]) -> list[int]:
        return await self._incr_many(keys=[key for key, _ in items], args=[ttl for _, ttl in items])

    async def _increment(self, bucket: str, window: int, index: int) -> int:
        return await self._increments.submit((self._key(bucket, window, index), window + 1))

    async def hit(self, bucket: str, limit: int, window: int) -> Decision:
        index, retry = _slot(self._clock(), window)
        if self._redis_down():
            return await self._fallback.hit(bucket, limit, window)
        try:
            count = await self._increment(bucket, window, index)
        except self._errors as exc:
            return await self._falling_back(exc).hit(bucket, limit, window)
        if count > limit:
            return Decision(False, retry)
        return Decision(True)

    async def count(self, bucket: str, window: int) -> int:
        if self._redis_down():
            return await self._fallback.count(bucket, window)
        try:
            value = await self._redis.get(self._key(bucket, window, _slot(self._clock(), window)[0]))
        except self._errors as exc:
            return await self._falling_back(exc).count(bucket, window)
        return int(value or 0)

    async def add(self, bucket: str, window: int) -> None:
        if self._redis_down():
            return await self._fallback.add(bucket, window)
        try:
            await self._increment(bucket, window, _slot(self._clock(), window)[0])
        except self._errors as exc:
            await self._falling_back(exc).add(bucket, window)

    async def close(self) -> None:
        await self._redis.aclose()
