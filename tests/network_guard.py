"""Fails any connection that would leave this machine.

Installed in the test process by conftest, and in every Python subprocess
the tests start (servers, scrape workers) through ``tests/hooks/sitecustomize.py``.
"""

from __future__ import annotations

import ipaddress
import socket

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


def install() -> None:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _guarded_getaddrinfo
