"""``create_app(settings)``: the one factory used by the CLI and every test.

Nothing is built or read at import time. The database opens in the app's
lifespan and closes with it.
"""

from __future__ import annotations

import secrets
import time
from contextlib import asynccontextmanager
from typing import AsyncIterator, Callable

from litestar import Litestar
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import RapidocRenderPlugin
from litestar.datastructures import State
from litestar.plugins import PluginProtocol
from litestar.plugins.core import MsgspecDIPlugin

from license.client import Transport

from . import __version__
from .alerts import AlertScheduler
from .assets import Assets, asset_routes, find_pwa_dir
from .auth import Authenticator
from .clock import now
from .db import Database
from .db.preferences import blocked_company_keys
from .db.runs import interrupt_unfinished
from .events import EventBroker
from .entitlements import Entitlements
from .licensing import Licensing
from .errors import exception_handlers
from .login import STALE_SECONDS, clear_login_redirects
from .routes import API_ROUTES
from .scrape.runner import Runner
from .security import HostPolicy, SecurityMiddleware
from .settings import Settings

__all__ = ["create_app"]


class MsgspecLitestar(Litestar):
    """Litestar without its pydantic and attrs plugins. JobDeck's server
    speaks msgspec only; pydantic is installed because jobspy needs it (in
    the scrape worker, never here), and Litestar would import it at start
    just to register those plugins: about a sixth of the server's start-up."""

    @staticmethod
    def _get_default_plugins(plugins: list[PluginProtocol]) -> list[PluginProtocol]:
        plugins.append(MsgspecDIPlugin())
        return plugins


def create_app(settings: Settings, *, port: int | None = None,
               license_transport: Transport | None = None,
               alert_clock: Callable[[], float] | None = None) -> Litestar:
    """Build the app. ``port`` is the bound port when it differs from the setting (port 0);
    ``license_transport`` replaces HTTP to the license service (tests run the service in-process);
    ``alert_clock`` is the time the alert scheduler goes by (tests move it by hand)."""
    db = Database(settings.database_path)
    broker = EventBroker()
    runner = Runner(db, broker, max_concurrent=settings.max_concurrent_runs,
                    deadline_seconds=settings.board_deadline_seconds,
                    proxies=list(settings.proxies), log_dir=settings.home_path / "logs",
                    retries=settings.board_retries, backoff_seconds=settings.retry_backoff_seconds)
    entitlements = Entitlements()
    licensing = Licensing(db, settings, broker, entitlements, transport=license_transport)
    alerts = AlertScheduler(db, runner, broker, entitlements, blocklist=settings.company_blocklist,
                            clock=alert_clock or now)
    internal_secret = secrets.token_urlsafe(32)
    assets = Assets(find_pwa_dir())  # hashed when the service worker is first asked for

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        await db.open()
        await db.run_write(interrupt_unfinished, now())
        clear_login_redirects(settings.home_path, older_than=STALE_SECONDS)
        await licensing.start()
        await alerts.start()
        try:
            yield
        finally:
            await alerts.stop()
            await licensing.stop()
            await runner.shutdown()
            await db.close()

    async def blocked() -> tuple[str, ...]:
        return tuple(await db.run_read(blocked_company_keys, settings.company_blocklist))

    app = MsgspecLitestar(
        route_handlers=[*API_ROUTES, *asset_routes(assets)],
        dependencies={
            "db": Provide(lambda: db, use_cache=True, sync_to_thread=False),
            "settings": Provide(lambda: settings, use_cache=True, sync_to_thread=False),
            "entitlements": Provide(lambda: entitlements, use_cache=True, sync_to_thread=False),
            "blocked": Provide(blocked),
        },
        lifespan=[lifespan],
        exception_handlers=exception_handlers,
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="JobDeck", version=__version__, path="/schema",
            description="The local JobDeck API. Every route but health needs a session "
                        "cookie or a bearer token (`jobdeck token create`).",
            render_plugins=[RapidocRenderPlugin(path="/", js_url="/vendor/rapidoc/rapidoc-min.js",
                                               favicon="<link rel='icon' href='/icons/icon.svg'>")],
        ),
        state=State({"started_monotonic": time.monotonic(), "started_at": time.time(),
                     "internal_secret": internal_secret, "assets": assets, "database": db,
                     "broker": broker, "runner": runner, "alerts": alerts,
                     "entitlements": entitlements, "licensing": licensing}),
        debug=False,
    )
    # Outermost, around Litestar's own stack, so that no route, 404 or static
    # file is reached before the Host, origin and credential checks.
    app.asgi_handler = SecurityMiddleware(
        app.asgi_handler,
        policy=HostPolicy(port=settings.port if port is None else port,
                          extra_names=list(settings.allowed_hosts)),
        authenticator=Authenticator(db, internal_secret),
        max_body_bytes=settings.max_body_bytes,
    )
    return app
