"""Talking to the running server from a command: JSON requests and its event stream.

Standard library only (http.client): commands start fast and the server
is on this machine.
"""

from __future__ import annotations

import http.client
import json
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from .command_database import CommandDatabase

__all__ = ["ServerError", "RunningServer", "api_token", "temporary_token"]


@contextmanager
def temporary_token(database_path: Path, name: str, *, leave_revoked: bool = False) -> Iterator[str]:
    """An API token (its secret) for one command's requests to the running server;
    afterwards deleted, or left revoked as a record that the command went through the API."""
    from .command_database import CommandDatabase

    with CommandDatabase(database_path) as database:
        with api_token(database, name, leave_revoked=leave_revoked) as secret:
            yield secret


@contextmanager
def api_token(database: "CommandDatabase", name: str, *, leave_revoked: bool = False) -> Iterator[str]:
    """``temporary_token`` on a database the command already has open."""
    from ..db.credentials import create_api_token, delete_api_token, revoke_api_token

    token, secret = database.run(create_api_token(database.db, name, ["read", "write"]))
    try:
        yield secret
    finally:
        end = revoke_api_token if leave_revoked else delete_api_token
        database.run(end(database.db, token.id))


class ServerError(RuntimeError):
    """The server refused a request; the message is its own."""


class RunningServer:
    def __init__(self, url: str, secret: str) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.headers = {"Authorization": f"Bearer {secret}", "Host": parts.netloc}
        self._stream: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """(status, the JSON answer or None), whatever the status."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request(method, path, body=None if body is None else json.dumps(body),
                         headers={**self.headers, "Content-Type": "application/json"})
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        return response.status, json.loads(data) if data else None

    def call(self, method: str, path: str, body: Any = None) -> Any:
        """The JSON answer; :class:`ServerError` with the server's message for a refusal."""
        status, answer = self.request(method, path, body)
        if status >= 400:
            message = (answer or {}).get("error", {}).get("message") if isinstance(answer, dict) else None
            raise ServerError(message or f"{method} {path} answered {status}")
        return answer

    def subscribe(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Open the event stream; events published from now on are in the iterator."""
        self._stream = http.client.HTTPConnection(self.host, self.port)
        self._stream.request("GET", "/api/v1/events", headers=self.headers)
        response = self._stream.getresponse()
        if response.status != 200:
            raise ServerError(f"the event stream answered {response.status}")
        if not response.readline().startswith(b": connected"):  # the server has subscribed us
            raise ServerError("the event stream did not start")
        return self._events(response)

    @staticmethod
    def _events(response: http.client.HTTPResponse) -> Iterator[tuple[str, dict[str, Any]]]:
        name = None
        for raw in response:
            line = raw.decode("utf-8").rstrip("\r\n")
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:") and name:
                yield name, json.loads(line[5:])
            elif not line:
                name = None

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None
