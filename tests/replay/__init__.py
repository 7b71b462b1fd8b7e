"""Replay hand-written board responses to jobspy, so its real parsers run offline.

Every board's HTTP, requests- and curl_cffi-based alike, goes through
``jobspy.util.RotatingProxySession.request``; ``replay()`` swaps that one method
for a router that answers each request from a list of routes. A route is a dict
(so a scenario can be written to JSON for a worker subprocess):

    {"method": "POST", "host": "apis.indeed.com", "path": "/graphql",   # method "*": any
     "match": {"params": {...}, "json": {...}, "contains": "..."},   # optional
     "status": 200, "headers": {...}, "body_file": "indeed_search.json",
     "body": "..." | {...},        # instead of body_file; a dict/list is sent as JSON
     "url": "https://...",         # the final URL after a redirect (default: the request's)
     "delay_seconds": 0,           # sleep first: a slow or hung board
     "error": "connection_reset" | "timeout",   # raise what the real session raises
     "times": 1}                   # answer this many requests, then let later routes match

``path`` is a glob (``/jobs/view/*``). In ``match``, ``params`` must be among the
query parameters (compared as text), ``json`` among the keys of the JSON body (its
first element when the body is a list, as Glassdoor's GraphQL batches are), and
``contains`` inside one of the body's strings (Indeed's GraphQL query text).
The first matching route answers. ``body_file`` is relative to ``boards/``.
The answer is a ``responses.FakeResponse``; errors are those of the board's own
session type (requests for Indeed, LinkedIn, Google; curl_cffi for the others).

A request no route matches raises ``UnmatchedRequest``, a BaseException, because
jobspy catches every Exception and would turn a missing route into a quiet
board error or, for a detail page, into nothing at all.

In a subprocess, ``install_from_env()`` reads the scenario JSON named by
``JOBDECK_TEST_REPLAY`` (tests/hooks/sitecustomize.py calls it) and appends
each request seen, as a JSON line, to the file named by ``JOBDECK_TEST_REPLAY_LOG``.
Without a scenario, ``install_offline()`` answers every request as if there were
no network, so no test's run ever opens a connection.
"""

from __future__ import annotations

import fnmatch
import json
import os
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator
from urllib.parse import parse_qsl, urlsplit

from tests.on_import import when_imported

# requests, curl_cffi, jobspy (and .responses, which needs the first two) are
# imported where used: sitecustomize imports this module in every test
# subprocess, and most of those never scrape.
if TYPE_CHECKING:
    from .responses import FakeResponse

__all__ = ["BOARDS_DIR", "REPLAY_ENV", "REPLAY_LOG_ENV", "BoardReplayer", "Offline", "Seen",
           "UnmatchedRequest", "install_from_env", "install_offline", "load_scenario", "replay",
           "zero_board_delays"]

BOARDS_DIR = Path(__file__).parent / "boards"
REPLAY_ENV = "JOBDECK_TEST_REPLAY"
REPLAY_LOG_ENV = "JOBDECK_TEST_REPLAY_LOG"


class UnmatchedRequest(BaseException):
    """A request no route answers. Not an Exception: jobspy must not swallow it."""


@dataclass
class Seen:
    """One request as the board sent it, and which route (index) answered it."""

    method: str
    url: str
    host: str
    path: str
    params: dict[str, str]
    json: Any
    route: int | None
    at: float = field(default_factory=time.time)


def _strings(value: Any) -> list[str]:
    """Every string in a JSON value."""
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [text for item in items for text in _strings(item)]


def _matches(route: dict[str, Any], method: str, host: str, path: str,
             params: dict[str, str], body: Any) -> bool:
    if route.get("method", "GET").upper() not in ("*", method) or route["host"] != host:
        return False
    if not fnmatch.fnmatchcase(path, route["path"]):
        return False
    match = route.get("match") or {}
    if any(params.get(k) != str(v) for k, v in match.get("params", {}).items()):
        return False
    first = body[0] if isinstance(body, list) and body else body
    if match.get("json") and not (isinstance(first, dict) and all(
            first.get(k) == v for k, v in match["json"].items())):
        return False
    return "contains" not in match or any(match["contains"] in s for s in _strings(body))


