"""The baseline for bench/startup.py: a bare Litestar hello-world app.

It is served exactly the way ``jobdeck`` serves (server/commands/serve.py):
the same uvicorn, a socket bound before the app is built, ``Server.serve``
under ``asyncio.run`` and the same ``uvicorn.Config`` options. The benchmark
launches it as a script with the same interpreter, flags and environment as
the ``jobdeck`` console script, so the two differ only in the app.

Usage: ``python bench/hello_app.py [PORT]``; 0 (the default) picks a free
port, and the line "Hello is running at http://127.0.0.1:PORT" tells which.
"""

from __future__ import annotations

import asyncio
import socket
import sys

import uvicorn
from litestar import Litestar, get


@get("/hello")
async def hello() -> dict[str, str]:
    return {"hello": "world"}


def _bind(port: int) -> socket.socket:
    # The same socket options as jobdeck's bind(), so accept and send behave alike.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def main() -> int:
    sock = _bind(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
    app = Litestar(route_handlers=[hello])
    # jobdeck's defaults: log level info, no access log, lifespan on.
    config = uvicorn.Config(app, log_level="info", access_log=False, lifespan="on",
                            server_header=False, date_header=False)
    server = uvicorn.Server(config)
    # Printed before serving: the socket already listens, so a request sent
    # now waits in the backlog and this side gets its earliest possible 200.
    print(f"Hello is running at http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    try:
        asyncio.run(server.serve(sockets=[sock]))
    except KeyboardInterrupt:  # Ctrl+C: exit 130, as jobdeck does
        return 130
    finally:
        sock.close()
    return 0 if server.started else 1


if __name__ == "__main__":
    sys.exit(main())
