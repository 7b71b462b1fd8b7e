"""Typed events for the one SSE stream (``run.*``, ``board.*``, ``job.*``, ``license.*``).

Each subscriber gets its own bounded queue: a slow browser tab loses old
events rather than slowing the server down.
"""

from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator

__all__ = ["EventBroker"]


class EventBroker:
    def __init__(self, queue_size: int = 256) -> None:
        self._subscribers: set[asyncio.Queue[tuple[str, dict[str, Any]]]] = set()
        self._queue_size = queue_size

    def publish(self, event: str, data: dict[str, Any]) -> None:
        for queue in list(self._subscribers):
            if queue.full():
                queue.get_nowait()  # drop the oldest
            queue.put_nowait((event, data))

    async def subscribe(self) -> AsyncIterator[tuple[str, dict[str, Any]]]:
        queue: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue(self._queue_size)
        self._subscribers.add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._subscribers.discard(queue)

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)