class BoardReplayer:
    """Answers jobspy's requests from routes; records each one in ``seen``."""

    def __init__(self, routes: list[dict[str, Any]], log_path: str | Path | None = None) -> None:
        self.routes = [dict(route) for route in routes]
        self.used = [0] * len(self.routes)
        self.seen: list[Seen] = []
        self.unmatched: list[str] = []
        self.log_path = Path(log_path) if log_path else None
        self._lock = threading.Lock()
        self._original: Any = None

    # -- what the tests look at ------------------------------------------------
    def requests_to(self, host: str, path: str = "*") -> list[Seen]:
        return [s for s in self.seen if s.host == host and fnmatch.fnmatchcase(s.path, path)]

    # -- the patch -------------------------------------------------------------
    def install(self) -> None:
        from jobspy.util import RotatingProxySession

        if getattr(RotatingProxySession.request, "replayer", None) is not None:
            raise RuntimeError("a replayer is already installed")
        self._original = RotatingProxySession.request
        replayer = self

        def request(session: Any, method: str, url: str, **kwargs: Any) -> FakeResponse:
            return replayer.answer(session, method, url, **kwargs)

        request.replayer = self  # type: ignore[attr-defined]
        RotatingProxySession.request = request  # type: ignore[method-assign]

    def uninstall(self) -> None:
        from jobspy.util import RotatingProxySession

        if self._original is not None:
            RotatingProxySession.request = self._original  # type: ignore[method-assign]
            self._original = None

    def answer(self, session: Any, method: str, url: str, **kwargs: Any) -> FakeResponse:
        import requests

        method = method.upper()
        flavor = "requests" if isinstance(session, requests.Session) else "curl"
        # requests' own encoding, so the recorded URL is the one a board would send
        full_url = requests.Request(method, url, params=kwargs.get("params")).prepare().url or url
        parts = urlsplit(full_url)
        host, path = parts.hostname or "", parts.path
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        body = kwargs.get("json")
        with self._lock:
            index = next((i for i, route in enumerate(self.routes)
                          if (route.get("times") is None or self.used[i] < route["times"])
                          and _matches(route, method, host, path, params, body)), None)
            if index is not None:
                self.used[index] += 1
            seen = Seen(method, full_url, host, path, params, body, index)
            self.seen.append(seen)
            if index is None:
                self.unmatched.append(f"{method} {full_url}")
            self._log(seen)
        if index is None:
            message = f"no replay route for {method} {full_url}"
            print(f"replay: {message}", file=sys.stderr)  # a worker thread may die silently
            raise UnmatchedRequest(message)
        return self._respond(self.routes[index], flavor, full_url, host,
                             kwargs.get("timeout") or 15)

    def _respond(self, route: dict[str, Any], flavor: str, url: str, host: str,
                 timeout: float) -> FakeResponse:
        from .responses import FakeResponse, network_error

        if route.get("delay_seconds"):
            time.sleep(route["delay_seconds"])
        if route.get("error"):
            if route["error"] not in ("connection_reset", "timeout"):
                raise ValueError(f"unknown replay error {route['error']!r}")
            raise network_error(route["error"], flavor, host, timeout)
        if "body_file" in route:
            body = (BOARDS_DIR / route["body_file"]).read_bytes()
        elif isinstance(route.get("body"), (dict, list)):
            body = json.dumps(route["body"]).encode()
        else:
            body = str(route.get("body", "")).encode()
        return FakeResponse(route.get("status", 200), body, route.get("url", url),
                            route.get("headers", {}), flavor)

    def _log(self, seen: Seen) -> None:
        if self.log_path:
            with self.log_path.open("a", encoding="utf-8") as log:
                log.write(json.dumps(asdict(seen), default=str) + "\n")


def _set_board_delays(delays: dict[type, Any] | None = None) -> dict[type, Any]:
    """Set each board's pause between pages (a ``delay`` range on its class) to zero,
    or back to ``delays``; return the delays it replaced."""
    from jobspy import SCRAPER_MAPPING

    boards = [cls for cls in SCRAPER_MAPPING.values() if hasattr(cls, "delay")]
    saved = {cls: cls.delay for cls in boards}
    for cls in boards:
        cls.delay = delays[cls] if delays else (0, 0)
    return saved


@contextmanager
def zero_board_delays() -> Iterator[None]:
    saved = _set_board_delays()
    try:
        yield
    finally:
        _set_board_delays(saved)


@contextmanager
def replay(routes: list[dict[str, Any]], log_path: str | Path | None = None
           ) -> Iterator[BoardReplayer]:
    """Answer jobspy from ``routes`` (and zero the boards' delays) inside the block."""
    replayer = BoardReplayer(routes, log_path)
    with zero_board_delays():
        replayer.install()
        try:
            yield replayer
        finally:
            replayer.uninstall()
    if replayer.unmatched:  # reached only when the block swallowed the UnmatchedRequest
        raise UnmatchedRequest(f"no replay route for {', '.join(replayer.unmatched)}")


def load_scenario(path: str | Path) -> list[dict[str, Any]]:
    """The routes of a scenario file: ``{"name": ..., "routes": [...]}``."""
    return json.loads(Path(path).read_text(encoding="utf-8"))["routes"]


class Offline(ConnectionError):
    """What a board's request gets in a test that names no scenario."""


def install_offline() -> None:
    """For the rest of this process, every board's request fails as with no
    network, at jobspy's entry point: a test that starts a run without a
    scenario gets each board's error and never reaches the network guard."""

    def install() -> None:
        from jobspy.util import RotatingProxySession

        def request(session: Any, method: str, url: str, **kwargs: Any) -> Any:
            raise Offline(f"no network in tests: {method.upper()} {url} (only loopback is allowed)")

        RotatingProxySession.request = request  # type: ignore[method-assign]
        _set_board_delays()

    when_imported("jobspy", lambda _: install())


def install_from_env() -> None:
    """Replay the scenario named by JOBDECK_TEST_REPLAY for the rest of this
    process, from the moment jobspy is imported. The scenario is read then
    too: a server process, which never imports jobspy, does not hold it."""
    path = os.environ.get(REPLAY_ENV)
    if not path:
        return

    def install() -> None:
        BoardReplayer(load_scenario(path), os.environ.get(REPLAY_LOG_ENV)).install()
        _set_board_delays()

    when_imported("jobspy", lambda _: install())
