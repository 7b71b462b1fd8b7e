"""``GET /api/v1/events``: the server-sent event stream."""

from typing import AsyncIterator

import msgspec
from litestar import get
from litestar.datastructures import State
from litestar.response import ServerSentEvent, ServerSentEventMessage

from ..events import EventBroker


@get("/api/v1/events", tags=["events"], summary="Live events: run.*, board.*, job.*, license.*, alert.*",
     media_type="text/event-stream", response_description="Server-sent events: `event:` the name, `data:` its JSON")
async def events(state: State) -> ServerSentEvent:
    broker: EventBroker = state.broker

    subscription = broker.subscribe()

    async def stream() -> AsyncIterator[ServerSentEventMessage]:
        try:
            yield ServerSentEventMessage(comment="connected")
            async for name, data in subscription:
                yield ServerSentEventMessage(event=name, data=msgspec.json.encode(data).decode())
        finally:
            subscription.close()

    return ServerSentEvent(stream(), headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})
