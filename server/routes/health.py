"""``GET /api/v1/health``: the one route that needs no credentials."""

import time

import msgspec
from litestar import get
from litestar.datastructures import State

from .. import __version__
from ..deps import Db


class Health(msgspec.Struct, rename="camel"):
    status: str
    version: str
    schema_version: int
    uptime_seconds: float


@get("/api/v1/health", tags=["system"], summary="Is the server up, and which version is it")
async def health(db: Db, state: State) -> Health:
    return Health(status="ok", version=__version__, schema_version=db.schema_version,
                  uptime_seconds=round(time.monotonic() - state.started_monotonic, 3))
