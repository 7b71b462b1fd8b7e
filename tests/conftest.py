"""Shared fixtures: a fresh home per test, the real app factory, and a guard
that fails any connection leaving this machine."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path
from typing import Iterator

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from server.app import create_app
from server.settings import Settings, load_settings

TEST_PORT = 8765
BASE_URL = f"http://127.0.0.1:{TEST_PORT}"


# -- no test reaches the internet --------------------------------------------

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


def pytest_configure(config: pytest.Config) -> None:
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _guarded_getaddrinfo


# -- the app -----------------------------------------------------------------

@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def settings(home: Path) -> Settings:
    return load_settings({"home": str(home), "port": TEST_PORT, "open_browser": False},
                         environ={}, config_file=home / "absent.toml")


@pytest.fixture
def app(settings: Settings) -> Litestar:
    from server.home import prepare_home

    prepare_home(settings.home_path)
    return create_app(settings)


@pytest.fixture
def anon(app: Litestar) -> Iterator[TestClient]:
    """A client with no credentials, as a foreign page or script would be."""
    with TestClient(app, base_url=BASE_URL) as client:
        yield client


@pytest.fixture
def client(anon: TestClient, app: Litestar) -> TestClient:
    """A client signed in as the in-process CLI is (a bearer credential)."""
    anon.headers["Authorization"] = f"Bearer {app.state.internal_secret}"
    return anon
