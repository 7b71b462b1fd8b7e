"""``jobdeck`` / ``jobdeck serve``: one server per home, opened in the browser."""

from __future__ import annotations

import asyncio
import errno
import gc
import logging
import signal
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..db import Database
from ..db.credentials import create_login_token
from ..home import ServerInfo, remove_server_info, running_instance, write_server_info
from ..login import write_login_redirect
from ..settings import Settings

if TYPE_CHECKING:  # imported only by a serving process
    from litestar import Litestar

__all__ = ["serve", "open_running", "bind", "build_app_to_serve"]

log = logging.getLogger("jobdeck")


class PortBusy(OSError):
    pass


def bind(host: str, port: int) -> socket.socket:
    """Bind before the app is built, so the app knows its port (even for port 0)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    if sys.platform != "win32":
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise PortBusy(f"port {port} on {host} is already in use by another program. "
                           "Stop it, or choose another with --port (0 picks any free port).") from None
        raise OSError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    # Accepted connections inherit this: without it, a keep-alive response
    # written in two parts waits ~40 ms for the client's delayed ACK (Nagle).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


async def _login_url(db: Database, base_url: str) -> str:
    return f"{base_url}/login?token={await create_login_token(db)}"


def _open_browser(home: Path, login_url: str) -> None:
    """Open the login link through a private file: the token stays off command lines."""
    import webbrowser  # only here: it is not needed to serve

    page = write_login_redirect(home, login_url)
    if not webbrowser.open(page.as_uri()):
        print(f"No browser found. To sign in, open {page.as_uri()} in your browser.")


def open_running(settings: Settings) -> int:
    info = running_instance(settings.home_path)
    if info is None:
        print("JobDeck is not running. Start it with `jobdeck`.", file=sys.stderr)
        return 1
    _open_existing(settings, info)
    return 0


def _open_existing(settings: Settings, info: ServerInfo) -> None:
    async def make() -> str:
        db = Database(settings.database_path)
        await db.open()
        try:
            return await _login_url(db, info.url)
        finally:
            await db.close()

    _open_browser(settings.home_path, asyncio.run(make()))


def serve(settings: Settings) -> int:
    info = running_instance(settings.home_path)
    if info is not None:
        if not settings.open_browser:  # --no-browser: say where it is, mint no login link
            print(f"JobDeck is already running at {info.url} (pid {info.pid}).")
            return 0
        print(f"JobDeck is already running at {info.url} (pid {info.pid}); opening it.")
        _open_existing(settings, info)
        return 0
    try:
        sock = bind(settings.host, settings.port)
    except OSError as exc:
        print(f"jobdeck: {exc}", file=sys.stderr)
        return 2
    port = sock.getsockname()[1]
    # uvicorn re-raises the stop signal once it has shut down; as an exception
    # it unwinds through _serve's cleanup (server.json) instead of killing us.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    return asyncio.run(_serve(settings, sock, port))


def _exit_on_signal(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def build_app_to_serve(settings: Settings, port: int) -> Litestar:
    """The app this process serves until it exits, built with the cyclic
    garbage collector paused, then frozen. Registering some 150 route
    handlers allocates enough to set off collection after collection, each
    scanning what the imports and the build made and finding next to nothing
    to free: a good part of the build's time. Frozen, those objects (which
    live as long as the process) are skipped by later collections too."""
    from ..app import create_app

    collecting = gc.isenabled()
    gc.disable()
    try:
        app = create_app(settings, port=port)
        gc.freeze()
        return app
    finally:
        if collecting:
            gc.enable()


async def _serve(settings: Settings, sock: socket.socket, port: int) -> int:
    import uvicorn

    app = build_app_to_serve(settings, port)
    # Opened here, before serving, so a locked, damaged or too-new database is
    # one clear line and exit 2 (through main) instead of a lifespan traceback.
    # The lifespan finds it open and closes it at the end.
    try:
        await app.state.database.open()
    except BaseException:
        sock.close()
        raise
    url = _url(settings.host, port)
    config = uvicorn.Config(app, log_level=settings.log_level, access_log=False,
                            lifespan="on", server_header=False, date_header=False)
    started = asyncio.Event()

    class AnnouncingServer(uvicorn.Server):
        """Says the moment it serves: the announcement then follows at once,
        where polling ``started`` delayed every start by up to a poll."""

        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                started.set()

    server = AnnouncingServer(config)

    async def announce() -> None:
        await started.wait()
        write_server_info(settings.home_path, port, url)
        print(f"JobDeck is running at {url}  (Ctrl+C to stop)", flush=True)
        if settings.open_browser:
            _open_browser(settings.home_path, await _login_url(app.state.database, url))

    announcer = asyncio.create_task(announce())
    try:
        await server.serve(sockets=[sock])
    finally:
        announcer.cancel()
        remove_server_info(settings.home_path)
        sock.close()
    return 0 if server.started else 1
