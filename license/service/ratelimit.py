"""Fixed-window rate-limit counters: Redis when configured (shared by every
replica, decided in each; see :class:`RedisLimiter`), this process's memory
otherwise (LICENSING.md "Service endpoints").

A window is ``floor(now / window)``; the counter's key names it, so a counter
dies with its window (Redis: a TTL; memory: pruned as windows pass).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Callable, NamedTuple, Protocol

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

    def seed(self, counts: dict[tuple[str, int, int], int]) -> None:
        """Start from these counts where they are higher (what a replica knew)."""
        for key, count in counts.items():
            self._counts[key] = max(self._counts.get(key, 0), count)

    async def close(self) -> None:
        self._counts.clear()


# Add each counter's new hits (INCRBY; 0 only reads it) and give a new
# counter its TTL: one atomic script call for every counter with news.
_EXCHANGE = """
local totals = {}
for i, key in ipairs(KEYS) do
  local added = tonumber(ARGV[2 * i - 1])
  local total = redis.call('INCRBY', key, added)
  if total == added then redis.call('EXPIRE', key, ARGV[2 * i]) end
  totals[i] = total
end
return totals
"""

Slot = tuple[str, int, int]  # (bucket, window, window index), as MemoryLimiter keys its counts


class _Counter:
    """What this process knows of one shared counter."""

    __slots__ = ("known", "sending", "pending")

    def __init__(self) -> None:
        self.known = 0    # its value in Redis at the last exchange, this process's hits included
        self.sending = 0  # hits on their way to Redis
        self.pending = 0  # hits let through since, not sent yet

    @property
    def estimate(self) -> int:
        return self.known + self.sending + self.pending


class RedisLimiter:
    """Counters in Redis, shared by every replica, and decided here.

    A hit is decided at once from what this process knows: the counter's
    value at its last exchange with Redis plus the hits let through since.
    Those hits go to Redis at most ``SYNC_SECONDS`` later, every counter in
    one script call, so a request never waits on Redis and Redis sees one
    increment per counter per interval, not one per request. Within one
    process the count is exact. A replica learns the others' hits at its
    next exchange, so together they can let through, over a limit, what
    the others admitted in one interval.

    When Redis fails (down, unreachable, too slow) the limits are counted in
    this process's memory, starting from what it knew, until Redis answers
    again, with a warning in the log: a license check must not fail because
    a counter store did, and the limits still hold per replica meanwhile."""

    TIMEOUT_SECONDS = 0.5
    SYNC_SECONDS = 0.05
    RETRY_AFTER_SECONDS = 5  # after a failure, memory only for this long
    WARN_EVERY_SECONDS = 60

    def __init__(self, url: str, clock: Callable[[], float], *, prefix: str = "jdl:rl:"):
        import redis.asyncio as redis  # only when configured
        from redis.exceptions import RedisError

        self._redis = redis.from_url(url, socket_timeout=self.TIMEOUT_SECONDS,
                                     socket_connect_timeout=self.TIMEOUT_SECONDS)
        self._exchange_script = self._redis.register_script(_EXCHANGE)
        self._clock, self._prefix = clock, prefix
        self._counters: dict[Slot, _Counter] = {}
        self._sync: asyncio.Task | None = None
        self._fallback = MemoryLimiter(clock)
        self._errors: tuple[type[BaseException], ...] = (RedisError, OSError)
        self._warned_at = float("-inf")
        self._down_until = float("-inf")

    def _redis_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _counter(self, bucket: str, window: int) -> tuple[Slot, _Counter, int]:
        """The current window's counter, and the seconds until that window turns."""
        index, retry = _slot(self._clock(), window)
        slot = (bucket, window, index)
        counter = self._counters.get(slot)
        if counter is None:
            counter = self._counters[slot] = _Counter()
        return slot, counter, retry

    async def hit(self, bucket: str, limit: int, window: int) -> Decision:
        if self._redis_down():
            return await self._fallback.hit(bucket, limit, window)
        _, counter, retry = self._counter(bucket, window)
        if counter.estimate >= limit:
            return Decision(False, retry)
        counter.pending += 1
        self._sync_soon()
        return Decision(True)

    async def add(self, bucket: str, window: int) -> None:
        if self._redis_down():
            return await self._fallback.add(bucket, window)
        self._counter(bucket, window)[1].pending += 1
        self._sync_soon()

    async def count(self, bucket: str, window: int) -> int:
        """The counter as Redis has it now (a round trip: for the rare
        decisions that need the other replicas' latest hits)."""
        if not self._redis_down():
            slot, counter, _ = self._counter(bucket, window)
            await self._exchange([slot])
            if not self._redis_down():
                return counter.estimate
        return await self._fallback.count(bucket, window)

    def _sync_soon(self) -> None:
        if self._sync is None:
            self._sync = asyncio.get_running_loop().create_task(self._sync_later())

    async def _sync_later(self) -> None:
        await asyncio.sleep(self.SYNC_SECONDS)
        self._sync = None
        await self.sync()

    async def sync(self) -> None:
        """Send every counter's unsent hits now, and forget the windows that passed."""
        now = self._clock()
        for slot in [slot for slot, counter in self._counters.items()
                     if slot[2] < int(now // slot[1]) and not counter.pending and not counter.sending]:
            del self._counters[slot]
        await self._exchange([slot for slot, counter in self._counters.items() if counter.pending])

    async def _exchange(self, slots: list[Slot]) -> None:
        """Send these counters' unsent hits and read their totals back."""
        if not slots:
            return
        counters = [self._counters[slot] for slot in slots]
        sent = [counter.pending for counter in counters]
        for counter, added in zip(counters, sent):
            counter.pending, counter.sending = 0, counter.sending + added
        arguments = [value for (_, window, _), added in zip(slots, sent) for value in (added, window + 1)]
        try:
            totals = await self._exchange_script(keys=[self._key(slot) for slot in slots], args=arguments)
        except self._errors as exc:
            for counter, added in zip(counters, sent):
                counter.sending -= added
                counter.pending += added  # still counted here, sent once Redis is back
            self._fall_back(exc)
            return
        for counter, added, total in zip(counters, sent, totals):
            counter.sending -= added
            # A total can already hold hits still counted as sending (another
            # exchange in flight): counted twice until that one answers, which
            # errs towards refusing.
            counter.known = max(counter.known, int(total))

    def _fall_back(self, exc: BaseException) -> None:
        """Count in memory from here, starting from what this process knows."""
        self._down_until = time.monotonic() + self.RETRY_AFTER_SECONDS
        self._fallback.seed({slot: counter.estimate for slot, counter in self._counters.items()})
        if time.monotonic() - self._warned_at >= self.WARN_EVERY_SECONDS:
            self._warned_at = time.monotonic()
            log.warning("Redis failed (%s): counting rate limits in this process's memory until it answers",
                        type(exc).__name__)

    def _key(self, slot: Slot) -> str:
        bucket, window, index = slot
        return f"{self._prefix}{bucket}:{window}:{index}"

    async def close(self) -> None:
        if self._sync is not None:
            self._sync.cancel()
            self._sync = None
        if not self._redis_down():
            await self.sync()  # the last hits, for the other replicas
        await self._redis.aclose()
