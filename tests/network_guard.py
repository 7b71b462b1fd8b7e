"""Fails any connection that would leave this machine.

Installed in the test process by conftest, and in every Python subprocess
the tests start (servers, scrape workers) through ``tests/hooks/sitecustomize.py``.

Two doors are guarded: Python's sockets (requests, urllib, asyncio) and
libcurl, which curl_cffi drives and which opens its own sockets in C, out of
the socket module's sight (jobspy's ZipRecruiter and Glassdoor use it).

A refused connection raises where it was made, and code under test may
catch that (jobspy turns any error into a board's error). So each refusal
is also written to the file named by JOBDECK_TEST_NETWORK_LOG, with the
test that was running (PYTEST_CURRENT_TEST, which subprocesses inherit):
conftest fails that test, and the run. Scrape runs in tests are answered
at jobspy's entry point (tests.replay), offline or from a scenario, and
never reach the guard.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

from tests.on_import import when_imported

__all__ = ["LOG_ENV", "NetworkGuardError", "install", "recorded_refusals", "refusals_expected"]

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


LOG_ENV = "JOBDECK_TEST_NETWORK_LOG"
_expected = 0  # > 0 inside refusals_expected(): the guard's own tests


class NetworkGuardError(RuntimeError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        log = os.environ.get(LOG_ENV)
        if log and not _expected:
            with open(log, "a", encoding="utf-8") as handle:
                handle.write(f"{os.environ.get('PYTEST_CURRENT_TEST', '?')}\t{message}\n")


@contextmanager
def refusals_expected() -> Iterator[None]:
    """Refusals inside the block are the point of the test: not recorded."""
    global _expected
    _expected += 1
    try:
        yield
    finally:
        _expected -= 1


def recorded_refusals(log: str | os.PathLike[str]) -> list[tuple[str, str]]:
    """(test, what it tried) for each refusal written to ``log``."""
    try:
        lines = Path(log).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    return [tuple(line.split("\t", 1)) for line in lines if "\t" in line]  # type: ignore[misc]


def _is_local(host: object) -> bool:
    if not isinstance(host, str):
        return False
    if host in ("localhost", ""):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        return False
    return address.is_loopback


def _check(address: object) -> None:
    if isinstance(address, (str, bytes)):  # a Unix socket path: local by nature
        return
    host = address[0] if isinstance(address, tuple) else address
    if not _is_local(host):
        raise NetworkGuardError(f"a test tried to connect to {address!r}: only loopback is allowed")


def _guarded_connect(self: socket.socket, address: object) -> None:
    _check(address)
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    _check(address)
    return _real_connect_ex(self, address)


def _guarded_getaddrinfo(host, *args, **kwargs):
    if host is not None and not _is_local(host if isinstance(host, str) else host.decode()):
        raise NetworkGuardError(f"a test tried to resolve {host!r}: only loopback is allowed")
    return _real_getaddrinfo(host, *args, **kwargs)


def _check_url(url: Any) -> None:
    text = url.decode() if isinstance(url, bytes) else str(url)
    if not text:
        return  # curl_cffi clears its proxy with ""
    try:
        host = urlsplit(text if "://" in text else f"http://{text}").hostname
    except ValueError:
        host = None
    if not _is_local(host or ""):
        raise NetworkGuardError(f"a test tried to reach {text!r} through libcurl: only loopback is allowed")


def _guard_curl(curl: Any) -> None:
    """Refuse a libcurl transfer to, or through a proxy at, a non-loopback host."""
    real_setopt = curl.Curl.setopt
    if getattr(real_setopt, "guarded", False):
        return
    checked = {curl.CurlOpt.URL, curl.CurlOpt.PROXY}

    def setopt(self: Any, option: Any, value: Any) -> int:
        if option in checked:
            _check_url(value)
        return real_setopt(self, option, value)

    setopt.guarded = True  # type: ignore[attr-defined]
    curl.Curl.setopt = setopt


def install() -> None:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _guarded_getaddrinfo
    when_imported("curl_cffi.curl", _guard_curl)  # not before: most processes never scrape
