"""Fails any connection that would leave this machine.

Installed in the test process by conftest, and in every Python subprocess
the tests start (servers, scrape workers) through ``tests/hooks/sitecustomize.py``.

Two doors are guarded: Python's sockets (requests, urllib, asyncio) and
libcurl, which curl_cffi drives and which opens its own sockets in C, out of
the socket module's sight (jobspy's ZipRecruiter and Glassdoor use it).
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import ipaddress
import socket
import sys
from typing import Any
from urllib.parse import urlsplit

__all__ = ["NetworkGuardError", "install"]

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


class NetworkGuardError(RuntimeError):
    pass


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


class _GuardCurlOnImport(importlib.abc.MetaPathFinder):
    """Guards ``curl_cffi.curl`` as it is imported, so that a process which
    never scrapes never pays for importing curl_cffi."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != "curl_cffi.curl":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        exec_module = spec.loader.exec_module

        def exec_then_guard(module: Any) -> None:
            exec_module(module)
            _guard_curl(module)

        spec.loader.exec_module = exec_then_guard  # type: ignore[method-assign]
        return spec


def install() -> None:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _guarded_getaddrinfo
    if "curl_cffi.curl" in sys.modules:
        _guard_curl(sys.modules["curl_cffi.curl"])
    elif not any(isinstance(finder, _GuardCurlOnImport) for finder in sys.meta_path):
        sys.meta_path.insert(0, _GuardCurlOnImport())
