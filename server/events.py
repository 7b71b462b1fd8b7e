"""Typed events for the one SSE stream (``run.*``, ``board.*``, ``job.*``, ``license.*``, ``alert.*``).

Each subscriber gets its own bounded queue: a slow browser tab loses old
events rather than slowing the server down.
"""

from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator

__all__ = ["EventBroker", "Subscription"]


class EventBroker:
    def __init__(self, queue_size: int = 256) -> None:
        self._subscribers: set[asyncio.Queue[tuple[str, dict[str, Any]]]] = set()
        self._queue_size = queue_size

    def publish(self, event: str, data: dict[str, Any]) -> None:
        for queue in list(self._subscribers):
            if queue.full():
                queue.get_nowait()  # drop the oldest
            queue.put_nowait((event, data))

    def subscribe(self) -> "Subscription":
        """Registered at once, so no event published after this call is missed."""
        queue: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue(self._queue_size)
        self._subscribers.add(queue)
        return Subscription(self, queue)

    @property
    def subscriber_count(self) -> int:
        return len(self._subscribers)


class Subscription:
    def __init__(self, broker: EventBroker, queue: asyncio.Queue[tuple[str, dict[str, Any]]]) -> None:
        self._broker, self._queue = broker, queue

    def __aiter__(self) -> AsyncIterator[tuple[str, dict[str, Any]]]:
        return self

    async def __anext__(self) -> tuple[str, dict[str, Any]]:
        return await self._queue.get()

    def close(self) -> None:
        self._broker._subscribers.discard(self._queue)
