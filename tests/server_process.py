"""The real ``jobdeck`` server started as a subprocess, for end-to-end tests."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
import urllib.request
from pathlib import Path

__all__ = ["ServerProcess", "free_port"]

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A loopback port free now. Tests that restart a server pass it twice: the
    origin (and so the service worker, the cookie and IndexedDB) is scheme,
    host and port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    def __init__(self, home: Path, *, env: dict[str, str] | None = None, port: int = 0) -> None:
        self.home = home
        self.port = port
        self.env = {**os.environ, "JOBDECK_CONFIG": str(home / "absent.toml"), **(env or {})}
        self.process: subprocess.Popen | None = None
        self.url = ""

    def start(self, timeout: float = 30) -> "ServerProcess":
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "server.json").unlink(missing_ok=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "--no-browser", "--port", str(self.port),
             "--home", str(self.home)],
            cwd=REPO, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jobdeck exited early:\n{self.process.stdout.read()}")
            try:
                info = json.loads((self.home / "server.json").read_text())
                if info["pid"] == self.process.pid:
                    self.url, self.port = info["url"], info["port"]
                    with urllib.request.urlopen(f"{self.url}/api/v1/health", timeout=2):
                        return self
            except (OSError, ValueError, KeyError):
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("jobdeck did not start in time")

    def login_url(self) -> str:
        """A one-time login link, made the way the CLI makes it."""
        import asyncio

        from server.db import Database
        from server.db.credentials import create_login_token

        async def make() -> str:
            db = Database(self.home / "jobdeck.sqlite3")
            await db.open()
            try:
                return await create_login_token(db)
            finally:
                await db.close()

        # In a thread of its own: Playwright's sync API keeps a loop running in this one.
        with ThreadPoolExecutor(1) as pool:
            token = pool.submit(asyncio.run, make()).result()
        return f"{self.url}/login?token={token}"

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.process and self.process.stdout:
            self.process.stdout.close()
