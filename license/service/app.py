"""``create_service(config)``: the one factory for the CLI, the tests and the
benchmark. Nothing is built at import; the engine connects on first use and
is disposed of when the app shuts down, after the usage log's last flush."""

from __future__ import annotations

import time
from contextlib import asynccontextmanager
from types import MappingProxyType
from typing import AsyncIterator, Callable, Mapping

from litestar import Litestar, Router, get
from litestar.types import ASGIApp, Receive, Scope, Send

from .config import ServiceConfig
from .context import Deliver, IssuedSecret, ServiceContext, log
from .db import create_engine, current_revision, make_sessions
from .ratelimit import Limiter, MemoryLimiter, RedisLimiter
from .signing import KeyRing
from .usage import UsageLog

__all__ = ["create_service", "check_schema", "SchemaMismatch", "LicenseService"]

MAX_BODY = 64 * 1024  # Stripe events are the largest bodies we take


class SchemaMismatch(RuntimeError):
    pass


async def _no_delivery(secret: IssuedSecret) -> None:
    log.error("a %s was issued for license %s / organisation %s but no deliverer is configured; "
              "issue a new one with the CLI", secret.kind, secret.license_id, secret.org_id)


class LicenseService(Litestar):
    """The service's app: Litestar, except that requests for a path in
    ``direct`` (validate and refresh, nearly all the traffic) go straight to
    their plain ASGI route (routes/raw.py), past the middleware stack and
    the router. Those routes answer their own errors, and are registered
    with the router as well, so any other spelling of their path reaches
    the same code."""

    direct: Mapping[str, ASGIApp] = MappingProxyType({})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:  # type: ignore[override]
        route = self.direct.get(scope["path"]) if scope["type"] == "http" else None
        if route is None:
            return await super().__call__(scope, receive, send)
        scope["app"] = scope["litestar_app"] = self
        await route(scope, receive, send)


@get("/health", sync_to_thread=False)
def health() -> dict[str, str]:
    return {"status": "ok"}


def create_service(config: ServiceConfig, *, keys: KeyRing | None = None,
                   clock: Callable[[], float] = time.time, deliver: Deliver | None = None,
                   limiter: Limiter | None = None, verify_schema: bool = True) -> LicenseService:
    from .routes.admin import ROUTES as ADMIN_ROUTES
    from .routes.licensing import RAW_ROUTES
    from .routes.licensing import ROUTES as LICENSE_ROUTES
    from .routes.stripe import ROUTES as STRIPE_ROUTES
    from .validation import Lookups

    keys = keys if keys is not None else KeyRing.load(config.secrets_path())
    engine = create_engine(config.database_url)
    if limiter is None:
        limiter = RedisLimiter(config.redis_url, clock) if config.redis_url else MemoryLimiter(clock)
    ctx = ServiceContext(config=config, keys=keys, engine=engine, lookups=Lookups(engine),
                         sessions=make_sessions(engine), limiter=limiter, usage=UsageLog(engine),
                         clock=clock, deliver=deliver or _no_delivery)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        try:
            if verify_schema:
                await check_schema(ctx)
            ctx.usage.start()
            yield
        finally:
            await ctx.usage.close()  # the buffered usage rows, before the engine goes
            await limiter.close()
            await engine.dispose()

    v1 = Router("/v1", route_handlers=[*LICENSE_ROUTES, *STRIPE_ROUTES, *ADMIN_ROUTES])
    app = LicenseService(route_handlers=[v1, health], lifespan=[lifespan], openapi_config=None,
                         request_max_body_size=MAX_BODY, debug=False)
    app.state.ctx = ctx
    app.direct = {f"/v1{path}": route.fn for route in RAW_ROUTES for path in route.paths}
    return app


async def check_schema(ctx: ServiceContext) -> None:
    from alembic.script import ScriptDirectory

    from .db import alembic_config

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    have = await current_revision(ctx.engine)
    if have != head:
        known = {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
        if have is not None and have not in known:
            raise SchemaMismatch(f"the database is at revision {have}, newer than this release "
                                 f"(head {head}); upgrade the service")
        raise SchemaMismatch(f"the database is at revision {have or 'none'}, not {head}: "
                             "run `jobdeck-license migrate`")
