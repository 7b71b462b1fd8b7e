"""Coalescing of concurrent round trips (the DataLoader pattern).

Under load many requests reach the same kind of round trip (a rate-limit
counter in Redis, the validation read) in the same turn of the event loop.
:class:`Batcher` lets them share it: ``submit`` queues an item and waits;
when the loop comes round, everything queued meanwhile goes out in one call
of ``run_batch`` (in slices of at most ``max_size``), and each caller gets
its own result. Nothing is held back on a timer, so a request alone costs
what it did before; nothing is cached either: every item is sent after its
caller asked, and answered by that round trip.
"""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable, Generic, Sequence, TypeVar

__all__ = ["Batcher"]

Item = TypeVar("Item")
Result = TypeVar("Result")


class Batcher(Generic[Item, Result]):
    def __init__(self, run_batch: Callable[[Sequence[Item]], Awaitable[Sequence[Result]]], *,
                 max_size: int = 64):
        self._run_batch, self._max_size = run_batch, max_size
        self._pending: list[tuple[Item, asyncio.Future]] = []
        self._scheduled = False
        self._running: set[asyncio.Task] = set()  # strong references until they finish

    async def submit(self, item: Item) -> Result:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._pending.append((item, future))
        if not self._scheduled:
            self._scheduled = True
            loop.call_soon(self._dispatch)
        return await future

    def _dispatch(self) -> None:
        self._scheduled = False
        pending, self._pending = self._pending, []
        for start in range(0, len(pending), self._max_size):
            task = asyncio.ensure_future(self._settle(pending[start:start + self._max_size]))
            self._running.add(task)
            task.add_done_callback(self._running.discard)

    async def _settle(self, batch: list[tuple[Item, asyncio.Future]]) -> None:
        try:
            results = await self._run_batch([item for item, _ in batch])
            if len(results) != len(batch):
                raise RuntimeError(f"a batch of {len(batch)} got {len(results)} results")
        except Exception as exc:  # every caller of the batch sees the failure
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        except BaseException:  # cancelled (shutdown): the callers are cancelled too
            for _, future in batch:
                future.cancel()
            raise
        for (_, future), result in zip(batch, results):
            if not future.done():  # a caller that gave up (cancelled) is skipped
                future.set_result(result)
